import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { Command } from "commander";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ContactsResult } from "../../src/analysis/contacts/index.js";
import type { GiStarResult } from "../../src/analysis/hotspots/gi-star/index.js";
import type { Route } from "../../src/analysis/route/index.js";
import { registerHotspotsCommand } from "../../src/cli/commands/hotspots.js";
import { seoulDayEnd, seoulDayStart } from "../../src/domain/seoul-time.js";
import {
  findContactsInFiles,
  type FileContactsResult,
} from "../../src/cli/commands/person-files.js";
import {
  generateScenario,
  type ScenarioTruth,
  type TruthCase,
  type TruthContact,
} from "../../src/generate/index.js";
import { comparableSubject } from "../../src/ingest/provider/index.js";

/**
 * A scenario small enough for a few seconds: 140 persons over 9 days, with
 * fewer base-station records than an operator sends (36 a day, not about
 * 228), to keep the reading of the files short.
 */
const SCENARIO = { persons: 140, days: 9, seed: 7, recordsPerPhonePerDay: 36 };

/**
 * A second outbreak in the same city a week later, at other venues, for
 * the space-time permutation scan. That model looks for places whose share
 * of the cases changes over time. In one scenario every index case falls
 * ill on the fourth day, so the three seeded clusters grow together and
 * show no such change. Only the hotspot files of this scenario are read,
 * so its phones send few base-station records.
 */
const LATER_SCENARIO = {
  persons: 140,
  days: 9,
  seed: 8,
  start: "2024-03-11",
  recordsPerPhonePerDay: 4,
};

/**
 * Seeded contacts of each index case of `SCENARIO`: those that check-ins
 * show (see `isShownByCheckIns`) and how the search lists the others.
 */
const EXPECTED_COUNTS = {
  "P-0034": {
    shownByCheckIns: 10,
    others: 26,
    othersAsContacts: 24,
    othersAsPossibleContacts: 2,
    othersAsDayLevelContacts: 0,
    othersMissed: 0,
  },
  "P-0055": {
    shownByCheckIns: 13,
    others: 15,
    othersAsContacts: 14,
    othersAsPossibleContacts: 1,
    othersAsDayLevelContacts: 0,
    othersMissed: 0,
  },
  "P-0065": {
    shownByCheckIns: 1,
    others: 29,
    othersAsContacts: 29,
    othersAsPossibleContacts: 0,
    othersAsDayLevelContacts: 0,
    othersMissed: 0,
  },
};

/** Minimum minutes of a contact, the default of the contact search. */
const CONTACT_MINUTES = 15;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Benjamini-Hochberg level and Monte Carlo level of the hotspot checks. */
const SIGNIFICANCE = 0.05;

let folder = "";
let laterFolder = "";
let truth: ScenarioTruth;
let laterTruth: ScenarioTruth;
/** Check-ins of the scenario's check-in file with a check-out, by person id. */
const checkIns = new Map<string, CheckInInterval[]>();
const routes = new Map<string, Route>();
/** Result of the file contact search of each index case, by person id. */
const searches = new Map<string, ContactsResult>();
/** Warnings of the file contact searches about records left out. */
const warnings: string[] = [];

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "epitrace-outbreak-"));
  const result = await generateScenario({ ...SCENARIO, outDir: folder });
  truth = result.truth;
  laterFolder = await mkdtemp(path.join(os.tmpdir(), "epitrace-outbreak-"));
  const later = await generateScenario({
    ...LATER_SCENARIO,
    outDir: laterFolder,
  });
  laterTruth = later.truth;
  await readCheckIns();

  for (const item of indexCases()) {
    const found = await searchContactsInFiles(item);
    searches.set(item.personId, found.result);
    if (routes.size === 0) {
      for (const person of [found.caseRoute, ...found.otherRoutes]) {
        routes.set(person.personId, person.route);
      }
    }
  }
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
  await rm(laterFolder, { recursive: true, force: true });
});

/**
 * Runs the contact search of `epitrace contacts --case FILE... --others
 * FILE...` on the scenario's provider files, with their kinds taken from
 * the files as the command does. The case's files are those that list the
 * case, and its subject is its mobile number. Every file of the scenario
 * is an other file, where each subject is a person. Subjects are mobile
 * numbers, which `personIdOf` turns into the truth's person ids, and a GPX
 * track has no subject and is named after its person already.
 */
