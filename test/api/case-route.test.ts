import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadStays } from "../../src/investigation/index.js";
import {
  BUSAN,
  PLACES,
  seedRouteScenario,
  SEOUL,
  type RouteScenario,
} from "../support/route-scenario.js";
import {
  countAuditEvents,
  createOfficeUser,
  signIn,
  startTestSystem,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

interface RouteStayBody {
  id: string;
  source: string;
  sources: string[];
  startedAt: string;
  lastFixAt: string;
  finishedAt: string;
  latitude: number;
  radiusMeters: number;
  placeLabel: string;
  confidence: number;
  confidenceLevel: string;
  conflictsWith: string[];
}

interface RouteBody {
  caseId: string;
  stays: RouteStayBody[];
  dateOnlyStays: unknown[];
  moves: {
    fromStayId: string;
    toStayId: string;
    startedAt: string;
    endedAt: string;
    distanceMeters: number;
    noData: boolean;
  }[];
  excluded: { source: string; reason: string; recordedAt: string }[];
  timeSlots: {
    startsAt: string;
    status: string;
    stayId: string | null;
    placeLabel: string | null;
  }[];
}

interface ContactsBody {
  caseStays: { id: string }[];
  contacts: {
    person: { id: string; label: string; inJurisdiction: boolean };
    certainMinutes: number;
    possibleMinutes: number;
    pairs: { caseStay: { id: string }; proximityWeight: number }[];
  }[];
  possibleContacts: unknown[];
  dayLevelContacts: unknown[];
  belowMinimumCount: number;
}

/** Seoul wall-clock time "HH:MM" of an ISO instant on 2024-03-05. */
function seoulClock(iso: string): string {
  return new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(11, 16);
}

describe("case route on imported provider records", () => {
  let system: System;
  let world: RouteScenario;
  let seoul: ApiClient;
  let busan: ApiClient;

  beforeAll(async () => {
    system = await startTestSystem();
    world = await seedRouteScenario(system);
    await createOfficeUser(system, SEOUL, "seoul.investigator");
    await createOfficeUser(system, BUSAN, "busan.investigator");
    seoul = await signIn(system, "seoul.investigator");
    busan = await signIn(system, "busan.investigator");
  });

  afterAll(async () => {
    await system?.close();
  });

  function lastAuditEvent() {
    return system.store.db
      .selectFrom("audit_events")
      .selectAll()
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
  }

  async function getRoute(): Promise<RouteBody> {
    const response = await seoul.request(
      "GET",
      `/api/cases/${world.caseId}/route`,
    );
    expect(response.status).toBe(200);
    return (await response.json()) as RouteBody;
  }

  it("fuses the stays of every source", async () => {
    const body = await getRoute();
    const rows = body.stays.map((stay) => [
      stay.id,
      seoulClock(stay.startedAt),
      seoulClock(stay.lastFixAt),
      seoulClock(stay.finishedAt),
      stay.placeLabel,
      stay.radiusMeters,
      stay.sources.join("+"),
    ]);

    expect(body.caseId).toBe(world.caseId);
    expect(rows).toEqual([
      [
        "stay-1",
        "09:00",
        "10:07",
        "10:07",
        "base-station area",
        300,
        "base_station",
      ],
      [
        "stay-2",
        "10:07",
        "10:17",
        "10:17",
        PLACES.pharmacy,
        30,
        "base_station+card",
      ],
      [
        "stay-3",
        "10:17",
        "11:00",
        "11:30",
        "base-station area",
        300,
        "base_station",
      ],
      [
        "stay-4",
        "11:30",
        "12:00",
        "12:00",
        "base-station area",
        300,
        "base_station",
      ],
      [
        "stay-5",
        "12:00",
        "12:45",
        "12:45",
        PLACES.restaurant,
        30,
        "base_station+card+checkin",
      ],
      [
        "stay-6",
        "12:45",
        "13:30",
        "13:30",
        "base-station area",
        300,
        "base_station",
      ],
      ["stay-7", "13:00", "13:20", "13:20", PLACES.gallery, 30, "checkin"],
    ]);
    expect(body.dateOnlyStays).toEqual([]);
  });

  it("scores confidence and marks the conflict", async () => {
    const body = await getRoute();
    const byId = new Map(body.stays.map((stay) => [stay.id, stay]));

    expect(byId.get("stay-2")?.confidence).toBeCloseTo(0.76, 10);
    expect(byId.get("stay-5")?.confidence).toBeCloseTo(0.928, 10);
    expect(byId.get("stay-5")?.confidenceLevel).toBe("high");
    expect(byId.get("stay-6")?.conflictsWith).toEqual(["stay-7"]);
    expect(byId.get("stay-7")?.conflictsWith).toEqual(["stay-6"]);
    expect(byId.get("stay-6")?.confidence).toBeCloseTo(0.2, 10);
    expect(byId.get("stay-7")?.confidence).toBeCloseTo(0.35, 10);
    expect(byId.get("stay-1")?.conflictsWith).toEqual([]);
  });

  it("leaves the impossible record out", async () => {
    const body = await getRoute();

    expect(body.excluded).toHaveLength(1);
    expect(body.excluded[0]?.reason).toBe("speed_outlier");
    expect(seoulClock(body.excluded[0]!.recordedAt)).toBe("09:25");
    // The Busan record would put a stay near 35.1 degrees north.
    for (const stay of body.stays) {
      expect(stay.latitude).toBeGreaterThan(37.5);
    }
  });

  it("connects the stays by moves", async () => {
    const body = await getRoute();

    // Of the two stays in conflict, stay-6 ends later and continues the route.
    expect(body.moves.map((move) => [move.fromStayId, move.toStayId])).toEqual([
      ["stay-1", "stay-2"],
      ["stay-2", "stay-3"],
      ["stay-3", "stay-4"],
      ["stay-4", "stay-5"],
      ["stay-5", "stay-6"],
    ]);
  });

  it("fills the hourly time slots", async () => {
    const body = await getRoute();
    const slotAt = (clock: string) =>
      body.timeSlots.find((slot) => seoulClock(slot.startsAt) === clock);

    expect(body.timeSlots).toHaveLength(24);
    expect(slotAt("08:00")?.status).toBe("unknown");
    expect(slotAt("09:00")?.stayId).toBe("stay-1");
    expect(slotAt("10:00")?.stayId).toBe("stay-3");
    expect(slotAt("12:00")?.placeLabel).toBe(PLACES.restaurant);
    // 20 minutes at confidence 0.35 outweigh 30 minutes at 0.2.
    expect(slotAt("13:00")?.stayId).toBe("stay-7");
    expect(slotAt("14:00")?.status).toBe("unknown");
  });

  it("fills the slots of a set period", async () => {
    const response = await seoul.request(
      "GET",
      `/api/cases/${world.caseId}/route?from=2024-03-04&to=2024-03-06`,
    );
    const body = (await response.json()) as RouteBody;
    const first = body.timeSlots[0];
    const last = body.timeSlots.at(-1);

    expect(response.status).toBe(200);
    expect(body.timeSlots).toHaveLength(72);
    expect(first?.startsAt).toBe("2024-03-03T15:00:00.000Z");
    expect(first?.status).toBe("unknown");
    expect(last?.startsAt).toBe("2024-03-06T14:00:00.000Z");
    expect(
      body.timeSlots.find(
        (slot) => slot.startsAt === "2024-03-05T00:00:00.000Z",
      )?.stayId,
    ).toBe("stay-1");
  });

  it("rejects an invalid slot period", async () => {
    const url = `/api/cases/${world.caseId}/route`;
    const reversed = await seoul.request(
      "GET",
      `${url}?from=2024-03-06&to=2024-03-05`,
    );
    const tooLong = await seoul.request(
      "GET",
      `${url}?from=2024-01-01&to=2024-03-05`,
    );
    const longest = await seoul.request(
      "GET",
      `${url}?from=2024-01-04&to=2024-03-05`,
    );
    const alone = await seoul.request("GET", `${url}?from=2024-03-05`);
    const notDate = await seoul.request(
      "GET",
      `${url}?from=2024-02-30&to=2024-03-05`,
    );

    expect(reversed.status).toBe(400);
    expect(await reversed.text()).toContain(
      "from 2024-03-06 is after to 2024-03-05",
    );
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain("at most 62");
    expect(longest.status).toBe(200);
    expect(((await longest.json()) as RouteBody).timeSlots).toHaveLength(
      62 * 24,
    );
    expect(alone.status).toBe(400);
    expect(notDate.status).toBe(400);
  });

  it("hides a set period from another office", async () => {
    const response = await busan.request(
      "GET",
      `/api/cases/${world.caseId}/route?from=2024-03-04&to=2024-03-06`,
    );

    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("stay-1");
  });

  it("gives the store analyses the same stays", async () => {
    const route = await getRoute();
    const stays = await loadStays(system.store.db, {
      personIds: [world.personIds.case],
    });

    expect(stays.map((stay) => stay.id)).toEqual(
      route.stays.map((stay) => `${world.personIds.case}/${stay.id}`),
    );
    expect(stays.map((stay) => stay.startedAt)).toEqual(
      route.stays.map((stay) => Date.parse(stay.startedAt)),
    );
  });

  it("detects the stays of other persons' records", async () => {
    const stays = await loadStays(system.store.db, {
      personIds: [world.personIds.cellNeighbour],
    });

    // Four records at one cell from 09:00 to 10:30, then 9 km west.
    expect(stays).toHaveLength(2);
    expect(seoulClock(new Date(stays[0]!.startedAt!).toISOString())).toBe(
      "09:00",
    );
    expect(seoulClock(new Date(stays[0]!.lastFixAt!).toISOString())).toBe(
      "10:30",
    );
    expect(seoulClock(new Date(stays[0]!.finishedAt!).toISOString())).toBe(
      "11:00",
    );
    expect(stays[0]?.source).toBe("base_station");
  });

  it("finds contacts through the fused stays", async () => {
    const response = await seoul.request(
      "GET",
      `/api/cases/${world.caseId}/contacts`,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as ContactsBody;
    const contactOf = (personId: string) =>
      body.contacts.find((contact) => contact.person.id === personId);
    const caseStay = (id: string) => `${world.personIds.case}/${id}`;

    expect(body.contacts.map((contact) => contact.person.id).sort()).toEqual(
      [
        world.personIds.pharmacyVisitor,
        world.personIds.busanDiner,
        world.personIds.cellNeighbour,
      ].sort(),
    );
    expect(body.caseStays).toHaveLength(7);
    expect(body.possibleContacts).toEqual([]);
    expect(body.dayLevelContacts).toEqual([]);
    expect(body.belowMinimumCount).toBe(0);

    // Checked in at the pharmacy from 10:00 to 10:30: inside the cell, at
    // the payment, and in the cell again.
    const visitor = contactOf(world.personIds.pharmacyVisitor);
    expect(visitor?.certainMinutes).toBe(30);
    expect(visitor?.pairs.map((pair) => pair.caseStay.id)).toEqual([
      caseStay("stay-1"),
      caseStay("stay-2"),
      caseStay("stay-3"),
    ]);

    const diner = contactOf(world.personIds.busanDiner);
    expect(diner?.certainMinutes).toBe(30);
    expect(diner?.pairs.map((pair) => pair.caseStay.id)).toEqual([
      caseStay("stay-5"),
    ]);

    // A base-station stay of its own from 09:00 to 10:30, possibly 11:00.
    const neighbour = contactOf(world.personIds.cellNeighbour);
    expect(neighbour?.certainMinutes).toBe(90);
    expect(neighbour?.possibleMinutes).toBe(30);
    expect(neighbour?.pairs[0]?.proximityWeight).toBe(0.05);
  });

  it("labels a contact of another office opaquely", async () => {
    const response = await seoul.request(
      "GET",
      `/api/cases/${world.caseId}/contacts`,
    );
    const text = await response.text();
    const body = JSON.parse(text) as ContactsBody;
    const diner = body.contacts.find(
      (contact) => contact.person.id === world.personIds.busanDiner,
    );

    expect(diner?.person.inJurisdiction).toBe(false);
    expect(diner?.person.label).toBe(
      `outside jurisdiction ${world.personIds.busanDiner.slice(0, 8)}`,
    );
    expect(text).not.toContain("ROUTE-B1");
    expect(text).not.toContain(world.busanCaseId);
  });

  it("hides the route from another office", async () => {
    const response = await busan.request(
      "GET",
      `/api/cases/${world.caseId}/route`,
    );
    const text = await response.text();

    expect(response.status).toBe(404);
    expect(text).not.toContain(PLACES.pharmacy);
    expect(text).not.toContain("stay-1");
  });

  it("marks the scenario's moves as moves", async () => {
    const body = await getRoute();

    for (const move of body.moves) {
      expect(move.noData).toBe(false);
    }
  });

  it("shows a long empty interval as no data", async () => {
    const created = await seoul.request("POST", "/api/cases", {
      caseNumber: "GAP-1",
      person: {},
    });
    const caseId = ((await created.json()) as { id: string }).id;
    const visits = [
      ["집", 37.5665, 126.978, "09:00", "10:00"],
      ["사무실", 37.5172, 127.0473, "18:00", "19:00"],
      ["식당", 37.5145, 127.0592, "19:30", "20:30"],
    ] as const;
    for (const [placeName, latitude, longitude, from, to] of visits) {
      const response = await seoul.request(
        "POST",
        `/api/cases/${caseId}/visits`,
        {
          placeName,
          latitude,
          longitude,
          startedAt: `2024-03-07T${from}:00+09:00`,
          endedAt: `2024-03-07T${to}:00+09:00`,
        },
      );
      expect(response.status).toBe(201);
    }

    const response = await seoul.request("GET", `/api/cases/${caseId}/route`);
    const body = (await response.json()) as RouteBody;
    const [gap, move] = body.moves;
    const slotAt = (clock: string) =>
      body.timeSlots.find((slot) => seoulClock(slot.startsAt) === clock);

    expect(response.status).toBe(200);
    expect(body.moves).toHaveLength(2);
    expect(gap?.noData).toBe(true);
    expect(seoulClock(gap?.startedAt ?? "")).toBe("10:00");
    expect(seoulClock(gap?.endedAt ?? "")).toBe("18:00");
    expect(gap?.distanceMeters).toBeGreaterThan(5000);
    expect(move?.noData).toBe(false);
    expect(slotAt("13:00")?.status).toBe("unknown");

    const outside = await busan.request("GET", `/api/cases/${caseId}/route`);
    expect(outside.status).toBe(404);
  });

  it("writes one audit event per view", async () => {
    const before = await countAuditEvents(system);
    await getRoute();
    const last = await lastAuditEvent();

    expect(await countAuditEvents(system)).toBe(before + 1);
    expect(last.action).toBe("movement.view");
    expect(last.result).toBe("allowed");
    expect(last.case_id).toBe(world.caseId);
  });

  it("audits the slot period", async () => {
    const before = await countAuditEvents(system);
    await seoul.request(
      "GET",
      `/api/cases/${world.caseId}/route?from=2024-03-04&to=2024-03-06`,
    );
    const last = await lastAuditEvent();

    expect(await countAuditEvents(system)).toBe(before + 1);
    expect(JSON.parse(last.detail)).toMatchObject({
      slotsFrom: "2024-03-04",
      slotsTo: "2024-03-06",
    });
  });
});
