import { randomUUID } from "node:crypto";
import path from "node:path";

import { latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createOrganisation,
  ensureProvinceHealthOffice,
} from "../../src/accounts/organisations.js";
import {
  offsetPosition,
  TEST_ORIGIN,
} from "../../src/analysis/stays/testing.js";
import { importBoundaries } from "../../src/ingest/boundaries/index.js";
import { importDs4c } from "../../src/ingest/ds4c/index.js";
import type { Database, SourceKind } from "../../src/store/index.js";
import {
  countAuditEvents,
  createAccount,
  createOfficeUser,
  REPO_ROOT,
  signIn,
  startTestSystem,
  type ApiClient,
} from "../support/system.js";
import type { Kysely } from "kysely";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const SEOUL = "11";
const BUSAN = "21";
const DS4C_DIR = path.resolve(
  REPO_ROOT,
  "../shared/data/korea-covid/ds4c-20200601",
);
const BOUNDARIES_DIR = path.resolve(
  REPO_ROOT,
  "../shared/data/korea-boundaries/kostat-2018",
);
/** KOSTAT codes of the gu of the scenario: the origin and 500 m east lie in Jung-gu, 2 to 5 km north in Jongno-gu. */
const JUNG_GU = "11020";
const JONGNO_GU = "11010";

/** Minutes after 2020-03-02 00:00 in Seoul. */
const MARCH_2 = Date.parse("2020-03-02T00:00:00+09:00");
const MINUTE = 60_000;

/** Values of the Busan case that no Seoul caller may see. */
const BUSAN_SECRETS = ["김철수", "B-1"];

/**
 * The seeded scenario. The index case S-1 has its onset on 2020-03-03 and
 * is isolated on 2020-03-05, so it is infectious from 2020-03-01 00:00 to
 * 2020-03-06 00:00 in Seoul. On 2020-03-02 it stays at the origin from
 * 10:00 to 11:00, possibly until 11:20, then 500 m east from 14:00 to
 * 15:00. On 2020-03-04 it visits a place 2 km north, known only to the day
 * and so given the default radius of 100 m.
 */
interface Scenario {
  seoulOfficeId: string;
  busanOfficeId: string;
  caseIds: Record<"s1" | "s2" | "s3" | "s4" | "s9" | "b1", string>;
  personIds: Record<
    "p0" | "a" | "b" | "e" | "f" | "g" | "i" | "d" | "h" | "z",
    string
  >;
  stayIds: Record<"c1" | "c2" | "a1" | "b1" | "i1" | "g1", string>;
  recordIds: Record<"p0Visit" | "eVisit", string>;
}

