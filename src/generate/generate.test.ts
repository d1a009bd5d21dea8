import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { seoulDayEnd, seoulDayStart } from "../domain/seoul-time.js";
import {
  validateProviderFiles,
  type ProviderKind,
  type ProviderValidation,
} from "../ingest/provider/index.js";
import {
  CONTACT_MINUTES,
  generateScenario,
  writeBaseStationFile,
  type ScenarioResult,
  type ScenarioTruth,
} from "./index.js";

const SCENARIO = { persons: 40, days: 3, recordsPerPhonePerDay: 60 };

let folder = "";
let first: ScenarioResult;
let truth: ScenarioTruth;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "epitrace-generate-"));
  first = await generateScenario({
    ...SCENARIO,
    seed: 11,
    outDir: path.join(folder, "first"),
    perPerson: true,
  });
  truth = first.truth;
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Returns every file under a folder, relative to it, sorted. */
async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(root, path.join(entry.parentPath, entry.name)),
    )
    .sort();
}

/** Returns the kind of a provider file of the scenario, or null for the hotspot and truth files. */
function kindOfFile(relative: string): ProviderKind | null {
  const name = path.basename(relative);
  if (relative.startsWith("hotspots/") || name === "truth.json") {
    return null;
  }
  if (name === "base-stations.csv" || name.endsWith(".base-station.csv")) {
    return "base-station";
  }
  if (relative.startsWith("cards/") || name.endsWith(".card.csv")) {
    return "card";
  }
  if (name === "checkins.csv" || name.endsWith(".checkin.csv")) {
    return "checkin";
  }
  if (
    name === "gps.csv" ||
    name.endsWith(".gps.csv") ||
    name.endsWith(".gpx")
  ) {
    return "gps";
  }
  throw new Error(`No kind known for the generated file ${relative}.`);
}

const validations = new Map<string, Promise<ProviderValidation>>();

/** Validates a file of the first scenario once, with the kind its name implies. */
async function validate(relative: string): Promise<ProviderValidation> {
  const kind = kindOfFile(relative);
  if (kind === null) {
    throw new Error(`${relative} is not a provider file.`);
  }
  let validation = validations.get(relative);
  if (validation === undefined) {
    validation = validateProviderFiles([path.join(folder, "first", relative)], {
      kind,
    });
    validations.set(relative, validation);
  }
  return validation;
}

describe("generateScenario determinism", () => {
  it("writes identical bytes for the same seed", async () => {
    const again = path.join(folder, "again");
    await generateScenario({
      ...SCENARIO,
      seed: 11,
      outDir: again,
      perPerson: true,
    });

    const files = await listFiles(path.join(folder, "first"));
    expect(await listFiles(again)).toEqual(files);
    for (const file of files) {
      const expected = await readFile(path.join(folder, "first", file));
      const actual = await readFile(path.join(again, file));
      expect(actual.equals(expected), file).toBe(true);
    }
  });

  it("writes other data for another seed", async () => {
    const other = path.join(folder, "other");
    await generateScenario({ ...SCENARIO, seed: 12, outDir: other });

    for (const file of ["base-stations.csv", "checkins.csv", "truth.json"]) {
      const expected = await readFile(path.join(folder, "first", file));
      const actual = await readFile(path.join(other, file));
      expect(actual.equals(expected), file).toBe(false);
    }
  });

  it("lists every written file in the result and the truth", async () => {
    const files = await listFiles(path.join(folder, "first"));
    expect([...first.files]).toEqual(files);
    expect([...truth.files]).toEqual(files);
  });
});

