import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import SqliteDatabase from "better-sqlite3";

import { ensureProvinceHealthOffice } from "../src/accounts/organisations.js";
import { createUser } from "../src/accounts/users.js";
import { listCaseContacts } from "../src/investigation/index.js";
import { openStore } from "../src/store/index.js";
import { SQLITE_FILE_NAME } from "../src/store/sqlite/connect.js";
import type { BenchmarkResult } from "./result.js";

const OTHER_PERSONS = 100_000;
const DAYS = 14;
const STAYS_PER_DAY = 4;
const CELL_RECORDS = 10_000;
const CARD_PAYMENTS = 300;
const CHECK_INS = 50;
const RUNS = 5;

/** 2024-03-01 00:00 in Seoul, the first day of the data. */
const FIRST_DAY_MS = Date.parse("2024-03-01T00:00:00+09:00");
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Side of the square around Seoul City Hall where everyone stays, in metres. */
const SQUARE_METERS = 20_000;
const ORIGIN = { latitude: 37.5665, longitude: 126.978 };
const METERS_PER_DEGREE = 111_195;

/** Radius of the case's cells: micro cells, as in a dense city. */
const CELL_RADIUS_METERS = 300;

const CARD_CATEGORIES = ["한식", "카페", "편의점", "약국", "슈퍼", "주점"];

type Random = () => number;

function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Place {
  latitude: number;
  longitude: number;
}

function randomPlace(random: Random): Place {
  return offset(
    ORIGIN,
    (random() - 0.5) * SQUARE_METERS,
    (random() - 0.5) * SQUARE_METERS,
  );
}

function offset(place: Place, eastMeters: number, northMeters: number): Place {
  const cosLatitude = Math.cos((place.latitude * Math.PI) / 180);
  return {
    latitude: place.latitude + northMeters / METERS_PER_DEGREE,
    longitude: place.longitude + eastMeters / (METERS_PER_DEGREE * cosLatitude),
  };
}

/** One row of `location_records`, in the column order of `INSERT_RECORD`. */
type RecordRow = [
  personId: string,
  caseId: string | null,
  sourceKind: string,
  startedAt: number,
  endedAt: number | null,
  latitude: number,
  longitude: number,
  radiusMeters: number | null,
  placeName: string | null,
  placeTypes: string,
  details: string,
];

const INSERT_RECORD = `insert into location_records
  (person_id, case_id, source_kind, import_id, started_at, ended_at, visit_date,
   latitude, longitude, radius_meters, altitude_meters, place_name, place_types,
   address, province, city, province_code, municipality_code, submunicipality_code,
   flags, source_rows, note, details, created_at)
  values (?, ?, ?, null, ?, ?, null, ?, ?, ?, null, ?, ?, null, null, null, null, null, null,
   '[]', '[]', null, ?, ?)`;

/**
 * Generates the case's two weeks: at home until 08:00, at work from 08:40 to 18:00
 * with lunch near work, at an evening place until 20:30, then home. Its
 * phone is seen every 2 minutes or so at the cell of where it is, its card
 * is used at merchants near it, and it checks in at some of them.
 */
