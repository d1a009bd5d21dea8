import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { createOrganisation } from "../../accounts/organisations.js";
import { generateStaypoints } from "../../analysis/staypoints/index.js";
import { openStore, type Store } from "../../store/index.js";
import { importBoundaries } from "../boundaries/index.js";
import { ImportValidationError } from "../report.js";
import {
  GEOLIFE_STAYPOINT_OPTIONS,
  importGeolife,
  readGeolifeFixes,
} from "./index.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
const GEOLIFE_LONG = path.resolve(
  REPO_ROOT,
  "../shared/data/mobility/trackintel/geolife_long",
);
const KOSTAT_2018 = path.resolve(
  REPO_ROOT,
  "../shared/data/korea-boundaries/kostat-2018",
);

const cleanups: (() => Promise<void>)[] = [];

async function openTempStore(): Promise<Store> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-geolife-"));
  const store = await openStore({ dataDir });
  cleanups.push(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return store;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) {
    await cleanup();
  }
});

const PLT_HEADER = [
  "Geolife trajectory",
  "WGS 84",
  "Altitude is in Feet",
  "Reserved 3",
  "0,2,255,My Track,0,0,2,8421376",
  "0",
];

/** Writes `<root>/<userId>/Trajectory/<name>` and returns the root folder. */
function writeUserPlt(userId: string, lines: readonly string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-plt-"));
  cleanups.push(async () => fs.rmSync(root, { recursive: true, force: true }));
  const folder = path.join(root, userId, "Trajectory");
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, "20200301000000.plt"),
    [...PLT_HEADER, ...lines].join("\r\n"),
  );
  return root;
}

/** Fixes every minute from 00:00 UTC, near Gwanghwamun in Seoul. */
function seoulFixLines(count: number, altitudeFeet: number): string[] {
  return Array.from({ length: count }, (_, minute) => {
    const time = `00:${String(minute).padStart(2, "0")}:00`;
    const latitude = (37.5729 + minute * 0.00001).toFixed(6);
    return `${latitude},126.9794,0,${altitudeFeet},43891.0,2020-03-01,${time}`;
  });
}

async function countRows(
  store: Store,
  table: "persons" | "cases" | "location_records" | "stays" | "imports",
): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe("importGeolife on trackintel's geolife_long", () => {
  it("stores a person per user and every fix", async () => {
    const store = await openTempStore();
    const report = await importGeolife(store, GEOLIFE_LONG);

    expect(report.rowsRead).toBe(4241);
    expect(report.rowsReadBySource).toEqual({ "000": 1152, "001": 3089 });
    expect(report.records).toMatchObject({
      personsCreated: 2,
      casesCreated: 0,
      fixesCreated: 4241,
      staysCreated: 12,
    });
    expect(await countRows(store, "location_records")).toBe(4241);
    expect(await countRows(store, "stays")).toBe(12);
    expect(await countRows(store, "cases")).toBe(0);

    const persons = await store.db
      .selectFrom("persons")
      .select(["label", "source", "source_ref"])
      .orderBy("source_ref")
      .execute();
    expect(persons).toEqual([
      { label: "GeoLife 000", source: "geolife", source_ref: "000" },
      { label: "GeoLife 001", source: "geolife", source_ref: "001" },
    ]);
  });

  it("stores fixes as instants with altitude in metres", async () => {
    const store = await openTempStore();
    await importGeolife(store, GEOLIFE_LONG);

    const first = await store.db
      .selectFrom("location_records")
      .selectAll()
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const instant = Date.UTC(2008, 9, 23, 2, 53, 4);
    expect(first).toMatchObject({
      source_kind: "gps",
      started_at: instant,
      ended_at: instant,
      visit_date: null,
      latitude: 39.984702,
      longitude: 116.318417,
      source_rows: "[7]",
      case_id: null,
      province_code: null,
    });
    expect(first.altitude_meters).toBeCloseTo(492 * 0.3048, 9);
  });

  it("matches the staypoint module's stays", async () => {
    const store = await openTempStore();
    await importGeolife(store, GEOLIFE_LONG);

    const expected = (await readGeolifeFixes(GEOLIFE_LONG)).flatMap((user) =>
      generateStaypoints(
        user.fixes.map((fix) => ({
          trackedAt: fix.trackedAt,
          latitude: fix.latitude,
          longitude: fix.longitude,
          altitudeMeters: fix.altitudeFeet * 0.3048,
        })),
        GEOLIFE_STAYPOINT_OPTIONS,
      ),
    );
    const stays = await store.db
      .selectFrom("stays")
      .innerJoin("persons", "persons.id", "stays.person_id")
      .select([
        "persons.source_ref",
        "stays.started_at",
        "stays.finished_at",
        "stays.fix_count",
        "stays.method",
      ])
      .orderBy("persons.source_ref")
      .orderBy("stays.started_at")
      .execute();

    expect(stays.filter((stay) => stay.source_ref === "000")).toHaveLength(7);
    expect(stays.filter((stay) => stay.source_ref === "001")).toHaveLength(5);
    expect(
      stays.map((s) => [s.started_at, s.finished_at, s.fix_count]),
    ).toEqual(expected.map((s) => [s.startedAt, s.finishedAt, s.fixCount]));
    expect(JSON.parse(stays[0]!.method)).toEqual({
      method: "sliding",
      distThresholdMeters: 100,
      timeThresholdMinutes: 5,
      gapThresholdMinutes: 15,
      includeLast: true,
    });
  });

  it("adds nothing when imported again", async () => {
    const store = await openTempStore();
    const first = await importGeolife(store, GEOLIFE_LONG);
    const second = await importGeolife(store, GEOLIFE_LONG);

    expect(second.skippedAsAlreadyImported).toBe(true);
    expect(second.importId).toBe(first.importId);
    expect(await countRows(store, "location_records")).toBe(4241);
    expect(await countRows(store, "imports")).toBe(1);
  });

  it("does not store a fix twice from another path", async () => {
    const store = await openTempStore();
    await importGeolife(store, GEOLIFE_LONG);
    const stayIds = await store.db.selectFrom("stays").select("id").execute();

    const report = await importGeolife(store, path.join(GEOLIFE_LONG, "000"));
    expect(report.skippedAsAlreadyImported).toBe(false);
    expect(report.records.fixesCreated).toBe(0);
    expect(report.records.fixesAlreadyStored).toBe(1152);
    expect(report.merged).toEqual([
      expect.objectContaining({ reason: "already_stored", count: 1152 }),
    ]);
    expect(await countRows(store, "location_records")).toBe(4241);
    expect(await store.db.selectFrom("stays").select("id").execute()).toEqual(
      stayIds,
    );
  });

  it("registers a case per person on request", async () => {
    const store = await openTempStore();
    const office = await createOrganisation(store.db, {
      name: "Demo health office",
      kind: "health_office",
    });
    const report = await importGeolife(store, GEOLIFE_LONG, {
      registerCasesAt: office.id,
    });

    expect(report.records.casesCreated).toBe(2);
    const cases = await store.db
      .selectFrom("cases")
      .select(["case_number", "status", "organisation_id", "confirmed_date"])
      .orderBy("case_number")
      .execute();
    expect(cases).toEqual([
      {
        case_number: "GL-000",
        status: "open",
        organisation_id: office.id,
        confirmed_date: null,
      },
      {
        case_number: "GL-001",
        status: "open",
        organisation_id: office.id,
        confirmed_date: null,
      },
    ]);

    const withoutCase = await store.db
      .selectFrom("location_records")
      .select("id")
      .where("case_id", "is", null)
      .execute();
    expect(withoutCase).toHaveLength(0);
  });

  it("rejects an unknown organisation", async () => {
    const store = await openTempStore();

    await expect(
      importGeolife(store, GEOLIFE_LONG, { registerCasesAt: "no-such-id" }),
    ).rejects.toThrow(/Organisation no-such-id not found/);
    expect(await countRows(store, "persons")).toBe(0);
  });
});

