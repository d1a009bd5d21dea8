import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { CommanderError } from "commander";
import type { FeatureCollection, Point } from "geojson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { FixesCsvError, parseFixesCsv } from "../../ingest/fixes-csv.js";
import { buildProgram } from "../main.js";
import { STAYPOINTS_CSV_HEADER } from "./staypoints.js";
import { runProgram, type CliOutput } from "./testing.js";

const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../..",
);
const TRACKINTEL_DATA = path.resolve(
  REPO_ROOT,
  "../shared/data/mobility/trackintel",
);
const GEOLIFE = path.join(TRACKINTEL_DATA, "geolife");
const GEOLIFE_LONG = path.join(TRACKINTEL_DATA, "geolife_long");
const TRACKINTEL_THRESHOLDS = [
  "--dist-threshold",
  "25",
  "--time-threshold",
  "5",
  "--gap-threshold",
  "1e6",
];

/** Runs `epitrace ARGS` in-process and returns its standard output and error. */
async function runCli(args: readonly string[]): Promise<CliOutput> {
  return runProgram(await buildProgram(), args);
}

function csvRows(stdout: string): string[] {
  return stdout.trimEnd().split("\n").slice(1);
}

let temporaryFolder = "";

beforeAll(async () => {
  temporaryFolder = await mkdtemp(path.join(os.tmpdir(), "epitrace-cli-"));
});

afterAll(async () => {
  await rm(temporaryFolder, { recursive: true, force: true });
});

async function writeTemporary(name: string, text: string): Promise<string> {
  const file = path.join(temporaryFolder, name);
  await writeFile(file, text);
  return file;
}

describe("epitrace staypoints on GeoLife", () => {
  it("prints the CSV header", async () => {
    const { stdout } = await runCli(["staypoints", GEOLIFE]);
    expect(stdout.split("\n")[0]).toBe(
      "user_id,started_at,finished_at,last_fix_at,longitude,latitude,fix_count",
    );
    expect(STAYPOINTS_CSV_HEADER).toBe(stdout.split("\n")[0]);
  });

  it("uses trackintel's default thresholds", async () => {
    const { stdout } = await runCli(["staypoints", GEOLIFE]);
    expect(csvRows(stdout)).toEqual([
      "000,2008-10-24T02:11:34.000Z,2008-10-24T02:22:09.000Z,2008-10-24T02:22:04.000Z,116.3215334,40.0089386,54",
    ]);
  });

  it("prints every stay of both users", async () => {
    const { stdout } = await runCli([
      "staypoints",
      GEOLIFE_LONG,
      ...TRACKINTEL_THRESHOLDS,
    ]);
    const rows = csvRows(stdout);
    const users = rows.map((row) => row.split(",")[0]);

    expect(rows).toHaveLength(22);
    expect(users.filter((user) => user === "000")).toHaveLength(10);
    expect(users.filter((user) => user === "001")).toHaveLength(12);
    expect(rows[0]).toBe(
      "000,2008-10-23T03:05:05.000Z,2008-10-23T04:08:07.000Z,2008-10-23T03:05:15.000Z,116.2987203,39.9839887,3",
    );
  });

  it("reads a single PLT file", async () => {
    const file = path.join(GEOLIFE, "000", "Trajectory", "20081024020959.plt");
    const fromFile = await runCli(["staypoints", file]);
    const fromFolder = await runCli(["staypoints", GEOLIFE]);
    expect(fromFile.stdout).toBe(fromFolder.stdout);
  });

  it("prints GeoJSON points with the radius", async () => {
    const { stdout } = await runCli([
      "staypoints",
      GEOLIFE_LONG,
      ...TRACKINTEL_THRESHOLDS,
      "--format",
      "geojson",
    ]);
    const collection = JSON.parse(stdout) as FeatureCollection<Point>;
    const first = collection.features[0]!;

    expect(collection.type).toBe("FeatureCollection");
    expect(collection.features).toHaveLength(22);
    expect(first.geometry.type).toBe("Point");
    expect(first.geometry.coordinates[0]).toBeCloseTo(116.2987203, 7);
    expect(first.geometry.coordinates[1]).toBeCloseTo(39.9839887, 7);
    expect(first.properties).toMatchObject({
      user_id: "000",
      started_at: "2008-10-23T03:05:05.000Z",
      finished_at: "2008-10-23T04:08:07.000Z",
      last_fix_at: "2008-10-23T03:05:15.000Z",
      fix_count: 3,
    });
    expect(first.properties?.radius_meters).toBeGreaterThan(0);
    expect(first.properties?.radius_meters).toBeLessThan(25);
  });

  it("rejects a path without PLT files", async () => {
    await expect(runCli(["staypoints", temporaryFolder])).rejects.toThrow(
      /No GeoLife \.plt files found/,
    );
  });
});