async function searchContactsInFiles(
  item: TruthCase,
): Promise<FileContactsResult> {
  const personOfPhone = new Map<string, string>();
  for (const person of truth.persons) {
    personOfPhone.set(comparableSubject(person.phone), person.id);
  }
  const allFiles = new Set<string>();
  for (const person of truth.persons) {
    for (const file of person.files) {
      allFiles.add(path.join(folder, file.path));
    }
  }
  const casePerson = truth.persons.find(
    (person) => person.id === item.personId,
  )!;

  return findContactsInFiles({
    indexCase: {
      symptomOnsetDate: item.onsetDate,
      confirmedDate: item.confirmedDate,
      isolationDate: item.isolationDate,
    },
    caseFiles: casePerson.files.map((file) => path.join(folder, file.path)),
    caseSubject: casePerson.phone,
    otherFiles: [...allFiles],
    readOptions: {},
    personIdOf: (key) => personOfPhone.get(key) ?? key,
    warn: (text) => warnings.push(text),
  });
}

function searchContacts(item: TruthCase): ContactsResult {
  return searches.get(item.personId)!;
}

function seededContactsOf(item: TruthCase): TruthContact[] {
  return truth.contacts.filter((contact) => contact.caseId === item.personId);
}

/** A visit that the check-in file shows from check-in to check-out. */
interface CheckInInterval {
  readonly venueId: string;
  readonly checkedInAt: number;
  readonly checkedOutAt: number;
}

/** Reads the check-ins with a check-out of `checkins.csv` into `checkIns`. */
async function readCheckIns(): Promise<void> {
  const personOfPhone = new Map<string, string>();
  for (const person of truth.persons) {
    personOfPhone.set(comparableSubject(person.phone), person.id);
  }
  const text = await readFile(path.join(folder, "checkins.csv"), "utf8");
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  for (const row of rows) {
    if (row.checked_out_at === undefined || row.checked_out_at === "") {
      continue;
    }
    const personId = personOfPhone.get(comparableSubject(row.subject!))!;
    const list = checkIns.get(personId) ?? [];
    list.push({
      venueId: row.venue_id!,
      checkedInAt: Date.parse(row.checked_in_at!),
      checkedOutAt: Date.parse(row.checked_out_at),
    });
    checkIns.set(personId, list);
  }
}

/**
 * Returns the infectious period of the contact search's default rule: from
 * the start of the Seoul day two days before onset to the end of the
 * isolation day.
 */
function infectiousPeriodOf(item: TruthCase): [number, number] {
  return [
    seoulDayStart(item.onsetDate) - 2 * DAY_MS,
    seoulDayEnd(item.isolationDate),
  ];
}

/**
 * Tells whether the files can show a seeded encounter as a contact. They
 * can when the check-in file has a check-in with a check-out at the venue
 * for both the case and the contact during the encounter. Those two
 * intervals must also overlap for at least 15 minutes inside the case's infectious
 * period. A check-in names the venue and its position, and the check-out
 * ends the visit, so both sides are placed at the venue for those minutes.
 *
 * The other sources cannot show it as surely. A base-station record places
 * a phone within a cell of hundreds of metres, a card payment is one
 * instant, GPS fixes come every 5 to 14 minutes at a place and from one
 * phone in ten, and a check-in without a check-out leaves the end of the
 * visit unknown.
 */
function isShownByCheckIns(contact: TruthContact, item: TruthCase): boolean {
  const [periodStart, periodEnd] = infectiousPeriodOf(item);
  const encounterStart = Date.parse(contact.startedAt);
  const encounterEnd = Date.parse(contact.endedAt);
  const during = (personId: string) =>
    (checkIns.get(personId) ?? []).filter(
      (visit) =>
        visit.venueId === contact.placeId &&
        visit.checkedInAt < encounterEnd &&
        visit.checkedOutAt > encounterStart,
    );
  for (const caseVisit of during(contact.caseId)) {
    for (const contactVisit of during(contact.contactId)) {
      const startsAt = Math.max(
        caseVisit.checkedInAt,
        contactVisit.checkedInAt,
        periodStart,
      );
      const endsAt = Math.min(
        caseVisit.checkedOutAt,
        contactVisit.checkedOutAt,
        periodEnd,
      );
      if (endsAt - startsAt >= CONTACT_MINUTES * MINUTE_MS) {
        return true;
      }
    }
  }
  return false;
}

