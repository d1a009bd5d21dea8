import { readFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { REPO_ROOT } from "./test-support.js";
import { validateProviderFiles } from "./validate.js";

const DATA = path.resolve(REPO_ROOT, "../shared/data");
const CORONAMAP = path.join(DATA, "korea-covid/coronamap");
const TAKEOUT = path.join(CORONAMAP, "coronamap.site-output.takeout.json");
const MOBILITY = path.join(DATA, "mobility");

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