describe("generated provider files", () => {
  it("pass validation with no rejected row", async () => {
    const files = (await listFiles(path.join(folder, "first"))).filter(
      (file) => kindOfFile(file) !== null,
    );
    expect(files).toContain("base-stations.csv");
    expect(files.some((file) => file.startsWith("cards/"))).toBe(true);
    expect(files.some((file) => file.endsWith(".gpx"))).toBe(true);
    for (const file of files) {
      const validation = await validate(file);
      expect(validation.fileErrors, file).toEqual([]);
      expect(validation.rowsRejected, file).toBe(0);
      expect(validation.rowsRead, file).toBeGreaterThan(0);
    }
  });

  it("give every time with the Seoul offset", async () => {
    for (const file of ["base-stations.csv", "checkins.csv", "gps.csv"]) {
      const validation = await validate(file);
      const flags = validation.flags.map((flag) => flag.flag);
      expect(flags, file).not.toContain("assumed_zone");
    }
    const text = await readFile(
      path.join(folder, "first", "base-stations.csv"),
      "utf8",
    );
    const times = text
      .split("\n")
      .slice(1, 50)
      .map((line) => line.split(",")[1]);
    for (const time of times) {
      expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
    }
  });

  it("put one card company in each card file", async () => {
    const cardFiles = truth.files.filter((file) => file.startsWith("cards/"));
    expect(cardFiles.length).toBeGreaterThan(1);
    for (const file of cardFiles) {
      const validation = await validate(file);
      const companies = new Set(
        validation.records.map((record) => record.details.cardCompany),
      );
      expect(companies.size, file).toBe(1);
    }
  });

  it("include base-station glitches that jump 15 km or more", async () => {
    const glitches = truth.persons.reduce(
      (sum, person) => sum + person.baseStationGlitches,
      0,
    );
    expect(glitches).toBeGreaterThan(0);
    const validation = await validate("base-stations.csv");
    const flagged = validation.flags.find(
      (flag) => flag.flag === "implausible_speed",
    );
    expect(flagged?.records ?? 0).toBeGreaterThanOrEqual(glitches);
  });
});