describe("analysis API on a seeded scenario", () => {
  let system: System;
  let world: Scenario;
  let seoul: ApiClient;
  let busan: ApiClient;
  let national: ApiClient;
  let police: ApiClient;
  let provider: ApiClient;
  let auditor: ApiClient;

  beforeAll(async () => {
    system = await startTestSystem();
    world = await seedScenario(system.store.db);
    await importBoundaries(system.store, [
      path.join(BOUNDARIES_DIR, "skorea-provinces-2018-topo-simple.json"),
      path.join(BOUNDARIES_DIR, "skorea-municipalities-2018-topo-simple.json"),
    ]);
    await createOfficeUser(system, SEOUL, "seoul.investigator");
    await createOfficeUser(system, BUSAN, "busan.investigator");
    const agency = await createOrganisation(system.store.db, {
      name: "National agency",
      kind: "national_agency",
    });
    await createAccount(system, {
      organisationId: agency.id,
      username: "national.investigator",
      role: "investigator",
    });
    const policeAgency = await createOrganisation(system.store.db, {
      name: "Seoul police",
      kind: "police",
    });
    await createAccount(system, {
      organisationId: policeAgency.id,
      username: "police.approver",
      role: "police_approver",
    });
    const telecom = await createOrganisation(system.store.db, {
      name: "Telecom operator",
      kind: "telecom_operator",
    });
    await createAccount(system, {
      organisationId: telecom.id,
      username: "telecom.provider",
      role: "provider",
    });
    const auditOffice = await createOrganisation(system.store.db, {
      name: "Audit office",
      kind: "audit_office",
    });
    await createAccount(system, {
      organisationId: auditOffice.id,
      username: "audit.reviewer",
      role: "auditor",
    });
    seoul = await signIn(system, "seoul.investigator");
    busan = await signIn(system, "busan.investigator");
    national = await signIn(system, "national.investigator");
    police = await signIn(system, "police.approver");
    provider = await signIn(system, "telecom.provider");
    auditor = await signIn(system, "audit.reviewer");
  });

  afterAll(async () => {
    await system?.close();
  });

  describe("contacts of a case", () => {
    it("lists the exact contacts", async () => {
      const body = await getJson<ContactsBody>(
        seoul,
        `/api/cases/${world.caseIds.s1}/contacts`,
      );

      expect(body.infectiousPeriod).toEqual({
        startsAt: "2020-02-29T15:00:00.000Z",
        endsAt: "2020-03-05T15:00:00.000Z",
        referenceDate: "2020-03-03",
        anchor: "symptom_onset",
        isSetByCaller: false,
      });
      expect(body.contacts.map((c) => c.person.id)).toEqual([
        world.personIds.i,
        world.personIds.a,
        world.personIds.b,
      ]);
      expect(body.possibleContacts.map((c) => c.person.id)).toEqual([
        world.personIds.g,
      ]);
      expect(body.dayLevelContacts.map((c) => c.person.id)).toEqual([
        world.personIds.e,
      ]);
      expect(body.belowMinimumCount).toBe(1);
      expect(body.caseStays.map((stay) => stay.id).sort()).toEqual(
        [world.stayIds.c1, world.stayIds.c2, world.recordIds.p0Visit].sort(),
      );
    });

    it("scores and explains a contact", async () => {
      const body = await getJson<ContactsBody>(
        seoul,
        `/api/cases/${world.caseIds.s1}/contacts`,
      );
      const a = body.contacts.find((c) => c.person.id === world.personIds.a);

      expect(a?.group).toBe("contact");
      expect(a?.certainMinutes).toBe(30);
      expect(a?.possibleMinutes).toBe(20);
      expect(a?.score).toBe(30);
      expect(a?.possibleScore).toBe(20);
      expect(a?.firstOverlapAt).toBe("2020-03-02T01:30:00.000Z");
      expect(a?.lastOverlapAt).toBe("2020-03-02T02:20:00.000Z");
      expect(a?.person.label).toBe("Subject A");
      expect(a?.person.inJurisdiction).toBe(true);
      expect(a?.person.case).toEqual({
        id: world.caseIds.s2,
        caseNumber: "S-2",
      });
      expect(a?.pairs).toHaveLength(1);
      const pair = a?.pairs[0];
      expect(pair?.caseStay.id).toBe(world.stayIds.c1);
      expect(pair?.caseStay.startedAt).toBe("2020-03-02T01:00:00.000Z");
      expect(pair?.contactStay?.id).toBe(world.stayIds.a1);
      expect(pair?.contactStay?.finishedAt).toBe("2020-03-02T02:30:00.000Z");
      expect(pair?.certainMinutes).toBe(30);
      expect(pair?.possibleMinutes).toBe(20);
      expect(pair?.proximityWeight).toBe(1);
      expect(pair?.distanceMeters).toBeCloseTo(3, 3);
      expect(pair?.overlapStartsAt).toBe("2020-03-02T01:30:00.000Z");
      expect(pair?.overlapEndsAt).toBe("2020-03-02T02:20:00.000Z");
    });

    it("scores the other groups", async () => {
      const body = await getJson<ContactsBody>(
        seoul,
        `/api/cases/${world.caseIds.s1}/contacts`,
      );
      const [i, , b] = body.contacts;
      const g = body.possibleContacts[0];
      const e = body.dayLevelContacts[0];

      expect(i?.certainMinutes).toBe(40);
      expect(i?.score).toBe(40);
      expect(b?.certainMinutes).toBe(30);
      // The Busan stay's radius of 20 m falls in the 0.5 proximity bucket.
      expect(b?.score).toBe(15);
      expect(g?.group).toBe("possible");
      expect(g?.certainMinutes).toBe(10);
      expect(g?.possibleMinutes).toBe(20);
      expect(e?.group).toBe("day_level");
      expect(e?.score).toBeNull();
      expect(e?.dates).toEqual(["2020-03-04"]);
      expect(e?.dayLevelPairs[0]?.caseStay.id).toBe(world.recordIds.p0Visit);
      expect(e?.dayLevelPairs[0]?.contactStay?.id).toBe(world.recordIds.eVisit);
      expect(e?.dayLevelPairs[0]?.contactStay?.radiusMeters).toBe(100);
      expect(e?.dayLevelPairs[0]?.distanceMeters).toBeCloseTo(150, 3);
    });

    it("shows a foreign contact by opaque label only", async () => {
      const response = await seoul.request(
        "GET",
        `/api/cases/${world.caseIds.s1}/contacts`,
      );
      const text = await response.text();
      const body = JSON.parse(text) as ContactsBody;
      const b = body.contacts.find((c) => c.person.id === world.personIds.b);

      expect(b?.person.label).toBe(
        `outside jurisdiction ${world.personIds.b.slice(0, 8)}`,
      );
      expect(text).not.toContain("Contact 7");
      expect(b?.person.inJurisdiction).toBe(false);
      expect(b?.person.case).toBeNull();
      expect(b?.sources).toBeNull();
      expect(b?.pairs[0]?.contactStay).toBeNull();
      expect(b?.pairs[0]?.caseStay.id).toBe(world.stayIds.c2);
      expect(text).not.toContain(world.stayIds.b1);
      for (const secret of BUSAN_SECRETS) {
        expect(text, secret).not.toContain(secret);
      }
    });

    it("shows a person without a case by label only", async () => {
      const body = await getJson<ContactsBody>(
        seoul,
        `/api/cases/${world.caseIds.s1}/contacts`,
      );
      const i = body.contacts.find((c) => c.person.id === world.personIds.i);

      expect(i?.person.label).toBe("Subject I");
      expect(i?.person.inJurisdiction).toBe(false);
      expect(i?.pairs[0]?.contactStay).toBeNull();
    });

    it("shows every contact to the national agency", async () => {
      const body = await getJson<ContactsBody>(
        national,
        `/api/cases/${world.caseIds.s1}/contacts`,
      );
      const b = body.contacts.find((c) => c.person.id === world.personIds.b);
      const i = body.contacts.find((c) => c.person.id === world.personIds.i);

      expect(b?.person.inJurisdiction).toBe(true);
      expect(b?.person.case?.caseNumber).toBe("B-1");
      expect(b?.pairs[0]?.contactStay?.id).toBe(world.stayIds.b1);
      expect(i?.person.inJurisdiction).toBe(true);
    });

    it("uses an infectious period set in the request", async () => {
      const from = encodeURIComponent("2020-03-02T14:00:00+09:00");
      const to = encodeURIComponent("2020-03-02T16:00:00+09:00");
      const body = await getJson<ContactsBody>(
        seoul,
        `/api/cases/${world.caseIds.s1}/contacts?from=${from}&to=${to}`,
      );

      expect(body.infectiousPeriod.isSetByCaller).toBe(true);
      expect(body.infectiousPeriod.startsAt).toBe("2020-03-02T05:00:00.000Z");
      expect(body.contacts.map((c) => c.person.id)).toEqual([
        world.personIds.b,
      ]);
      expect(body.dayLevelContacts).toEqual([]);
    });

    it("applies a lower minimum", async () => {
      const body = await getJson<ContactsBody>(
        seoul,
        `/api/cases/${world.caseIds.s1}/contacts?minimumMinutes=5`,
      );

      expect(body.minimumMinutes).toBe(5);
      expect(body.contacts.map((c) => c.person.id)).toContain(
        world.personIds.d,
      );
      expect(body.belowMinimumCount).toBe(0);
    });

    it("rejects a case without dates", async () => {
      const response = await seoul.request(
        "GET",
        `/api/cases/${world.caseIds.s9}/contacts`,
      );
      const body = (await response.json()) as { error: { message: string } };

      expect(response.status).toBe(400);
      expect(body.error.message).toContain("case S-9");
      expect(body.error.message).toContain("from and to");

      const from = encodeURIComponent("2020-03-02T00:00:00+09:00");
      const to = encodeURIComponent("2020-03-03T00:00:00+09:00");
      const withPeriod = await seoul.request(
        "GET",
        `/api/cases/${world.caseIds.s9}/contacts?from=${from}&to=${to}`,
      );
      expect(withPeriod.status).toBe(200);
    });

    it("rejects half a period", async () => {
      const from = encodeURIComponent("2020-03-02T14:00:00+09:00");
      const response = await seoul.request(
        "GET",
        `/api/cases/${world.caseIds.s1}/contacts?from=${from}`,
      );
      expect(response.status).toBe(400);
    });

    it("hides the case from another office", async () => {
      const before = await countAuditEvents(system);
      const response = await busan.request(
        "GET",
        `/api/cases/${world.caseIds.s1}/contacts`,
      );
      const text = await response.text();

      expect(response.status).toBe(404);
      expect(text).not.toContain("Subject A");
      expect(text).not.toContain("S-1");
      expect(await countAuditEvents(system)).toBe(before + 1);
    });

    it("rejects a non-investigator", async () => {
      const response = await police.request(
        "GET",
        `/api/cases/${world.caseIds.s1}/contacts`,
      );
      const text = await response.text();

      expect(response.status).toBe(403);
      expect(text).not.toContain("Subject A");
    });

    it("writes one audit event per search", async () => {
      const before = await countAuditEvents(system);
      await seoul.request("GET", `/api/cases/${world.caseIds.s1}/contacts`);
      const last = await lastAuditEvent(system);

      expect(await countAuditEvents(system)).toBe(before + 1);
      expect(last.action).toBe("contact.view");
      expect(last.result).toBe("allowed");
      expect(last.case_id).toBe(world.caseIds.s1);
    });
  });

  describe("contact decisions", () => {
    const decisionUrl = (caseId: string, personId: string) =>
      `/api/cases/${caseId}/contacts/${personId}/decision`;

    it("stores and shows a decision", async () => {
      const before = await countAuditEvents(system);
      const response = await seoul.request(
        "POST",
        decisionUrl(world.caseIds.s1, world.personIds.a),
        { decision: "confirmed", reason: "Same table at the café" },
      );
      const decision = (await response.json()) as DecisionBody;

      expect(response.status).toBe(201);
      expect(decision.decision).toBe("confirmed");
      expect(decision.decidedBy.displayName).toBe("seoul.investigator");
      expect(await countAuditEvents(system)).toBe(before + 1);
      expect((await lastAuditEvent(system)).action).toBe("contact.decide");

      const body = await getJson<ContactsBody>(
        seoul,
        `/api/cases/${world.caseIds.s1}/contacts`,
      );
      const a = body.contacts.find((c) => c.person.id === world.personIds.a);
      expect(a?.decision?.decision).toBe("confirmed");
      expect(a?.decision?.reason).toBe("Same table at the café");
    });

    it("keeps earlier decisions", async () => {
      await seoul.request(
        "POST",
        decisionUrl(world.caseIds.s1, world.personIds.g),
        {
          decision: "confirmed",
          reason: "Seen on CCTV",
        },
      );
      await seoul.request(
        "POST",
        decisionUrl(world.caseIds.s1, world.personIds.g),
        {
          decision: "dismissed",
          reason: "CCTV shows another person",
        },
      );
      const rows = await system.store.db
        .selectFrom("contact_decisions")
        .select(["decision", "reason"])
        .where("case_id", "=", world.caseIds.s1)
        .where("person_id", "=", world.personIds.g)
        .orderBy("id")
        .execute();

      expect(rows.map((row) => row.decision)).toEqual([
        "confirmed",
        "dismissed",
      ]);
      const body = await getJson<ContactsBody>(
        seoul,
        `/api/cases/${world.caseIds.s1}/contacts`,
      );
      expect(body.possibleContacts[0]?.decision?.decision).toBe("dismissed");
    });

    it("rejects invalid decisions", async () => {
      const cases: [string, unknown, number][] = [
        [world.personIds.a, { decision: "maybe", reason: "x" }, 400],
        [world.personIds.a, { decision: "confirmed", reason: "" }, 400],
        [world.personIds.a, { decision: "confirmed", reason: "   " }, 400],
        [world.personIds.p0, { decision: "confirmed", reason: "self" }, 400],
        [randomUUID(), { decision: "confirmed", reason: "nobody" }, 404],
      ];
      for (const [personId, body, status] of cases) {
        const response = await seoul.request(
          "POST",
          decisionUrl(world.caseIds.s1, personId),
          body,
        );
        expect(response.status, JSON.stringify(body)).toBe(status);
      }
    });

    it("rejects decisions of other offices and roles", async () => {
      const body = { decision: "dismissed", reason: "Not ours" };
      const foreign = await busan.request(
        "POST",
        decisionUrl(world.caseIds.s1, world.personIds.a),
        body,
      );
      const denied = await police.request(
        "POST",
        decisionUrl(world.caseIds.s1, world.personIds.a),
        body,
      );

      expect(foreign.status).toBe(404);
      expect(denied.status).toBe(403);
      const stored = await system.store.db
        .selectFrom("contact_decisions")
        .select("reason")
        .where("reason", "=", "Not ours")
        .execute();
      expect(stored).toEqual([]);
    });
  });

  describe("hotspots", () => {
    it("computes Gi* over the office's cases", async () => {
      const response = await seoul.request(
        "GET",
        "/api/hotspots?method=gi-star&from=2020-03-01&to=2020-03-05",
      );
      const text = await response.text();
      const body = JSON.parse(text) as HotspotBody;

      expect(response.status).toBe(200);
      expect(body.caseCount).toBe(4);
      expect(body.stayCount).toBe(7);
      expect(body.resolution).toBe(8);
      const cellAt = (east: number, north: number) => {
        const position = offsetPosition(east, north);
        const cell = latLngToCell(position.latitude, position.longitude, 8);
        return body.cells.find((item) => item.cell === cell);
      };
      // S-1 and S-2 stay in the origin's cell, and the visits of S-1 and S-3 2 km north share a cell.
      expect(cellAt(0, 0)?.caseCount).toBe(2);
      expect(cellAt(0, 0)?.stayCount).toBe(2);
      expect(cellAt(0, 0)?.zScore).toBeGreaterThan(0);
      expect(cellAt(0, 0)?.boundary).toHaveLength(7);
      expect(cellAt(0, 2000)?.caseCount).toBe(2);
      expect(cellAt(500, 0)?.caseCount).toBe(1);
      const counted = body.cells.filter((cell) => cell.caseCount > 0);
      expect(counted).toHaveLength(5);
      expect(counted.reduce((sum, cell) => sum + cell.caseCount, 0)).toBe(7);
      for (const cell of body.cells) {
        expect(cell.qValue).toBeGreaterThanOrEqual(cell.pValue);
      }
      expectNoPersons(text, world);
    });

    it("narrows the window", async () => {
      const body = await getJson<HotspotBody>(
        seoul,
        "/api/hotspots?method=gi-star&from=2020-03-04&to=2020-03-04",
      );

      expect(body.from).toBe("2020-03-04");
      expect(body.to).toBe("2020-03-04");
      expect(body.caseCount).toBe(3);
      expect(body.stayCount).toBe(3);
      expect(body.dataRange).toEqual({
        firstDate: "2020-03-02",
        lastDate: "2020-03-04",
      });
    });

    it("scopes hotspots to the jurisdiction", async () => {
      const busanBody = await getJson<HotspotBody>(busan, "/api/hotspots");
      const nationalBody = await getJson<HotspotBody>(
        national,
        "/api/hotspots?from=2020-03-01&to=2020-03-05",
      );

      expect(busanBody.caseCount).toBe(1);
      expect(busanBody.stayCount).toBe(1);
      expect(nationalBody.caseCount).toBe(5);
    });

    it("finds co-location places", async () => {
      const response = await seoul.request(
        "GET",
        "/api/hotspots?method=co-location&from=2020-03-01&to=2020-03-05",
      );
      const text = await response.text();
      const body = JSON.parse(text) as HotspotBody;

      expect(body.places).toHaveLength(2);
      const [origin, north] = body.places;
      expect(origin?.personCount).toBe(2);
      expect(origin?.caseCount).toBe(1);
      expect(origin?.firstOverlapAt).toBe("2020-03-02T01:00:00.000Z");
      expect(origin?.dayLevelDates).toEqual([]);
      expect(north?.personCount).toBe(2);
      expect(north?.firstOverlapAt).toBeNull();
      expect(north?.dayLevelDates).toEqual(["2020-03-04"]);
      expect(body.total).toBe(2);
      expectNoPersons(text, world);
    });

    it("leaves day-level co-location out on request", async () => {
      const body = await getJson<HotspotBody>(
        seoul,
        "/api/hotspots?method=co-location&from=2020-03-01&to=2020-03-05&dayLevel=false",
      );
      expect(body.places.map((place) => place.personCount)).toEqual([2]);
    });

    it("audits the search and rejects other roles", async () => {
      const before = await countAuditEvents(system);
      await seoul.request("GET", "/api/hotspots?from=2020-03-01&to=2020-03-05");
      const last = await lastAuditEvent(system);
      const denied = await police.request("GET", "/api/hotspots");
      const invalid = await seoul.request(
        "GET",
        "/api/hotspots?from=2020-03-05&to=2020-03-01",
      );

      expect(await countAuditEvents(system)).toBe(before + 2);
      expect(last.action).toBe("hotspot.view");
      expect(JSON.parse(last.detail)).toMatchObject({
        method: "gi-star",
        from: "2020-03-01",
        to: "2020-03-05",
      });
      expect(denied.status).toBe(403);
      expect(invalid.status).toBe(400);
    });
  });

  describe("hotspots per administrative area", () => {
    it("counts cases per gu", async () => {
      const response = await seoul.request(
        "GET",
        "/api/hotspots?unit=area&from=2020-03-01&to=2020-03-05",
      );
      const text = await response.text();
      const body = JSON.parse(text) as HotspotBody;

      expect(response.status).toBe(200);
      expect(body.unit).toBe("area");
      expect(body.areaLevel).toBe("municipality");
      expect(body.weights).toEqual({ kind: "k-nearest", k: 6 });
      expect(body.cells).toEqual([]);
      expect(body.studyAreaCount).toBe(25);
      expect(body.staysOutsideAreas).toBe(0);
      const jung = body.areas.find((area) => area.code === JUNG_GU);
      const jongno = body.areas.find((area) => area.code === JONGNO_GU);
      expect(jung?.name).toBe("중구");
      expect(jung?.caseCount).toBe(2);
      expect(jung?.stayCount).toBe(3);
      expect(jongno?.caseCount).toBe(4);
      expect(jongno?.stayCount).toBe(4);
      expect(jongno?.neighborCount).toBe(7);
      expect(jongno?.zScore).toBeGreaterThan(0);
      expect(jongno?.geometry.type).toMatch(/Polygon$/);
      expect(body.areas[0]?.zScore).toBeGreaterThanOrEqual(
        body.areas.at(-1)?.zScore ?? 0,
      );
      for (const area of body.areas) {
        expect(area.qValue).toBeGreaterThanOrEqual(area.pValue);
      }
      expectNoPersons(text, world);
    });

    it("uses a distance band", async () => {
      const near = await getJson<HotspotBody>(
        seoul,
        "/api/hotspots?unit=area&weights=distance-band&bandMeters=1&from=2020-03-01&to=2020-03-05",
      );
      const wide = await getJson<HotspotBody>(
        seoul,
        "/api/hotspots?unit=area&bandMeters=100000&from=2020-03-01&to=2020-03-05",
      );

      expect(near.weights).toEqual({ kind: "distance-band", bandMeters: 1 });
      // Within 1 m each gu is its own only neighbour.
      for (const area of near.areas) {
        expect(area.neighborCount).toBe(1);
      }
      // Within 100 km every gu of Seoul neighbours every other, so Gi* has no variance.
      for (const area of wide.areas) {
        expect(area.neighborCount).toBe(25);
        expect(area.zScore).toBe(0);
      }
    });

    it("rejects contradictory weights", async () => {
      const bandWithoutMeters = await seoul.request(
        "GET",
        "/api/hotspots?unit=area&weights=distance-band",
      );
      const kWithBand = await seoul.request(
        "GET",
        "/api/hotspots?unit=area&weights=distance-band&bandMeters=500&k=3",
      );
      const coLocationAreas = await seoul.request(
        "GET",
        "/api/hotspots?method=co-location&unit=area",
      );

      const bandOnCells = await seoul.request(
        "GET",
        "/api/hotspots?bandMeters=500",
      );
      const levelOnCells = await seoul.request(
        "GET",
        "/api/hotspots?areaLevel=submunicipality",
      );
      const resolutionOnAreas = await seoul.request(
        "GET",
        "/api/hotspots/space-time-scan?unit=area&resolution=7",
      );

      expect(bandOnCells.status).toBe(400);
      expect(levelOnCells.status).toBe(400);
      expect(resolutionOnAreas.status).toBe(400);
      expect(await resolutionOnAreas.text()).toContain("unit=area");
      expect(bandWithoutMeters.status).toBe(400);
      expect(await bandWithoutMeters.text()).toContain("bandMeters");
      expect(kWithBand.status).toBe(400);
      expect(coLocationAreas.status).toBe(400);
    });

    it("rejects a level without stored areas", async () => {
      const response = await seoul.request(
        "GET",
        "/api/hotspots?unit=area&areaLevel=submunicipality",
      );

      expect(response.status).toBe(400);
      expect(await response.text()).toContain(
        "No administrative areas of level submunicipality",
      );
    });

    it("keeps areas in the jurisdiction", async () => {
      const body = await getJson<HotspotBody>(
        busan,
        "/api/hotspots?unit=area&from=2020-03-01&to=2020-03-05",
      );

      // B-1 of Busan stayed 510 m east of the origin, in Jung-gu of Seoul.
      expect(body.caseCount).toBe(1);
      const counted = body.areas.filter((area) => area.caseCount > 0);
      expect(counted.map((area) => area.code)).toEqual([JUNG_GU]);
      expect(counted[0]?.stayCount).toBe(1);
    });
  });

  describe("space-time scan", () => {
    const scanUrl =
      "/api/hotspots/space-time-scan?from=2020-03-01&to=2020-03-05&replications=99";

    it("finds clusters of the office's cases", async () => {
      const response = await seoul.request("GET", scanUrl);
      const text = await response.text();
      const body = JSON.parse(text) as ScanBody;

      expect(response.status).toBe(200);
      expect(body.model).toBe("space-time-permutation");
      expect(body.analysis).toBe("retrospective");
      expect(body.replications).toBe(99);
      expect(body.seed).toBe(1);
      expect(body.maxDays).toBe(5);
      expect(body.caseCount).toBe(4);
      // Case-days: S-1 twice and S-2 twice on 2020-03-02 (three cells), S-1, S-3 and S-4 on 2020-03-04.
      expect(body.totalCases).toBe(7);
      expect(body.clusters.length).toBeGreaterThan(0);
      const top = body.clusters[0]!;
      expect(top.rank).toBe(1);
      expect(top.observed).toBeGreaterThan(top.expected);
      expect(top.from >= "2020-03-01").toBe(true);
      expect(top.to <= "2020-03-05").toBe(true);
      expect(top.locations[0]?.id).toBe(top.center.id);
      expect(top.pValue).toBeGreaterThan(0);
      expect(top.pValue).toBeLessThanOrEqual(1);
      expect(body.total).toBe(body.clusters.length);
      expectNoPersons(text, world);
    });

    it("repeats a result for one seed", async () => {
      const first = await getJson<ScanBody>(seoul, `${scanUrl}&seed=5`);
      const second = await getJson<ScanBody>(seoul, `${scanUrl}&seed=5`);

      expect(second.clusters).toEqual(first.clusters);
    });

    it("scans administrative areas", async () => {
      const body = await getJson<ScanBody>(
        seoul,
        "/api/hotspots/space-time-scan?unit=area&from=2020-03-01&to=2020-03-05&replications=9&analysis=prospective",
      );

      expect(body.unit).toBe("area");
      expect(body.areaLevel).toBe("municipality");
      expect(body.analysis).toBe("prospective");
      expect(body.locationCount).toBe(2);
      expect(body.totalCases).toBe(6);
      const ids = body.clusters.flatMap((c) => c.locations.map((l) => l.id));
      expect(ids.every((id) => id === JUNG_GU || id === JONGNO_GU)).toBe(true);
      for (const cluster of body.clusters) {
        expect(cluster.to).toBe("2020-03-05");
      }
    });

    it("keeps another office's cases out", async () => {
      const body = await getJson<ScanBody>(busan, scanUrl);

      // B-1 of Busan has one stay, on 2020-03-02; no Seoul case counts.
      expect(body.caseCount).toBe(1);
      expect(body.totalCases).toBe(1);
      expect(body.locationCount).toBe(1);
      const cell = latLngToCell(
        offsetPosition(510, 0).latitude,
        offsetPosition(510, 0).longitude,
        8,
      );
      for (const cluster of body.clusters) {
        expect(cluster.locations.map((l) => l.id)).toEqual([cell]);
      }
    });

    it("audits one event per scan", async () => {
      const before = await countAuditEvents(system);
      await seoul.request("GET", `${scanUrl}&maxRadiusKm=1`);
      const last = await lastAuditEvent(system);

      expect(await countAuditEvents(system)).toBe(before + 1);
      expect(last.action).toBe("hotspot.view");
      expect(last.result).toBe("allowed");
      expect(JSON.parse(last.detail)).toMatchObject({
        scan: "space-time",
        from: "2020-03-01",
        to: "2020-03-05",
        maxRadiusKm: 1,
        replications: 99,
      });
    });

    it("denies other roles", async () => {
      for (const client of [police, provider, auditor]) {
        const response = await client.request("GET", scanUrl);
        expect(response.status).toBe(403);
      }
      for (const client of [police, provider, auditor]) {
        const response = await client.request("GET", "/api/hotspots?unit=area");
        expect(response.status).toBe(403);
      }
    });

    it("rejects invalid settings", async () => {
      const tooMany = await seoul.request(
        "GET",
        "/api/hotspots/space-time-scan?replications=1000",
      );
      const poisson = await seoul.request(
        "GET",
        "/api/hotspots/space-time-scan?model=poisson",
      );
      const tooLong = await seoul.request(
        "GET",
        "/api/hotspots/space-time-scan?from=2020-01-01&to=2021-01-02",
      );

      expect(tooMany.status).toBe(400);
      expect(poisson.status).toBe(400);
      expect(tooLong.status).toBe(400);
      expect(await tooLong.text()).toContain("at most 366");
    });
  });

  describe("exposure query", () => {
    const query = {
      latitude: TEST_ORIGIN.latitude,
      longitude: TEST_ORIGIN.longitude,
      from: "2020-03-02T09:00:00+09:00",
      to: "2020-03-02T12:00:00+09:00",
    };

    it("lists the persons present", async () => {
      const response = await seoul.request("POST", "/api/exposure", query);
      const body = (await response.json()) as ExposureBody;

      expect(response.status).toBe(200);
      expect(body.radiusMeters).toBe(50);
      expect(body.minimumDwellMinutes).toBe(30);
      expect(
        body.persons.map((p) => [p.person.label, p.minutes]).sort(),
      ).toEqual([
        ["Subject A", 60],
        ["Subject I", 40],
        ["Subject P0", 60],
      ]);
      const a = body.persons.find((p) => p.person.label === "Subject A");
      expect(a?.firstSeenAt).toBe("2020-03-02T01:30:00.000Z");
      expect(a?.person.case?.caseNumber).toBe("S-2");
      expect(body.dayLevelPersons).toEqual([]);
    });

    it("counts what looser settings add", async () => {
      const body = await getJson<ExposureBody>(seoul, "/api/exposure", query);

      expect(body.looserSettings).toEqual([
        {
          radiusMeters: 100,
          minimumDwellMinutes: 30,
          personCount: 3,
          addedCount: 0,
        },
        {
          radiusMeters: 200,
          minimumDwellMinutes: 30,
          personCount: 3,
          addedCount: 0,
        },
        {
          radiusMeters: 50,
          minimumDwellMinutes: 15,
          personCount: 3,
          addedCount: 0,
        },
        {
          radiusMeters: 50,
          minimumDwellMinutes: 0,
          personCount: 5,
          addedCount: 2,
        },
      ]);
    });

    it("audits the query parameters", async () => {
      await seoul.request("POST", "/api/exposure", {
        ...query,
        radiusMeters: 30,
      });
      const last = await lastAuditEvent(system);

      expect(last.action).toBe("exposure.query");
      expect(JSON.parse(last.detail)).toEqual({
        latitude: TEST_ORIGIN.latitude,
        longitude: TEST_ORIGIN.longitude,
        radiusMeters: 30,
        from: "2020-03-02T00:00:00.000Z",
        to: "2020-03-02T03:00:00.000Z",
        minimumDwellMinutes: 30,
        total: 3,
      });
    });

    it("gives other offices labels only", async () => {
      const response = await busan.request("POST", "/api/exposure", query);
      const text = await response.text();
      const body = JSON.parse(text) as ExposureBody;

      expect(response.status).toBe(200);
      expect(body.persons).toHaveLength(3);
      expect(body.persons.every((p) => p.person.case === null)).toBe(true);
      expect(text).not.toContain("S-1");
      expect(text).not.toContain("S-2");
    });

    it("rejects other roles and wide queries", async () => {
      const denied = await police.request("POST", "/api/exposure", query);
      const wide = await seoul.request("POST", "/api/exposure", {
        ...query,
        radiusMeters: 5000,
      });
      const long = await seoul.request("POST", "/api/exposure", {
        ...query,
        to: "2020-05-02T12:00:00+09:00",
      });
      const noOffset = await seoul.request("POST", "/api/exposure", {
        ...query,
        from: "2020-03-02T09:00:00",
      });

      expect(denied.status).toBe(403);
      expect(await denied.text()).not.toContain("Subject");
      expect(wide.status).toBe(400);
      expect(long.status).toBe(400);
      expect(noOffset.status).toBe(400);
    });
  });

  describe("exposure query with a polygon", () => {
    /** Returns a square `2 * half` metres wide centred `east` metres east of the origin. */
    const square = (east: number, half: number) => {
      const corner = (dx: number, dy: number) => {
        const position = offsetPosition(east + dx, dy);
        return [position.longitude, position.latitude];
      };
      return {
        type: "Polygon",
        coordinates: [
          [
            corner(-half, -half),
            corner(half, -half),
            corner(half, half),
            corner(-half, half),
            corner(-half, -half),
          ],
        ],
      };
    };
    // The square contains P0's and B's afternoon stays, 500 m and 510 m east.
    const polygonQuery = {
      polygon: square(505, 30),
      windows: [
        { from: "2020-03-02T14:00:00+09:00", to: "2020-03-02T14:20:00+09:00" },
        { from: "2020-03-02T14:30:00+09:00", to: "2020-03-02T15:00:00+09:00" },
      ],
    };

    it("counts minutes within both windows", async () => {
      const body = await getJson<ExposureBody>(
        seoul,
        "/api/exposure",
        polygonQuery,
      );

      expect(body.radiusMeters).toBeNull();
      expect(body.latitude).toBeNull();
      expect(body.polygon).toEqual(polygonQuery.polygon);
      expect(body.windows).toEqual([
        { from: "2020-03-02T05:00:00.000Z", to: "2020-03-02T05:20:00.000Z" },
        { from: "2020-03-02T05:30:00.000Z", to: "2020-03-02T06:00:00.000Z" },
      ]);
      expect(body.from).toBe("2020-03-02T05:00:00.000Z");
      expect(body.to).toBe("2020-03-02T06:00:00.000Z");
      expect(body.persons.map((p) => [p.person.label, p.minutes])).toEqual([
        ["Subject P0", 50],
      ]);
    });

    it("counts what a shorter dwell adds", async () => {
      const body = await getJson<ExposureBody>(
        seoul,
        "/api/exposure",
        polygonQuery,
      );

      // B stays 14:10 to 14:40: 10 minutes in each window, 20 in all.
      expect(body.looserSettings).toEqual([
        {
          radiusMeters: null,
          minimumDwellMinutes: 15,
          personCount: 2,
          addedCount: 1,
        },
        {
          radiusMeters: null,
          minimumDwellMinutes: 0,
          personCount: 2,
          addedCount: 1,
        },
      ]);
    });

    it("audits the polygon and windows", async () => {
      const before = await countAuditEvents(system);
      await getJson<ExposureBody>(seoul, "/api/exposure", polygonQuery);
      const last = await lastAuditEvent(system);

      expect(await countAuditEvents(system)).toBe(before + 1);
      expect(last.action).toBe("exposure.query");
      expect(JSON.parse(last.detail)).toEqual({
        polygon: polygonQuery.polygon.coordinates,
        from: "2020-03-02T05:00:00.000Z",
        to: "2020-03-02T06:00:00.000Z",
        windows: [
          {
            from: "2020-03-02T05:00:00.000Z",
            to: "2020-03-02T05:20:00.000Z",
          },
          {
            from: "2020-03-02T05:30:00.000Z",
            to: "2020-03-02T06:00:00.000Z",
          },
        ],
        minimumDwellMinutes: 30,
        total: 1,
      });
    });

    it("labels another office's persons opaquely", async () => {
      const query = { ...polygonQuery, minDwellMinutes: 15 };
      const fromSeoul = await seoul.request("POST", "/api/exposure", query);
      const seoulText = await fromSeoul.text();
      const fromBusan = await busan.request("POST", "/api/exposure", query);
      const busanText = await fromBusan.text();
      const busanBody = JSON.parse(busanText) as ExposureBody;

      expect(fromSeoul.status).toBe(200);
      expect(JSON.parse(seoulText).persons).toHaveLength(2);
      expect(seoulText).toContain("S-1");
      expect(seoulText).not.toContain("B-1");
      expect(seoulText).not.toContain("김철수");
      expect(fromBusan.status).toBe(200);
      expect(busanBody.persons).toHaveLength(2);
      expect(busanText).not.toContain("S-1");
      expect(busanText).not.toContain("홍길동");
      expect(busanText).not.toContain("Subject P0");
    });

    it("rejects invalid polygons and windows", async () => {
      const ring = polygonQuery.polygon.coordinates[0]!;
      const cases: [string, Record<string, unknown>, string][] = [
        [
          "open ring",
          { polygon: { type: "Polygon", coordinates: [ring.slice(0, 4)] } },
          "ring 0 is not closed",
        ],
        [
          "three positions",
          {
            polygon: {
              type: "Polygon",
              coordinates: [[ring[0], ring[1], ring[0]]],
            },
          },
          "ring 0 has 3 positions",
        ],
        [
          "latitude first",
          {
            polygon: {
              type: "Polygon",
              coordinates: [ring.map(([lon, lat]) => [lat, lon])],
            },
          },
          "is outside [-90, 90]",
        ],
        [
          "wide polygon",
          { polygon: square(0, 1500) },
          "at most 2000 m each way",
        ],
        [
          "polygon and centre",
          {
            latitude: TEST_ORIGIN.latitude,
            longitude: TEST_ORIGIN.longitude,
          },
          "give either polygon",
        ],
        [
          "windows and from",
          {
            from: "2020-03-02T09:00:00+09:00",
            to: "2020-03-02T12:00:00+09:00",
          },
          "give either from and to, or windows",
        ],
        [
          "windows over 31 days",
          {
            windows: [
              ...polygonQuery.windows,
              {
                from: "2020-04-10T00:00:00+09:00",
                to: "2020-04-10T01:00:00+09:00",
              },
            ],
          },
          "at most 31 days",
        ],
        [
          "empty window",
          {
            windows: [
              {
                from: "2020-03-02T10:00:00+09:00",
                to: "2020-03-02T10:00:00+09:00",
              },
            ],
          },
          "Invalid window 0: from must be before to",
        ],
      ];
      const before = await countAuditEvents(system);
      for (const [name, change, message] of cases) {
        const response = await seoul.request("POST", "/api/exposure", {
          ...polygonQuery,
          ...change,
        });
        const text = await response.text();

        expect(response.status, name).toBe(400);
        expect(text, name).toContain(message);
      }
      const untyped = await seoul.request("POST", "/api/exposure", {
        ...polygonQuery,
        polygon: { type: "Point", coordinates: [126.9, 37.5] },
      });

      expect(untyped.status).toBe(400);
      expect(await countAuditEvents(system)).toBe(before);
    });
  });

  describe("transmission links", () => {
    it("compares candidate and known links", async () => {
      const body = await getJson<LinksBody>(seoul, "/api/links");
      const numberOf = caseNumbers(body);

      expect(
        body.candidateLinks
          .map(
            (l) =>
              `${numberOf(l.infectorCaseId)}>${numberOf(l.infecteeCaseId)} ${l.group}`,
          )
          .sort(),
      ).toEqual([
        "S-1>S-2 contact",
        "S-1>S-3 day_level",
        "S-2>S-1 contact",
        "S-3>S-1 day_level",
        "S-3>S-4 day_level",
        "S-4>S-3 day_level",
      ]);
      // S-9 has no stays, so it counts as a case but joins no search.
      expect(body.summary).toEqual({
        caseCount: 5,
        casesWithStays: 4,
        casesWithoutPeriod: 0,
        knownLinkCount: 3,
        knownLinksWithStays: 2,
        knownLinksFound: 2,
        knownLinksFoundEitherDirection: 2,
        candidateLinkCount: 6,
        candidatePairCount: 3,
        candidatePairsNotKnown: 1,
      });
    });

    it("keeps a foreign infector out", async () => {
      const response = await seoul.request("GET", "/api/links");
      const text = await response.text();
      const body = JSON.parse(text) as LinksBody;
      const fromBusan = body.knownLinks.find(
        (link) => link.infecteeCaseId === world.caseIds.s3,
      );

      expect(fromBusan?.reportedInfector).toBe("B-1");
      expect(fromBusan?.infectorCaseId).toBeNull();
      expect(fromBusan?.bothHaveStays).toBe(false);
      expect(text).not.toContain(world.caseIds.b1);
      expect(text).not.toContain("김철수");
    });

    it("links across offices for the national agency", async () => {
      const body = await getJson<LinksBody>(national, "/api/links");

      expect(body.summary.caseCount).toBe(6);
      expect(body.summary.knownLinksWithStays).toBe(3);
      expect(body.summary.knownLinksFound).toBe(2);
      expect(
        body.candidateLinks.some((l) => l.infecteeCaseId === world.caseIds.b1),
      ).toBe(true);
    });

    it("filters by province and rejects other roles", async () => {
      const busanOnly = await getJson<LinksBody>(
        national,
        "/api/links?province=Busan",
      );
      const denied = await police.request("GET", "/api/links");

      expect(busanOnly.summary.caseCount).toBe(1);
      expect(busanOnly.candidateLinks).toEqual([]);
      expect(denied.status).toBe(403);
    });
  });
});

