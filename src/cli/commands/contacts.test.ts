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
import { seoulDayStart } from "../../domain/seoul-time.js";
import {
  CONTACTS_CSV_HEADER,
  StaysCsvError,
  registerContactsCommand,
} from "./contacts.js";

interface CliOutput {
  stdout: string;
  stderr: string;
}

/** Runs `epitrace ARGS` in-process with the contacts command. */
async function runCli(args: readonly string[]): Promise<CliOutput> {
  const program = new Command("epitrace");
  registerContactsCommand(program);
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

const HEADER =
  "id,person_id,source,started_at,last_fix_at,finished_at,visit_date,latitude,longitude,radius_meters";
const STAYS_CSV = [
  HEADER,
  "c1,case,gps,2020-05-02T01:00:00+09:00,2020-05-02T02:00:00+09:00,,,37.5665,126.978,3",
  "c2,case,disclosed_visit,,,,2020-05-03,37.57,126.98,10",
  "a1,alice,checkin,2020-05-02T01:20:00+09:00,2020-05-02T01:50:00+09:00,,,37.5665,126.97801,0",
  "b1,bob,card,2020-05-02T01:55:00+09:00,2020-05-02T01:59:00+09:00,2020-05-02T02:30:00+09:00,,37.5665,126.978,0",
  "d1,dana,disclosed_visit,,,,2020-05-03,37.57,126.98,5",
  "e1,erin,gps,2020-05-02T00:00:00+09:00,2020-05-02T04:00:00+09:00,,,37.5667,126.978,10",
].join("\n");

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
      `${HEADER}\nc1,case,gps,2020-05-02T01:00:00,,,,37.5,127,0\n`,
    );
    await expect(runCli(["contacts", file, ...CASE_ARGS])).rejects.toThrow(
      StaysCsvError,
    );
    await expect(runCli(["contacts", file, ...CASE_ARGS])).rejects.toThrow(
      /Invalid instant .*with a zone.*\(field started_at, row 1 of /,
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

/** Provider files of five persons on 2024-03-05 (Seoul), written for the tests below. */
const CHECKIN_HEADER =
  "subject,venue_id,venue_name,address,latitude,longitude,visit_date,checked_in_at,checked_out_at";
const PROVIDER_FILES: Record<string, string> = {
  // The case: a check-in at a karaoke room and a card payment at a restaurant.
  "case-checkin.csv": [
    CHECKIN_HEADER,
    "010-1111-2222,V-1,노래방 A,,37.5665,126.9780,,2024-03-05T19:00:00+09:00,2024-03-05T20:30:00+09:00",
  ].join("\n"),
  "case-card.csv": [
    "subject,card_number,paid_at,merchant_name,address,business_category,latitude,longitude,amount_krw,card_company",
    "010-1111-2222,9430-12**-****-5678,2024-03-05T12:40:00+09:00,명동칼국수,,한식,37.5625,126.9856,9000,신한카드",
  ].join("\n"),
  // Alice's phone, every 10 minutes from 18:50 to 20:50 at a micro cell by the karaoke room.
  "alice.csv": [
    "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters",
    ...["18:50", "19:00", "19:10", "19:20", "19:30", "19:40"].map(
      (time) =>
        `01033334444,2024-03-05T${time}:00+09:00,45005-1,micro,37.5667,126.9782,250`,
    ),
    ...["19:50", "20:00", "20:10", "20:20", "20:30", "20:40", "20:50"].map(
      (time) =>
        `01033334444,2024-03-05T${time}:00+09:00,45005-1,micro,37.5667,126.9782,250`,
    ),
  ].join("\n"),
  // The venue's list: Alice again, Dana, the case itself and Erin at another venue.
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

/** Returns the paths of the named provider files. */
function providerFiles(...names: string[]): string[] {
  return names.map((name) => path.join(temporaryFolder, "provider", name));
}

describe("epitrace contacts on provider files", () => {
  beforeAll(async () => {
    await mkdir(path.join(temporaryFolder, "provider"));
    for (const [name, text] of Object.entries(PROVIDER_FILES)) {
      await writeFile(path.join(temporaryFolder, "provider", name), text);
    }
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

interface Visit {
  readonly venue: number;
  /** Epoch milliseconds, whole minutes. */
  readonly startsAt: number;
  readonly endsAt: number;
}

const MINUTE_MS = 60_000;
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
function drawVisits(random: () => number, count: number): Visit[] {
  const first = seoulDayStart("2024-03-02") + 8 * 60 * MINUTE_MS;
  const visits: Visit[] = [];
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

function checkinLine(subject: string, visit: Visit): string {
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
  caseVisits: readonly Visit[],
  visits: readonly Visit[],
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
    const visitsByPerson = new Map<string, Visit[]>();
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
