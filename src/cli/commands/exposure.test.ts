import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ExposureResult } from "../../analysis/exposure/index.js";
import { haversineMeters } from "../../analysis/geo/haversine.js";
import { seededRandom } from "../../analysis/hotspots/statistics/random.js";
import { EXPOSURE_CSV_HEADER, registerExposureCommand } from "./exposure.js";
import {
  CHECKIN_HEADER,
  providerFilesIn,
  runProgram,
  STAYS_CSV,
  writeProviderFiles,
  type CliOutput,
  MINUTE_MS,
  type DrawnVisit,
} from "./testing.js";

/** Runs `epitrace ARGS` in-process with the exposure command. */
function runCli(args: readonly string[]): Promise<CliOutput> {
  const program = new Command("epitrace");
  registerExposureCommand(program);
  return runProgram(program, args);
}

/** Returns the rows of a CSV output as objects by column name. */
function csvRows(stdout: string): Record<string, string>[] {
  const [header, ...lines] = stdout.trimEnd().split("\n");
  const columns = header!.split(",");
  return lines.map((line) => {
    const fields = line.split(",");
    return Object.fromEntries(columns.map((name, k) => [name, fields[k]!]));
  });
}

let temporaryFolder = "";
let staysFile = "";

/** Returns the paths of the named provider files. */
function providerFiles(...names: string[]): string[] {
  return providerFilesIn(temporaryFolder, names);
}

beforeAll(async () => {
  temporaryFolder = await mkdtemp(path.join(os.tmpdir(), "epitrace-exposure-"));
  staysFile = path.join(temporaryFolder, "stays.csv");
  await writeFile(staysFile, STAYS_CSV);
  await writeProviderFiles(temporaryFolder);
});

afterAll(async () => {
  await rm(temporaryFolder, { recursive: true, force: true });
});

