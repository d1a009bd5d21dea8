import { readFile } from "node:fs/promises";
import path from "node:path";

import { sql } from "kysely";
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from "vitest";

import { haversineMeters } from "../../analysis/geo/index.js";
import { openFieldKeys, type FieldKeys } from "../../privacy/index.js";
import { openStore, type Store } from "../../store/index.js";
import { ImportValidationError } from "../report.js";
import { importProviderFiles } from "./import.js";
import { writeSyntheticAnswer } from "./synthetic.js";
import { TemporaryFolder } from "./test-support.js";

const folder = new TemporaryFolder();
let store: Store;
let keys: FieldKeys;
let storeNumber = 0;

beforeAll(() => folder.create());
afterAll(() => folder.remove());

beforeEach(async () => {
  storeNumber++;
  const dataDir = path.join(folder.path, `store-${storeNumber}`);
  store = await openStore({ dataDir });
  keys = openFieldKeys(dataDir, {});
});

afterEach(async () => {
  await store.close();
  keys.close();
});

const HEADER =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator";

interface ViewRow {
  person_id: string;
  started_at: number;
  ended_at: number;
  latitude: number;
  longitude: number;
  radius_meters: number;
  source_rows: string;
  flags: string;
  details: string;
}

/** The records as the view shows them, in a stable order that does not depend on ids. */
async function viewRows(): Promise<ViewRow[]> {
  const result = await sql<ViewRow>`
    select person_id, started_at, ended_at, latitude, longitude,
           radius_meters, source_rows, flags, details
    from location_records_all
    order by person_id, started_at, source_rows`.execute(store.db);
  return result.rows;
}

async function tableCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    "location_records",
    "record_series",
    "record_sites",
    "series_records",
    "series_space_time",
  ]) {
    counts[table] = store.sqlite
      .prepare(`SELECT count(*) FROM ${table}`)
      .pluck()
      .get() as number;
  }
  return counts;
}

