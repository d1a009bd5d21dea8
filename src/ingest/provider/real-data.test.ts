import { readFile } from "node:fs/promises";
import path from "node:path";

import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openFieldKeys } from "../../privacy/index.js";
import { openStore } from "../../store/index.js";
import { importProviderFiles } from "./import.js";
import { REPO_ROOT, TemporaryFolder } from "./test-support.js";
import { validateProviderFiles } from "./validate.js";

const DATA = path.resolve(REPO_ROOT, "../shared/data");
const CORONAMAP = path.join(DATA, "korea-covid/coronamap");
const TAKEOUT = path.join(CORONAMAP, "coronamap.site-output.takeout.json");
const MOBILITY = path.join(DATA, "mobility");
const DS4C_EARLY = path.join(DATA, "korea-covid/ds4c-early-20200319");
const DS4C_0430 = path.join(DATA, "korea-covid/ds4c-20200430-official");
const DS4C_ROUTES = path.join(CORONAMAP, "coronavirus-dataset-input.csv");

/** Counts of a CSV file's data rows read on their own, without the importer. */
interface RawCounts {
  rows: number;
  /** Distinct values of the first column. */
  ids: number;
  /** Rows equal in every column to an earlier row. */
  exactDuplicates: number;
}

async function rawCounts(file: string): Promise<RawCounts> {
  const [, ...rows] = parse(await readFile(file), {
    relax_column_count: true,
  }) as string[][];
  const distinct = new Set(rows.map((row) => JSON.stringify(row)));
  return {
    rows: rows.length,
    ids: new Set(rows.map((row) => row[0])).size,
    exactDuplicates: rows.length - distinct.size,
  };
}

/** Returns the number of rows rejected under each rule, in the order first seen. */
function rejectionCounts(
  result: Awaited<ReturnType<typeof validateProviderFiles>>,
): [string, number][] {
  return result.rejections
    .summaries()
    .map((summary) => [summary.rule, summary.count]);
}

