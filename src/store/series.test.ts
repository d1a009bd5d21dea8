import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { importProviderFiles } from "../ingest/provider/index.js";
import { openFieldKeys, type FieldKeys } from "../privacy/index.js";
import {
  countSeriesRecords,
  deleteSeries,
  openStore,
  type Store,
} from "./index.js";

const HEADER =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n";

/** Two phones in one file; both name cell C1, and each one cell of its own. */
const FIRST_FILE =
  HEADER +
  "010-7000-0001,2024-03-05T09:00:00+09:00,C1,micro,37.5665,126.978,300,SKT\n" +
  "010-7000-0002,2024-03-05T09:05:00+09:00,C1,micro,37.5665,126.978,300,SKT\n" +
  "010-7000-0001,2024-03-05T15:00:00+09:00,C2,micro,37.6000,126.978,300,SKT\n" +
  "010-7000-0002,2024-03-05T15:05:00+09:00,C3,micro,37.5000,126.900,300,SKT\n";

/** The first phone again, in a second import. */
const SECOND_FILE =
  HEADER +
  "010-7000-0001,2024-03-06T09:00:00+09:00,C1,micro,37.5665,126.978,300,SKT\n";

let dataDir: string;
let store: Store;
let keys: FieldKeys;
let firstImportId: string;
let secondImportId: string;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-series-store-"));
  store = await openStore({ dataDir });
  keys = openFieldKeys(dataDir, {});
  firstImportId = await importCells("first.csv", FIRST_FILE);
  secondImportId = await importCells("second.csv", SECOND_FILE);
});

afterEach(async () => {
  keys.close();
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function importCells(name: string, content: string): Promise<string> {
  const file = path.join(dataDir, name);
  fs.writeFileSync(file, content);
  const { report } = await importProviderFiles(store, [file], {
    kind: "base-station",
    keys,
  });
  return report.importId!;
}

/** Returns the person ids of the series of an import, first phone first. */
async function personsOf(importId: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom("record_series")
    .select("person_id")
    .where("import_id", "=", importId)
    .orderBy("started_at")
    .execute();
  return rows.map((row) => row.person_id);
}

async function countRows(
  table: "record_series" | "series_records" | "record_sites",
): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

function segmentSeriesIds(): number[] {
  return store.sqlite
    .prepare("SELECT DISTINCT series_id FROM series_space_time ORDER BY 1")
    .pluck()
    .all() as number[];
}

describe("countSeriesRecords", () => {
  it("counts the records by source kind", async () => {
    const [first, second] = await personsOf(firstImportId);

    expect(await countSeriesRecords(store.db, { personIds: [first!] })).toEqual(
      {
        base_station: 3,
      },
    );
    expect(
      await countSeriesRecords(store.db, { personIds: [first!, second!] }),
    ).toEqual({ base_station: 5 });
    expect(
      await countSeriesRecords(store.db, { importId: secondImportId }),
    ).toEqual({ base_station: 1 });
  });

  it("applies the source-kind conditions", async () => {
    const [first] = await personsOf(firstImportId);

    expect(
      await countSeriesRecords(store.db, {
        personIds: [first!],
        sourceKinds: ["card"],
      }),
    ).toEqual({});
    expect(
      await countSeriesRecords(store.db, {
        personIds: [first!],
        excludedSourceKinds: ["card"],
      }),
    ).toEqual({ base_station: 3 });
  });

  it("rejects an empty selection", async () => {
    await expect(countSeriesRecords(store.db, {})).rejects.toThrow(
      /personIds, caseId or importId/,
    );
  });
});

describe("deleteSeries", () => {
  it("deletes a person's series of every import", async () => {
    const [first, second] = await personsOf(firstImportId);
    const secondSeries = await store.db
      .selectFrom("record_series")
      .select("id")
      .where("person_id", "=", second!)
      .executeTakeFirstOrThrow();

    const deletion = await store.db
      .transaction()
      .execute((trx) => deleteSeries(trx, { personIds: [first!] }));

    expect(deletion).toEqual({
      series: 2,
      records: 3,
      recordsBySourceKind: { base_station: 3 },
      // C2 of the first import and C1 of the second; C1 of the first
      // import is also the second phone's.
      sites: 2,
      segments: 3,
    });
    expect(await personsOf(firstImportId)).toEqual([second]);
    expect(await personsOf(secondImportId)).toEqual([]);
    expect(await countRows("series_records")).toBe(2);
    expect(await countRows("record_sites")).toBe(2);
    expect(segmentSeriesIds()).toEqual([secondSeries.id]);
  });

  it("deletes an import and keeps the other", async () => {
    const deletion = await store.db
      .transaction()
      .execute((trx) => deleteSeries(trx, { importId: firstImportId }));

    expect(deletion.series).toBe(2);
    expect(deletion.records).toBe(4);
    expect(deletion.sites).toBe(3);
    expect(await countRows("record_series")).toBe(1);
    expect(await countRows("series_records")).toBe(1);
    const sites = await store.db
      .selectFrom("record_sites")
      .select("import_id")
      .execute();
    expect(sites).toEqual([{ import_id: secondImportId }]);
  });

  it("deletes nothing when no series matches", async () => {
    const deletion = await store.db
      .transaction()
      .execute((trx) => deleteSeries(trx, { personIds: ["nobody"] }));

    expect(deletion.series).toBe(0);
    expect(await countRows("series_records")).toBe(5);
    expect(await countRows("record_sites")).toBe(4);
  });
});