describe("base-station records kept as series", () => {
  it("stores sites once, records whole", async () => {
    const file = await folder.write(
      "cells.csv",
      `${HEADER}\n` +
        "010-1111-2222,2024-03-05T14:00:00+09:00,C1,,37.5665,126.978,300,SKT\n" +
        "010-1111-2222,2024-03-05T14:05:00+09:00,C1,,37.5665,126.978,300,SKT\n" +
        "010-1111-2222,2024-03-05T14:05:00+09:00,C1,,37.5665,126.978,300,SKT\n" +
        "010-1111-2222,2024-03-05T14:10:00+09:00,C2,micro,37.5670,126.979,,SKT\n" +
        "010-3333-4444,2024-03-05T14:00:00+09:00,C1,,37.5665,126.978,300,KT\n",
    );
    const { report } = await importProviderFiles(store, [file], {
      kind: "base-station",
      keys,
    });
    expect(report.records).toMatchObject({
      personsCreated: 2,
      locationRecords: 4,
    });
    expect(report.rowsImported).toBe(5);
    expect(report.merged).toEqual([
      expect.objectContaining({ reason: "exact_duplicate", count: 1 }),
    ]);
    expect(await tableCounts()).toEqual({
      location_records: 0,
      record_series: 2,
      // C1 of SKT, C2, and C1 of KT: the operator is a detail of the site.
      record_sites: 3,
      series_records: 4,
      series_space_time: 2,
    });

    const rows = await viewRows();
    const first = rows.filter((row) => row.details.includes('"2222"'));
    expect(first.map((row) => [row.started_at, row.source_rows])).toEqual([
      [Date.parse("2024-03-05T05:00:00Z"), "[1]"],
      [Date.parse("2024-03-05T05:05:00Z"), "[2,3]"],
      [Date.parse("2024-03-05T05:10:00Z"), "[4]"],
    ]);
    expect(first[2]).toMatchObject({
      ended_at: Date.parse("2024-03-05T05:10:00Z"),
      radius_meters: 300,
      flags: '["default_radius"]',
      details:
        '{"cellId":"C2","cellType":"micro","operator":"SKT","phoneLast4":"2222"}',
    });
    const second = rows.filter((row) => row.details.includes('"4444"'));
    expect(second).toHaveLength(1);
    expect(second[0]!.details).toBe(
      '{"cellId":"C1","cellType":"macro","operator":"KT","phoneLast4":"4444"}',
    );
  });

  it("out-of-order file stores same records", async () => {
    const sortedRows = [
      "010-1111-2222,2024-03-05T14:00:00+09:00,C1,,37.5665,126.978,300,SKT",
      "010-1111-2222,2024-03-05T14:10:00+09:00,C2,,37.5670,126.979,300,SKT",
      "010-3333-4444,2024-03-05T15:00:00+09:00,C3,,37.55,126.99,300,KT",
      "010-3333-4444,2024-03-05T15:30:00+09:00,C4,,37.56,126.99,300,KT",
    ];
    const sorted = await folder.write(
      "sorted.csv",
      `${HEADER}\n${sortedRows.join("\n")}\n`,
    );
    // Subjects interleaved and one subject's records out of time order.
    const shuffled = await folder.write(
      "shuffled.csv",
      `${HEADER}\n${[3, 0, 2, 1].map((index) => sortedRows[index]).join("\n")}\n`,
    );

    await importProviderFiles(store, [sorted], { kind: "base-station", keys });
    const fromSorted = (await viewRows()).map(withoutRowsAndPerson);
    store.sqlite.exec(
      "DELETE FROM series_blocks; DELETE FROM series_space_time; DELETE FROM record_series; DELETE FROM record_sites",
    );
    const { report } = await importProviderFiles(store, [shuffled], {
      kind: "base-station",
      keys,
    });
    expect(report.records.outOfOrderRecords).toBe(1);
    expect((await viewRows()).map(withoutRowsAndPerson)).toEqual(fromSorted);
    expect((await tableCounts()).series_records).toBe(4);
  });

  it("cells shared by phones store as staged", async () => {
    // Phones one after the other, in time order, are written as they are
    // read, with the cells of a template looked up once. The same rows
    // shuffled go through the staging database. Both must store the same.
    const rows: string[] = [];
    const phones = ["010-1111-2222", "010-3333-4444", "010-5555-2222"];
    const cells = [
      "C1,macro,37.5665,126.978,",
      "C2,micro,37.5670,126.979,250",
      "C3,macro,37.60,127.01,",
    ];
    for (const [phoneIndex, phone] of phones.entries()) {
      for (let minute = 0; minute < 40; minute++) {
        const cell = cells[(minute + phoneIndex) % 7 < 4 ? 0 : minute % 3]!;
        const clock = `${String(10 + phoneIndex).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00`;
        rows.push(`${phone},2024-03-05T${clock}+09:00,${cell},SKT`);
      }
      rows.push(rows.at(-1)!);
    }
    const { sorted, shuffled } = await writeBothOrders("shared", rows);

    const { fromSorted, fromShuffled } = await importBothWays(
      sorted,
      shuffled,
      { kind: "base-station", keys },
    );

    expect(fromSorted).toHaveLength(120);
    expect(fromShuffled).toEqual(fromSorted);
    expect(new Set(fromSorted.map((row) => row.details)).size).toBe(6);
  });

  it("spellings, duplicates and CRLF store as staged", async () => {
    // One phone written three ways, a phone with the same last 4 digits,
    // exact duplicate lines and two cells at one instant, in a CRLF file
    // with a byte order mark. The streamed import and the staged import of
    // the same rows reversed must store the same records.
    const phones = [
      ["010-1111-2222", "01011112222", "+82 10 1111 2222"],
      ["010-5555-2222"],
      ["010-7777-3333", "+821077773333"],
    ];
    const cells = [
      "C1,macro,37.5665,126.978,,서울 중구",
      "C1,macro,37.5665,126.978,,서울 중구 ",
      "C2,micro,37.5670,126.979,250,서울 중구",
    ];
    const rows: string[] = [];
    for (const [phoneIndex, spellings] of phones.entries()) {
      for (let minute = 0; minute < 30; minute++) {
        const phone = spellings[minute % spellings.length]!;
        const cell = cells[(minute * 7 + phoneIndex) % 5 < 3 ? 0 : minute % 3]!;
        const clock = `${String(10 + phoneIndex).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00`;
        rows.push(`${phone},2024-03-05T${clock}+09:00,${cell},SKT`);
        if (minute % 10 === 3) {
          rows.push(rows.at(-1)!);
          rows.push(`${phone},2024-03-05T${clock}+09:00,${cells[2]!},SKT`);
        }
      }
    }
    const header = `${HEADER},address`;
    const write = (name: string, lines: string[]) =>
      folder.write(name, `\uFEFF${header}\r\n${lines.join("\r\n")}\r\n`);
    const sorted = await write("spellings-sorted.csv", rows);
    const shuffled = await write("spellings-shuffled.csv", [...rows].reverse());

    const { first, second, fromSorted, fromShuffled } = await importBothWays(
      sorted,
      shuffled,
      { kind: "base-station", keys },
    );

    expect(first.report.rowsImported).toBe(rows.length);
    expect(first.report.records.locationRecords).toBe(
      second.report.records.locationRecords,
    );
    expect(first.report.merged).toEqual(second.report.merged);
    expect(sortedByJson(fromShuffled)).toEqual(sortedByJson(fromSorted));
    expect(new Set(fromSorted.map((row) => row.details)).size).toBe(4);
  });

  it("implausible jumps store as staged", async () => {
    // Cells in Seoul and Busan a minute apart: the jumps are flagged, and
    // a hit's flags must not leak into the next hit of its template.
    const cells = [
      "C1,macro,37.5665,126.978,",
      "B1,macro,35.1796,129.0756,",
      "C2,micro,37.5670,126.979,250",
    ];
    const rows: string[] = [];
    for (const [phoneIndex, phone] of [
      "010-1111-2222",
      "010-3333-2222",
    ].entries()) {
      for (let minute = 0; minute < 30; minute++) {
        const cell =
          cells[
            minute % 7 === 3 ? 1 : (minute + phoneIndex) % 3 === 0 ? 2 : 0
          ]!;
        const clock = `${String(10 + phoneIndex).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00`;
        rows.push(`${phone},2024-03-05T${clock}+09:00,${cell},SKT`);
      }
    }
    const { sorted, shuffled } = await writeBothOrders("jumps", rows);

    const { first, second, fromSorted, fromShuffled } = await importBothWays(
      sorted,
      shuffled,
      { kind: "base-station", keys },
    );

    expect(first.report.flagged).toContainEqual(
      expect.objectContaining({ flag: "implausible_speed" }),
    );
    expect(second.report.flagged).toEqual(first.report.flagged);
    expect(fromSorted).toHaveLength(60);
    expect(fromShuffled).toEqual(fromSorted);
  });

  it("given subject stores as staged", async () => {
    const rows: string[] = [];
    const spellings = ["010-1111-2222", "01011112222", "+82-10-1111-2222"];
    for (let minute = 0; minute < 40; minute++) {
      const phone = spellings[minute % 3]!;
      const cell =
        minute % 4 === 0
          ? "C2,micro,37.5670,126.979,250"
          : "C1,macro,37.5665,126.978,";
      rows.push(
        `${phone},2024-03-05T10:${String(minute).padStart(2, "0")}:00+09:00,${cell},SKT`,
      );
    }
    const { sorted, shuffled } = await writeBothOrders("subject", rows);
    const options = {
      kind: "base-station" as const,
      keys,
      subject: "010 1111 2222",
    };

    const { fromSorted, fromShuffled } = await importBothWays(
      sorted,
      shuffled,
      options,
    );

    expect(fromSorted).toHaveLength(40);
    expect(sortedByJson(fromShuffled)).toEqual(sortedByJson(fromSorted));
  });

  it("other phones rejected as staged", async () => {
    // With a given subject, rows of other phones at the subject's cells are
    // rejected and written to the rejected file, whether the rows stream
    // or go through staging.
    const rows: string[] = [];
    const phones = ["010-1111-2222", "010-9999-2222", "01011112222"];
    for (let minute = 0; minute < 30; minute++) {
      const cell =
        minute % 3 === 0
          ? "C2,micro,37.5670,126.979,250"
          : "C1,macro,37.5665,126.978,";
      const clock = `10:${String(minute).padStart(2, "0")}:00`;
      rows.push(`${phones[minute % 3]!},2024-03-05T${clock}+09:00,${cell},SKT`);
    }
    const { sorted, shuffled } = await writeBothOrders("others", rows);
    const rejected = (name: string) => ({
      kind: "base-station" as const,
      keys,
      subject: "010-1111-2222",
      skipInvalid: true,
      rejectedFile: path.join(folder.path, name),
    });

    const { first, second, fromSorted, fromShuffled } = await importBothWays(
      sorted,
      shuffled,
      rejected("a.csv"),
      rejected("b.csv"),
    );
    const rejectedSorted = await readFile(first.rejectedFile!, "utf8");
    const rejectedShuffled = await readFile(second.rejectedFile!, "utf8");

    expect(first.report.rowsRejected).toBe(10);
    expect(second.report.rowsRejected).toBe(10);
    expect(rejectionsOf(rejectedSorted)).toEqual(
      rejectionsOf(rejectedShuffled),
    );
    expect(rejectedSorted).toContain("010-9999-2222");
    expect(fromSorted).toHaveLength(20);
    expect(fromShuffled).toEqual(fromSorted);
  });

  it("interleaved phones store whole series", async () => {
    // Sorted by time over all phones, so every series is open at once:
    // more series than the writer keeps open blocks for.
    const phones = 4_200;
    const lines = [HEADER];
    for (const minute of [0, 5]) {
      for (let phone = 0; phone < phones; phone++) {
        const number = `010-2${String(phone).padStart(3, "0").slice(-3)}-${String(phone).padStart(4, "0")}`;
        lines.push(
          `${number},2024-03-05T14:0${minute}:00+09:00,C${phone % 7},,37.5665,126.978,300,SKT`,
        );
      }
    }
    const file = await folder.write("interleaved.csv", `${lines.join("\n")}\n`);

    const { report } = await importProviderFiles(store, [file], {
      kind: "base-station",
      keys,
    });

    expect(report.records).toMatchObject({
      personsCreated: phones,
      locationRecords: 2 * phones,
    });
    const counts = await tableCounts();
    expect(counts.record_series).toBe(phones);
    expect(counts.series_records).toBe(2 * phones);
    const blocks = store.sqlite
      .prepare("SELECT count(*) FROM series_blocks")
      .pluck()
      .get() as number;
    expect(blocks).toBeGreaterThan(phones);
    const last = (await viewRows()).filter((row) =>
      row.details.includes(`"phoneLast4":"${String(phones - 1)}"`),
    );
    expect(last.map((row) => [row.started_at, row.source_rows])).toEqual([
      [Date.parse("2024-03-05T05:00:00Z"), `[${phones}]`],
      [Date.parse("2024-03-05T05:05:00Z"), `[${2 * phones}]`],
    ]);
  });

  it("rejected row stores nothing", async () => {
    const file = await folder.write(
      "bad.csv",
      `${HEADER}\n` +
        "010-1111-2222,2024-03-05T14:00:00+09:00,C1,,37.5665,126.978,300,SKT\n" +
        "010-1111-2222,2024-03-05T14:05:00+09:00,C1,,126.978,37.5665,300,SKT\n",
    );
    await expect(
      importProviderFiles(store, [file], { kind: "base-station", keys }),
    ).rejects.toBeInstanceOf(ImportValidationError);
    expect(await tableCounts()).toEqual({
      location_records: 0,
      record_series: 0,
      record_sites: 0,
      series_records: 0,
      series_space_time: 0,
    });
    const imports = await store.db.selectFrom("imports").select("id").execute();
    expect(imports).toEqual([]);
  });

  it("indexes records up to the next record", async () => {
    const file = path.join(folder.path, "answer.csv");
    await writeSyntheticAnswer(file, { phones: 4, rowsPerPhone: 600, days: 3 });
    await importProviderFiles(store, [file], { kind: "base-station", keys });

    const records = await sql<{
      series_id: number;
      instant: number;
      latitude: number;
      longitude: number;
      radius_meters: number;
    }>`
      select r.series_id, r.instant, t.latitude, t.longitude, t.radius_meters
      from series_records r join record_sites t on t.id = r.site_id
      order by r.series_id, r.seq`.execute(store.db);
    const entries = store.sqlite
      .prepare("SELECT * FROM series_space_time")
      .all() as {
      series_id: number;
      min_minute: number;
      max_minute: number;
      min_latitude: number;
      max_latitude: number;
      min_longitude: number;
      max_longitude: number;
    }[];
    expect(records.rows).toHaveLength(2_400);
    expect(entries.length).toBeGreaterThan(4);
    expect(entries.length).toBeLessThan(records.rows.length / 4);

    // Each record, and each moment from it to the next record of its
    // phone, lies in an entry of its series that reaches at least the
    // record's radius plus 1 km around it.
    let uncovered = 0;
    for (const [index, record] of records.rows.entries()) {
      const next = records.rows[index + 1];
      const until =
        next?.series_id === record.series_id ? next.instant : record.instant;
      for (const instant of [record.instant, (record.instant + until) / 2]) {
        const minute = instant / 60_000;
        const covered = entries.some(
          (entry) =>
            entry.series_id === record.series_id &&
            entry.min_minute <= minute &&
            minute <= entry.max_minute &&
            reachesAround(entry, record, record.radius_meters + 1_000),
        );
        if (!covered) {
          uncovered++;
        }
      }
    }
    expect(uncovered).toBe(0);
  });
});