describe("coronamap Takeout file", () => {
  it("reads 943 date-only visits", async () => {
    const result = await validateProviderFiles([TAKEOUT], { kind: "gps" });
    expect(result.fileErrors).toEqual([]);
    expect(result.rowsRead).toBe(943);
    expect(result.rowsRejected).toBe(0);
    expect(result.records.length + result.duplicateRowsMerged).toBe(943);
    expect(
      result.records.every((record) => record.flags.includes("date_only")),
    ).toBe(true);
    expect(result.records[0]?.visitDate).toBe("2020-04-04");
    expect(result.records.at(-1)?.visitDate).toBe("2020-05-23");
  });

  it("merges the visits that repeat exactly", async () => {
    const document = JSON.parse(await readFile(TAKEOUT, "utf8")) as {
      timelineObjects: unknown[];
    };
    const distinct = new Set(
      document.timelineObjects.map((object) => JSON.stringify(object)),
    );

    const result = await validateProviderFiles([TAKEOUT], { kind: "gps" });
    expect(distinct.size).toBe(869);
    expect(result.records).toHaveLength(869);
    expect(result.duplicateRowsMerged).toBe(74);
  });

  it("gives each visit the day of its source record", async () => {
    // The site's input records give month and day (2020 implied) in the same order as the visits.
    const inputs = JSON.parse(
      await readFile(
        path.join(CORONAMAP, "coronamap.site-input.records.json"),
        "utf8",
      ),
    ) as { month: number; day: number }[];
    const expected = inputs.map(
      ({ month, day }) =>
        `2020-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
    );

    const result = await validateProviderFiles([TAKEOUT], { kind: "gps" });
    const byRow = new Map<number, string | null>();
    for (const record of result.records) {
      for (const row of record.rows) {
        byRow.set(row, record.visitDate);
      }
    }
    const actual = expected.map((_, index) => byRow.get(index + 1));
    expect(actual).toEqual(expected);
  });
});

describe("DS4C route.csv of February 2020 as interview", () => {
  const folder = new TemporaryFolder();
  beforeAll(() => folder.create());
  afterAll(() => folder.remove());

  it("has 212 rows of 55 patients", async () => {
    expect(await rawCounts(DS4C_ROUTES)).toEqual({
      rows: 212,
      ids: 55,
      exactDuplicates: 4,
    });
  });

  it("reads the id column as the patient", async () => {
    const result = await validateProviderFiles([DS4C_ROUTES], {
      kind: "interview",
    });
    expect(result.fileErrors).toEqual([]);
    expect(result.files[0]?.ignoredColumns).toEqual([
      "province",
      "city",
      "visit",
    ]);
    expect(result.rowsRead).toBe(212);
    expect(result.rowsRejected).toBe(0);
    expect(result.fileSubjects).toHaveLength(55);
    expect(new Set(result.records.map((record) => record.subject)).size).toBe(
      55,
    );
    // The 4 exact duplicates merge, and so does one more pair of patient
    // 29's rows that differ only in the ignored city column.
    expect(result.duplicateRowsMerged).toBe(5);
    expect(result.records).toHaveLength(207);
    expect(result.records[0]).toMatchObject({
      subject: "1",
      visitDate: "2020-01-19",
      latitude: 37.460459,
      longitude: 126.44068,
      flags: ["date_only"],
    });
  });

  it("imports 55 persons without --subject", async () => {
    const dataDir = path.join(folder.path, "store");
    const store = await openStore({ dataDir });
    const keys = openFieldKeys(dataDir, {});
    try {
      const { report } = await importProviderFiles(store, [DS4C_ROUTES], {
        kind: "interview",
        keys,
      });
      expect(report.rowsRejected).toBe(0);
      expect(report.records.personsCreated).toBe(55);
      expect(report.records.locationRecords).toBe(207);
      const persons = await store.db
        .selectFrom("persons")
        .select((eb) => eb.fn.countAll().as("count"))
        .executeTakeFirstOrThrow();
      expect(Number(persons.count)).toBe(55);
    } finally {
      await store.close();
      keys.close();
    }
  });
});

describe("DS4C 2020-04-30 release", () => {
  const ROUTE = path.join(DS4C_0430, "PatientRoute.csv");

  it("has the published row, patient and duplicate counts", async () => {
    expect(await rawCounts(ROUTE)).toEqual({
      rows: 6_714,
      ids: 1_211,
      exactDuplicates: 486,
    });
    expect(
      (await rawCounts(path.join(DS4C_0430, "PatientInfo.csv"))).rows,
    ).toBe(3_388);
    expect((await rawCounts(path.join(DS4C_0430, "Case.csv"))).rows).toBe(112);
  });

  it("reads PatientRoute.csv as interview", async () => {
    const result = await validateProviderFiles([ROUTE], { kind: "interview" });
    expect(result.fileErrors).toEqual([]);
    expect(result.rowsRead).toBe(6_714);
    expect(result.rowsRejected).toBe(0);
    expect(new Set(result.records.map((record) => record.subject)).size).toBe(
      1_211,
    );
    // Beyond the 486 exact duplicates, 104 rows differ from an earlier
    // row only in the ignored global_num, province, city or type.
    expect(result.duplicateRowsMerged).toBe(590);
    expect(result.records).toHaveLength(6_124);
  });
});

describe("mobility CSV files as gps", () => {
  it("reads scikit-mobility's gzip sample", async () => {
    const result = await validateProviderFiles(
      [path.join(MOBILITY, "scikit-mobility/geolife_sample.txt.gz")],
      { kind: "gps", format: "csv", zone: "UTC" },
    );
    expect(result.rowsRead).toBe(217_653);
    expect(result.rowsRejected).toBe(0);
    expect(result.records).toHaveLength(217_653);
    expect(new Set(result.records.map((record) => record.subject))).toEqual(
      new Set(["001", "005"]),
    );
    expect(
      result.records.filter((record) => record.subject === "001"),
    ).toHaveLength(108_607);
    expect(new Date(result.records[0]!.startedAt!).toISOString()).toBe(
      "2008-10-23T05:53:05.000Z",
    );
  });

  it("reads movingpandas' semicolon file", async () => {
    const result = await validateProviderFiles(
      [path.join(MOBILITY, "movingpandas/demodata_geolife.csv")],
      { kind: "gps", format: "csv" },
    );
    expect(result.files[0]?.delimiter).toBe(";");
    expect(result.files[0]?.ignoredColumns).toEqual([
      "fid",
      "id",
      "sequence",
      "trajectory_id",
    ]);
    expect(result.rowsRead).toBe(5_908);
    expect(result.rowsRejected).toBe(0);
    expect(result.records).toHaveLength(5_908);
    expect(result.records[0]).toMatchObject({
      subject: "19",
      latitude: 39.898573,
      longitude: 116.391305,
      flags: [],
    });
  });

  it("reads trackintel's positionfixes", async () => {
    const result = await validateProviderFiles(
      [path.join(MOBILITY, "trackintel/positionfixes.csv")],
      { kind: "gps", format: "csv" },
    );
    expect(result.rowsRead).toBe(6);
    expect(result.rowsRejected).toBe(0);
    expect(result.records[0]).toMatchObject({
      subject: "1",
      startedAt: Date.UTC(2015, 10, 27, 8, 0, 0),
      latitude: 47.37651505,
      longitude: 8.548779488,
      radiusMeters: 1,
      altitudeMeters: 456,
    });
  });
});

describe("DS4C early route files as interview", () => {
  const ROUTES = path.join(DS4C_EARLY, "routes.csv");
  const SEOUL_ROUTES = path.join(DS4C_EARLY, "seoul_routes.csv");

  it("have the published row, id and duplicate counts", async () => {
    expect(await rawCounts(ROUTES)).toEqual({
      rows: 4_043,
      ids: 370,
      exactDuplicates: 617,
    });
    expect(await rawCounts(SEOUL_ROUTES)).toEqual({
      rows: 2_822,
      ids: 238,
      exactDuplicates: 320,
    });
  });

  it("rejects M/D/YY dates without a format", async () => {
    const result = await validateProviderFiles([ROUTES], { kind: "interview" });
    expect(result.fileErrors).toEqual([]);
    expect(result.rowsRead).toBe(4_043);
    expect(result.rowsRejected).toBe(4_043);
    expect(result.records).toHaveLength(0);
    expect(rejectionCounts(result)[0]).toEqual(["ambiguous_date", 3_986]);

    const first = result.rejections.first();
    expect(first?.field).toBe("start");
    expect(first?.value).toBe("2/18/20");
    expect(first?.hint).toBe(
      '"2/18/20" can only be month/day, because 18 is not a month, but the order of the file\'s dates is not declared. Write the date as ISO 8601 (YYYY-MM-DD, such as 2024-03-05) or declare the order with --date-format, such as --date-format MM/DD/YYYY.',
    );
  });

  it("reads routes.csv with --date-format M/D/YY", async () => {
    const result = await validateProviderFiles([ROUTES], {
      kind: "interview",
      dateFormat: "M/D/YY",
    });
    expect(result.fileErrors).toEqual([]);
    expect(result.files[0]?.ignoredColumns).toEqual(["type", "province"]);

    expect(result.rowsRead).toBe(4_043);
    expect(result.rowsRejected).toBe(1_981);
    expect(result.records).toHaveLength(1_963);
    expect(result.duplicateRowsMerged).toBe(99);

    // Rows without latitude and longitude have no address either (their
    // province is empty too), so missing_location rejects them.
    expect(rejectionCounts(result)).toEqual([
      ["missing_location", 1_954],
      ["invalid_date", 7],
      ["required", 50],
    ]);

    // 350 patients by global_id and 55 known only by local_id.
    expect(new Set(result.records.map((record) => record.subject)).size).toBe(
      405,
    );

    const firstRow = result.records.find((record) => record.rows.includes(1));
    expect(firstRow).toMatchObject({
      subject: "200",
      visitDate: "2020-02-18",
      latitude: 35.215217,
      longitude: 129.0738352,
      flags: ["date_only"],
    });
  });

  it("reads seoul_routes.csv with --date-format M/D/YY", async () => {
    const result = await validateProviderFiles([SEOUL_ROUTES], {
      kind: "interview",
      dateFormat: "M/D/YY",
    });
    expect(result.fileErrors).toEqual([]);
    expect(result.files[0]?.ignoredColumns).toEqual([
      "type",
      "province",
      "city",
    ]);

    expect(result.rowsRead).toBe(2_822);
    expect(result.rowsRejected).toBe(1_507);
    expect(result.records).toHaveLength(1_237);
    expect(result.duplicateRowsMerged).toBe(78);
    expect(rejectionCounts(result)).toEqual([
      ["missing_location", 1_506],
      ["time_format", 1],
    ]);
    expect(new Set(result.records.map((record) => record.subject)).size).toBe(
      231,
    );
    const multiDay = result.records.filter(
      (record) => record.details.lastVisitDate !== undefined,
    );
    expect(multiDay).toHaveLength(37);
  });

  it("rejects seoul_routes.csv without a format", async () => {
    const result = await validateProviderFiles([SEOUL_ROUTES], {
      kind: "interview",
    });
    expect(result.rowsRead).toBe(2_822);
    expect(result.rowsRejected).toBe(2_822);
    expect(result.records).toHaveLength(0);
    expect(rejectionCounts(result)[0]).toEqual(["ambiguous_date", 2_821]);
    expect(result.rejections.first()?.hint).toContain("--date-format");
  });
});