describe("analysis API on DS4C 2020-06-01", () => {
  let system: System;
  let national: ApiClient;

  beforeAll(async () => {
    system = await startTestSystem();
    await importBoundaries(system.store, [
      path.join(BOUNDARIES_DIR, "skorea-provinces-2018-topo-simple.json"),
      path.join(BOUNDARIES_DIR, "skorea-municipalities-2018-topo-simple.json"),
    ]);
    await importDs4c(system.store, DS4C_DIR);
    const agency = await createOrganisation(system.store.db, {
      name: "National agency",
      kind: "national_agency",
    });
    await createAccount(system, {
      organisationId: agency.id,
      username: "national.investigator",
      role: "investigator",
    });
    await createOfficeUser(system, SEOUL, "seoul.investigator");
    national = await signIn(system, "national.investigator");
  });

  afterAll(async () => {
    await system?.close();
  });

  it("measures the known infected_by links", async () => {
    const body = await getJson<LinksBody>(national, "/api/links");

    // 329: infected_by pairs whose two patients both have PatientRoute.csv rows.
    expect(body.summary.caseCount).toBe(4004);
    expect(body.summary.casesWithStays).toBe(1472);
    expect(body.summary.casesWithoutPeriod).toBe(0);
    expect(body.summary.knownLinkCount).toBe(899);
    expect(body.summary.knownLinksWithStays).toBe(329);
    expect(body.summary.knownLinksFound).toBe(73);
    expect(body.summary.knownLinksFoundEitherDirection).toBe(77);
    // Visits of one patient on one day less than 200 m apart (the sum of
    // two default radii) count once, as the fused route groups them at the
    // place of one of them, so a few pairs of cases no longer meet.
    expect(body.summary.candidateLinkCount).toBe(3976);
    expect(body.summary.candidatePairCount).toBe(2302);
    expect(body.summary.candidatePairsNotKnown).toBe(2229);
    expect(body.candidateLinks.every((l) => l.group === "day_level")).toBe(
      true,
    );
  });

  it("finds day-level contacts of a case", async () => {
    const caseId = await caseIdOf(system.store.db, "1000000013");
    const body = await getJson<ContactsBody>(
      national,
      `/api/cases/${caseId}/contacts`,
    );

    // Confirmed 2020-02-16 without an onset date, so infectious from 2020-02-14.
    expect(body.infectiousPeriod.referenceDate).toBe("2020-02-16");
    expect(body.infectiousPeriod.anchor).toBe("confirmation");
    expect(body.contacts).toEqual([]);
    expect(body.possibleContacts).toEqual([]);
    expect(body.dayLevelContacts.map((c) => c.person.label)).toEqual([
      "DS4C 1000000014",
    ]);
    expect(body.dayLevelContacts[0]?.dates).toEqual([
      "2020-02-15",
      "2020-02-16",
    ]);
  });

  it("scans the last four weeks by default", async () => {
    const body = await getJson<ScanBody>(
      national,
      "/api/hotspots/space-time-scan?replications=9",
    );

    expect(body.from).toBe("2020-05-05");
    expect(body.to).toBe("2020-06-01");
    expect(body.maxRadiusKm).toBe(3);
    expect(body.maxDays).toBe(7);
    expect(body.clusters[0]?.observed).toBeGreaterThan(0);
  });

  it("rejects a scan over the work limit", async () => {
    const response = await national.request(
      "GET",
      "/api/hotspots/space-time-scan?from=2020-01-20&to=2020-06-01",
    );

    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Scan too large");
  });

  it("counts every visit on the H3 grid", async () => {
    const body = await getJson<HotspotBody>(national, "/api/hotspots");

    expect(body.dataRange).toEqual({
      firstDate: "2020-01-20",
      lastDate: "2020-06-01",
    });
    expect(body.caseCount).toBe(1472);
    // 7,330 distinct PatientRoute visits, of which the fused routes group
    // those of one patient on one day less than 200 m apart.
    expect(body.stayCount).toBe(6925);
  });
});

