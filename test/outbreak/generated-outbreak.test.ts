import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ContactsResult } from "../../src/analysis/contacts/index.js";
import type { GiStarResult } from "../../src/analysis/hotspots/gi-star/index.js";
import type { Route } from "../../src/analysis/route/index.js";
import { registerHotspotsCommand } from "../../src/cli/commands/hotspots.js";
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

/** Benjamini-Hochberg level and Monte Carlo level of the hotspot checks. */
const SIGNIFICANCE = 0.05;

let folder = "";
let truth: ScenarioTruth;
const routes = new Map<string, Route>();
/** Result of the file contact search of each index case, by person id. */
const searches = new Map<string, ContactsResult>();
/** Warnings of the file contact searches about records left out. */
const warnings: string[] = [];

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "epitrace-outbreak-"));
  const result = await generateScenario({ ...SCENARIO, outDir: folder });
  truth = result.truth;

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

/**
 * Tells whether the files show both sides of an encounter. A phone that
 * sends few records, a cash payment and a visit without a check-in can
 * leave one side unseen, and then no search of the files can find it.
 */
function isObserved(contact: TruthContact): boolean {
  return (
    contact.observedBy.case.length > 0 && contact.observedBy.contact.length > 0
  );
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

function lastDate(): string {
  const start = Date.parse(`${truth.start}T00:00:00Z`);
  return new Date(start + (truth.days - 1) * 86_400_000)
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

  it("shows most seeded contacts in the files", () => {
    for (const item of indexCases()) {
      const seeded = seededContactsOf(item);
      const observed = seeded.filter(isObserved);
      expect(
        observed.length / seeded.length,
        item.personId,
      ).toBeGreaterThanOrEqual(0.8);
    }
  });

  it("finds every seeded contact that the files show", () => {
    for (const item of indexCases()) {
      const result = searchContacts(item);
      const found = new Set(
        [...result.contacts, ...result.possibleContacts].map(
          (contact) => contact.personId,
        ),
      );
      const missed = seededContactsOf(item)
        .filter(isObserved)
        .filter((contact) => !found.has(contact.contactId));
      expect(missed, item.personId).toEqual([]);
    }
  });

  it("confirms most seeded contacts with 15 certain minutes", () => {
    for (const item of indexCases()) {
      const result = searchContacts(item);
      const certain = new Set(
        result.contacts.map((contact) => contact.personId),
      );
      const seeded = new Set(
        seededContactsOf(item)
          .filter(isObserved)
          .map((contact) => contact.contactId),
      );
      const confirmed = [...seeded].filter((id) => certain.has(id));
      // A contact whose phone sends few records and who did not check out
      // of the venue is seen only for part of the stay, so some seeded
      // contacts reach 15 minutes with the possible ends alone.
      expect(
        confirmed.length / seeded.size,
        item.personId,
      ).toBeGreaterThanOrEqual(0.6);
    }
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
      lastDate(),
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
});