describe("epitrace staypoints on CSV", () => {
  const header = "user_id,tracked_at,latitude,longitude";
  // Two users, with rows out of time order and times in several UTC offsets.
  const rows = [
    "b,2024-03-04T09:00:00+01:00,47.3769,8.5417",
    "a,2024-03-04 16:10:00+08:00,39.9800,116.3100",
    "a,2024-03-04T08:00:00Z,39.9800,116.3100",
    "b,2024-03-04T08:06:00Z,47.3769,8.5417",
    "b,2024-03-04T08:07:00Z,47.3869,8.5417",
    "a,2024-03-04T08:11:00Z,39.9900,116.3100",
    "a,2024-03-04T08:20:00Z,39.9901,116.3100",
  ];

  it("prints stays sorted by user", async () => {
    const file = await writeTemporary(
      "fixes.csv",
      [header, ...rows].join("\n"),
    );
    const { stdout } = await runCli(["staypoints", file]);

    expect(csvRows(stdout)).toEqual([
      "a,2024-03-04T08:00:00.000Z,2024-03-04T08:11:00.000Z,2024-03-04T08:10:00.000Z,116.3100000,39.9800000,2",
      "b,2024-03-04T08:00:00.000Z,2024-03-04T08:07:00.000Z,2024-03-04T08:06:00.000Z,8.5417000,47.3769000,2",
    ]);
  });

  it("adds open stays with --include-last", async () => {
    const file = await writeTemporary("open.csv", [header, ...rows].join("\n"));
    const { stdout } = await runCli(["staypoints", file, "--include-last"]);
    const lastOfA = csvRows(stdout)[1];

    expect(csvRows(stdout)).toHaveLength(3);
    expect(lastOfA).toBe(
      "a,2024-03-04T08:11:00.000Z,2024-03-04T08:20:00.000Z,2024-03-04T08:20:00.000Z,116.3100000,39.9900500,2",
    );
  });

  it("quotes a user id with a comma", async () => {
    const text = [
      header,
      '"Doe, J",2024-03-04T08:00:00Z,47.3769,8.5417',
      '"Doe, J",2024-03-04T08:06:00Z,47.3769,8.5417',
      '"Doe, J",2024-03-04T08:07:00Z,47.3869,8.5417',
    ].join("\n");
    const file = await writeTemporary("quoted.csv", text);
    const { stdout } = await runCli(["staypoints", file]);
    expect(csvRows(stdout)[0]).toMatch(/^"Doe, J",2024-03-04T08:00:00\.000Z,/);
  });

  it("rejects a missing column", async () => {
    const file = await writeTemporary(
      "no-latitude.csv",
      "user_id,tracked_at,lat,longitude\na,2024-03-04T08:00:00Z,47.3,8.5\n",
    );
    await expect(runCli(["staypoints", file])).rejects.toThrow(
      `Missing column "latitude" in the header of ${file}`,
    );
  });

  it("rejects a time without a zone", async () => {
    const file = await writeTemporary(
      "no-zone.csv",
      `${header}\na,2024-03-04T08:00:00Z,47.3,8.5\na,2024-03-04T08:06:00,47.3,8.5\n`,
    );
    await expect(runCli(["staypoints", file])).rejects.toThrow(
      `Invalid tracked_at "2024-03-04T08:06:00" in ${file} row 2 (line 3)`,
    );
  });

  it("rejects a negative threshold", async () => {
    const run = runCli(["staypoints", GEOLIFE, "--dist-threshold", "-5"]);
    await expect(run).rejects.toThrow(CommanderError);
  });

  it("rejects an unknown format", async () => {
    const run = runCli(["staypoints", GEOLIFE, "--format", "kml"]);
    await expect(run).rejects.toThrow(/Allowed choices are csv, geojson/);
  });
});

describe("parseFixesCsv", () => {
  const header = "tracked_at,longitude,user_id,latitude,accuracy";

  it("reads columns in any order", () => {
    const fixes = parseFixesCsv(
      `${header}\n2008-10-23T02:53:04Z,116.318417,7,39.984702,5\n`,
      "f.csv",
    );
    expect(fixes).toEqual([
      {
        userId: "7",
        trackedAt: Date.UTC(2008, 9, 23, 2, 53, 4),
        latitude: 39.984702,
        longitude: 116.318417,
      },
    ]);
  });

  it("converts offsets to UTC", () => {
    const times = [
      "2008-10-23T10:53:04+08:00",
      "2008-10-23T10:53:04+0800",
      "2008-10-22T21:53:04-05",
      "2008-10-23 02:53:04.000+00:00",
    ];
    for (const time of times) {
      const [fix] = parseFixesCsv(`${header}\n${time},1,u,2,\n`, "f.csv");
      expect(fix?.trackedAt, time).toBe(Date.UTC(2008, 9, 23, 2, 53, 4));
    }
  });

  it("keeps milliseconds", () => {
    const [fix] = parseFixesCsv(
      `${header}\n2008-10-23T02:53:04.25Z,1,u,2,\n`,
      "f.csv",
    );
    expect(fix?.trackedAt).toBe(Date.UTC(2008, 9, 23, 2, 53, 4, 250));
  });

  const badValues = [
    { field: "tracked_at", row: "2008-02-30T00:00:00Z,1,u,2," },
    { field: "tracked_at", row: "2008-10-23T25:00:00Z,1,u,2," },
    { field: "longitude", row: "2008-10-23T02:53:04Z,181,u,2," },
    { field: "latitude", row: "2008-10-23T02:53:04Z,1,u,north," },
    { field: "user_id", row: "2008-10-23T02:53:04Z,1,,2," },
  ];

  for (const bad of badValues) {
    it(`names the field in "${bad.row}"`, () => {
      let caught: unknown;
      try {
        parseFixesCsv(`${header}\n${bad.row}\n`, "f.csv");
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(FixesCsvError);
      expect((caught as FixesCsvError).field).toBe(bad.field);
      expect((caught as FixesCsvError).row).toBe(1);
      expect((caught as FixesCsvError).message).toContain("f.csv row 1");
    });
  }

  it("rejects a row with extra fields", () => {
    expect(() =>
      parseFixesCsv(`${header}\n2008-10-23T02:53:04Z,1,u,2,,9\n`, "f.csv"),
    ).toThrow(/Invalid CSV in f\.csv near line 2/);
  });

  it("rejects an empty file", () => {
    expect(() => parseFixesCsv("", "f.csv")).toThrow(/Empty fixes CSV/);
  });
});