/** Writes `rows` under a header as they are and reversed, to `name`-sorted.csv and `name`-shuffled.csv. */
async function writeBothOrders(
  name: string,
  rows: string[],
): Promise<{ sorted: string; shuffled: string }> {
  const sorted = await folder.write(
    `${name}-sorted.csv`,
    `${HEADER}\n${rows.join("\n")}\n`,
  );
  const shuffled = await folder.write(
    `${name}-shuffled.csv`,
    `${HEADER}\n${[...rows].reverse().join("\n")}\n`,
  );
  return { sorted, shuffled };
}

/**
 * Imports the sorted file, which streams into series, and then, after
 * deleting the series, the shuffled file, which goes through staging, and
 * expects each to take its path. The shuffled file is imported with
 * `shuffledOptions` when given. Returns both reports and the rows that
 * each import stored.
 */
async function importBothWays(
  sorted: string,
  shuffled: string,
  options: Parameters<typeof importProviderFiles>[2],
  shuffledOptions = options,
) {
  const first = await importProviderFiles(store, [sorted], options);
  const fromSorted = (await viewRows()).map(withoutRowsAndPerson);
  store.sqlite.exec(
    "DELETE FROM series_blocks; DELETE FROM series_space_time; DELETE FROM record_series; DELETE FROM record_sites",
  );
  const second = await importProviderFiles(store, [shuffled], shuffledOptions);
  const fromShuffled = (await viewRows()).map(withoutRowsAndPerson);
  expect(first.report.records.outOfOrderRecords ?? 0).toBe(0);
  expect(second.report.records.outOfOrderRecords).toBeGreaterThan(0);
  return { first, second, fromSorted, fromShuffled };
}

