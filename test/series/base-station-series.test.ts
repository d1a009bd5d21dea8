import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { AccessContext } from "../../src/access/index.js";
import { createUser } from "../../src/accounts/index.js";
import { ensureProvinceHealthOffice } from "../../src/accounts/organisations.js";
import { offsetPosition } from "../../src/analysis/stays/testing.js";
import { commandLineActor } from "../../src/audit/index.js";
import { listMovements, loadMovements } from "../../src/cases/index.js";
import { searchCases } from "../../src/cases/search.js";
import { importBoundaries } from "../../src/ingest/boundaries/index.js";
import { importProviderFiles } from "../../src/ingest/provider/index.js";
import { providerSourceRef } from "../../src/ingest/provider/persons.js";
import { selectCandidates } from "../../src/investigation/contact-candidates.js";
import { listCaseContacts } from "../../src/investigation/contacts.js";
import { loadCaseRoute, loadStays } from "../../src/investigation/index.js";
import { buildStoredRoutes } from "../../src/investigation/store-routes.js";
import { openFieldKeys, type FieldKeys } from "../../src/privacy/index.js";
import { removeUploadRecords } from "../../src/requests/record-import.js";
import {
  purgeCase,
  readRetentionSettings,
  runRetention,
  type PurgeContext,
} from "../../src/retention/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { SHARED_DATA } from "../support/system.js";

/** Seoul instant of a clock time on 2024-03-05, such as "09:25". */
function at(clock: string): number {
  return Date.parse(`2024-03-05T${clock}:00+09:00`);
}

/** CSV latitude and longitude, metres east and north of Seoul City Hall. */
function place(eastMeters: number, northMeters: number): string {
  const position = offsetPosition(eastMeters, northMeters);
  return `${position.latitude.toFixed(6)},${position.longitude.toFixed(6)}`;
}

const PHONES = {
  case: "010-5550-0101",
  contact: "010-5550-0102",
  later: "010-5550-0103",
} as const;

/**
 * One operator's response for three phones on 2024-03-05. The case phone
 * is at cell C1 from 09:00 to 10:30 and at C5, 3 km north, from 11:00 to
 * 12:00. The contact phone is at N1, 100 m from C1, from 09:00 to 10:30,
 * then 9 km west. The later phone is at C5 in the evening only, so C5 is
 * a site that two persons' series name.
 */
const CELL_ROWS: readonly [keyof typeof PHONES, string, string, string][] = [
  ["case", "09:00", "C1", place(0, 0)],
  ["contact", "09:00", "N1", place(100, 0)],
  ["case", "09:30", "C1", place(0, 0)],
  ["contact", "09:30", "N1", place(100, 0)],
  ["case", "10:00", "C1", place(0, 0)],
  ["contact", "10:00", "N1", place(100, 0)],
  ["case", "10:30", "C1", place(0, 0)],
  ["contact", "10:30", "N1", place(100, 0)],
  ["case", "11:00", "C5", place(0, 3000)],
  ["contact", "11:00", "W1", place(-9000, 0)],
  ["case", "11:30", "C5", place(0, 3000)],
  ["contact", "11:30", "W1", place(-9000, 0)],
  ["case", "12:00", "C5", place(0, 3000)],
  ["later", "20:00", "C5", place(0, 3000)],
  ["later", "20:30", "C5", place(0, 3000)],
];

const CELL_FILE =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n" +
  CELL_ROWS.map(
    ([phone, clock, cell, position]) =>
      `${PHONES[phone]},2024-03-05T${clock}:00+09:00,${cell},micro,${position},300,SKT\n`,
  ).join("");

const KOSTAT_2018 = path.join(SHARED_DATA, "korea-boundaries/kostat-2018");
const [PROVINCES, MUNICIPALITIES] = ["provinces", "municipalities"].map(
  (level) => path.join(KOSTAT_2018, `skorea-${level}-2018-topo-simple.json`),
) as [string, string];

