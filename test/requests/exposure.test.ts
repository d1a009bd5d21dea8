import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readRequestSettings } from "../../src/requests/index.js";
import {
  createCase,
  createKey,
  createRequestWorld,
  providerClient,
  seoulDateFromToday,
  type ProviderClient,
  type RequestWorld,
  type System,
} from "./fixtures.js";
import { startTestSystem } from "../support/system.js";

interface ExposureRequestBody {
  id: string;
  state: string;
  phoneNumber: string | null;
  exposurePlace: {
    latitude: number;
    longitude: number;
    radiusMeters: number;
    minDwellMinutes: number;
  } | null;
}

interface SubscriberBody {
  id: string;
  phoneNumber: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  expiresAt: string;
  linkedPersonId: string | null;
}

const PLACE = { latitude: 37.5636, longitude: 126.9869 };

/** Builds a subscriber list in the exposure template from rows of [phone, first seen, last seen]. */
function subscriberList(rows: readonly (readonly string[])[]): string {
  const lines = ["phone_number,first_seen_at,last_seen_at"];
  for (const row of rows) lines.push(row.join(","));
  return `${lines.join("\n")}\n`;
}

/** Returns an instant on the Seoul day `days` from today at `time` (HH:MM), with its zone. */
function seoulInstant(days: number, time: string): string {
  return `${seoulDateFromToday(days)}T${time}:00+09:00`;
}

function exposureRequestBody(
  caseId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    caseId,
    dataKinds: ["base_station"],
    windowStartDate: seoulDateFromToday(-3),
    windowEndDate: seoulDateFromToday(-1),
    purpose: "Find the people present at the restaurant with the case.",
    legalBasis: "76-2(2)",
    exposurePlace: PLACE,
    ...overrides,
  };
}