describe("epitrace exposure on a stays CSV", () => {
  const place = ["--latitude", "37.5665", "--longitude", "126.978"];
  const night = [
    "--window",
    "2020-05-02T00:00:00+09:00/2020-05-02T05:00:00+09:00",
  ];

  it("prints persons and looser settings", async () => {
    const { stdout, stderr } = await runCli([
      "exposure",
      staysFile,
      ...place,
      ...night,
    ]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(EXPOSURE_CSV_HEADER);
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual([
      "erin",
      "case",
      "alice",
    ]);
    expect(stderr).toContain(
      "With 50 m and at least 0 min: 4 persons (1 more).",
    );
  });

  it("adds up repeated windows", async () => {
    const { stdout } = await runCli([
      "exposure",
      staysFile,
      ...place,
      "--window",
      "2020-05-02T00:00:00+09:00/2020-05-02T01:00:00+09:00",
      "--window",
      "2020-05-02T03:00:00+09:00/2020-05-02T04:00:00+09:00",
      "--min-dwell",
      "100",
      "--json",
    ]);
    const result = JSON.parse(stdout) as ExposureResult;
    // Erin stayed from midnight to 4 am: one hour in each window.
    expect(result.persons.map((p) => [p.personId, p.minutes])).toEqual([
      ["erin", 120],
    ]);
  });

  it("reads --stays with --place, --from and --to", async () => {
    const { stdout } = await runCli([
      "exposure",
      "--stays",
      staysFile,
      "--place",
      "37.5665,126.978",
      "--from",
      "2020-05-02T00:00:00+09:00",
      "--to",
      "2020-05-02T05:00:00+09:00",
    ]);
    expect(csvRows(stdout).map((row) => row.person_id)).toEqual([
      "erin",
      "case",
      "alice",
    ]);
  });

  it("rejects two kinds of place", async () => {
    const polygon = path.join(temporaryFolder, "place.geojson");
    await writeFile(
      polygon,
      JSON.stringify({ type: "Polygon", coordinates: [] }),
    );
    await expect(
      runCli(["exposure", staysFile, ...place, "--polygon", polygon, ...night]),
    ).rejects.toThrow(/Give the place once/);
    await expect(
      runCli([
        "exposure",
        staysFile,
        ...place,
        "--place",
        "37.5,127",
        ...night,
      ]),
    ).rejects.toThrow(/Give the place once/);
  });

  it("rejects a query without a window", async () => {
    await expect(runCli(["exposure", staysFile, ...place])).rejects.toThrow(
      /Missing exposure window/,
    );
    await expect(
      runCli([
        "exposure",
        staysFile,
        ...place,
        "--from",
        "2020-05-02T00:00:00+09:00",
      ]),
    ).rejects.toThrow(/--from and --to go together/);
  });
});

describe("epitrace exposure on provider files", () => {
  const karaoke = ["--place", "37.5665,126.9780", "--radius", "50"];
  const evening = [
    "--from",
    "2024-03-05T19:00:00+09:00",
    "--to",
    "2024-03-05T21:00:00+09:00",
  ];

  it("prints each person of the files once", async () => {
    const { stdout } = await runCli([
      "exposure",
      ...providerFiles(
        "alice.csv",
        "venue.csv",
        "case-checkin.csv",
        "case-card.csv",
        "bob.gpx",
      ),
      ...karaoke,
      ...evening,
      "--min-dwell",
      "15",
    ]);
    const rows = csvRows(stdout);
    // Alice's cells (18:50-20:50) and her check-in fuse into one stay:
    // 19:00 to 20:50 inside the window. The case's two copies of its
    // check-in are one stay. Erin was at another venue, Bob at lunch.
    expect(rows.map((row) => [row.person_id, row.minutes])).toEqual([
      ["01033334444", "110"],
      ["01011112222", "90"],
      ["dana", "50"],
    ]);
    expect(rows.map((row) => row.sources)).toEqual([
      "base_station checkin",
      "checkin",
      "checkin",
    ]);
    expect(rows.map((row) => row.stay_ids)).toEqual([
      "01033334444/stay-1",
      "01011112222/stay-2",
      "dana/stay-1",
    ]);
  });

  it("splits a file of several subjects", async () => {
    const { stdout } = await runCli([
      "exposure",
      ...providerFiles("venue.csv"),
      ...karaoke,
      ...evening,
      "--min-dwell",
      "15",
      "--json",
    ]);
    const result = JSON.parse(stdout) as ExposureResult;
    expect(result.persons.map((p) => [p.personId, p.minutes])).toEqual([
      ["01011112222", 90],
      ["dana", 50],
      ["01033334444", 30],
    ]);
  });

  it("takes Seoul dates as the window", async () => {
    const { stdout } = await runCli([
      "exposure",
      ...providerFiles("bob.gpx", "case-card.csv"),
      "--place",
      "37.5625,126.9856",
      "--radius",
      "20",
      "--from",
      "2024-03-05",
      "--to",
      "2024-03-05",
      "--min-dwell",
      "15",
    ]);
    // The card stay of a 한식 payment at 12:40 is estimated: certain from
    // 11:49 and possibly to 12:49. Bob's track lasts 40 minutes.
    expect(
      csvRows(stdout).map((row) => [
        row.person_id,
        row.minutes,
        row.possible_minutes,
      ]),
    ).toEqual([
      ["01011112222", "51", "9"],
      ["bob", "40", "0"],
    ]);
  });

  it("takes repeated windows with provider files", async () => {
    const { stdout } = await runCli([
      "exposure",
      ...providerFiles("venue.csv"),
      ...karaoke,
      "--window",
      "2024-03-05T19:00:00+09:00/2024-03-05T19:40:00+09:00",
      "--window",
      "2024-03-05T20:20:00+09:00/2024-03-05T21:00:00+09:00",
      "--min-dwell",
      "0",
      "--json",
    ]);
    const result = JSON.parse(stdout) as ExposureResult;
    expect(result.persons.map((p) => [p.personId, p.minutes])).toEqual([
      ["01011112222", 50],
      ["dana", 40],
      ["01033334444", 10],
    ]);
  });
});

/** Venues 0, 40, 90 and 300 m east of the place; the query's radius is 60 m. */
const PLACE = { latitude: 37.5665, longitude: 126.978 };
const VENUES = [0, 40, 90, 300].map((metersEast) => ({
  latitude: PLACE.latitude,
  longitude: PLACE.longitude + metersEast / 88_200,
}));

/** Draws visits in whole minutes, at least 20 minutes apart, from 2024-03-05 08:00 Seoul on. */
function drawVisits(random: () => number, count: number): DrawnVisit[] {
  const visits: DrawnVisit[] = [];
  let at = Date.parse("2024-03-05T08:00:00+09:00");
  for (let k = 0; k < count; k++) {
    const minutes = 5 + Math.floor(random() * 100);
    visits.push({
      venue: Math.floor(random() * VENUES.length),
      startsAt: at,
      endsAt: at + minutes * MINUTE_MS,
    });
    at += (minutes + 20 + Math.floor(random() * 240)) * MINUTE_MS;
  }
  return visits;
}

describe("epitrace exposure against a brute force", () => {
  it("matches minute counts on drawn check-ins", async () => {
    const folder = path.join(temporaryFolder, "drawn");
    await mkdir(folder);
    const random = seededRandom(20240305);
    const window = {
      startsAt: Date.parse("2024-03-05T12:00:00+09:00"),
      endsAt: Date.parse("2024-03-06T12:00:00+09:00"),
    };
    const files: string[] = [];
    const expected: [string, number][] = [];
    for (let k = 0; k < 20; k++) {
      const visits = drawVisits(random, 10);
      const file = path.join(folder, `q${k}.csv`);
      files.push(file);
      const lines = visits.map((visit) =>
        [
          "",
          `V-${visit.venue}`,
          "",
          "",
          VENUES[visit.venue]!.latitude.toFixed(7),
          VENUES[visit.venue]!.longitude.toFixed(7),
          "",
          new Date(visit.startsAt).toISOString(),
          new Date(visit.endsAt).toISOString(),
        ].join(","),
      );
      await writeFile(file, [CHECKIN_HEADER, ...lines].join("\n"));

      let minutes = 0;
      for (const visit of visits) {
        const isInside = haversineMeters(VENUES[visit.venue]!, PLACE) <= 60;
        for (let at = visit.startsAt; at < visit.endsAt; at += MINUTE_MS) {
          if (isInside && at >= window.startsAt && at < window.endsAt) {
            minutes += 1;
          }
        }
      }
      if (minutes >= 30) {
        expected.push([`q${k}`, minutes]);
      }
    }

    const { stdout } = await runCli([
      "exposure",
      ...files,
      "--place",
      `${PLACE.latitude},${PLACE.longitude}`,
      "--radius",
      "60",
      "--from",
      new Date(window.startsAt).toISOString(),
      "--to",
      new Date(window.endsAt).toISOString(),
      "--min-dwell",
      "30",
      "--json",
    ]);
    const result = JSON.parse(stdout) as ExposureResult;
    const byId = (a: [string, number], b: [string, number]) =>
      a[0].localeCompare(b[0]);
    expect(expected.length).toBeGreaterThan(2);
    expect(
      result.persons
        .map((person): [string, number] => [person.personId, person.minutes])
        .sort(byId),
    ).toEqual(expected.sort(byId));
  });
});
