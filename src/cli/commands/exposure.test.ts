import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ExposureResult } from "../../analysis/exposure/index.js";
import { haversineMeters } from "../../analysis/geo/haversine.js";
import { EXPOSURE_CSV_HEADER, registerExposureCommand } from "./exposure.js";

interface CliOutput {
  stdout: string;
  stderr: string;
}

/** Runs `epitrace ARGS` in-process with the exposure command. */
async function runCli(args: readonly string[]): Promise<CliOutput> {
  const program = new Command("epitrace");
  registerExposureCommand(program);
  const output = { stdout: "", stderr: "" };
  const writers = {
    writeOut: (text: string) => {
      output.stdout += text;
    },
    writeErr: (text: string) => {
      output.stderr += text;
    },
  };
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput(writers);
  }
  await program.parseAsync([...args], { from: "user" });
  return output;
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

const STAYS_HEADER =
  "id,person_id,source,started_at,last_fix_at,finished_at,visit_date,latitude,longitude,radius_meters";
const STAYS_CSV = [
  STAYS_HEADER,
  "c1,case,gps,2020-05-02T01:00:00+09:00,2020-05-02T02:00:00+09:00,,,37.5665,126.978,3",
  "c2,case,disclosed_visit,,,,2020-05-03,37.57,126.98,10",
  "a1,alice,checkin,2020-05-02T01:20:00+09:00,2020-05-02T01:50:00+09:00,,,37.5665,126.97801,0",
  "b1,bob,card,2020-05-02T01:55:00+09:00,2020-05-02T01:59:00+09:00,2020-05-02T02:30:00+09:00,,37.5665,126.978,0",
  "d1,dana,disclosed_visit,,,,2020-05-03,37.57,126.98,5",
  "e1,erin,gps,2020-05-02T00:00:00+09:00,2020-05-02T04:00:00+09:00,,,37.5667,126.978,10",
].join("\n");

const CHECKIN_HEADER =
  "subject,venue_id,venue_name,address,latitude,longitude,visit_date,checked_in_at,checked_out_at";

/** Provider files of five persons on 2024-03-05 (Seoul). */
const PROVIDER_FILES: Record<string, string> = {
  "case-checkin.csv": [
    CHECKIN_HEADER,
    "010-1111-2222,V-1,노래방 A,,37.5665,126.9780,,2024-03-05T19:00:00+09:00,2024-03-05T20:30:00+09:00",
  ].join("\n"),
  "case-card.csv": [
    "subject,card_number,paid_at,merchant_name,address,business_category,latitude,longitude,amount_krw,card_company",
    "010-1111-2222,9430-12**-****-5678,2024-03-05T12:40:00+09:00,명동칼국수,,한식,37.5625,126.9856,9000,신한카드",
  ].join("\n"),
  // Alice's phone every 10 minutes from 18:50 to 20:50 at a micro cell 28 m from the karaoke room.
  "alice.csv": [
    "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters",
    ...Array.from({ length: 13 }, (_, k) => {
      const minutes = 18 * 60 + 50 + 10 * k;
      const time = `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
      return `01033334444,2024-03-05T${time}:00+09:00,45005-1,micro,37.5667,126.9782,250`;
    }),
  ].join("\n"),
  "venue.csv": [
    CHECKIN_HEADER,
    "010-3333-4444,V-1,노래방 A,,37.5665,126.9780,,2024-03-05T19:30:00+09:00,2024-03-05T20:00:00+09:00",
    "dana,V-1,노래방 A,,37.5665,126.9780,,2024-03-05T20:10:00+09:00,2024-03-05T21:00:00+09:00",
    "010-1111-2222,V-1,노래방 A,,37.5665,126.9780,,2024-03-05T19:00:00+09:00,2024-03-05T20:30:00+09:00",
    "erin,V-9,PC방,,37.6000,127.0500,,2024-03-05T19:00:00+09:00,2024-03-05T21:00:00+09:00",
  ].join("\n"),
  // Bob's GPX track: a fix every 2 minutes at the restaurant from 12:00 to 12:40.
  "bob.gpx": [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>',
    ...Array.from(
      { length: 21 },
      (_, k) =>
        `<trkpt lat="37.56252" lon="126.98562"><time>2024-03-05T03:${String(2 * k).padStart(2, "0")}:00Z</time></trkpt>`,
    ),
    "</trkseg></trk></gpx>",
  ].join("\n"),
};

let temporaryFolder = "";
let staysFile = "";

/** Returns the paths of the named provider files. */
function providerFiles(...names: string[]): string[] {
  return names.map((name) => path.join(temporaryFolder, "provider", name));
}

beforeAll(async () => {
  temporaryFolder = await mkdtemp(path.join(os.tmpdir(), "epitrace-exposure-"));
  staysFile = path.join(temporaryFolder, "stays.csv");
  await writeFile(staysFile, STAYS_CSV);
  await mkdir(path.join(temporaryFolder, "provider"));
  for (const [name, text] of Object.entries(PROVIDER_FILES)) {
    await writeFile(path.join(temporaryFolder, "provider", name), text);
  }
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

/** A seeded generator of floats in [0, 1) (mulberry32), so that failures repeat. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const MINUTE_MS = 60_000;

/** Venues 0, 40, 90 and 300 m east of the place; the query's radius is 60 m. */
const PLACE = { latitude: 37.5665, longitude: 126.978 };
const VENUES = [0, 40, 90, 300].map((metersEast) => ({
  latitude: PLACE.latitude,
  longitude: PLACE.longitude + metersEast / 88_200,
}));

interface Visit {
  readonly venue: number;
  readonly startsAt: number;
  readonly endsAt: number;
}

/** Draws visits in whole minutes, at least 20 minutes apart, from 2024-03-05 08:00 Seoul on. */
function drawVisits(random: () => number, count: number): Visit[] {
  const visits: Visit[] = [];
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