interface World {
  dataDir: string;
  store: Store;
  keys: FieldKeys;
  importId: string;
  persons: Record<keyof typeof PHONES, string>;
  caseId: string;
  /** An investigator of the Seoul office, which registered the case. */
  seoul: AccessContext;
  /** An investigator of the Busan office, which may not see the case. */
  busan: AccessContext;
}

let world: World;

beforeEach(async () => {
  world = await seedWorld();
});

afterEach(async () => {
  world.keys.close();
  await world.store.close();
  fs.rmSync(world.dataDir, { recursive: true, force: true });
});

/** Imports the cell file through the real import and registers a Seoul case of the case phone. */
async function seedWorld(): Promise<World> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-series-"));
  const store = await openStore({ dataDir });
  const keys = openFieldKeys(dataDir, {});
  const file = path.join(dataDir, "cells.csv");
  fs.writeFileSync(file, CELL_FILE);
  const { report } = await importProviderFiles(store, [file], {
    kind: "base-station",
    keys,
  });
  fs.rmSync(file);

  const persons = {} as Record<keyof typeof PHONES, string>;
  for (const [name, phone] of Object.entries(PHONES)) {
    const person = await store.db
      .selectFrom("persons")
      .select("id")
      .where(
        "source_ref",
        "=",
        providerSourceRef(keys, phone.replace(/-/g, "")),
      )
      .executeTakeFirstOrThrow();
    persons[name as keyof typeof PHONES] = person.id;
  }

  const seoulOffice = await ensureProvinceHealthOffice(store.db, "11");
  const caseId = randomUUID();
  await store.db
    .insertInto("cases")
    .values({
      id: caseId,
      case_number: "SERIES-1",
      person_id: persons.case,
      organisation_id: seoulOffice.id,
      province: "Seoul",
      city: null,
      symptom_onset_date: "2024-03-06",
      test_date: null,
      confirmed_date: "2024-03-07",
      isolation_date: "2024-03-07",
      released_date: null,
      deceased_date: null,
      closed_date: null,
      status: "open",
      state: "isolated",
      infection_case: null,
      infected_by: null,
      contact_count: null,
      created_at: 0,
      updated_at: 0,
    })
    .execute();

  return {
    dataDir,
    store,
    keys,
    importId: report.importId!,
    persons,
    caseId,
    seoul: await investigatorOf(store, "11", "seoul.investigator"),
    busan: await investigatorOf(store, "21", "busan.investigator"),
  };
}

async function investigatorOf(
  store: Store,
  provinceCode: string,
  username: string,
): Promise<AccessContext> {
  const organisation = await ensureProvinceHealthOffice(store.db, provinceCode);
  const { user } = await createUser(store.db, {
    username,
    displayName: username,
    role: "investigator",
    organisationId: organisation.id,
  });
  return {
    db: store.db,
    caller: { user, organisation, sourceAddress: null },
  };
}

/** Rows of every series table, to check what a deletion left. */
async function seriesTables(store: Store) {
  const { db } = store;
  const series = await db
    .selectFrom("record_series")
    .select(["id", "person_id", "record_count", "segment_count"])
    .orderBy("id")
    .execute();
  const records = await db
    .selectFrom("series_records")
    .select(["series_id", "seq", "site_id"])
    .orderBy("series_id")
    .orderBy("seq")
    .execute();
  const segments = store.sqlite
    .prepare("SELECT id, series_id FROM series_space_time ORDER BY id")
    .all() as { id: number; series_id: number }[];
  const sites = await db
    .selectFrom("record_sites")
    .select(["id", "details"])
    .orderBy("id")
    .execute();
  return { series, records, segments, sites };
}

/** Cell ids of the stored sites. */
function cellIdsOf(sites: readonly { details: string }[]): string[] {
  return sites
    .map((site) => (JSON.parse(site.details) as { cellId: string }).cellId)
    .sort();
}

