import fs from "node:fs";
import os from "node:os";
import path from "node:path";

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
  submitRequest,
  type ProviderClient,
  type RequestWorld,
  type System,
} from "./fixtures.js";
import {
  personIdOfCase,
  runProviderCommand,
  writeProviderKeyFile,
} from "../support/provider-cli.js";
import { startTestSystem } from "../support/system.js";

interface RequestBody {
  id: string;
  state: string;
  overdue: boolean;
  parts: { id: string; state: string; provider: { name: string } }[];
  uploads: { uploadId: string; state: string; recordCount: number }[];
  transitions: {
    partId: string | null;
    from: string | null;
    to: string;
    by: string;
  }[];
}

interface PartBody {
  requestId: string;
  partId: string;
  state: string;
  dataKinds: string[];
  identifier: { kind: string; value: string };
  window: { startDate: string; endDate: string };
}

interface ReceiptBody {
  uploadId: string;
  requestId: string;
  recordCount: number;
  sha256: string;
  receivedAt: string;
}

describe("data request flow", () => {
  let system: System;
  let world: RequestWorld;
  let caseId: string;
  let personId: string;
  let workDir: string;
  let sktKeyFile: string;
  let crefia: ProviderClient;
  let cardA: ProviderClient;
  let cardB: ProviderClient;
  let locationRequestId: string;
  let cardRequestId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    world = await createRequestWorld(system);
    caseId = await createCase(world.seoul, "S-2001", "홍길동");
    personId = await personIdOfCase(system, caseId);

    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-provider-"));
    sktKeyFile = path.join(workDir, "skt.key");
    await writeProviderKeyFile(world.admin, world.skt.id, sktKeyFile);
    crefia = providerClient(
      system,
      (await createKey(world.admin, world.crefia.id)).secret,
    );
    cardA = providerClient(
      system,
      (await createKey(world.admin, world.cardA.id)).secret,
    );
    cardB = providerClient(
      system,
      (await createKey(world.admin, world.cardB.id)).secret,
    );
  });

  afterAll(async () => {
    await system.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("sends a location request to the police first", async () => {
    locationRequestId = await submitRequest(
      world.seoul,
      locationRequestBody(caseId, [world.skt.id]),
    );
    const response = await world.seoul.request(
      "GET",
      `/api/requests/${locationRequestId}`,
    );
    const body = (await response.json()) as RequestBody;

    expect(body.state).toBe("awaiting_police_approval");
    expect(body.parts).toEqual([]);
    expect(body.transitions.map((t) => t.to)).toEqual([
      "draft",
      "submitted",
      "awaiting_police_approval",
    ]);
    expect(body.transitions.map((t) => t.by)).toEqual([
      "seoul.investigator",
      "seoul.investigator",
      "system",
    ]);
  });

  it("sends a card request to the card association at once", async () => {
    cardRequestId = await submitRequest(world.seoul, cardRequestBody(caseId));
    const response = await world.seoul.request(
      "GET",
      `/api/requests/${cardRequestId}`,
    );
    const body = (await response.json()) as RequestBody;

    expect(body.state).toBe("sent_to_providers");
    expect(body.parts.map((p) => [p.provider.name, p.state])).toEqual([
      ["Credit Finance Association", "sent"],
    ]);
  });

  it("lets the police approve the location request", async () => {
    const listed = await world.police.request("GET", "/api/location-approvals");
    const list = (await listed.json()) as {
      items: { id: string; phoneNumber: string }[];
    };
    expect(list.items.map((item) => item.id)).toEqual([locationRequestId]);
    expect(list.items[0]?.phoneNumber).toBe("010-****-5678");
    expect(JSON.stringify(list)).not.toContain("01012345678");
    expect(JSON.stringify(list)).not.toContain("홍길동");
    expect(JSON.stringify(list)).not.toContain("S-2001");

    const approved = await world.police.request(
      "POST",
      `/api/location-approvals/${locationRequestId}/approve`,
      { reason: "Legal basis and window checked." },
    );
    const body = (await approved.json()) as RequestBody;
    expect(approved.status).toBe(200);
    expect(body.state).toBe("sent_to_providers");
    expect(body.parts.map((p) => [p.provider.name, p.state])).toEqual([
      ["SK Telecom", "sent"],
    ]);
    expect(body.transitions.slice(-3).map((t) => [t.to, t.by])).toEqual([
      ["approved", "police.approver"],
      ["sent_to_providers", "system"],
      ["sent", "system"],
    ]);
  });

  it("lets the operator pull its part with the CLI", async () => {
    const printed = await runProviderCommand([
      "provider",
      "pull",
      "--url",
      system.url,
      "--key-file",
      sktKeyFile,
    ]);
    const lines = printed.trim().split("\n");
    const part = JSON.parse(lines[0] ?? "{}") as PartBody;

    expect(lines).toHaveLength(1);
    expect(part.requestId).toBe(locationRequestId);
    expect(part.dataKinds).toEqual(["base_station"]);
    expect(part.identifier).toEqual({
      kind: "phone_number",
      value: "01012345678",
    });
    expect(printed).not.toContain("홍길동");
    expect(printed).not.toContain(caseId);
    expect(printed).not.toContain("S-2001");
    expect(printed).not.toContain("infectious");
  });

  it("lets the operator upload its answer with the CLI", async () => {
    const file = path.join(workDir, "skt-answer.csv");
    fs.writeFileSync(file, baseStationFile(12));
    const args = [
      "provider",
      "upload",
      "--url",
      system.url,
      "--key-file",
      sktKeyFile,
      "--request",
      locationRequestId,
      "--kind",
      "base_station",
      file,
    ];
    const receipt = JSON.parse(await runProviderCommand(args)) as ReceiptBody;
    const repeated = JSON.parse(await runProviderCommand(args)) as ReceiptBody;

    expect(receipt.requestId).toBe(locationRequestId);
    expect(receipt.recordCount).toBe(12);
    expect(receipt.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(repeated).toEqual(receipt);

    const response = await world.seoul.request(
      "GET",
      `/api/requests/${locationRequestId}`,
    );
    const body = (await response.json()) as RequestBody;
    expect(body.state).toBe("answered");
    expect(body.uploads.map((u) => [u.uploadId, u.state])).toEqual([
      [receipt.uploadId, "received"],
    ]);
  });

  it("lets the card association forward to card companies", async () => {
    const pulled = await crefia.request("GET", "/api/provider/requests");
    const parts = ((await pulled.json()) as { items: PartBody[] }).items;
    expect(parts.map((p) => p.requestId)).toEqual([cardRequestId]);
    expect(parts[0]?.identifier).toEqual({
      kind: "card_holder",
      value: "HOLDER-7781",
    });

    const forwarded = await crefia.request(
      "POST",
      `/api/provider/requests/${cardRequestId}/forward`,
      {},
    );
    expect(forwarded.status).toBe(200);
    expect(((await forwarded.json()) as PartBody).state).toBe("forwarded");

    for (const company of [cardA, cardB]) {
      const response = await company.request("GET", "/api/provider/requests");
      const items = ((await response.json()) as { items: PartBody[] }).items;
      expect(items.map((p) => [p.requestId, p.dataKinds])).toEqual([
        [cardRequestId, ["card"]],
      ]);
    }
  });

  it("answers the card request once both companies upload", async () => {
    const first = await cardA.upload(
      cardRequestId,
      "card",
      cardFile(3, "Cafe"),
    );
    expect(first.status).toBe(201);
    const partly = await world.seoul.request(
      "GET",
      `/api/requests/${cardRequestId}`,
    );
    expect(((await partly.json()) as RequestBody).state).toBe(
      "partly_answered",
    );

    const second = await cardB.upload(
      cardRequestId,
      "card",
      cardFile(2, "Pharmacy"),
    );
    expect(second.status).toBe(201);
    const done = await world.seoul.request(
      "GET",
      `/api/requests/${cardRequestId}`,
    );
    const body = (await done.json()) as RequestBody;
    expect(body.state).toBe("answered");
    expect(body.uploads.map((u) => u.recordCount).sort()).toEqual([2, 3]);
  });

  it("keeps each uploaded file under its upload id", async () => {
    const uploads = await system.store.db
      .selectFrom("data_request_uploads")
      .selectAll()
      .execute();

    expect(uploads).toHaveLength(3);
    for (const upload of uploads) {
      const stored = path.join(
        system.dataDir,
        "provider-uploads",
        upload.stored_file,
      );
      expect(fs.existsSync(stored), upload.id).toBe(true);
    }
  });

  it("stores the answered records for the case's person", async () => {
    const records = await system.store.db
      .selectFrom("location_records_all")
      .select(["source_kind", "case_id"])
      .where("person_id", "=", personId)
      .execute();

    expect(
      records.filter((r) => r.source_kind === "base_station"),
    ).toHaveLength(12);
    expect(records.filter((r) => r.source_kind === "card")).toHaveLength(5);
    expect(records.every((r) => r.case_id === caseId)).toBe(true);
    const placeholders = await system.store.db
      .selectFrom("persons")
      .select("id")
      .where("source", "=", "provider")
      .execute();
    expect(placeholders).toEqual([]);
  });

  it("audits transitions, pulls and uploads", async () => {
    const events = await system.store.db
      .selectFrom("audit_events")
      .select(["action", "result", "person_id"])
      .execute();
    const count = (action: string) =>
      events.filter((e) => e.action === action).length;

    expect(count("request.transition")).toBeGreaterThanOrEqual(14);
    expect(count("provider.pull")).toBeGreaterThanOrEqual(4);
    expect(count("provider.upload")).toBe(4);
    expect(count("provider.forward")).toBe(1);
    expect(count("request.approve")).toBe(1);
    const uploads = events.filter((e) => e.action === "provider.upload");
    expect(uploads.every((e) => e.person_id === personId)).toBe(true);
  });
});