/** Returns the persons of the seeded contacts of a case that check-ins show, and the others. */
function splitSeededContacts(item: TruthCase): {
  shown: Set<string>;
  others: Set<string>;
} {
  const seeded = seededContactsOf(item);
  const shown = new Set(
    seeded
      .filter((contact) => isShownByCheckIns(contact, item))
      .map((contact) => contact.contactId),
  );
  const others = new Set(
    seeded
      .map((contact) => contact.contactId)
      .filter((personId) => !shown.has(personId)),
  );
  return { shown, others };
}

function indexCases(): TruthCase[] {
  return truth.cases.filter((item) => item.kind === "index");
}

/** Runs `epitrace hotspots ARGS --json` in-process and returns the parsed output. */
async function runHotspots(args: readonly string[]): Promise<unknown> {
  const program = new Command("epitrace");
  registerHotspotsCommand(program);
  let stdout = "";
  const writers = {
    writeOut: (text: string) => {
      stdout += text;
    },
    writeErr: () => {},
  };
  const commands = [program];
  for (let k = 0; k < commands.length; k++) {
    commands[k]!.exitOverride().configureOutput(writers);
    commands.push(...commands[k]!.commands);
  }
  await program.parseAsync(["hotspots", ...args, "--json"], { from: "user" });
  return JSON.parse(stdout) as unknown;
}

function lastDateOf(scenario: ScenarioTruth): string {
  const start = Date.parse(`${scenario.start}T00:00:00Z`);
  return new Date(start + (scenario.days - 1) * DAY_MS)
    .toISOString()
    .slice(0, 10);
}

describe("generated outbreak, contact search", () => {
  it("seeds index cases with contacts", () => {
    expect(indexCases()).toHaveLength(3);
    for (const item of indexCases()) {
      expect(seededContactsOf(item).length, item.personId).toBeGreaterThan(10);
    }
  });

  it("reads every row of the files", () => {
    // Merchants sent with an address alone stay unplaced; nothing else is lost.
    const lost = warnings.filter(
      (text) => !text.includes("without a position"),
    );
    expect(lost).toEqual([]);
  });

  it("finds every contact that check-ins show", () => {
    for (const item of indexCases()) {
      const result = searchContacts(item);
      const found = new Set(result.contacts.map((contact) => contact.personId));
      const { shown } = splitSeededContacts(item);
      const missed = [...shown].filter((personId) => !found.has(personId));
      expect(shown.size, item.personId).toBeGreaterThan(0);
      expect(missed, item.personId).toEqual([]);
    }
  });

  it("counts the other seeded contacts", () => {
    // Contacts that check-ins do not show are found through base-station
    // records, card payments and GPS fixes, or only with the possible ends
    // of stays. These counts hold for the fixed seed, and the generator's
    // own test checks that the same seed gives the same files.
    const counts = Object.fromEntries(
      indexCases().map((item) => {
        const result = searchContacts(item);
        const { shown, others } = splitSeededContacts(item);
        const inList = (list: readonly { personId: string }[]) =>
          list.filter((contact) => others.has(contact.personId)).length;
        const listed = new Set(
          [
            ...result.contacts,
            ...result.possibleContacts,
            ...result.dayLevelContacts,
          ].map((contact) => contact.personId),
        );
        return [
          item.personId,
          {
            shownByCheckIns: shown.size,
            others: others.size,
            othersAsContacts: inList(result.contacts),
            othersAsPossibleContacts: inList(result.possibleContacts),
            othersAsDayLevelContacts: inList(result.dayLevelContacts),
            othersMissed: [...others].filter((id) => !listed.has(id)).length,
          },
        ];
      }),
    );
    expect(counts).toEqual(EXPECTED_COUNTS);
  });

  it("lists each person once, whatever the sources", () => {
    for (const item of indexCases()) {
      const result = searchContacts(item);
      const listed = [
        ...result.contacts,
        ...result.possibleContacts,
        ...result.dayLevelContacts,
      ].map((contact) => contact.personId);
      expect(new Set(listed).size, item.personId).toBe(listed.length);
      expect(listed, item.personId).not.toContain(item.personId);
    }
  });

  it("sees seeded venue contacts through more than one source", () => {
    const item = indexCases()[0]!;
    const result = searchContacts(item);
    const venueIds = new Set(truth.seededVenues.map((venue) => venue.id));
    const atVenue = new Set(
      truth.contacts
        .filter(
          (contact) =>
            contact.caseId === item.personId && venueIds.has(contact.placeId),
        )
        .map((contact) => contact.contactId),
    );
    const multiSource = result.contacts.filter(
      (contact) => atVenue.has(contact.personId) && contact.sources.length > 1,
    );
    expect(multiSource.length).toBeGreaterThan(0);
  });

  it("removes every base-station glitch as an outlier", () => {
    for (const person of truth.persons) {
      const outliers = routes
        .get(person.id)!
        .excluded.filter((record) => record.reason === "speed_outlier");
      expect(outliers.length, person.id).toBe(person.baseStationGlitches);
    }
  });
});

