import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { offsetPosition } from "../analysis/stays/testing.js";
import { importProviderFiles } from "../ingest/provider/index.js";
import { openFieldKeys, type FieldKeys } from "../privacy/index.js";
import { openStore, type LocationRecord, type Store } from "../store/index.js";
import { isFix, type RouteRecordRow } from "./route-records.js";
import { reachesOf } from "./store-reaches.js";
import {
  ROUTE_CONTEXT_MS,
  selectAroundWindows,
  selectWindowByWindow,
} from "./store-routes.js";
import { loadStays, loadStaysAroundWindows } from "./store-stays.js";

const NINE_AM = Date.parse("2024-03-05T09:00:00+09:00");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let dataDir: string;
let store: Store;
let keys: FieldKeys;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-reaches-"));
  store = await openStore({ dataDir });
  keys = openFieldKeys(dataDir, {});
});

afterEach(async () => {
  keys.close();
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function insertPerson(id: string): Promise<void> {
  await store.db
    .insertInto("persons")
    .values({
      id,
      label: `Person ${id}`,
      name: null,
      phone_number: null,
      phone_number_hash: null,
      card_number: null,
      card_number_hash: null,
      key_case_id: null,
      sex: null,
      birth_year: null,
      country: null,
      home_province: null,
      home_city: null,
      source: "test",
      source_ref: id,
      created_at: 0,
    })
    .execute();
}

type RecordFields = Pick<
  LocationRecord,
  "source_kind" | "started_at" | "ended_at"
> &
  Partial<Pick<LocationRecord, "visit_date" | "radius_meters" | "flags">>;

/** Stores a location record of a person, metres east of Seoul City Hall. */
async function insertRecord(
  personId: string,
  eastMeters: number,
  fields: RecordFields,
): Promise<void> {
  const position = offsetPosition(eastMeters, 0);
  await store.db
    .insertInto("location_records")
    .values({
      person_id: personId,
      case_id: null,
      source_kind: fields.source_kind,
      import_id: null,
      started_at: fields.started_at,
      ended_at: fields.ended_at,
      visit_date: fields.visit_date ?? null,
      latitude: position.latitude,
      longitude: position.longitude,
      radius_meters: fields.radius_meters ?? null,
      altitude_meters: null,
      place_name: null,
      place_types: "[]",
      address: null,
      province: null,
      city: null,
      province_code: null,
      municipality_code: null,
      submunicipality_code: null,
      flags: fields.flags ?? "[]",
      source_rows: "[]",
      note: null,
      created_at: 0,
    })
    .execute();
}

/** Stores a GPS stay as an import detects it. */
async function insertGpsStay(
  personId: string,
  startedAt: number,
  finishedAt: number,
): Promise<void> {
  const position = offsetPosition(40, 0);
  await store.db
    .insertInto("stays")
    .values({
      person_id: personId,
      source_kind: "gps",
      method: "test",
      started_at: startedAt,
      finished_at: finishedAt,
      last_fix_at: finishedAt,
      latitude: position.latitude,
      longitude: position.longitude,
      radius_meters: 20,
      fix_count: 5,
      province_code: null,
      municipality_code: null,
      submunicipality_code: null,
      created_at: 0,
    })
    .execute();
}

/** Imports base-station records of a new phone, kept as a series. Returns the person id. */
async function importSeries(minutes: readonly number[]): Promise<string> {
  const phone = "010-7200-0001";
  const rows = minutes.map((minute) => {
    const instant = new Date(NINE_AM + minute * MINUTE).toISOString();
    const position = offsetPosition(0, 0);
    return `${phone},${instant},C1,micro,${position.latitude},${position.longitude},300,SKT\n`;
  });
  const file = path.join(dataDir, "cells.csv");
  fs.writeFileSync(
    file,
    "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n" +
      rows.join(""),
  );
  const { report } = await importProviderFiles(store, [file], {
    kind: "base-station",
    keys,
  });
  const series = await store.db
    .selectFrom("record_series")
    .select("person_id")
    .where("import_id", "=", report.importId!)
    .executeTakeFirstOrThrow();
  return series.person_id;
}

/**
 * Fills the store with persons whose rows test each condition of the
 * reach query, around 09:00 to 14:00 on the day of `NINE_AM`.
 */
async function fillStore(): Promise<string[]> {
  const at = (minutes: number) => NINE_AM + minutes * MINUTE;
  const persons = ["checkins", "gps", "fixes", "dated", "none"];
  for (const id of persons) {
    await insertPerson(id);
  }

  await insertRecord("checkins", 0, {
    source_kind: "checkin",
    started_at: at(30),
    ended_at: at(90),
  });
  await insertRecord("checkins", 0, {
    source_kind: "checkin",
    started_at: at(200),
    ended_at: at(200),
    flags: '["end_unknown"]',
  });
  await insertRecord("checkins", 500, {
    source_kind: "checkin",
    started_at: at(-3 * 24 * 60),
    ended_at: at(-3 * 24 * 60 + 30),
  });
  // Starts three days before the reach and ends inside it.
  await insertRecord("checkins", 900, {
    source_kind: "checkin",
    started_at: at(-3 * 24 * 60),
    ended_at: at(60),
  });
  await insertRecord("checkins", 100, {
    source_kind: "card",
    started_at: at(45),
    ended_at: at(45),
  });

  await insertGpsStay("gps", at(0), at(50));
  for (const minute of [0, 10, 20, 30, 40, 50]) {
    await insertRecord("gps", 40, {
      source_kind: "gps",
      started_at: at(minute),
      ended_at: at(minute),
      radius_meters: 10,
    });
  }
  // A place visit of a location history, which the stored stays do not replace.
  await insertRecord("gps", 300, {
    source_kind: "gps",
    started_at: at(120),
    ended_at: at(180),
  });

  for (const minute of [0, 5, 10, 15, 20, 25, 30]) {
    await insertRecord("fixes", 700, {
      source_kind: "gps",
      started_at: at(minute),
      ended_at: null,
      radius_meters: 10,
    });
  }

  await insertRecord("dated", 0, {
    source_kind: "interview",
    started_at: null,
    ended_at: null,
    visit_date: "2024-03-05",
  });
  await insertRecord("dated", 200, {
    source_kind: "interview",
    started_at: null,
    ended_at: null,
    visit_date: "2024-03-20",
  });
  // Its visit date lies in the reach, its times four days after it.
  await insertRecord("dated", 400, {
    source_kind: "disclosed_visit",
    started_at: at(4 * 24 * 60),
    ended_at: at(4 * 24 * 60 + 60),
    visit_date: "2024-03-05",
  });

  persons.push(await importSeries([0, 2, 4, 6, 8, 10, 12, 60, 62, 64, 66]));
  return persons.sort();
}

describe("reachesOf", () => {
  it("joins overlapping and touching windows", () => {
    const windows = new Map([
      [
        "a",
        [
          { startsAt: 10 * HOUR, endsAt: 11 * HOUR },
          { startsAt: 0, endsAt: HOUR },
          { startsAt: 3 * HOUR, endsAt: 4 * HOUR },
          { startsAt: 6 * HOUR, endsAt: 7 * HOUR },
        ],
      ],
    ]);

    const reaches = reachesOf(["a", "b"], windows, HOUR);

    expect(reaches).toEqual([
      { personId: "a", startsAt: -HOUR, endsAt: 8 * HOUR },
      { personId: "a", startsAt: 9 * HOUR, endsAt: 12 * HOUR },
    ]);
  });
});

describe("loadStaysAroundWindows", () => {
  it("matches loadStays for one reach", async () => {
    const personIds = await fillStore();
    const window = { startsAt: NINE_AM, endsAt: NINE_AM + 5 * HOUR };
    // Two windows whose reaches join into the reach of `window`.
    const windowsByPerson = new Map(
      personIds.map((personId) => [
        personId,
        [
          { startsAt: NINE_AM + 2 * HOUR, endsAt: window.endsAt },
          { startsAt: window.startsAt, endsAt: NINE_AM + 3 * HOUR },
        ],
      ]),
    );

    const stays = await loadStaysAroundWindows(store.db, windowsByPerson, {
      window,
      contextMs: ROUTE_CONTEXT_MS,
    });
    const expected = await loadStays(store.db, { personIds, window });

    expect(expected.length).toBeGreaterThan(0);
    expect(stays).toEqual(expected);
  });
});

describe("selectAroundWindows", () => {
  it("reads the rows of the window-by-window query", async () => {
    const personIds = await fillStore();
    const windows = [
      { startsAt: NINE_AM, endsAt: NINE_AM + HOUR },
      { startsAt: NINE_AM + 30 * MINUTE, endsAt: NINE_AM + 3 * HOUR },
      { startsAt: NINE_AM + 4 * DAY, endsAt: NINE_AM + 4 * DAY + HOUR },
    ];
    const windowsByPerson = new Map(
      personIds.map((personId, index) => [
        personId,
        index % 2 === 0 ? windows : windows.slice(1),
      ]),
    );
    const contextMs = 2 * HOUR;

    const rows = await selectAroundWindows(
      store.db,
      personIds,
      windowsByPerson,
      contextMs,
    );
    const expected = await selectWindowByWindow(
      store.db,
      personIds,
      windowsByPerson,
      contextMs,
    );

    expect(rows.storedStays).toEqual(expected.storedStays);
    expect(rows.storedStays.length).toBeGreaterThan(0);
    // A route ignores the GPS fixes of a person with stored stays, and the
    // window-by-window query leaves them out only in reaches with a stay.
    const withStays = new Set(
      expected.storedStays.map((stay) => stay.person_id),
    );
    const used = (record: RouteRecordRow) =>
      !(
        withStays.has(record.person_id) &&
        record.source_kind === "gps" &&
        isFix(record)
      );
    expect(rows.records.filter(used)).toEqual(expected.records.filter(used));
    expect(new Set(rows.records.map((record) => record.person_id))).toEqual(
      new Set(personIds.filter((personId) => personId !== "none")),
    );
  });
});
