import { createHash } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  baseStationFile,
  cardFile,
  cardRequestBody,
  createCase,
  createKey,
  createMember,
  createRequestWorld,
  locationRequestBody,
  providerClient,
  seoulDateFromToday,
  signInToInbox,
  submitRequest,
  type InboxClient,
  type RequestWorld,
  type System,
} from "./fixtures.js";
import {
  createAccount,
  createOfficeUser,
  logInWithPassword,
  signIn,
  startTestSystem,
  type ApiClient,
} from "../support/system.js";

interface PartBody {
  requestId: string;
  partId: string;
  state: string;
  dataKinds: string[];
  identifier: { kind: string; value: string };
  window: { startDate: string; endDate: string };
  deadlineAt: string | null;
  uploads: ReceiptBody[];
}

interface ReceiptBody {
  uploadId: string;
  requestId: string;
  recordCount: number;
  sha256: string;
  state: string;
}

interface NotificationBody {
  id: string;
  kind: string;
  requestId: string | null;
  detail: Record<string, unknown>;
  readAt: string | null;
}

const INBOX = "/api/provider-inbox/requests";

async function itemsOf<T>(response: Response): Promise<T[]> {
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: T[] }).items;
}

async function notificationsOf(
  client: ApiClient,
): Promise<{ items: NotificationBody[]; unreadCount: number }> {
  const response = await client.request("GET", "/api/notifications");
  expect(response.status).toBe(200);
  return (await response.json()) as {
    items: NotificationBody[];
    unreadCount: number;
  };
}