interface StayBody {
  id: string;
  startedAt: string | null;
  finishedAt: string | null;
  radiusMeters: number;
}

interface ContactBody {
  person: {
    id: string;
    label: string;
    inJurisdiction: boolean;
    case: { id: string; caseNumber: string } | null;
  };
  group: string;
  certainMinutes: number | null;
  possibleMinutes: number | null;
  score: number | null;
  possibleScore: number | null;
  firstOverlapAt: string | null;
  lastOverlapAt: string | null;
  dates: string[];
  sources: string[] | null;
  pairs: {
    caseStay: StayBody;
    contactStay: StayBody | null;
    certainMinutes: number;
    possibleMinutes: number;
    proximityWeight: number;
    distanceMeters: number;
    overlapStartsAt: string;
    overlapEndsAt: string;
  }[];
  dayLevelPairs: {
    date: string;
    distanceMeters: number;
    caseStay: StayBody;
    contactStay: StayBody | null;
  }[];
  decision: { decision: string; reason: string } | null;
}

interface ContactsBody {
  infectiousPeriod: Record<string, unknown> & {
    startsAt: string;
    referenceDate: string;
    anchor: string;
    isSetByCaller: boolean;
  };
  minimumMinutes: number;
  caseStays: StayBody[];
  contacts: ContactBody[];
  possibleContacts: ContactBody[];
  dayLevelContacts: ContactBody[];
  belowMinimumCount: number;
}