describe("generated outbreak, hotspots", () => {
  it("finds the seeded venues with Gi* after Benjamini-Hochberg", async () => {
    const results = (await runHotspots([
      "gi-star",
      path.join(folder, "hotspots/areas.csv"),
      "--band",
      "1500",
    ])) as GiStarResult[];
    const significant = new Set(
      results
        .filter((result) => result.qValue < SIGNIFICANCE && result.zScore > 0)
        .map((result) => result.id),
    );
    for (const venue of truth.seededVenues) {
      expect(significant.has(venue.areaId), venue.id).toBe(true);
    }
  });

  it("puts a seeded venue in the scan's most likely cluster", async () => {
    const result = (await runHotspots([
      "scan",
      "--cases",
      path.join(folder, "hotspots/cases.csv"),
      "--coordinates",
      path.join(folder, "hotspots/coordinates.csv"),
      "--population",
      path.join(folder, "hotspots/population.csv"),
      "--model",
      "poisson",
      "--start",
      truth.start,
      "--end",
      lastDateOf(truth),
      "--max-radius-km",
      "2",
      "--replications",
      "199",
    ])) as { clusters: { locationIds: string[]; pValue: number }[] };
    const venueAreas = truth.seededVenues.map((venue) => venue.areaId);
    const [mostLikely] = result.clusters;
    expect(mostLikely).toBeDefined();
    expect(mostLikely!.pValue).toBeLessThan(SIGNIFICANCE);
    expect(
      venueAreas.some((area) => mostLikely!.locationIds.includes(area)),
    ).toBe(true);

    const significantAreas = new Set(
      result.clusters
        .filter((cluster) => cluster.pValue < SIGNIFICANCE)
        .flatMap((cluster) => cluster.locationIds),
    );
    for (const area of venueAreas) {
      expect(significantAreas.has(area), area).toBe(true);
    }
  });

  it("finds a seeded venue with the space-time permutation scan", async () => {
    const casesFile = path.join(folder, "hotspots/cases-both-outbreaks.csv");
    const cases = await readFile(path.join(folder, "hotspots/cases.csv"));
    const laterCases = await readFile(
      path.join(laterFolder, "hotspots/cases.csv"),
      "utf8",
    );
    const laterRows = laterCases.slice(laterCases.indexOf("\n") + 1);
    await writeFile(casesFile, `${String(cases)}${laterRows}`);

    const result = (await runHotspots([
      "scan",
      "--cases",
      casesFile,
      "--coordinates",
      path.join(folder, "hotspots/coordinates.csv"),
      "--model",
      "space-time-permutation",
      "--start",
      truth.start,
      "--end",
      lastDateOf(laterTruth),
      "--max-radius-km",
      "2",
      "--replications",
      "199",
    ])) as { clusters: { locationIds: string[]; pValue: number }[] };
    const venueAreas = [...truth.seededVenues, ...laterTruth.seededVenues].map(
      (venue) => venue.areaId,
    );
    const [mostLikely] = result.clusters;
    expect(mostLikely).toBeDefined();
    expect(mostLikely!.pValue).toBeLessThan(SIGNIFICANCE);
    expect(
      venueAreas.some((area) => mostLikely!.locationIds.includes(area)),
    ).toBe(true);
  });
});