/** Copies a person's records, as the view shows them, into rows of `location_records` of a new person. */
async function copyAsRows(store: Store, personId: string): Promise<string> {
  const copyId = `${personId}-rows`;
  await store.db
    .insertInto("persons")
    .values({
      id: copyId,
      label: "Copy",
      source: "test",
      source_ref: copyId,
      created_at: 0,
    })
    .execute();
  const records = await store.db
    .selectFrom("location_records_all")
    .selectAll()
    .where("person_id", "=", personId)
    .execute();
  for (const {
    id: _id,
    block_started_at: _blockStartedAt,
    block_ended_at: _blockEndedAt,
    ...record
  } of records) {
    await store.db
      .insertInto("location_records")
      .values({ ...record, person_id: copyId, import_id: null })
      .execute();
  }
  return copyId;
}

/** Returns a value without record ids and the person id, to compare the same records stored twice. */
function withoutIds(value: unknown, personId: string): unknown {
  return JSON.parse(
    JSON.stringify(value)
      .replaceAll(personId, "person")
      .replace(/record--?\d+/g, "record"),
  );
}

describe("base-station records kept as series", () => {
  it("are stored as series and shown by the view", async () => {
    const { db } = world.store;
    const rows = await db
      .selectFrom("location_records")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    const tables = await seriesTables(world.store);
    const shown = await db
      .selectFrom("location_records_all")
      .select(["person_id", "started_at"])
      .where("person_id", "=", world.persons.case)
      .orderBy("started_at")
      .execute();

    expect(Number(rows.count)).toBe(0);
    expect(tables.series).toHaveLength(3);
    expect(tables.records).toHaveLength(CELL_ROWS.length);
    expect(cellIdsOf(tables.sites)).toEqual(["C1", "C5", "N1", "W1"]);
    expect(shown.map((row) => row.started_at)).toEqual(
      ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00"].map(at),
    );
  });

  it("match the movements of rows", async () => {
    const copyId = await copyAsRows(world.store, world.persons.case);

    const movements = await loadMovements(world.store.db, world.persons.case);
    const fromRows = await loadMovements(world.store.db, copyId);

    expect(movements).toHaveLength(7);
    expect(movements[0]).toMatchObject({
      type: "visit",
      sourceKind: "base_station",
      startedAt: at("09:00"),
      radiusMeters: 300,
    });
    expect(withoutIds(movements, world.persons.case)).toEqual(
      withoutIds(fromRows, copyId),
    );
  });

  it("match the route of rows", async () => {
    const copyId = await copyAsRows(world.store, world.persons.case);

    const [route] = await buildStoredRoutes(
      world.store.db,
      [world.persons.case],
      {
        defaultRadiusMeters: 100,
      },
    );
    const [fromRows] = await buildStoredRoutes(world.store.db, [copyId], {
      defaultRadiusMeters: 100,
    });

    expect(route?.stays.length).toBeGreaterThanOrEqual(2);
    expect(route?.stays[0]).toMatchObject({
      source: "base_station",
      startedAt: at("09:00"),
    });
    expect(withoutIds(route, world.persons.case)).toEqual(
      withoutIds(fromRows, copyId),
    );
  });

  it("show in the case route and movements", async () => {
    const route = await loadCaseRoute(world.seoul, world.caseId);
    const movements = await listMovements(world.seoul, world.caseId);

    expect(route.stays.map((stay) => stay.source)).toContain("base_station");
    expect(route.stays[0]?.startedAt).toBe(at("09:00"));
    expect(movements).toHaveLength(7);
  });

  it("stay hidden from another office", async () => {
    await expect(loadCaseRoute(world.busan, world.caseId)).rejects.toThrow();
    await expect(listMovements(world.busan, world.caseId)).rejects.toThrow();
  });

  it("count in the case search", async () => {
    const result = await searchCases(world.seoul, {
      q: "SERIES-1",
      sort: "caseNumber",
      order: "asc",
      page: 1,
      pageSize: 10,
    });

    expect(result.items).toHaveLength(1);
    expect(result.items[0]?.visit_count).toBe(7);
  });
});

