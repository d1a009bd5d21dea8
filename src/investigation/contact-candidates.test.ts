import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { offsetPosition } from "../analysis/stays/testing.js";
import { importProviderFiles } from "../ingest/provider/index.js";
import { openFieldKeys, type FieldKeys } from "../privacy/index.js";
import { deleteSeries, openStore, type Store } from "../store/index.js";
import { selectCandidates } from "./contact-candidates.js";
import { loadStays } from "./store-stays.js";

const NINE_AM = Date.parse("2024-03-05T09:00:00+09:00");
const MINUTE = 60_000;

let dataDir: string;
let store: Store;
let keys: FieldKeys;
let importCount = 0;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-candidates-"));
  store = await openStore({ dataDir });
  keys = openFieldKeys(dataDir, {});
  for (const id of ["case", "near", "late", "far", "cell"]) {
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
});

afterEach(async () => {
  keys.close();
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Stores a check-in; minutes after 09:00, metres east of Seoul City Hall. */
async function insertCheckIn(
  personId: string,
  fromMinute: number,
  toMinute: number,
  eastMeters: number,
  source: "checkin" | "base_station" = "checkin",
): Promise<number> {
  const position = offsetPosition(eastMeters, 0);
  const row = await store.db
    .insertInto("location_records")
    .values({
      person_id: personId,
      case_id: null,
      source_kind: source,
      import_id: null,
      started_at: NINE_AM + fromMinute * MINUTE,
      ended_at: NINE_AM + toMinute * MINUTE,
      visit_date: null,
      latitude: position.latitude,
      longitude: position.longitude,
      radius_meters: source === "checkin" ? 30 : 300,
      altitude_meters: null,
      place_name: null,
      place_types: "[]",
      address: null,
      province: null,
      city: null,
      province_code: null,
      municipality_code: null,
      submunicipality_code: null,
      flags: "[]",
      source_rows: "[]",
      note: null,
      created_at: 0,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Imports base-station records of one new phone through the provider
 * import, which keeps them as a series. Each record is given as minutes
 * after 09:00 and metres east of Seoul City Hall. Returns the person id.
 */
async function importCells(
  records: readonly (readonly [number, number])[],
): Promise<string> {
  importCount++;
  const phone = `010-7100-${String(importCount).padStart(4, "0")}`;
  const rows = records.map(([minute, eastMeters]) => {
    const instant = new Date(NINE_AM + minute * MINUTE).toISOString();
    const position = offsetPosition(eastMeters, 0);
    return `${phone},${instant},C${eastMeters},micro,${position.latitude},${position.longitude},300,SKT\n`;
  });
  const file = path.join(dataDir, `cells-${importCount}.csv`);
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

async function candidatesOfCase(): Promise<string[]> {
  const caseStays = await loadStays(store.db, { personIds: ["case"] });
  const candidates = await selectCandidates(store.db, caseStays, {
    casePersonId: "case",
    contactDistanceMeters: 2,
  });
  return [...candidates.keys()].sort();
}

describe("selectCandidates", () => {
  it("finds persons near a case stay", async () => {
    await insertCheckIn("case", 0, 60, 0);
    await insertCheckIn("near", 30, 90, 40);
    // Starts 3 hours after the case left: beyond the 2-hour margin.
    await insertCheckIn("late", 240, 300, 0);
    await insertCheckIn("far", 0, 60, 2_000);
    // One base-station record 900 m away, whose stay may reach the case.
    await insertCheckIn("cell", 10, 10, 900, "base_station");

    expect(await candidatesOfCase()).toEqual(["cell", "near"]);
  });

  it("follows deleted and moved records", async () => {
    await insertCheckIn("case", 0, 60, 0);
    const near = await insertCheckIn("near", 30, 90, 40);
    const far = await insertCheckIn("far", 0, 60, 2_000);

    await store.db
      .deleteFrom("location_records")
      .where("id", "=", near)
      .execute();
    const moved = offsetPosition(20, 0);
    await store.db
      .updateTable("location_records")
      .set({ latitude: moved.latitude, longitude: moved.longitude })
      .where("id", "=", far)
      .execute();

    expect(await candidatesOfCase()).toEqual(["far"]);
  });

  it("finds series and follows their deletion", async () => {
    await insertCheckIn("case", 0, 60, 0);
    const seriesPersonId = await importCells([
      [20, 900],
      [50, 900],
    ]);
    const farPersonId = await importCells([[20, 5_000]]);

    const found = await candidatesOfCase();
    await store.db
      .transaction()
      .execute((trx) => deleteSeries(trx, { personIds: [seriesPersonId] }));
    const afterDeletion = await candidatesOfCase();

    expect(found).toEqual([seriesPersonId]);
    expect(found).not.toContain(farPersonId);
    expect(afterDeletion).toEqual([]);
  });

  it("gives each candidate the case stay windows", async () => {
    await insertCheckIn("case", 0, 60, 0);
    await insertCheckIn("case", 600, 660, 0);
    await insertCheckIn("near", 30, 90, 40);
    const caseStays = await loadStays(store.db, { personIds: ["case"] });

    const candidates = await selectCandidates(store.db, caseStays, {
      casePersonId: "case",
      contactDistanceMeters: 2,
    });

    expect(candidates.get("near")).toEqual([
      { startsAt: NINE_AM, endsAt: NINE_AM + 60 * MINUTE },
    ]);
  });
});