interface DecisionBody {
  decision: string;
  decidedBy: { id: string; displayName: string };
}

interface HotspotBody {
  from: string | null;
  to: string | null;
  dataRange: { firstDate: string; lastDate: string } | null;
  resolution: number;
  unit: string;
  areaLevel: string | null;
  weights: Record<string, unknown> | null;
  studyAreaCount: number;
  staysOutsideAreas: number;
  areas: {
    code: string;
    name: string;
    caseCount: number;
    stayCount: number;
    neighborCount: number;
    zScore: number;
    pValue: number;
    qValue: number;
    geometry: { type: string };
  }[];
  caseCount: number;
  stayCount: number;
  total: number;
  cells: {
    cell: string;
    boundary: number[][];
    caseCount: number;
    stayCount: number;
    zScore: number;
    pValue: number;
    qValue: number;
  }[];
  places: {
    personCount: number;
    caseCount: number;
    firstOverlapAt: string | null;
    dayLevelDates: string[];
  }[];
}

interface ScanBody {
  from: string | null;
  to: string | null;
  maxRadiusKm: number;
  unit: string;
  areaLevel: string | null;
  model: string;
  analysis: string;
  replications: number;
  seed: number;
  maxDays: number;
  caseCount: number;
  totalCases: number;
  locationCount: number;
  total: number;
  clusters: {
    rank: number;
    center: { id: string };
    locations: { id: string; name: string | null }[];
    radiusKm: number;
    from: string;
    to: string;
    observed: number;
    expected: number;
    relativeRisk: number | null;
    logLikelihoodRatio: number;
    pValue: number;
  }[];
}

