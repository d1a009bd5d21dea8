import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  baseStationFile,
  cardFile,
  cardRequestBody,
  createCase,
  createKey,
  createRequestWorld,
  locationRequestBody,
  providerClient,
  seoulDateFromToday,
  submitRequest,
  type ProviderClient,
  type RequestWorld,
  type System,
} from "./fixtures.js";
import { startTestSystem } from "../support/system.js";

interface ErrorBody {
  error: { code: string; message: string };
}

interface RequestBody {
  id: string;
  state: string;
  overdue: boolean;
  parts: { id: string; state: string; provider: { id: string } }[];
  uploads: { uploadId: string; state: string; decisionReason: string | null }[];
  transitions: { to: string; reason: string | null; by: string }[];
}

interface ReceiptBody {
  uploadId: string;
  recordCount: number;
  state: string;
}

describe("data request life cycle", () => {
  let system: System;
  let world: RequestWorld;
  let caseId: string;
  let personId: string;
  let skt: ProviderClient;
  let kt: ProviderClient;
  let crefia: ProviderClient;
  let cardA: ProviderClient;

  beforeAll(async () => {
    system = await startTestSystem();
    world = await createRequestWorld(system);
    caseId = await createCase(world.seoul, "S-4001", "김영희");
    personId = (
      await system.store.db
        .selectFrom("cases")
        .select("person_id")
        .where("id", "=", caseId)
        .executeTakeFirstOrThrow()
    ).person_id;
    skt = providerClient(
      system,
      (await createKey(world.admin, world.skt.id)).secret,
    );
    kt = providerClient(
      system,
      (await createKey(world.admin, world.kt.id)).secret,
    );
    crefia = providerClient(
      system,
      (await createKey(world.admin, world.crefia.id)).secret,
    );
    cardA = providerClient(
      system,
      (await createKey(world.admin, world.cardA.id)).secret,
    );
  });

  afterAll(async () => {
    await system.close();
  });

  async function approvedLocationRequest(
    providerIds: string[] = [world.skt.id],
  ) {
    const id = await submitRequest(
      world.seoul,
      locationRequestBody(caseId, providerIds),
    );
    const approved = await world.police.request(
      "POST",
      `/api/location-approvals/${id}/approve`,
      {},
    );
    expect(approved.status).toBe(200);
    return id;
  }

  async function requestOf(id: string): Promise<RequestBody> {
    const response = await world.seoul.request("GET", `/api/requests/${id}`);
    expect(response.status).toBe(200);
    return (await response.json()) as RequestBody;
  }

  async function recordCount(): Promise<number> {
    const rows = await system.store.db
      .selectFrom("location_records_all")
      .select("id")
      .where("person_id", "=", personId)
      .execute();
    return rows.length;
  }

  describe("state machine", () => {
    it("rejects a second submission with 409", async () => {
      const id = await submitRequest(
        world.seoul,
        locationRequestBody(caseId, [world.skt.id]),
      );
      const again = await world.seoul.request(
        "POST",
        `/api/requests/${id}/submit`,
      );
      const body = (await again.json()) as ErrorBody;

      expect(again.status).toBe(409);
      expect(body.error.code).toBe("invalid_transition");
      expect(body.error.message).toContain(
        `Cannot move request ${id} from awaiting_police_approval to submitted`,
      );
    });

    it("rejects approving a request twice", async () => {
      const id = await approvedLocationRequest();
      const again = await world.police.request(
        "POST",
        `/api/location-approvals/${id}/approve`,
        {},
      );
      const body = (await again.json()) as ErrorBody;

      expect(again.status).toBe(409);
      expect(body.error.message).toContain(
        "from sent_to_providers to approved",
      );
    });

    it("keeps a final state final", async () => {
      const id = await submitRequest(
        world.seoul,
        locationRequestBody(caseId, [world.skt.id]),
      );
      const rejected = await world.police.request(
        "POST",
        `/api/location-approvals/${id}/reject`,
        { reason: "The window is wider than the exposure needs." },
      );
      expect(rejected.status).toBe(200);

      const withdraw = await world.seoul.request(
        "POST",
        `/api/requests/${id}/withdraw`,
        {
          reason: "no longer needed",
        },
      );
      const approve = await world.police.request(
        "POST",
        `/api/location-approvals/${id}/approve`,
        {},
      );
      const withdrawBody = (await withdraw.json()) as ErrorBody;

      expect(withdraw.status).toBe(409);
      expect(withdrawBody.error.message).toContain("rejected is a final state");
      expect(approve.status).toBe(409);
      const body = await requestOf(id);
      expect(body.state).toBe("rejected");
      expect(body.transitions.at(-1)).toMatchObject({
        to: "rejected",
        by: "police.approver",
        reason: "The window is wider than the exposure needs.",
      });
    });

    it("rejects forwarding a part twice", async () => {
      const id = await submitRequest(world.seoul, cardRequestBody(caseId));
      const first = await crefia.request(
        "POST",
        `/api/provider/requests/${id}/forward`,
        {
          cardCompanyIds: [world.cardA.id],
        },
      );
      const second = await crefia.request(
        "POST",
        `/api/provider/requests/${id}/forward`,
        {},
      );

      expect(first.status).toBe(200);
      expect(second.status).toBe(409);
      expect(((await second.json()) as ErrorBody).error.message).toContain(
        "forwarded is a final state",
      );
    });
  });

  describe("answering", () => {
    it("gives no part of a rejected request to providers", async () => {
      const id = await submitRequest(
        world.seoul,
        locationRequestBody(caseId, [world.skt.id]),
      );
      await world.police.request(
        "POST",
        `/api/location-approvals/${id}/reject`,
        {
          reason: "Not justified.",
        },
      );

      const pulled = await skt.request("GET", "/api/provider/requests");
      const items = (
        (await pulled.json()) as { items: { requestId: string }[] }
      ).items;
      const upload = await skt.upload(id, "base_station", baseStationFile(2));

      expect(items.map((item) => item.requestId)).not.toContain(id);
      expect(upload.status).toBe(404);
    });

    it("rejects answers to a withdrawn request", async () => {
      const id = await approvedLocationRequest();
      const withdrawn = await world.seoul.request(
        "POST",
        `/api/requests/${id}/withdraw`,
        {
          reason: "The person was identified otherwise.",
        },
      );
      expect(withdrawn.status).toBe(200);

      const upload = await skt.upload(id, "base_station", baseStationFile(2));
      const body = (await upload.json()) as ErrorBody;

      expect(upload.status).toBe(409);
      expect(body.error.code).toBe("invalid_transition");
      expect(body.error.message).toContain("withdrawn");
      const request = await requestOf(id);
      expect(request.state).toBe("withdrawn");
      expect(request.parts.map((p) => p.state)).toEqual(["withdrawn"]);
    });

    it("closes an answered part of a withdrawn request", async () => {
      const id = await approvedLocationRequest([world.skt.id, world.kt.id]);
      const receipt = (await (
        await skt.upload(id, "base_station", baseStationFile(2))
      ).json()) as ReceiptBody;
      await world.seoul.request("POST", `/api/requests/${id}/withdraw`, {
        reason: "Enough data.",
      });

      const withdrawn = await skt.request(
        "POST",
        `/api/provider/requests/${id}/uploads/${receipt.uploadId}/withdraw`,
        {},
      );
      const again = await skt.upload(id, "base_station", baseStationFile(3));

      expect(withdrawn.status).toBe(200);
      expect(again.status).toBe(409);
      const request = await requestOf(id);
      expect(request.state).toBe("withdrawn");
      expect(request.parts.map((p) => p.state)).toEqual([
        "withdrawn",
        "withdrawn",
      ]);
    });

    it("rejects an upload after expiry", async () => {
      const id = await approvedLocationRequest();
      await system.store.db
        .updateTable("data_request_parts")
        .set({ expires_at: Date.now() - 60_000 })
        .where("request_id", "=", id)
        .execute();

      const upload = await skt.upload(id, "base_station", baseStationFile(2));
      const body = (await upload.json()) as ErrorBody;

      expect(upload.status).toBe(409);
      expect(body.error.code).toBe("request_expired");
      expect(body.error.message).toContain("uploads are no longer accepted");
      const request = await requestOf(id);
      expect(request.state).toBe("expired");
      expect(request.parts.map((p) => p.state)).toEqual(["expired"]);
      expect(request.transitions.at(-1)?.by).toBe("system");
    });

    it("expires a request the police did not decide in time", async () => {
      const id = await submitRequest(
        world.seoul,
        locationRequestBody(caseId, [world.skt.id]),
      );
      await system.store.db
        .updateTable("data_requests")
        .set({ expires_at: Date.now() - 60_000 })
        .where("id", "=", id)
        .execute();

      const approve = await world.police.request(
        "POST",
        `/api/location-approvals/${id}/approve`,
        {},
      );

      expect(approve.status).toBe(409);
      expect((await requestOf(id)).state).toBe("expired");
    });

    it("returns the first receipt for the same file", async () => {
      const id = await approvedLocationRequest();
      const file = baseStationFile(3);
      const first = await skt.upload(id, "base_station", file);
      const second = await skt.upload(id, "base_station", file);

      expect(first.status).toBe(201);
      expect(second.status).toBe(200);
      expect(await second.json()).toEqual(await first.json());
      const uploads = await system.store.db
        .selectFrom("data_request_uploads")
        .select("id")
        .where("request_id", "=", id)
        .execute();
      expect(uploads).toHaveLength(1);
    });

    it("requires withdrawing before replacing a file", async () => {
      const id = await approvedLocationRequest();
      const before = await recordCount();
      const first = (await (
        await skt.upload(id, "base_station", baseStationFile(3))
      ).json()) as ReceiptBody;
      expect(await recordCount()).toBe(before + 3);

      const replacement = await skt.upload(
        id,
        "base_station",
        baseStationFile(4),
      );
      expect(replacement.status).toBe(409);
      expect(((await replacement.json()) as ErrorBody).error.message).toContain(
        "Withdraw it",
      );

      const withdrawn = await skt.request(
        "POST",
        `/api/provider/requests/${id}/uploads/${first.uploadId}/withdraw`,
        { reason: "Wrong cell table." },
      );
      expect(withdrawn.status).toBe(200);
      expect(((await withdrawn.json()) as ReceiptBody).state).toBe("withdrawn");
      expect(await recordCount()).toBe(before);
      expect((await requestOf(id)).state).toBe("sent_to_providers");

      const corrected = await skt.upload(
        id,
        "base_station",
        baseStationFile(4),
      );
      expect(corrected.status).toBe(201);
      expect(await recordCount()).toBe(before + 4);
      expect((await requestOf(id)).state).toBe("answered");
    });

    it("keeps an accepted upload from being withdrawn", async () => {
      const id = await approvedLocationRequest();
      const receipt = (await (
        await skt.upload(id, "base_station", baseStationFile(2))
      ).json()) as ReceiptBody;
      const accepted = await world.seoul.request(
        "POST",
        `/api/requests/${id}/uploads/${receipt.uploadId}/accept`,
      );
      expect(accepted.status).toBe(200);

      const withdraw = await skt.request(
        "POST",
        `/api/provider/requests/${id}/uploads/${receipt.uploadId}/withdraw`,
        {},
      );
      const body = (await withdraw.json()) as ErrorBody;

      expect(withdraw.status).toBe(409);
      expect(body.error.message).toContain("from accepted to withdrawn");
    });

    it("removes the records of a rejected upload", async () => {
      const id = await approvedLocationRequest();
      const before = await recordCount();
      const file = baseStationFile(5);
      const receipt = (await (
        await skt.upload(id, "base_station", file)
      ).json()) as ReceiptBody;
      expect(await recordCount()).toBe(before + 5);

      const rejected = await world.seoul.request(
        "POST",
        `/api/requests/${id}/uploads/${receipt.uploadId}/reject`,
        { reason: "The records belong to another subscriber." },
      );
      const body = (await rejected.json()) as RequestBody;

      expect(rejected.status).toBe(200);
      expect(await recordCount()).toBe(before);
      expect(body.state).toBe("sent_to_providers");
      expect(body.uploads).toMatchObject([
        {
          uploadId: receipt.uploadId,
          state: "rejected",
          decisionReason: "The records belong to another subscriber.",
        },
      ]);

      const pulled = await skt.request("GET", `/api/provider/requests/${id}`);
      const part = (await pulled.json()) as {
        state: string;
        uploads: ReceiptBody[];
      };
      expect(part.state).toBe("sent");
      expect(part.uploads.map((u) => u.state)).toEqual(["rejected"]);

      const again = await skt.upload(id, "base_station", file);
      expect(again.status).toBe(409);
      expect(((await again.json()) as ErrorBody).error.message).toContain(
        "was rejected",
      );

      const events = await system.store.db
        .selectFrom("audit_events")
        .select(["action", "detail"])
        .where("action", "=", "request.upload_reject")
        .execute();
      expect(
        events.map((e) => JSON.parse(e.detail) as { uploadId: string }),
      ).toContainEqual(
        expect.objectContaining({
          uploadId: receipt.uploadId,
          recordsRemoved: 5,
        }),
      );
    });

    it("answers partly until every provider answers", async () => {
      const id = await approvedLocationRequest([world.skt.id, world.kt.id]);
      await skt.upload(id, "base_station", baseStationFile(1));
      expect((await requestOf(id)).state).toBe("partly_answered");

      const declined = await kt.request(
        "POST",
        `/api/provider/requests/${id}/decline`,
        {
          reason: "The number is not a KT subscriber.",
        },
      );
      expect(declined.status).toBe(200);
      const request = await requestOf(id);
      expect(request.state).toBe("partly_answered");
      expect(request.overdue).toBe(false);
      expect(request.parts.map((p) => p.state).sort()).toEqual([
        "answered",
        "failed",
      ]);
    });

    it("fails a request every provider declines", async () => {
      const id = await approvedLocationRequest();
      await skt.request("POST", `/api/provider/requests/${id}/decline`, {
        reason: "No such subscriber.",
      });

      expect((await requestOf(id)).state).toBe("failed");
    });

    it("takes a header-only file as an empty answer", async () => {
      const id = await approvedLocationRequest();
      const upload = await skt.upload(id, "base_station", baseStationFile(0));
      const receipt = (await upload.json()) as ReceiptBody;

      expect(upload.status).toBe(201);
      expect(receipt.recordCount).toBe(0);
      expect((await requestOf(id)).state).toBe("answered");
    });

    it("rejects invalid rows and stores nothing", async () => {
      const id = await approvedLocationRequest();
      const before = await recordCount();
      const file = `${baseStationFile(2)}010-1234-5678,not a time,45008-1,37.5,126.9\n`;
      const upload = await skt.upload(id, "base_station", file);
      const body = (await upload.json()) as ErrorBody;

      expect(upload.status).toBe(400);
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.message).toContain("nothing was stored");
      expect(await recordCount()).toBe(before);
      expect((await requestOf(id)).uploads).toEqual([]);
    });

    it("rejects records of another phone number", async () => {
      const id = await approvedLocationRequest();
      const upload = await skt.upload(
        id,
        "base_station",
        baseStationFile(2, "010-9999-0000"),
      );
      const body = (await upload.json()) as ErrorBody;

      expect(upload.status).toBe(400);
      expect(body.error.message).toContain(
        "subject other than the one requested",
      );
      expect(body.error.message).not.toContain("01099990000");
    });

    it("rejects records outside the window", async () => {
      const id = await approvedLocationRequest();
      const late = new Date(Date.now() + 2 * 86_400_000).toISOString();
      const file = `${baseStationFile(1)}010-1234-5678,${late},45008-9,37.5,126.9\n`;
      const upload = await skt.upload(id, "base_station", file);
      const body = (await upload.json()) as ErrorBody;

      expect(upload.status).toBe(400);
      expect(body.error.message).toContain("outside the requested window");
    });

    it("rejects a data kind the part does not ask for", async () => {
      const id = await submitRequest(world.seoul, cardRequestBody(caseId));
      await crefia.request("POST", `/api/provider/requests/${id}/forward`, {
        cardCompanyIds: [world.cardA.id],
      });
      const upload = await cardA.upload(id, "base_station", baseStationFile(1));

      expect(upload.status).toBe(400);
      expect(((await upload.json()) as ErrorBody).error.message).toContain(
        "asks for card",
      );
      const card = await cardA.upload(id, "card", cardFile(1, "Market"));
      expect(card.status).toBe(201);
    });
  });

  describe("creation", () => {
    it("flags an overdue request", async () => {
      const created = await world.seoul.request(
        "POST",
        "/api/requests",
        locationRequestBody(caseId, [world.skt.id]),
      );
      const { id } = (await created.json()) as { id: string };
      await system.store.db
        .updateTable("data_requests")
        .set({ deadline_at: Date.now() - 1000 })
        .where("id", "=", id)
        .execute();

      const listed = await world.seoul.request(
        "GET",
        "/api/requests?overdue=true",
      );
      const list = (await listed.json()) as {
        items: { id: string; overdue: boolean }[];
      };

      expect((await requestOf(id)).overdue).toBe(true);
      expect(list.items.map((item) => item.id)).toEqual([id]);
      expect(list.items[0]?.overdue).toBe(true);
    });

    it.each([
      [
        "a start too early",
        { windowStartDate: seoulDateFromToday(-20) },
        "at most 14 days",
      ],
      [
        "an end after today",
        { windowEndDate: seoulDateFromToday(1) },
        "past today",
      ],
      [
        "an end before the start",
        {
          windowStartDate: seoulDateFromToday(-2),
          windowEndDate: seoulDateFromToday(-3),
        },
        "the end is before the start",
      ],
      ["no phone number", { phoneNumber: undefined }, "Missing phoneNumber"],
      [
        "an invalid phone number",
        { phoneNumber: "02-123-4567" },
        "Invalid phoneNumber",
      ],
      ["an unneeded card holder", { cardHolder: "X" }, "Unexpected cardHolder"],
      [
        "the wrong article",
        { legalBasis: "76-2(1)" },
        "Invalid legalBasis 76-2(1)",
      ],
      [
        "mixed data kinds",
        { dataKinds: ["base_station", "card"] },
        "separate requests",
      ],
    ])("rejects %s", async (_name, changes, message) => {
      const body = {
        ...locationRequestBody(caseId, [world.skt.id]),
        ...changes,
      };
      const response = await world.seoul.request("POST", "/api/requests", body);
      const error = (await response.json()) as ErrorBody;

      expect(response.status).toBe(400);
      expect(error.error.message).toContain(message);
    });

    it("rejects a provider of the wrong kind", async () => {
      const response = await world.seoul.request(
        "POST",
        "/api/requests",
        locationRequestBody(caseId, [world.crefia.id]),
      );
      const error = (await response.json()) as ErrorBody;

      expect(response.status).toBe(400);
      expect(error.error.message).toContain("is a card_association");
    });

    it("rejects a case without onset or confirmation", async () => {
      const created = await world.seoul.request("POST", "/api/cases", {
        caseNumber: "S-4002",
        person: { name: "이름없음" },
      });
      const { id } = (await created.json()) as { id: string };
      const response = await world.seoul.request(
        "POST",
        "/api/requests",
        locationRequestBody(id, [world.skt.id]),
      );
      const error = (await response.json()) as ErrorBody;

      expect(response.status).toBe(400);
      expect(error.error.message).toContain(
        "neither a symptom onset date nor a confirmation date",
      );
    });

    it("sends to every operator by default", async () => {
      const response = await world.seoul.request(
        "POST",
        "/api/requests",
        locationRequestBody(caseId),
      );
      const body = (await response.json()) as { providers: { id: string }[] };

      expect(response.status).toBe(201);
      expect(body.providers.map((p) => p.id).sort()).toEqual(
        [world.skt.id, world.kt.id].sort(),
      );
    });
  });
});