describe("exposure requests", () => {
  let system: System;
  let world: RequestWorld;
  let caseId: string;
  let requestId: string;
  let skt: ProviderClient;
  let kt: ProviderClient;
  let subscribers: SubscriberBody[];

  beforeAll(async () => {
    system = await startTestSystem();
    world = await createRequestWorld(system);
    caseId = await createCase(world.seoul, "E-4001", "박민수");
    skt = providerClient(
      system,
      (await createKey(world.admin, world.skt.id)).secret,
    );
    kt = providerClient(
      system,
      (await createKey(world.admin, world.kt.id)).secret,
    );
  });

  afterAll(async () => {
    await system.close();
  });

  it("fills the place defaults from the settings", () => {
    const defaults = readRequestSettings({});
    const custom = readRequestSettings({
      EPITRACE_EXPOSURE_DEFAULT_RADIUS_METERS: "250",
      EPITRACE_EXPOSURE_MIN_DWELL_MINUTES: "15",
      EPITRACE_EXPOSURE_LIST_RETENTION_DAYS: "7",
    });

    expect(defaults.exposureDefaultRadiusMeters).toBe(100);
    expect(defaults.exposureMinDwellMinutes).toBe(30);
    expect(defaults.exposureListRetentionDays).toBe(14);
    expect(custom.exposureDefaultRadiusMeters).toBe(250);
    expect(custom.exposureMinDwellMinutes).toBe(15);
    expect(custom.exposureListRetentionDays).toBe(7);
  });

  it("rejects invalid exposure requests", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["phone", { phoneNumber: "010-1234-5678" }, "Unexpected phoneNumber"],
      ["card", { dataKinds: ["card"], legalBasis: "76-2(1)" }, "dataKinds"],
      [
        "radius",
        { exposurePlace: { ...PLACE, radiusMeters: 5000 } },
        "radiusMeters",
      ],
    ];
    for (const [name, overrides, message] of cases) {
      const response = await world.seoul.request(
        "POST",
        "/api/requests",
        exposureRequestBody(caseId, overrides),
      );
      expect(response.status, name).toBe(400);
      expect(await response.text(), name).toContain(message);
    }
  });

  it("goes to the police first", async () => {
    const created = await world.seoul.request(
      "POST",
      "/api/requests",
      exposureRequestBody(caseId, { providerOrganisationIds: [world.skt.id] }),
    );
    const body = (await created.json()) as ExposureRequestBody;
    expect(created.status).toBe(201);
    expect(body.phoneNumber).toBeNull();
    expect(body.exposurePlace).toEqual({
      ...PLACE,
      radiusMeters: 100,
      minDwellMinutes: 30,
    });
    requestId = body.id;

    const submitted = await world.seoul.request(
      "POST",
      `/api/requests/${requestId}/submit`,
    );
    expect(((await submitted.json()) as ExposureRequestBody).state).toBe(
      "awaiting_police_approval",
    );

    const approval = await world.police.request(
      "GET",
      `/api/location-approvals/${requestId}`,
    );
    const seen = (await approval.json()) as ExposureRequestBody;
    expect(seen.exposurePlace?.radiusMeters).toBe(100);
    const approved = await world.police.request(
      "POST",
      `/api/location-approvals/${requestId}/approve`,
      {},
    );
    expect(((await approved.json()) as ExposureRequestBody).state).toBe(
      "sent_to_providers",
    );
  });

  it("shows the operator the place", async () => {
    const pulled = await skt.request("GET", "/api/provider/requests");
    const items = (
      (await pulled.json()) as {
        items: {
          requestId: string;
          identifier: { value: string | null };
          exposurePlace: unknown;
        }[];
      }
    ).items;
    const part = items.find((item) => item.requestId === requestId);
    expect(part?.identifier.value).toBeNull();
    expect(part?.exposurePlace).toEqual({
      ...PLACE,
      radiusMeters: 100,
      minDwellMinutes: 30,
    });

    const other = await kt.request(
      "GET",
      `/api/provider/requests/${requestId}`,
    );
    expect(other.status).toBe(404);
  });

  it("rejects an invalid subscriber list whole", async () => {
    const file = subscriberList([
      ["010-1111-2222", seoulInstant(-2, "12:00"), seoulInstant(-2, "13:00")],
      ["02-123-4567", seoulInstant(-2, "12:00"), seoulInstant(-2, "13:00")],
      ["010-3333-4444", seoulInstant(-2, "12:00"), seoulInstant(-2, "12:10")],
      ["010-5555-6666", seoulInstant(-9, "12:00"), seoulInstant(-9, "13:00")],
    ]);
    const response = await skt.upload(requestId, "base_station", file);
    const message = await response.text();

    expect(response.status).toBe(400);
    expect(message).toContain("row 3, field phone_number");
    expect(message).toContain("02-123-4567");
    expect(message).toContain("row 4, field last_seen_at");
    expect(message).toContain("minimum dwell of 30 minutes");
    expect(message).toContain("row 5, field first_seen_at");
    const stored = await system.store.db
      .selectFrom("exposure_subscribers")
      .select("id")
      .execute();
    expect(stored).toEqual([]);
  });

  it("stores the listed subscribers", async () => {
    const file = subscriberList([
      ["010-1111-2222", seoulInstant(-2, "12:00"), seoulInstant(-2, "13:00")],
      [
        "+82 10 7777 8888",
        seoulInstant(-2, "12:20"),
        seoulInstant(-2, "14:00"),
      ],
      ["010-9999-0000", seoulInstant(-1, "19:00"), seoulInstant(-1, "20:30")],
    ]);
    const refused = await kt.upload(requestId, "base_station", file);
    expect(refused.status).toBe(404);

    const response = await skt.upload(requestId, "base_station", file);
    const receipt = (await response.json()) as { recordCount: number };
    expect(response.status).toBe(201);
    expect(receipt.recordCount).toBe(3);

    const stored = await system.store.db
      .selectFrom("exposure_subscribers")
      .select("phone_number")
      .execute();
    expect(stored).toHaveLength(3);
    expect(stored.every((row) => !row.phone_number?.includes("0101111"))).toBe(
      true,
    );

    const request = await world.seoul.request(
      "GET",
      `/api/requests/${requestId}`,
    );
    expect(((await request.json()) as ExposureRequestBody).state).toBe(
      "answered",
    );
  });

  it("lists subscribers to the requesting office only", async () => {
    const response = await world.seoul.request(
      "GET",
      `/api/requests/${requestId}/exposure-subscribers`,
    );
    subscribers = ((await response.json()) as { items: SubscriberBody[] })
      .items;
    expect(response.status).toBe(200);
    expect(subscribers.map((s) => s.phoneNumber)).toEqual([
      "01011112222",
      "01077778888",
      "01099990000",
    ]);
    expect(subscribers.every((s) => s.linkedPersonId === null)).toBe(true);

    const outside = await world.busan.request(
      "GET",
      `/api/requests/${requestId}/exposure-subscribers`,
    );
    expect(outside.status).toBe(404);
    expect(await outside.text()).not.toContain("01011112222");
    const police = await world.police.request(
      "GET",
      `/api/requests/${requestId}/exposure-subscribers`,
    );
    expect(police.status).toBe(403);
  });

  it("links a subscriber as a person", async () => {
    const first = subscribers[0];
    const url = `/api/requests/${requestId}/exposure-subscribers/${first?.id}/link`;
    const linked = await world.seoul.request("POST", url);
    const again = await world.seoul.request("POST", url);
    const body = (await linked.json()) as SubscriberBody;
    const repeated = (await again.json()) as SubscriberBody;

    expect(linked.status).toBe(200);
    expect(body.linkedPersonId).not.toBeNull();
    expect(repeated.linkedPersonId).toBe(body.linkedPersonId);
    const person = await system.store.db
      .selectFrom("persons")
      .select(["source", "key_case_id"])
      .where("id", "=", body.linkedPersonId ?? "")
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ source: "exposure_request", key_case_id: caseId });

    const outside = await world.busan.request("POST", url);
    expect(outside.status).toBe(404);
  });

  it("destroys the list at its expiry", async () => {
    // The list's expiry is moved into the past in place of waiting 14 days.
    await system.store.db
      .updateTable("exposure_subscribers")
      .set({ expires_at: Date.now() - 1000 })
      .execute();
    const response = await world.seoul.request(
      "GET",
      `/api/requests/${requestId}/exposure-subscribers`,
    );
    const items = ((await response.json()) as { items: SubscriberBody[] })
      .items;

    expect(items).toHaveLength(1);
    expect(items[0]?.linkedPersonId).not.toBeNull();
    expect(items[0]?.phoneNumber).toBeNull();
    const stored = await system.store.db
      .selectFrom("exposure_subscribers")
      .select(["phone_number"])
      .execute();
    expect(stored).toEqual([{ phone_number: null }]);

    const late = await world.seoul.request(
      "POST",
      `/api/requests/${requestId}/exposure-subscribers/${subscribers[1]?.id}/link`,
    );
    expect(late.status).toBe(404);
  });

  it("audits list views and links", async () => {
    const events = await system.store.db
      .selectFrom("audit_events")
      .select(["action", "result", "detail", "purpose"])
      .where("action", "in", ["request.view", "request.review_upload"])
      .execute();
    const about = events.filter(
      (event) =>
        event.detail.includes(requestId) ||
        (event.purpose ?? "").includes(requestId),
    );
    const outcomes = about.map((event) => `${event.action} ${event.result}`);

    expect(outcomes).toContain("request.view allowed");
    expect(outcomes).toContain("request.view denied");
    expect(outcomes).toContain("request.review_upload allowed");
    expect(about.every((event) => !event.detail.includes("0101111"))).toBe(
      true,
    );
  });
});