interface ExposureBody {
  latitude: number | null;
  radiusMeters: number | null;
  polygon: unknown;
  from: string;
  to: string;
  windows: { from: string; to: string }[];
  minimumDwellMinutes: number;
  persons: {
    person: ContactBody["person"];
    minutes: number;
    firstSeenAt: string;
  }[];
  dayLevelPersons: unknown[];
  looserSettings: unknown[];
}

interface LinksBody {
  cases: { caseId: string; caseNumber: string }[];
  knownLinks: {
    infecteeCaseId: string;
    reportedInfector: string;
    infectorCaseId: string | null;
    bothHaveStays: boolean;
  }[];
  candidateLinks: {
    infectorCaseId: string;
    infecteeCaseId: string;
    group: string;
  }[];
  summary: Record<string, number>;
}

async function getJson<T>(
  client: ApiClient,
  url: string,
  body?: unknown,
): Promise<T> {
  const response = await client.request(
    body === undefined ? "GET" : "POST",
    url,
    body,
  );
  if (response.status !== 200) {
    throw new Error(
      `${url} answered ${response.status}: ${await response.text()}`,
    );
  }
  return (await response.json()) as T;
}

function caseNumbers(body: LinksBody): (caseId: string) => string {
  const numbers = new Map(body.cases.map((c) => [c.caseId, c.caseNumber]));
  return (caseId) => numbers.get(caseId) ?? caseId;
}