describe("contact search over series", () => {
  it("selects the nearby person by the series index", async () => {
    const caseStays = await loadStays(world.store.db, {
      personIds: [world.persons.case],
    });
    const candidates = await selectCandidates(world.store.db, caseStays, {
      casePersonId: world.persons.case,
      contactDistanceMeters: 2,
    });

    expect([...candidates.keys()]).toEqual([world.persons.contact]);
  });

  it("finds the contact of the case", async () => {
    const result = await listCaseContacts(world.seoul, world.caseId);
    const found = [...result.contacts, ...result.possibleContacts].map(
      (contact) => contact.person.personId,
    );

    expect(found).toContain(world.persons.contact);
    expect(found).not.toContain(world.persons.later);
  });

  it("finds a phone seen hours apart", async () => {
    // A phone seen only at 05:00 and 14:00, both times at S1, 150 m north
    // of C1: its one stay lasts from 05:00 to 14:00, and both its records
    // lie more than 3 hours from the case's stay at C1.
    const file = path.join(world.dataDir, "seldom.csv");
    fs.writeFileSync(
      file,
      "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n" +
        ["05:00", "14:00"]
          .map(
            (clock) =>
              `010-5550-0104,2024-03-05T${clock}:00+09:00,S1,micro,${place(0, 150)},300,SKT\n`,
          )
          .join(""),
    );
    await importProviderFiles(world.store, [file], {
      kind: "base-station",
      keys: world.keys,
    });
    const seldom = await world.store.db
      .selectFrom("persons")
      .select("id")
      .where("source_ref", "=", providerSourceRef(world.keys, "01055500104"))
      .executeTakeFirstOrThrow();

    const result = await listCaseContacts(world.seoul, world.caseId);
    const contact = result.contacts.find(
      (found) => found.person.personId === seldom.id,
    );

    expect(contact).toBeDefined();
    expect(contact!.certainMinutes).toBe(90);
  });

  it("loads the stays in a window and a box", async () => {
    const window = { startsAt: at("09:00"), endsAt: at("10:00") };
    const nearC1 = offsetPosition(50, 0);
    const bounds = {
      minLatitude: nearC1.latitude - 0.001,
      maxLatitude: nearC1.latitude + 0.001,
      minLongitude: nearC1.longitude - 0.001,
      maxLongitude: nearC1.longitude + 0.001,
    };
    const personsOf = (stays: readonly { personId: string }[]) =>
      [...new Set(stays.map((stay) => stay.personId))].sort();

    const inBoth = await loadStays(world.store.db, { window, bounds });
    const inWindow = await loadStays(world.store.db, { window });
    const inBox = await loadStays(world.store.db, { bounds });
    const evening = await loadStays(world.store.db, {
      window: { startsAt: at("19:00"), endsAt: at("21:00") },
    });

    const nearby = [world.persons.case, world.persons.contact].sort();
    expect(personsOf(inBoth)).toEqual(nearby);
    expect(personsOf(inWindow)).toEqual(nearby);
    expect(personsOf(inBox)).toEqual(nearby);
    expect(personsOf(evening)).toEqual([world.persons.later]);
  });
});