describe("truth file", () => {
  it("names persons with unique synthetic mobile numbers", () => {
    const phones = truth.persons.map((person) => person.phone);
    expect(new Set(phones).size).toBe(truth.persons.length);
    for (const phone of phones) {
      expect(phone).toMatch(/^010-[01]\d{3}-\d{4}$/);
    }
  });

  it("counts each person's rows in each file", async () => {
    const byFile = new Map<string, Map<string, number>>();
    for (const person of truth.persons) {
      for (const file of person.files) {
        const counts = byFile.get(file.path) ?? new Map<string, number>();
        counts.set(person.phone, file.rows);
        byFile.set(file.path, counts);
      }
    }
    for (const [file, expected] of byFile) {
      const validation = await validate(file);
      const actual = new Map<string, number>();
      const isSinglePersonFile =
        file.endsWith(".gpx") || file.startsWith("persons/");
      for (const record of validation.records) {
        const subject = isSinglePersonFile
          ? [...expected.keys()][0]!
          : record.details.phoneLast4 === undefined
            ? record.subject!
            : phoneOfDigits(record.subject!);
        actual.set(subject, (actual.get(subject) ?? 0) + record.rows.length);
      }
      expect(actual, file).toEqual(expected);
    }
  });

  it("lists cases of known persons with dates in order", () => {
    const ids = new Set(truth.persons.map((person) => person.id));
    expect(truth.cases.filter((item) => item.kind === "index")).toHaveLength(
      truth.seededVenues.length,
    );
    for (const item of truth.cases) {
      expect(ids.has(item.personId)).toBe(true);
      expect(item.onsetDate <= item.confirmedDate).toBe(true);
      expect(item.isolationDate).toBe(item.confirmedDate);
    }
  });

  it("traces each secondary case to a seeded contact", () => {
    const cases = new Map(truth.cases.map((item) => [item.personId, item]));
    for (const item of truth.cases.filter(
      (each) => each.kind === "secondary",
    )) {
      const source = cases.get(item.infectedBy ?? "");
      expect(source, item.personId).toBeDefined();
      const exposure = truth.contacts.find(
        (contact) =>
          contact.caseId === item.infectedBy &&
          contact.contactId === item.personId &&
          contact.placeId === item.exposurePlaceId,
      );
      expect(exposure, item.personId).toBeDefined();
    }
  });

  it("keeps each seeded contact inside the case's infectious period", () => {
    const cases = new Map(truth.cases.map((item) => [item.personId, item]));
    expect(truth.contacts.length).toBeGreaterThan(0);
    for (const contact of truth.contacts) {
      const item = cases.get(contact.caseId)!;
      const periodStart = seoulDayStart(item.onsetDate) - 2 * 86_400_000;
      const periodEnd = seoulDayEnd(item.isolationDate);
      const startedAt = Date.parse(contact.startedAt);
      const endedAt = Date.parse(contact.endedAt);
      expect(contact.overlapMinutes).toBeGreaterThanOrEqual(CONTACT_MINUTES);
      expect((endedAt - startedAt) / 60_000).toBeCloseTo(
        contact.overlapMinutes,
        6,
      );
      expect(startedAt).toBeGreaterThanOrEqual(periodStart);
      expect(endedAt).toBeLessThanOrEqual(periodEnd);
      expect(contact.contactId).not.toBe(contact.caseId);
    }
  });

  it("places seeded venues where their check-ins are", async () => {
    const validation = await validate("checkins.csv");
    for (const venue of truth.seededVenues) {
      const records = validation.records.filter(
        (record) => record.details.venueId === venue.id,
      );
      expect(records.length, venue.id).toBeGreaterThan(0);
      expect(records[0]!.latitude).toBe(venue.latitude);
      expect(records[0]!.longitude).toBe(venue.longitude);
      expect(
        truth.contacts.some((contact) => contact.placeId === venue.id),
        venue.id,
      ).toBe(true);
    }
  });

  it("matches the cases of the hotspot files", async () => {
    const counted = truth.cases.filter((item) => item.inHotspotFiles);
    const cases = await readFile(
      path.join(folder, "first", "hotspots/cases.csv"),
      "utf8",
    );
    const rows = cases
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(","));
    expect(rows.reduce((sum, row) => sum + Number(row[1]), 0)).toBe(
      counted.length,
    );
    for (const item of counted) {
      const row = rows.find(
        (each) => each[0] === item.areaId && each[2] === item.onsetDate,
      );
      expect(row, item.personId).toBeDefined();
    }

    const areas = await readFile(
      path.join(folder, "first", "hotspots/areas.csv"),
      "utf8",
    );
    const values = areas
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => Number(line.split(",")[3]));
    expect(values.reduce((sum, value) => sum + value, 0)).toBe(counted.length);
  });
});

describe("writeBaseStationFile", () => {
  it("streams valid records, the same for the same options", async () => {
    const options = { phones: 30, days: 2, totalRecords: 6_000, seed: 5 };
    const firstFile = path.join(folder, "bench-1.csv");
    const secondFile = path.join(folder, "bench-2.csv");
    const written = await writeBaseStationFile(firstFile, options);
    await writeBaseStationFile(secondFile, options);

    const bytes = await readFile(firstFile);
    expect(bytes.equals(await readFile(secondFile))).toBe(true);
    expect(written.bytes).toBe(bytes.length);
    expect(written.records).toBeGreaterThan(5_000);
    expect(written.records).toBeLessThan(7_000);

    const validation = await validateProviderFiles([firstFile], {
      kind: "base-station",
    });
    expect(validation.rowsRejected).toBe(0);
    expect(validation.rowsRead).toBe(written.records);
    expect(
      new Set(validation.records.map((record) => record.subject)).size,
    ).toBe(30);
  });

  it("rejects an invalid phone count", async () => {
    await expect(
      writeBaseStationFile(path.join(folder, "none.csv"), {
        phones: 0,
        days: 1,
      }),
    ).rejects.toThrow(/Invalid phone count 0/);
  });
});

/** Writes digits 01012345678 as 010-1234-5678, the form of the truth file. */
function phoneOfDigits(digits: string): string {
  return `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`;
}
