import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  DEFAULT_INFECTIOUSNESS_BUCKETS,
  infectiousnessWeightOf,
  type ContactsResult,
} from "../../analysis/contacts/index.js";
import { haversineMeters } from "../../analysis/geo/haversine.js";
import { seededRandom } from "../../analysis/hotspots/statistics/random.js";
import { seoulDayStart } from "../../domain/seoul-time.js";
import {
  CONTACTS_CSV_HEADER,
  StaysCsvError,
  registerContactsCommand,
} from "./contacts.js";
import {
  CHECKIN_HEADER,
  providerFilesIn,
  runProgram,
  STAYS_CSV,
  STAYS_HEADER,
  writeProviderFiles,
  type CliOutput,
  MINUTE_MS,
  type DrawnVisit,
} from "./testing.js";

/** Runs `epitrace ARGS` in-process with the contacts command. */
function runCli(args: readonly string[]): Promise<CliOutput> {
  const program = new Command("epitrace");
  registerContactsCommand(program);
  return runProgram(program, args);
}

/** Runs `contacts` on the stays CSV for the person `case` with the given dates, and parses the JSON. */
async function runJson(
  dates: readonly string[],
): Promise<{ result: ContactsResult; stderr: string }> {
  const { stdout, stderr } = await runCli([
    "contacts",
    staysFile,
    "--person",
    "case",
    ...dates,
    "--json",
  ]);
  return { result: JSON.parse(stdout) as ContactsResult, stderr };
}

let temporaryFolder = "";
let staysFile = "";

beforeAll(async () => {
  temporaryFolder = await mkdtemp(path.join(os.tmpdir(), "epitrace-contacts-"));
  staysFile = path.join(temporaryFolder, "stays.csv");
  await writeFile(staysFile, STAYS_CSV);
});

afterAll(async () => {
  await rm(temporaryFolder, { recursive: true, force: true });
});

const CASE_ARGS = [
  "--person",
  "case",
  "--onset",
  "2020-05-03",
  "--isolation",
  "2020-05-05",
];