describe("importGeolife on written PLT files", () => {
  it("labels fixes and stays in Seoul", async () => {
    const store = await openTempStore();
    await importBoundaries(
      store,
      ["provinces", "municipalities", "submunicipalities"].map((level) =>
        path.join(KOSTAT_2018, `skorea-${level}-2018-topo-simple.json`),
      ),
    );
    const root = writeUserPlt("042", seoulFixLines(10, 100));

    const report = await importGeolife(store, root);
    expect(report.records.fixesCreated).toBe(10);
    expect(report.records.staysCreated).toBe(1);

    const stay = await store.db
      .selectFrom("stays")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(stay).toMatchObject({
      started_at: Date.UTC(2020, 2, 1, 0, 0, 0),
      finished_at: Date.UTC(2020, 2, 1, 0, 9, 0),
      fix_count: 10,
      province_code: "11",
      municipality_code: "11010",
      submunicipality_code: "1101061",
    });
    const labelled = await store.db
      .selectFrom("location_records")
      .select("id")
      .where("submunicipality_code", "=", "1101061")
      .execute();
    expect(labelled).toHaveLength(10);
  });

  it("stores the unknown altitude as null", async () => {
    const store = await openTempStore();
    const root = writeUserPlt("043", seoulFixLines(2, -777));

    await importGeolife(store, root);
    const altitudes = await store.db
      .selectFrom("location_records")
      .select("altitude_meters")
      .execute();
    expect(altitudes).toEqual([
      { altitude_meters: null },
      { altitude_meters: null },
    ]);
  });

  it("rejects an unreadable line and stores nothing", async () => {
    const store = await openTempStore();
    const lines = seoulFixLines(3, 100);
    lines[1] = "95.1,126.9794,0,100,43891.0,2020-03-01,00:01:00";
    const root = writeUserPlt("044", lines);

    const failure = await importGeolife(store, root).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ImportValidationError);
    const example = (failure as ImportValidationError).report.rejected[0]
      ?.examples[0];
    expect(example).toMatchObject({
      file: "044/20200301000000.plt",
      row: 8,
      field: "latitude",
      value: "95.1",
      rule: "plt_format",
    });
    expect(await countRows(store, "persons")).toBe(0);
    expect(await countRows(store, "location_records")).toBe(0);
    expect(await countRows(store, "imports")).toBe(0);
  });
});