function caseRecords(personId: string, caseId: string): RecordRow[] {
  const random = seededRandom(7);
  const home = randomPlace(random);
  const work = randomPlace(random);
  const rows: RecordRow[] = [];
  const placeAt: { from: number; to: number; place: Place }[] = [];

  for (let day = 0; day < DAYS; day++) {
    const dayStart = FIRST_DAY_MS + day * DAY_MS;
    const lunch = offset(work, (random() - 0.5) * 800, (random() - 0.5) * 800);
    const evening = randomPlace(random);
    const minute = (m: number) => dayStart + m * MINUTE_MS;
    placeAt.push(
      { from: minute(0), to: minute(480), place: home },
      { from: minute(520), to: minute(720), place: work },
      { from: minute(720), to: minute(780), place: lunch },
      { from: minute(780), to: minute(1080), place: work },
      { from: minute(1120), to: minute(1230), place: evening },
      { from: minute(1260), to: minute(1440), place: home },
    );
  }

  const interval = (DAYS * DAY_MS) / CELL_RECORDS;
  for (let i = 0; i < CELL_RECORDS; i++) {
    const at = Math.round(FIRST_DAY_MS + i * interval + random() * 30_000);
    const slot = placeAt.find((entry) => at >= entry.from && at < entry.to);
    // Between places the phone is seen at cells anywhere on the way.
    const cell =
      slot === undefined
        ? randomPlace(random)
        : offset(slot.place, (random() - 0.5) * 200, (random() - 0.5) * 200);
    rows.push([
      personId,
      caseId,
      "base_station",
      at,
      at,
      cell.latitude,
      cell.longitude,
      CELL_RADIUS_METERS,
      null,
      "[]",
      JSON.stringify({ cellId: `cell-${Math.round(cell.latitude * 1e4)}` }),
    ]);
  }

  for (let i = 0; i < CARD_PAYMENTS; i++) {
    const slot = placeAt[Math.floor(random() * placeAt.length)]!;
    const at = Math.round(slot.from + random() * (slot.to - slot.from));
    const shop = offset(
      slot.place,
      (random() - 0.5) * 150,
      (random() - 0.5) * 150,
    );
    const category = CARD_CATEGORIES[i % CARD_CATEGORIES.length]!;
    rows.push([
      personId,
      caseId,
      "card",
      at,
      at,
      shop.latitude,
      shop.longitude,
      null,
      `가맹점 ${i}`,
      JSON.stringify([category]),
      JSON.stringify({ amountKrw: 5_000 + i }),
    ]);
  }

  for (let i = 0; i < CHECK_INS; i++) {
    const slot = placeAt[Math.floor(random() * placeAt.length)]!;
    const at = Math.round(
      slot.from + random() * (slot.to - slot.from - 3_600_000),
    );
    const venue = offset(
      slot.place,
      (random() - 0.5) * 150,
      (random() - 0.5) * 150,
    );
    rows.push([
      personId,
      caseId,
      "checkin",
      at,
      at + (30 + Math.floor(random() * 30)) * MINUTE_MS,
      venue.latitude,
      venue.longitude,
      null,
      `시설 ${i}`,
      "[]",
      "{}",
    ]);
  }
  return rows;
}

/** Check-ins of one other person: 4 a day of 1 to 3 hours at random places of the square. */
function otherRecords(personId: string, random: Random): RecordRow[] {
  const rows: RecordRow[] = [];
  for (let day = 0; day < DAYS; day++) {
    for (let k = 0; k < STAYS_PER_DAY; k++) {
      const place = randomPlace(random);
      const startedAt = Math.round(
        FIRST_DAY_MS + day * DAY_MS + (k * 6 + random() * 3) * 3_600_000,
      );
      const endedAt = startedAt + Math.round((1 + random() * 2) * 3_600_000);
      rows.push([
        personId,
        null,
        "checkin",
        startedAt,
        endedAt,
        place.latitude,
        place.longitude,
        null,
        null,
        "[]",
        "{}",
      ]);
    }
  }
  return rows;
}

interface BuiltStore {
  dataDir: string;
  caseId: string;
  organisationId: string;
  rowCount: number;
  buildSeconds: number;
}

/**
 * Folder of a store to keep between runs, from `EPITRACE_BENCH_STORE`:
 * the first run builds the store there and later runs reuse it. Without
 * it, each run builds a store in a temporary folder and removes it.
 */
const KEPT_STORE_DIR = process.env.EPITRACE_BENCH_STORE;

/** File in a kept store's folder that describes what was built. */
const BUILT_STORE_FILE = "bench-store.json";

/** Reads the description of a kept store, or returns undefined when none was built there. */
function readKeptStore(dataDir: string): BuiltStore | undefined {
  const file = path.join(dataDir, BUILT_STORE_FILE);
  if (!fs.existsSync(file)) {
    return undefined;
  }
  const built = JSON.parse(fs.readFileSync(file, "utf8")) as BuiltStore;
  return { ...built, dataDir };
}