describe("epitrace contacts", () => {
  it("prints contacts by kind", async () => {
    const { stdout } = await runCli(["contacts", staysFile, ...CASE_ARGS]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(CONTACTS_CSV_HEADER);
    const kinds = lines
      .slice(1)
      .map((line) => line.split(",").slice(0, 2).join(" "));
    expect(kinds).toEqual(["alice contact", "dana day_level"]);
    expect(lines[1]!.split(",")[2]).toBe("30");
  });

  it("prints JSON", async () => {
    const { stdout } = await runCli([
      "contacts",
      staysFile,
      ...CASE_ARGS,
      "--min-minutes",
      "1",
      "--json",
    ]);
    const result = JSON.parse(stdout) as ContactsResult;
    expect(result.contacts.map((c) => c.personId)).toEqual(["alice", "bob"]);
    expect(result.infectiousPeriod.anchor).toBe("symptom_onset");
  });

  it("takes a set infectious period", async () => {
    const { stdout } = await runCli([
      "contacts",
      staysFile,
      "--person",
      "case",
      "--from",
      "2020-05-02T01:40:00+09:00",
      "--until",
      "2020-05-02T03:00:00+09:00",
      "--min-minutes",
      "5",
      "--json",
    ]);
    const result = JSON.parse(stdout) as ContactsResult;
    expect(result.contacts[0]!.certainMinutes).toBe(10);
  });

  it("rejects an instant without a zone", async () => {
    const file = path.join(temporaryFolder, "no-zone.csv");
    await writeFile(
      file,
      `${STAYS_HEADER}\nc1,case,gps,2020-05-02T01:00:00,,,,37.5,127,0\n`,
    );
    await expect(runCli(["contacts", file, ...CASE_ARGS])).rejects.toThrow(
      StaysCsvError,
    );
    await expect(runCli(["contacts", file, ...CASE_ARGS])).rejects.toThrow(
      /Invalid instant .*with a zone.*\(field started_at, row 1 of /,
    );
  });

  it("ends the period 9 days after onset", async () => {
    const { result, stderr } = await runJson(["--onset", "2020-05-03"]);

    expect(result.infectiousPeriod.startsAt).toBe(seoulDayStart("2020-05-01"));
    expect(result.infectiousPeriod.endsAt).toBe(seoulDayStart("2020-05-13"));
    expect(result.infectiousPeriod.isSetByCaller).toBe(false);
    expect(result.contacts.map((c) => c.personId)).toEqual(["alice"]);
    expect(stderr).toContain("ends at the end of 2020-05-12 in Seoul");
    expect(stderr).toContain("9 days after --onset");
  });

  it("ends the period 9 days after test", async () => {
    const { result, stderr } = await runJson(["--test-date", "2020-05-02"]);

    expect(result.infectiousPeriod.anchor).toBe("test");
    expect(result.infectiousPeriod.endsAt).toBe(seoulDayStart("2020-05-12"));
    expect(stderr).toContain("9 days after --test-date");
  });

  it("keeps the confirmation day as end", async () => {
    const { result, stderr } = await runJson([
      "--onset",
      "2020-05-01",
      "--confirmed",
      "2020-05-02",
    ]);

    expect(result.infectiousPeriod.endsAt).toBe(seoulDayStart("2020-05-03"));
    expect(stderr).toBe("");
  });

  it("names the options for missing dates", async () => {
    const run = runCli([
      "contacts",
      staysFile,
      "--person",
      "case",
      "--isolation",
      "2020-05-05",
    ]);

    await expect(run).rejects.toThrow(
      /Missing dates of the index case: give --onset, --test-date or --confirmed .* --from and --until/,
    );
  });

  it("rejects --from without --until", async () => {
    await expect(
      runCli([
        "contacts",
        staysFile,
        "--person",
        "case",
        "--from",
        "2020-05-02T00:00:00Z",
      ]),
    ).rejects.toThrow(/--from and --until go together/);
  });
});

/** Returns the paths of the named provider files. */
function providerFiles(...names: string[]): string[] {
  return providerFilesIn(temporaryFolder, names);
}

describe("epitrace contacts on provider files", () => {
  beforeAll(async () => {
    await writeProviderFiles(temporaryFolder);
  });

  const caseArgs = () => [
    "contacts",
    "--case",
    ...providerFiles("case-checkin.csv", "case-card.csv"),
    "--others",
    ...providerFiles("alice.csv", "venue.csv", "bob.gpx"),
    "--onset",
    "2024-03-06",
    "--isolation",
    "2024-03-07",
    "--min-minutes",
    "1",
  ];

  it("prints contacts with minutes, score and pairs", async () => {
    const { stdout } = await runCli(caseArgs());
    const rows = stdout
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((line) => line.split(","));
    const columns = CONTACTS_CSV_HEADER.split(",");
    const pick = (row: string[], name: string) => row[columns.indexOf(name)];

    // Alice's fused stay (cells 18:50-20:50 with her check-in inside) covers
    // the case's 19:00-20:30 check-in: 90 minutes at weight 0.5 (30 m radii).
    // Bob was at the restaurant 12:00-12:40 while the case's card stay
    // (estimated 11:49-12:40) lasted: 40 minutes. Dana overlaps 20:10-20:30.
    expect(rows.map((row) => pick(row, "person_id"))).toEqual([
      "01033334444",
      "bob",
      "dana",
    ]);
    expect(rows.map((row) => pick(row, "certain_minutes"))).toEqual([
      "90",
      "40",
      "20",
    ]);
    expect(rows.map((row) => pick(row, "score"))).toEqual(["45", "20", "10"]);
    expect(rows.map((row) => pick(row, "min_distance_meters"))).toEqual([
      "0",
      "2.8",
      "0",
    ]);
    expect(rows.map((row) => pick(row, "pairs"))).toEqual([
      "01011112222/stay-2=01033334444/stay-1",
      "01011112222/stay-1=bob/stay-1",
      "01011112222/stay-2=dana/stay-1",
    ]);
  });

  it("counts an encounter seen by two sources once", async () => {
    const { stdout } = await runCli(caseArgs());
    const alice = stdout
      .split("\n")
      .find((line) => line.startsWith("01033334444,"))!
      .split(",");
    const columns = CONTACTS_CSV_HEADER.split(",");
    expect(alice[columns.indexOf("kind")]).toBe("contact");
    expect(alice[columns.indexOf("sources")]).toBe("base_station checkin");
    expect(alice[columns.indexOf("pair_count")]).toBe("1");
  });

  it("leaves the case's records in other files out", async () => {
    const { stdout } = await runCli([...caseArgs(), "--json"]);
    const result = JSON.parse(stdout) as ContactsResult & {
      casePersonId: string;
      stays: Record<string, { sources: string[]; startedAt: string }>;
    };
    const listed = [
      ...result.contacts,
      ...result.possibleContacts,
      ...result.dayLevelContacts,
    ].map((contact) => contact.personId);
    expect(result.casePersonId).toBe("01011112222");
    expect(listed).not.toContain("01011112222");
    expect(listed).not.toContain("erin");
    expect(result.stays["01033334444/stay-1"]!.sources).toEqual([
      "base_station",
      "checkin",
    ]);
    expect(result.stays["01011112222/stay-2"]!.startedAt).toBe(
      "2024-03-05T10:00:00.000Z",
    );
  });

  it("takes the case's subject from a shared file", async () => {
    const args = [
      "contacts",
      "--case",
      ...providerFiles("venue.csv"),
      "--others",
      ...providerFiles("venue.csv", "alice.csv"),
      "--onset",
      "2024-03-06",
      "--isolation",
      "2024-03-07",
      "--min-minutes",
      "1",
    ];
    await expect(runCli(args)).rejects.toThrow(
      /venue\.csv contains the records of 4 subjects .*Give --person/,
    );

    const { stdout } = await runCli([...args, "--person", "010-1111-2222"]);
    const rows = stdout.trimEnd().split("\n").slice(1);
    expect(rows.map((row) => row.split(",").slice(0, 3).join(" "))).toEqual([
      "01033334444 contact 90",
      "dana contact 20",
    ]);
  });

  it("names a person without subject by file", async () => {
    const { stdout } = await runCli([
      "contacts",
      "--case",
      ...providerFiles("case-card.csv"),
      "--others",
      ...providerFiles("bob.gpx"),
      "--from",
      "2024-03-05T12:00:00+09:00",
      "--until",
      "2024-03-05T12:30:00+09:00",
      "--json",
    ]);
    const result = JSON.parse(stdout) as ContactsResult;
    expect(result.contacts.map((c) => [c.personId, c.certainMinutes])).toEqual([
      ["bob", 30],
    ]);
  });

  it("rejects a file of no provider kind", async () => {
    const file = path.join(temporaryFolder, "provider", "notes.csv");
    await writeFile(file, "when,what\n2024-03-05,lunch\n");
    await expect(
      runCli([
        "contacts",
        "--case",
        ...providerFiles("case-card.csv"),
        "--others",
        file,
        "--onset",
        "2024-03-06",
        "--isolation",
        "2024-03-07",
      ]),
    ).rejects.toThrow(/notes\.csv could not be read as any kind/);
  });

  it("searches files with an onset alone", async () => {
    const args = caseArgs().filter(
      (arg) => arg !== "--isolation" && arg !== "2024-03-07",
    );
    const { stdout, stderr } = await runCli([...args, "--json"]);
    const result = JSON.parse(stdout) as ContactsResult;

    expect(result.infectiousPeriod.endsAt).toBe(seoulDayStart("2024-03-16"));
    expect(result.contacts.length).toBeGreaterThan(0);
    expect(stderr).toContain("ends at the end of 2024-03-15 in Seoul");
  });

  it("rejects --others without --case", async () => {
    await expect(
      runCli(["contacts", "--others", ...providerFiles("bob.gpx")]),
    ).rejects.toThrow(/--case and --others go together/);
  });

  it("reads a stays CSV given with --stays", async () => {
    const { stdout } = await runCli([
      "contacts",
      "--stays",
      staysFile,
      ...CASE_ARGS,
    ]);
    expect(stdout.split("\n")[1]!.split(",").slice(0, 3)).toEqual([
      "alice",
      "contact",
      "30",
    ]);
  });
});

const ONSET = "2024-03-06";
/** The set infectious period starts 3 days before the onset, where the infectiousness weight is 0.6. */
const PERIOD_FROM = "2024-03-03T00:00:00+09:00";
const PERIOD_UNTIL = "2024-03-09T00:00:00+09:00";

/**
 * Venues along a street: 0 and 1 lie 50 m apart, so that their check-ins
 * (30 m radius each) are in contact, and 2 and 3 lie 400 m and 800 m away.
 */
const VENUES = [0, 50, 400, 800].map((metersEast) => ({
  latitude: 37.5665,
  longitude: 126.978 + metersEast / 88_200,
}));

/**
 * Draws visits that do not overlap and lie at least 20 minutes apart, so
 * that the route keeps each check-in as a stay of its own, from 4 days
 * before the onset on.
 */
function drawVisits(random: () => number, count: number): DrawnVisit[] {
  const first = seoulDayStart("2024-03-02") + 8 * 60 * MINUTE_MS;
  const visits: DrawnVisit[] = [];
  let at = first + Math.floor(random() * 600) * MINUTE_MS;
  for (let k = 0; k < count; k++) {
    const minutes = 10 + Math.floor(random() * 110);
    visits.push({
      venue: Math.floor(random() * VENUES.length),
      startsAt: at,
      endsAt: at + minutes * MINUTE_MS,
    });
    at += (minutes + 20 + Math.floor(random() * 900)) * MINUTE_MS;
  }
  return visits;
}

function checkinLine(subject: string, visit: DrawnVisit): string {
  const venue = VENUES[visit.venue]!;
  return [
    subject,
    `V-${visit.venue}`,
    `venue ${visit.venue}`,
    "",
    venue.latitude.toFixed(7),
    venue.longitude.toFixed(7),
    "",
    new Date(visit.startsAt).toISOString(),
    new Date(visit.endsAt).toISOString(),
  ].join(",");
}

/**
 * Counts, minute by minute inside the infectious period, when a visit of
 * the person and one of the case are at venues in contact, and weights
 * each minute by 0.5 (30 m radii) and the day's infectiousness.
 */
function bruteForceContact(
  caseVisits: readonly DrawnVisit[],
  visits: readonly DrawnVisit[],
): { minutes: number; score: number } {
  const periodStart = Date.parse(PERIOD_FROM);
  const periodEnd = Date.parse(PERIOD_UNTIL);
  const onsetStart = seoulDayStart(ONSET);
  let minutes = 0;
  let score = 0;
  for (const caseVisit of caseVisits) {
    for (let at = caseVisit.startsAt; at < caseVisit.endsAt; at += MINUTE_MS) {
      if (at < periodStart || at >= periodEnd) {
        continue;
      }
      const isContact = visits.some(
        (visit) =>
          visit.startsAt <= at &&
          at < visit.endsAt &&
          haversineMeters(VENUES[visit.venue]!, VENUES[caseVisit.venue]!) <=
            30 + 30 + 2,
      );
      if (isContact) {
        const day = Math.floor((at - onsetStart) / 86_400_000);
        minutes += 1;
        score +=
          0.5 * infectiousnessWeightOf(DEFAULT_INFECTIOUSNESS_BUCKETS, day);
      }
    }
  }
  return { minutes, score };
}

describe("epitrace contacts against a brute force", () => {
  it("matches minute counts on drawn check-ins", async () => {
    const folder = path.join(temporaryFolder, "drawn");
    await mkdir(folder);
    const random = seededRandom(20240306);
    const caseVisits = drawVisits(random, 12);
    await writeFile(
      path.join(folder, "case.csv"),
      [CHECKIN_HEADER, ...caseVisits.map((v) => checkinLine("", v))].join("\n"),
    );

    // Persons p0 to p9 share one venue list; p10 to p14 have a file each,
    // whose rows name no subject.
    const visitsByPerson = new Map<string, DrawnVisit[]>();
    const shared: string[] = [CHECKIN_HEADER];
    const otherFiles = [path.join(folder, "venues.csv")];
    for (let k = 0; k < 15; k++) {
      const personId = `p${k}`;
      const visits = drawVisits(random, 12);
      visitsByPerson.set(personId, visits);
      if (k < 10) {
        shared.push(...visits.map((visit) => checkinLine(personId, visit)));
      } else {
        const file = path.join(folder, `${personId}.csv`);
        await writeFile(
          file,
          [CHECKIN_HEADER, ...visits.map((v) => checkinLine("", v))].join("\n"),
        );
        otherFiles.push(file);
      }
    }
    await writeFile(otherFiles[0]!, shared.join("\n"));

    const { stdout } = await runCli([
      "contacts",
      "--case",
      path.join(folder, "case.csv"),
      "--others",
      ...otherFiles,
      "--onset",
      ONSET,
      "--from",
      PERIOD_FROM,
      "--until",
      PERIOD_UNTIL,
      "--json",
    ]);
    const result = JSON.parse(stdout) as ContactsResult;

    const expected = [...visitsByPerson]
      .map(([personId, visits]) => ({
        personId,
        ...bruteForceContact(caseVisits, visits),
      }))
      .filter((contact) => contact.minutes >= 15);
    const found = result.contacts.map((contact) => ({
      personId: contact.personId,
      minutes: contact.certainMinutes,
      score: contact.score,
    }));
    const byId = (a: { personId: string }, b: { personId: string }) =>
      a.personId.localeCompare(b.personId);
    expect(expected.length).toBeGreaterThan(2);
    expect(found.sort(byId).map((c) => [c.personId, c.minutes])).toEqual(
      expected.sort(byId).map((c) => [c.personId, c.minutes]),
    );
    for (const contact of found) {
      const score = expected.find(
        (c) => c.personId === contact.personId,
      )!.score;
      expect(contact.score, contact.personId).toBeCloseTo(score, 6);
    }
    expect(result.possibleContacts).toEqual([]);
  });
});
