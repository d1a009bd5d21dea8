import path from "node:path";

import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from "vitest";

import { openFieldKeys, type FieldKeys } from "../../../privacy/index.js";
import { openStore, type Store } from "../../../store/index.js";
import { ImportValidationError } from "../../report.js";
import { importProviderFiles } from "../import.js";
import { REPO_ROOT, TemporaryFolder } from "../test-support.js";
import { validateProviderFiles } from "../validate.js";

const CORONAMAP = path.resolve(
  REPO_ROOT,
  "../shared/data/korea-covid/coronamap",
);
const SITE_FILE = path.join(CORONAMAP, "coronamap.site-input.records.json");
const LIVE_FILE = path.join(CORONAMAP, "coronamap.live-input.json");

const folder = new TemporaryFolder();

beforeAll(() => folder.create());
afterAll(() => folder.remove());

function recordOfRow<T extends { rows: number[] }>(
  records: readonly T[],
  row: number,
): T | undefined {
  return records.find((record) => record.rows.includes(row));
}

describe("coronamap.site visit list", () => {
  it("rejects every visit without --year", async () => {
    const result = await validateProviderFiles([SITE_FILE], {
      kind: "interview",
    });

    expect(result.fileErrors).toEqual([]);
    expect(result.rowsRead).toBe(943);
    expect(result.rowsRejected).toBe(943);
    expect(result.records).toEqual([]);
    const summaries = result.rejections.summaries();
    expect(summaries.map(({ rule, count }) => [rule, count])).toEqual([
      ["missing_year", 943],
    ]);
    expect(summaries[0]?.examples[0]).toEqual({
      file: "coronamap.site-input.records.json",
      row: 1,
      field: "month/day",
      value: "4월 9일",
      rule: "missing_year",
      hint: '"4월 9일" has no year. Write the full date, such as 2024-03-05, or give the year with --year.',
    });
  });

  it("reads 943 visits with --year 2020", async () => {
    const result = await validateProviderFiles([SITE_FILE], {
      kind: "interview",
      year: 2020,
    });

    expect(result.files[0]?.error).toBeNull();
    expect(result.rowsRead).toBe(943);
    expect(result.rowsRejected).toBe(0);
    expect(result.duplicateRowsMerged).toBe(88);
    expect(result.records).toHaveLength(855);
    expect(result.fileSubjects).toEqual([]);
    expect(result.flags.map(({ flag, records }) => [flag, records])).toEqual([
      ["date_only", 855],
    ]);
    const dates = result.records.map((record) => record.visitDate);
    expect(dates[0]).toBe("2020-04-04");
    expect(dates.at(-1)).toBe("2020-05-23");
  });

  it("maps the fields of a visit", async () => {
    const result = await validateProviderFiles([SITE_FILE], {
      kind: "interview",
      year: 2020,
    });

    expect(recordOfRow(result.records, 1)).toMatchObject({
      kind: "interview",
      subject: null,
      // Row 14 is an exact duplicate of row 1.
      rows: [1, 14],
      startedAt: null,
      endedAt: null,
      visitDate: "2020-04-09",
      latitude: 36.656190351426105,
      longitude: 128.45736624511812,
      placeName: "인정식당",
      address: "경북 예천군 예천읍 동본리 558-1",
      note: null,
      flags: ["date_only"],
    });
  });

  it("is read the same with --format coronamap-site", async () => {
    const result = await validateProviderFiles([SITE_FILE], {
      kind: "interview",
      year: 2020,
      format: "coronamap-site",
    });

    expect(result.rowsRejected).toBe(0);
    expect(result.records).toHaveLength(855);
  });

  it("rejects a position that is not two numbers", async () => {
    const visits = [
      { month: 5, day: 2, address: "A", latlng: "37.5, 127.0" },
      { month: 5, day: 2, address: "B", latlng: "37.5 127.0" },
      { month: 5, day: 2, address: "C", latlng: "37.5, east" },
      { address: "D", latlng: "37.5, 127.0" },
    ];
    const result = await folder.validate(
      "visits.json",
      JSON.stringify(visits),
      { kind: "interview", year: 2020 },
    );

    expect(result.records.map((record) => record.placeName)).toEqual(["A"]);
    expect(
      result.rejections
        .summaries()
        .flatMap((summary) => summary.examples)
        .map(({ row, field, value, rule }) => [row, field, value, rule]),
    ).toEqual([
      [2, "latlng", "37.5 127.0", "number_format"],
      [3, "latlng", "east", "number_format"],
      [4, "month/day", "", "required"],
    ]);
  });

  it("is rejected as GPS data", async () => {
    const result = await validateProviderFiles([SITE_FILE], { kind: "gps" });

    expect(
      result.fileErrors.map((error) => [error.rule, error.message]),
    ).toEqual([
      [
        "format_for_kind",
        "coronamap.site-input.records.json is read as json, which contains interview visits only; gps files must be CSV, geojson, gpx, kml, takeout. Give --format csv, or check --kind.",
      ],
    ]);
  });
});