describe("retention of series", () => {
  function purgeContext(): PurgeContext {
    return {
      store: world.store,
      keys: world.keys,
      dataDir: world.dataDir,
      actor: commandLineActor("purge"),
    };
  }

  async function loadCase() {
    return world.store.db
      .selectFrom("cases")
      .selectAll()
      .where("id", "=", world.caseId)
      .executeTakeFirstOrThrow();
  }

  it("purges the case's series and keeps the others", async () => {
    const before = await seriesTables(world.store);
    const caseSeries = before.series.find(
      (row) => row.person_id === world.persons.case,
    )!;

    const certificate = await purgeCase(purgeContext(), await loadCase(), {
      authority: "Test",
    });
    const after = await seriesTables(world.store);

    expect(certificate.destroyed.locationRecords).toBe(7);
    expect(after.series).toEqual(
      before.series.filter((row) => row.id !== caseSeries.id),
    );
    expect(after.records).toEqual(
      before.records.filter((row) => row.series_id !== caseSeries.id),
    );
    expect(after.segments).toEqual(
      before.segments.filter((row) => row.series_id !== caseSeries.id),
    );
    // C1 was the case's alone; C5 is also a site of the later phone.
    expect(cellIdsOf(after.sites)).toEqual(["C5", "N1", "W1"]);
  });

  it("counts the same in a dry run and deletes nothing", async () => {
    const before = await seriesTables(world.store);

    const certificate = await purgeCase(purgeContext(), await loadCase(), {
      authority: "Test",
      dryRun: true,
    });

    expect(certificate.destroyed.locationRecords).toBe(7);
    expect(await seriesTables(world.store)).toEqual(before);
  });

  it("deletes the series of a closed case past retention", async () => {
    await world.store.db
      .updateTable("cases")
      .set({ status: "closed", closed_date: "2024-03-20" })
      .where("id", "=", world.caseId)
      .execute();

    const certificates = await runRetention(purgeContext(), {
      settings: readRetentionSettings({}),
      authority: "Retention period",
      now: Date.parse("2024-06-01T00:00:00+09:00"),
    });
    const after = await seriesTables(world.store);

    expect(certificates).toHaveLength(1);
    expect(certificates[0]?.scope).toBe("records");
    expect(certificates[0]?.destroyed.locationRecords).toBe(7);
    const kept = new Set(after.series.map((row) => row.id));
    expect(after.series.map((row) => row.person_id).sort()).toEqual(
      [world.persons.contact, world.persons.later].sort(),
    );
    expect(after.records.every((row) => kept.has(row.series_id))).toBe(true);
    expect(after.segments.every((row) => kept.has(row.series_id))).toBe(true);
    expect(cellIdsOf(after.sites)).toEqual(["C5", "N1", "W1"]);
  });

  it("leaves no series after the epidemic ends", async () => {
    const certificates = await runRetention(purgeContext(), {
      settings: readRetentionSettings({}),
      authority: "End of the epidemic",
      epidemicEndedDate: "2024-06-01",
      now: Date.parse("2024-06-02T00:00:00+09:00"),
    });
    const after = await seriesTables(world.store);

    expect(certificates.map((row) => row.scope)).toEqual([
      "case",
      "persons_without_case",
    ]);
    expect(certificates[1]?.destroyed.persons).toBe(2);
    expect(certificates[1]?.destroyed.locationRecords).toBe(8);
    expect(after).toEqual({ series: [], records: [], segments: [], sites: [] });
  });
});

describe("removal of an import's records", () => {
  it("deletes its series and sites", async () => {
    const removed = await world.store.db
      .transaction()
      .execute((trx) => removeUploadRecords(trx, world.importId));

    expect(removed).toBe(CELL_ROWS.length);
    expect(await seriesTables(world.store)).toEqual({
      series: [],
      records: [],
      segments: [],
      sites: [],
    });
  });
});

describe("area labels of series sites", () => {
  it("are set by a boundaries import", async () => {
    await importBoundaries(world.store, [PROVINCES, MUNICIPALITIES]);

    const sites = await world.store.db
      .selectFrom("record_sites")
      .select(["province_code", "municipality_code"])
      .execute();
    const movements = await loadMovements(world.store.db, world.persons.case);

    expect(sites).toHaveLength(4);
    expect(sites.every((site) => site.province_code === "11")).toBe(true);
    expect(sites.every((site) => site.municipality_code !== null)).toBe(true);
    expect(movements[0]?.area?.provinceName).toBe("서울특별시");
  });
});