describe("provider web inbox", () => {
  let system: System;
  let world: RequestWorld;
  let caseId: string;
  let skt: InboxClient;
  let kt: InboxClient;
  let crefia: InboxClient;
  let cardA: InboxClient;
  let seoulColleague: ApiClient;
  let locationRequestId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    world = await createRequestWorld(system);
    await createMember(system, world.skt, "skt.clerk", "provider");
    await createMember(system, world.kt, "kt.clerk", "provider");
    await createMember(system, world.crefia, "crefia.clerk", "provider");
    await createMember(system, world.cardA, "carda.clerk", "provider");
    await createOfficeUser(system, "11", "seoul.colleague");
    skt = await signInToInbox(system, "skt.clerk");
    kt = await signInToInbox(system, "kt.clerk");
    crefia = await signInToInbox(system, "crefia.clerk");
    cardA = await signInToInbox(system, "carda.clerk");
    seoulColleague = await signIn(system, "seoul.colleague");
    caseId = await createCase(world.seoul, "S-3001", "김철수");

    locationRequestId = await submitRequest(
      world.seoul,
      locationRequestBody(caseId, [world.skt.id]),
    );
    const approved = await world.police.request(
      "POST",
      `/api/location-approvals/${locationRequestId}/approve`,
      {},
    );
    expect(approved.status).toBe(200);
  });

  afterAll(async () => {
    await system.close();
  });

  it("lists the operator's part without the case", async () => {
    const response = await skt.request("GET", INBOX);
    const text = await response.clone().text();
    const items = await itemsOf<PartBody>(response);

    expect(items.map((item) => item.requestId)).toEqual([locationRequestId]);
    expect(items[0]?.identifier).toEqual({
      kind: "phone_number",
      value: "01012345678",
    });
    expect(items[0]?.dataKinds).toEqual(["base_station"]);
    expect(items[0]?.window.startDate).toBe(seoulDateFromToday(-10));
    expect(items[0]?.deadlineAt).not.toBeNull();
    expect(text).not.toContain(caseId);
    expect(text).not.toContain("김철수");
    expect(text).not.toContain("S-3001");
    expect(text).not.toContain("infectious");
  });

  it("hides the part from another operator", async () => {
    expect(await itemsOf(await kt.request("GET", INBOX))).toEqual([]);

    const viewed = await kt.request("GET", `${INBOX}/${locationRequestId}`);
    const uploaded = await kt.upload(
      locationRequestId,
      "base_station",
      baseStationFile(2),
    );
    const declined = await kt.request(
      "POST",
      `${INBOX}/${locationRequestId}/decline`,
      { reason: "Not our subscriber." },
    );
    const viewedText = await viewed.text();

    expect(viewed.status).toBe(404);
    expect(uploaded.status).toBe(404);
    expect(declined.status).toBe(404);
    expect(viewedText).not.toContain("01012345678");
  });

  it("rejects callers outside the provider role", async () => {
    const investigator = await world.seoul.request("GET", INBOX);
    const police = await world.police.request(
      "GET",
      `${INBOX}/${locationRequestId}`,
    );
    const byKey = await providerClient(
      system,
      (await createKey(world.admin, world.skt.id)).secret,
    ).request("GET", INBOX);

    expect(investigator.status).toBe(403);
    expect(police.status).toBe(403);
    expect(byKey.status).toBe(401);
  });

  it("requires the second factor", async () => {
    await createAccount(system, {
      organisationId: world.skt.id,
      username: "skt.newcomer",
      role: "provider",
      enrolSecondFactor: false,
    });
    const login = await logInWithPassword(system, "skt.newcomer");
    const response = await login.client.request("GET", INBOX);

    expect(login.stage).toBe("enrolment");
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain("01012345678");
  });

  it("takes a file by hand with a SHA-256 receipt", async () => {
    const file = baseStationFile(6);
    const first = await skt.upload(locationRequestId, "base_station", file);
    const second = await skt.upload(locationRequestId, "base_station", file);
    const receipt = (await first.json()) as ReceiptBody;
    const repeated = (await second.json()) as ReceiptBody;

    expect(first.status, JSON.stringify(receipt)).toBe(201);
    expect(second.status).toBe(200);
    expect(receipt.recordCount).toBe(6);
    expect(receipt.sha256).toBe(
      createHash("sha256").update(file).digest("hex"),
    );
    expect(repeated).toEqual(receipt);

    const upload = await system.store.db
      .selectFrom("data_request_uploads")
      .select(["received_with_key_id", "received_by_user_id"])
      .where("id", "=", receipt.uploadId)
      .executeTakeFirstOrThrow();
    expect(upload.received_with_key_id).toBeNull();
    expect(upload.received_by_user_id).not.toBeNull();
  });

  it("withdraws an upload until it is accepted", async () => {
    const part = (await (
      await skt.request("GET", `${INBOX}/${locationRequestId}`)
    ).json()) as PartBody;
    const live = part.uploads.find((upload) => upload.state === "received");
    expect(part.state).toBe("answered");
    expect(live).toBeDefined();

    const withdrawn = await skt.request(
      "POST",
      `${INBOX}/${locationRequestId}/uploads/${live?.uploadId}/withdraw`,
      { reason: "wrong cell table" },
    );
    expect(withdrawn.status).toBe(200);
    expect(((await withdrawn.json()) as ReceiptBody).state).toBe("withdrawn");

    const corrected = await skt.upload(
      locationRequestId,
      "base_station",
      baseStationFile(8),
    );
    const receipt = (await corrected.json()) as ReceiptBody;
    expect(corrected.status).toBe(201);

    const accepted = await world.seoul.request(
      "POST",
      `/api/requests/${locationRequestId}/uploads/${receipt.uploadId}/accept`,
    );
    expect(accepted.status).toBe(200);
    const late = await skt.request(
      "POST",
      `${INBOX}/${locationRequestId}/uploads/${receipt.uploadId}/withdraw`,
      {},
    );
    expect(late.status).toBe(409);
  });

  it("records the user in transitions and audit events", async () => {
    const response = await world.seoul.request(
      "GET",
      `/api/requests/${locationRequestId}`,
    );
    const body = (await response.json()) as {
      transitions: { to: string; by: string }[];
    };
    const byClerk = body.transitions.filter((t) => t.by === "skt.clerk");
    expect(byClerk.map((t) => t.to)).toEqual(["answered", "sent", "answered"]);

    const events = await system.store.db
      .selectFrom("audit_events")
      .select(["action", "result"])
      .where("actor_username", "=", "skt.clerk")
      .execute();
    const actions = events.map((event) => `${event.action} ${event.result}`);
    expect(actions).toContain("provider.pull allowed");
    expect(actions).toContain("provider.upload allowed");
    expect(actions).toContain("provider.upload_withdraw allowed");
    expect(actions).toContain("provider.upload_withdraw failed");
  });

  it("notifies only the requesting investigator", async () => {
    const own = await notificationsOf(world.seoul);
    const kinds = own.items
      .filter((item) => item.requestId === locationRequestId)
      .map((item) => item.kind);
    expect(kinds).toContain("request.answer_received");
    expect(kinds).toContain("request.answered");
    expect(own.unreadCount).toBeGreaterThanOrEqual(kinds.length);
    expect(JSON.stringify(own)).not.toContain("01012345678");

    for (const other of [seoulColleague, world.busan, world.police, skt]) {
      const list = await notificationsOf(other);
      expect(list.items).toEqual([]);
      expect(list.unreadCount).toBe(0);
    }

    const someoneElses = own.items[0]?.id ?? "";
    const foreign = await world.busan.request(
      "POST",
      "/api/notifications/read",
      {
        ids: [someoneElses],
      },
    );
    expect(((await foreign.json()) as { marked: number }).marked).toBe(0);
    expect((await notificationsOf(world.seoul)).unreadCount).toBe(
      own.unreadCount,
    );

    const marked = await world.seoul.request(
      "POST",
      "/api/notifications/read",
      {},
    );
    expect(((await marked.json()) as { marked: number }).marked).toBe(
      own.unreadCount,
    );
    expect((await notificationsOf(world.seoul)).unreadCount).toBe(0);
  });

  it("records the time to the answered route", async () => {
    const timing = await world.seoul.request(
      "GET",
      `/api/requests/${locationRequestId}/timing`,
    );
    const body = (await timing.json()) as {
      submittedAt: string;
      firstAnswerAt: string;
      answeredAt: string;
      secondsToAnswered: number;
    };
    expect(timing.status).toBe(200);
    expect(Date.parse(body.firstAnswerAt)).toBeGreaterThanOrEqual(
      Date.parse(body.submittedAt),
    );
    expect(Date.parse(body.answeredAt)).toBeGreaterThanOrEqual(
      Date.parse(body.firstAnswerAt),
    );
    expect(body.secondsToAnswered).toBeGreaterThanOrEqual(0);

    const outside = await world.busan.request(
      "GET",
      `/api/requests/${locationRequestId}/timing`,
    );
    expect(outside.status).toBe(404);

    const statistics = await world.seoul.request(
      "GET",
      "/api/request-statistics",
    );
    const figures = (await statistics.json()) as {
      answered: { total: number; medianSeconds: number | null };
    };
    expect(figures.answered.total).toBe(1);
    expect(figures.answered.medianSeconds).not.toBeNull();
    const busanFigures = (await (
      await world.busan.request("GET", "/api/request-statistics")
    ).json()) as { answered: { total: number } };
    expect(busanFigures.answered.total).toBe(0);
  });

  it("lets the card association forward by hand", async () => {
    const cardRequestId = await submitRequest(
      world.seoul,
      cardRequestBody(caseId),
    );
    const companies = await itemsOf<{ id: string; name: string }>(
      await crefia.request("GET", "/api/provider-inbox/card-companies"),
    );
    expect(companies.map((company) => company.name)).toEqual([
      "Card Company A",
      "Card Company B",
    ]);
    const notForwarding = await cardA.request(
      "GET",
      "/api/provider-inbox/card-companies",
    );
    expect(notForwarding.status).toBe(403);

    const uploadByAssociation = await crefia.upload(
      cardRequestId,
      "card",
      cardFile(2, "Shop"),
    );
    expect(uploadByAssociation.status).toBe(403);

    const forwarded = await crefia.request(
      "POST",
      `${INBOX}/${cardRequestId}/forward`,
      { cardCompanyIds: [world.cardA.id] },
    );
    expect(forwarded.status).toBe(200);
    expect(((await forwarded.json()) as PartBody).state).toBe("forwarded");

    const parts = await itemsOf<PartBody>(await cardA.request("GET", INBOX));
    expect(parts.map((part) => part.requestId)).toEqual([cardRequestId]);
    const uploaded = await cardA.upload(
      cardRequestId,
      "card",
      cardFile(3, "Bakery"),
    );
    expect(uploaded.status).toBe(201);

    const details = (await (
      await world.seoul.request("GET", `/api/requests/${cardRequestId}`)
    ).json()) as { state: string };
    expect(details.state).toBe("answered");
  });

  it("lets an operator decline by hand", async () => {
    const checkinRequestId = await submitRequest(world.seoul, {
      ...locationRequestBody(caseId, [world.kt.id]),
      dataKinds: ["checkin"],
      legalBasis: "76-2(1)",
    });
    const declined = await kt.request(
      "POST",
      `${INBOX}/${checkinRequestId}/decline`,
      { reason: "Not our subscriber." },
    );
    expect(declined.status).toBe(200);
    expect(((await declined.json()) as PartBody).state).toBe("failed");

    const own = await notificationsOf(world.seoul);
    const declines = own.items.filter(
      (item) =>
        item.requestId === checkinRequestId &&
        item.kind === "request.part_declined",
    );
    expect(declines).toHaveLength(1);
    expect(declines[0]?.detail.providerName).toBe("KT");
  });
});