/** Returns the lines of a rejected-rows file after its header, without file and row, sorted. */
function rejectionsOf(text: string): string[] {
  const lines = text.split("\n").slice(1);
  return lines.map((line) => line.split(",").slice(2).join(",")).sort();
}

/** Sorts rows by their JSON text, for rows whose ties may come in either order. */
function sortedByJson<T>(rows: T[]): T[] {
  const keyed = rows.map((row) => ({ row, json: JSON.stringify(row) }));
  keyed.sort((a, b) => a.json.localeCompare(b.json));
  return keyed.map(({ row }) => row);
}

function withoutRowsAndPerson(row: ViewRow): Omit<ViewRow, "person_id"> {
  const { person_id: _person, ...rest } = row;
  return { ...rest, source_rows: "" };
}

/** True when the box contains every point within `meters` of the record, checked on its four sides. */
function reachesAround(
  box: {
    min_latitude: number;
    max_latitude: number;
    min_longitude: number;
    max_longitude: number;
  },
  record: { latitude: number; longitude: number },
  meters: number,
): boolean {
  const northEdge = { latitude: box.max_latitude, longitude: record.longitude };
  const southEdge = { latitude: box.min_latitude, longitude: record.longitude };
  const eastEdge = { latitude: record.latitude, longitude: box.max_longitude };
  const westEdge = { latitude: record.latitude, longitude: box.min_longitude };
  return (
    record.latitude < box.max_latitude &&
    record.latitude > box.min_latitude &&
    record.longitude < box.max_longitude &&
    record.longitude > box.min_longitude &&
    [northEdge, southEdge, eastEdge, westEdge].every(
      (edge) => haversineMeters(record, edge) >= meters - 1,
    )
  );
}