describe("coronamap.live patient map", () => {
  it("reads 397 visits of 110 patients", async () => {
    const result = await validateProviderFiles([LIVE_FILE], {
      kind: "interview",
    });

    expect(result.fileErrors).toEqual([]);
    expect(result.rowsRead).toBe(397);
    expect(result.rowsRejected).toBe(1);
    expect(result.duplicateRowsMerged).toBe(1);
    expect(result.records).toHaveLength(395);
    const subjects = new Set(result.records.map((record) => record.subject));
    expect(subjects.size).toBe(110);
    const dates = result.records.map((record) => record.visitDate);
    expect(dates[0]).toBe("2020-01-18");
    expect(dates.at(-1)).toBe("2020-02-22");
  });

  it("rejects the visit without a date", async () => {
    const result = await validateProviderFiles([LIVE_FILE], {
      kind: "interview",
    });

    expect(result.rejections.summaries()[0]?.examples).toEqual([
      {
        file: "coronamap.live-input.json",
        row: 139,
        field: "20.data.data[0].date",
        value: "",
        rule: "required",
        hint: "The visit has no date. Fill in its date, or leave the visit out with --skip-invalid.",
      },
    ]);
  });

  it("takes each date as a day in Seoul", async () => {
    const result = await validateProviderFiles([LIVE_FILE], {
      kind: "interview",
    });
    const dayOfRow = (row: number) =>
      recordOfRow(result.records, row)?.visitDate;

    // 2020-02-04T15:00:00.000Z is midnight of 5 February in Seoul.
    expect(dayOfRow(140)).toBe("2020-02-05");
    // 2020-02-18T00:00:00.000Z is midnight UTC of 18 February.
    expect(dayOfRow(325)).toBe("2020-02-18");
    // 2020-02-08T16:00:00.000Z is midnight of 9 February at UTC+08:00.
    expect(dayOfRow(359)).toBe("2020-02-09");
  });

  it("maps the fields of a visit", async () => {
    const result = await validateProviderFiles([LIVE_FILE], {
      kind: "interview",
    });

    expect(recordOfRow(result.records, 325)).toMatchObject({
      subject: "137",
      visitDate: "2020-02-18",
      latitude: 35.127368,
      longitude: 126.896252,
      placeName: "주월동카페",
      address: null,
      note: "주월동카페 '소요' 방문",
      flags: ["date_only"],
    });
  });

  it("is detected by content and by --format", async () => {
    const result = await validateProviderFiles([LIVE_FILE], {
      kind: "interview",
      format: "coronamap-live",
    });

    expect(result.records).toHaveLength(395);
  });
});

describe("coronamap import", () => {
  let store: Store;
  let keys: FieldKeys;
  let storeNumber = 0;

  beforeEach(async () => {
    storeNumber++;
    const dataDir = path.join(folder.path, `store-${storeNumber}`);
    store = await openStore({ dataDir });
    keys = openFieldKeys(dataDir, {});
  });

  afterEach(async () => {
    keys.close();
    await store.close();
  });

  async function countRows(
    table: "location_records_all" | "persons",
  ): Promise<number> {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  it("stores nothing without --year", async () => {
    const importing = importProviderFiles(store, [SITE_FILE], {
      kind: "interview",
      subject: "coronamap-site",
      keys,
    });

    await expect(importing).rejects.toBeInstanceOf(ImportValidationError);
    expect(await countRows("location_records_all")).toBe(0);
  });

  it("stores the site visits with --year 2020", async () => {
    const { report } = await importProviderFiles(store, [SITE_FILE], {
      kind: "interview",
      subject: "coronamap-site",
      year: 2020,
      keys,
    });

    expect(report.rowsRead).toBe(943);
    expect(report.rowsImported).toBe(943);
    expect(report.records.personsCreated).toBe(1);
    expect(report.records.locationRecords).toBe(855);
    expect(await countRows("location_records_all")).toBe(855);
  });

  it("stores each live patient as a person", async () => {
    const { report, rejectedFile } = await importProviderFiles(
      store,
      [LIVE_FILE],
      {
        kind: "interview",
        keys,
        skipInvalid: true,
        rejectedFile: path.join(folder.path, `live-${storeNumber}.csv`),
      },
    );

    expect(report.rowsRead).toBe(397);
    expect(report.rowsRejected).toBe(1);
    expect(report.records.personsCreated).toBe(110);
    expect(report.records.locationRecords).toBe(395);
    expect(await countRows("persons")).toBe(110);
    expect(await countRows("location_records_all")).toBe(395);
    expect(rejectedFile).not.toBeNull();
  });
});