async function lastAuditEvent(system: System) {
  return system.store.db
    .selectFrom("audit_events")
    .selectAll()
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
}

/** Checks that a result names no person of the scenario. */
function expectNoPersons(text: string, world: Scenario): void {
  for (const personId of Object.values(world.personIds)) {
    expect(text).not.toContain(personId);
  }
  expect(text).not.toContain("Subject");
  expect(text).not.toContain("S-1");
}

async function caseIdOf(
  db: Kysely<Database>,
  caseNumber: string,
): Promise<string> {
  const row = await db
    .selectFrom("cases")
    .select("id")
    .where("case_number", "=", caseNumber)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Stores the scenario's persons, cases, stays and visits. */
async function seedScenario(db: Kysely<Database>): Promise<Scenario> {
  const seoulOffice = await ensureProvinceHealthOffice(db, SEOUL);
  const busanOffice = await ensureProvinceHealthOffice(db, BUSAN);
  const person = (label: string, name: string | null = null) =>
    insertPerson(db, label, name);
  const personIds = {
    p0: await person("Subject P0", "홍길동"),
    a: await person("Subject A"),
    b: await person("Contact 7", "김철수"),
    e: await person("Subject E"),
    f: await person("Subject F"),
    g: await person("Subject G"),
    i: await person("Subject I"),
    d: await person("Subject D"),
    h: await person("Subject H"),
    z: await person("Subject Z"),
  };

  const caseIds = {
    s1: await insertCase(db, {
      caseNumber: "S-1",
      personId: personIds.p0,
      organisationId: seoulOffice.id,
      province: "Seoul",
      onset: "2020-03-03",
      confirmed: "2020-03-05",
      isolation: "2020-03-05",
    }),
    s2: await insertCase(db, {
      caseNumber: "S-2",
      personId: personIds.a,
      organisationId: seoulOffice.id,
      province: "Seoul",
      onset: "2020-03-01",
      confirmed: "2020-03-04",
      infectedBy: "S-1",
    }),
    s3: await insertCase(db, {
      caseNumber: "S-3",
      personId: personIds.e,
      organisationId: seoulOffice.id,
      province: "Seoul",
      confirmed: "2020-03-06",
      infectedBy: "B-1",
    }),
    s4: await insertCase(db, {
      caseNumber: "S-4",
      personId: personIds.f,
      organisationId: seoulOffice.id,
      province: "Seoul",
      confirmed: "2020-03-06",
      infectedBy: "S-3",
    }),
    // Registered without any date, so no infectious period follows from it.
    s9: await insertCase(db, {
      caseNumber: "S-9",
      personId: personIds.z,
      organisationId: seoulOffice.id,
      province: "Seoul",
    }),
    b1: await insertCase(db, {
      caseNumber: "B-1",
      personId: personIds.b,
      organisationId: busanOffice.id,
      province: "Busan",
      confirmed: "2020-03-06",
    }),
  };

  await insertStay(db, personIds.p0, {
    from: 600,
    lastFix: 660,
    to: 680,
    radius: 5,
  });
  await insertStay(db, personIds.p0, {
    from: 840,
    lastFix: 900,
    east: 500,
    radius: 5,
  });
  await insertStay(db, personIds.a, {
    from: 630,
    lastFix: 690,
    east: 3,
    radius: 5,
  });
  await insertStay(db, personIds.b, {
    from: 850,
    lastFix: 880,
    east: 510,
    radius: 20,
  });
  await insertStay(db, personIds.i, {
    from: 600,
    lastFix: 640,
    east: 1,
    radius: 5,
  });
  await insertStay(db, personIds.g, {
    from: 650,
    lastFix: 660,
    to: 690,
    radius: 5,
  });
  // Below the 15-minute minimum, 5 km away, and after the infectious period.
  await insertStay(db, personIds.d, { from: 600, lastFix: 605, radius: 5 });
  await insertStay(db, personIds.a, {
    from: 600,
    lastFix: 700,
    north: 5000,
    radius: 5,
  });
  await insertStay(db, personIds.h, {
    from: 8 * 1440 + 600,
    lastFix: 8 * 1440 + 700,
  });

  await insertVisit(db, personIds.p0, caseIds.s1, 2000);
  await insertVisit(db, personIds.e, caseIds.s3, 2150);
  await insertVisit(db, personIds.f, caseIds.s4, 2250);

  // The analyses name the stays of each person's fused route, numbered by
  // start: the stored GPS stays and disclosed visits above are its members.
  const routeStay = (personId: string, id: string) => `${personId}/${id}`;
  const stayIds = {
    c1: routeStay(personIds.p0, "stay-1"),
    c2: routeStay(personIds.p0, "stay-2"),
    // Person A's stay 5 km north starts earlier, at 10:00.
    a1: routeStay(personIds.a, "stay-2"),
    b1: routeStay(personIds.b, "stay-1"),
    i1: routeStay(personIds.i, "stay-1"),
    g1: routeStay(personIds.g, "stay-1"),
  };
  const recordIds = {
    p0Visit: routeStay(personIds.p0, "date-stay-1"),
    eVisit: routeStay(personIds.e, "date-stay-1"),
  };

  return {
    seoulOfficeId: seoulOffice.id,
    busanOfficeId: busanOffice.id,
    caseIds,
    personIds,
    stayIds,
    recordIds,
  };
}

async function insertPerson(
  db: Kysely<Database>,
  label: string,
  name: string | null,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto("persons")
    .values({
      id,
      label,
      name,
      sex: null,
      birth_year: null,
      country: null,
      home_province: null,
      home_city: null,
      source: "manual",
      source_ref: id,
      created_at: Date.now(),
    })
    .execute();
  return id;
}

async function insertCase(
  db: Kysely<Database>,
  spec: {
    caseNumber: string;
    personId: string;
    organisationId: string;
    province: string;
    onset?: string;
    confirmed?: string;
    isolation?: string;
    infectedBy?: string;
  },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto("cases")
    .values({
      id,
      case_number: spec.caseNumber,
      person_id: spec.personId,
      organisation_id: spec.organisationId,
      province: spec.province,
      city: null,
      symptom_onset_date: spec.onset ?? null,
      test_date: null,
      confirmed_date: spec.confirmed ?? null,
      isolation_date: spec.isolation ?? null,
      released_date: null,
      deceased_date: null,
      closed_date: null,
      status: "open",
      state: "isolated",
      infection_case: null,
      infected_by: spec.infectedBy ?? null,
      contact_count: null,
      created_at: Date.now(),
      updated_at: Date.now(),
    })
    .execute();
  return id;
}

/** Stores a GPS stay; times are minutes after 2020-03-02 00:00 in Seoul, positions metres from the origin. */
async function insertStay(
  db: Kysely<Database>,
  personId: string,
  spec: {
    from: number;
    lastFix: number;
    to?: number;
    east?: number;
    north?: number;
    radius?: number;
  },
): Promise<string> {
  const position = offsetPosition(spec.east ?? 0, spec.north ?? 0);
  const row = await db
    .insertInto("stays")
    .values({
      person_id: personId,
      source_kind: "gps",
      method: "{}",
      started_at: MARCH_2 + spec.from * MINUTE,
      last_fix_at: MARCH_2 + spec.lastFix * MINUTE,
      finished_at: MARCH_2 + (spec.to ?? spec.lastFix) * MINUTE,
      latitude: position.latitude,
      longitude: position.longitude,
      radius_meters: spec.radius ?? 0,
      fix_count: 10,
      province_code: null,
      municipality_code: null,
      submunicipality_code: null,
      created_at: Date.now(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return `stay-${row.id}`;
}

/** Stores a disclosed visit on 2020-03-04, known only to the day, `northMeters` north of the origin. */
async function insertVisit(
  db: Kysely<Database>,
  personId: string,
  caseId: string,
  northMeters: number,
): Promise<string> {
  const position = offsetPosition(0, northMeters);
  const sourceKind: SourceKind = "disclosed_visit";
  const row = await db
    .insertInto("location_records")
    .values({
      person_id: personId,
      case_id: caseId,
      source_kind: sourceKind,
      import_id: null,
      started_at: null,
      ended_at: null,
      visit_date: "2020-03-04",
      latitude: position.latitude,
      longitude: position.longitude,
      radius_meters: null,
      altitude_meters: null,
      place_name: null,
      place_types: "[]",
      address: null,
      province: "Seoul",
      city: null,
      province_code: null,
      municipality_code: null,
      submunicipality_code: null,
      flags: "[]",
      source_rows: "[]",
      note: null,
      created_at: Date.now(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return `record-${row.id}`;
}