/** Creates the store and fills it by bulk insertion with prepared statements, in one transaction per batch. */
async function buildStore(keptDir: string | undefined): Promise<BuiltStore> {
  const started = process.hrtime.bigint();
  const dataDir =
    keptDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-bench-"));
  if (
    keptDir !== undefined &&
    fs.existsSync(path.join(keptDir, SQLITE_FILE_NAME))
  ) {
    throw new Error(
      `${keptDir} contains a store without ${BUILT_STORE_FILE}, so its build did not finish; remove the folder or set EPITRACE_BENCH_STORE to another one.`,
    );
  }
  const store = await openStore({ dataDir });
  const office = await ensureProvinceHealthOffice(store.db, "11");
  await store.close();

  const database = new SqliteDatabase(path.join(dataDir, SQLITE_FILE_NAME));
  // The build is thrown away on failure, so it needs no journal, and a
  // large page cache keeps the person index and the R*Tree in memory.
  database.pragma("journal_mode = OFF");
  database.pragma("synchronous = OFF");
  database.pragma("cache_size = -4000000");
  const now = Date.now();
  const insertPerson = database.prepare(
    "insert into persons (id, label, source, source_ref, created_at) values (?, ?, 'bench', ?, ?)",
  );
  const insertRecord = database.prepare(INSERT_RECORD);
  const insertRows = database.transaction((rows: RecordRow[]) => {
    for (const row of rows) insertRecord.run(...row, now);
  });

  const casePersonId = randomUUID();
  const caseId = randomUUID();
  insertPerson.run(casePersonId, "Bench case", "case", now);
  database
    .prepare(
      `insert into cases (id, case_number, person_id, organisation_id, province,
        symptom_onset_date, confirmed_date, isolation_date, status, created_at, updated_at)
       values (?, 'BENCH-1', ?, ?, 'Seoul', '2024-03-10', '2024-03-13', '2024-03-14', 'open', ?, ?)`,
    )
    .run(caseId, casePersonId, office.id, now, now);
  const caseRows = caseRecords(casePersonId, caseId);
  insertRows(caseRows);

  const random = seededRandom(11);
  let rowCount = caseRows.length;
  const insertPersons = database.transaction((ids: string[]) => {
    for (const id of ids)
      insertPerson.run(id, `Bench ${id.slice(0, 8)}`, id, now);
  });
  for (let start = 0; start < OTHER_PERSONS; start += 1_000) {
    const ids = Array.from({ length: 1_000 }, () => randomUUID());
    insertPersons(ids);
    const rows = ids.flatMap((id) => otherRecords(id, random));
    insertRows(rows);
    rowCount += rows.length;
  }
  database.close();

  const built = {
    dataDir,
    caseId,
    organisationId: office.id,
    rowCount,
    buildSeconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
  if (keptDir !== undefined) {
    fs.writeFileSync(
      path.join(keptDir, BUILT_STORE_FILE),
      JSON.stringify(built),
    );
  }
  return built;
}

/**
 * Times the store contact search of one case (route fusion of its 14 days
 * of base-station records, card payments and check-ins, then contacts)
 * against 100,000 other persons with 4 check-in stays a day.
 */
export async function benchmarkAnalysisStore(): Promise<BenchmarkResult> {
  const kept =
    KEPT_STORE_DIR === undefined ? undefined : readKeptStore(KEPT_STORE_DIR);
  const built = kept ?? (await buildStore(KEPT_STORE_DIR));
  const store = await openStore({ dataDir: built.dataDir });
  try {
    const organisation = await store.db
      .selectFrom("organisations")
      .selectAll()
      .where("id", "=", built.organisationId)
      .executeTakeFirstOrThrow();
    const { user } = await createUser(store.db, {
      organisationId: organisation.id,
      // A kept store has the users of earlier runs, and usernames are unique.
      username: `bench.investigator.${randomUUID().slice(0, 8)}`,
      displayName: "Bench investigator",
      role: "investigator",
    });
    const context = {
      db: store.db,
      caller: { user, organisation, sourceAddress: null },
    };

    const runs: number[] = [];
    let summary = "";
    for (let run = 0; run < RUNS; run++) {
      const started = process.hrtime.bigint();
      const result = await listCaseContacts(context, built.caseId);
      runs.push(Number(process.hrtime.bigint() - started) / 1e6);
      summary =
        `${result.caseStays.length} case stays, ${result.searchedStayCount.toLocaleString("en")} stays of others read, ` +
        `${result.contacts.length} contacts, ${result.possibleContacts.length} possible`;
    }
    const mean = runs.reduce((sum, ms) => sum + ms, 0) / runs.length;

    return {
      name: "store contact search with route fusion (`bench/analysis-store.ts`)",
      measure:
        `one case, 14 days: ${CELL_RECORDS.toLocaleString("en")} base-station records (${CELL_RADIUS_METERS} m cells), ${CARD_PAYMENTS} card payments, ${CHECK_INS} check-ins; ` +
        `${OTHER_PERSONS.toLocaleString("en")} other persons × ${DAYS} days × ${STAYS_PER_DAY} check-ins (${built.rowCount.toLocaleString("en")} records, built in ${Math.round(built.buildSeconds)} s${kept === undefined ? "" : ", reused"}); ` +
        `${summary}; mean of ${RUNS} (runs ${runs.map((ms) => Math.round(ms)).join(", ")} ms)`,
      value: mean,
      unit: "ms",
      target: "under 1,000 ms",
    };
  } finally {
    await store.close();
    if (KEPT_STORE_DIR === undefined) {
      fs.rmSync(built.dataDir, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await benchmarkAnalysisStore();
  process.stdout.write(
    `| ${result.name} | ${result.measure} | ${Math.round(result.value).toLocaleString("en")} ${result.unit} | ${result.target} |\n`,
  );
}
