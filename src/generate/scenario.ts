import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { seoulDayStart } from "../domain/seoul-time.js";
import { silentProgress, type ProgressReporter } from "../ingest/progress.js";
import {
  BASE_STATION_HEADER,
  baseStationRecordsOf,
  DEFAULT_BASE_STATION_RECORD_OPTIONS,
} from "./base-station.js";
import { buildCity, type City } from "./city.js";
import {
  compareText,
  writeHotspotFiles,
  type HotspotFiles,
} from "./hotspot-files.js";
import { simulateOutbreak, type Outbreak } from "./outbreak.js";
import { buildPersons, CARD_COMPANIES, type Person } from "./people.js";
import {
  CARD_HEADER,
  cardRowsOf,
  CHECKIN_HEADER,
  checkinRowsOf,
  GPS_HEADER,
  gpsFixesOf,
  gpsLine,
  gpxDocument,
  type CardRow,
  type CheckinRow,
} from "./records.js";
import type { Period } from "./routine.js";
import { Observations } from "./observations.js";
import { TextSink } from "./sink.js";
import { buildTruth, type PersonFile, type ScenarioTruth } from "./truth.js";

/** Settings of a generated scenario. */
export interface ScenarioOptions {
  /** Number of persons, each with one phone. */
  readonly persons: number;
  /** Number of days of the period. */
  readonly days: number;
  /** Seed of every random draw; the same options give byte-identical files. */
  readonly seed: number;
  /** Folder to write into; created when missing. */
  readonly outDir: string;
  /** First day of the period, a Seoul date YYYY-MM-DD. Default 2024-03-04, a Monday. */
  readonly start?: string;
  /** Mean base-station records per phone and day. Default 228. */
  readonly recordsPerPhonePerDay?: number;
  /** Venues where the outbreak is seeded. Default 3. */
  readonly seededVenues?: number;
  /** Also write each person's records into files of their own under `persons/`. Default false. */
  readonly perPerson?: boolean;
  /** Receives the progress in phones. Default silent. */
  readonly progress?: ProgressReporter;
}

/** Default first day of a scenario. */
export const DEFAULT_START_DATE = "2024-03-04";

/** Result of `generateScenario`: the truth, the files written and the count of base-station records. */
export interface ScenarioResult {
  readonly truth: ScenarioTruth;
  /** Paths of every file written, relative to the folder, sorted. */
  readonly files: readonly string[];
  readonly baseStationRecords: number;
}

/** Share of persons whose GPS fixes come in the CSV export, and in GPX files. */
const GPS_SHARES = { csv: 0.1, gpx: 0.03 };

/**
 * Generates a scenario of a synthetic Seoul and writes its provider files,
 * hotspot files and truth file. Throws a RangeError for an invalid option.
 */
export async function generateScenario(
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  checkOptions(options);
  const start = options.start ?? DEFAULT_START_DATE;
  const period: Period = { startsAt: seoulDayStart(start), days: options.days };
  const city = buildCity({ persons: options.persons }, options.seed);
  const persons = buildPersons(options.persons, city, options.seed, GPS_SHARES);
  const outbreak = simulateOutbreak(persons, city, period, options.seed, {
    seededVenues: options.seededVenues ?? 3,
    sporadicShare: 1 / 150,
  });

  await mkdir(options.outDir, { recursive: true });
  const writer = new ScenarioWriter(options, persons, outbreak, city, period);
  await writer.writeAll();
  const truth = buildTruth({
    seed: options.seed,
    start,
    period,
    persons,
    outbreak,
    personFiles: writer.personFiles,
    glitches: writer.glitches,
    observations: writer.observations,
    files: writer.files,
  });
  await writer.writeText("truth.json", `${JSON.stringify(truth, null, 2)}\n`);
  return {
    truth,
    files: [...writer.files].sort(),
    baseStationRecords: writer.baseStationRecords,
  };
}

/** Checks the options of a scenario and throws a RangeError naming the first invalid one. */
export function checkOptions(
  options: Pick<
    ScenarioOptions,
    | "persons"
    | "days"
    | "seed"
    | "start"
    | "recordsPerPhonePerDay"
    | "seededVenues"
  >,
): void {
  const integer = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(
        `Invalid ${name} ${value}: expected an integer from ${min} to ${max}.`,
      );
    }
  };
  integer("persons", options.persons, 1, 1_000_000);
  integer("days", options.days, 1, 366);
  integer("seed", options.seed, 0, 4_294_967_295);
  if (options.seededVenues !== undefined) {
    integer("seeded venue count", options.seededVenues, 0, 50);
  }
  if (
    options.recordsPerPhonePerDay !== undefined &&
    !(
      options.recordsPerPhonePerDay > 0 &&
      options.recordsPerPhonePerDay <= 100_000
    )
  ) {
    throw new RangeError(
      `Invalid records per phone and day ${options.recordsPerPhonePerDay}: expected a number above 0 and at most 100,000.`,
    );
  }
  if (options.start !== undefined) {
    seoulDayStart(options.start);
  }
}

/** Writes the files of a scenario and keeps track of which files hold whose rows. */
class ScenarioWriter {
  readonly files = new Set<string>();
  readonly personFiles = new Map<string, PersonFile[]>();
  readonly observations = new Observations();
  readonly glitches = new Map<string, number>();
  baseStationRecords = 0;
  readonly #options: ScenarioOptions;
  readonly #persons: readonly Person[];
  readonly #outbreak: Outbreak;
  readonly #city: City;
  readonly #period: Period;

  constructor(
    options: ScenarioOptions,
    persons: readonly Person[],
    outbreak: Outbreak,
    city: City,
    period: Period,
  ) {
    this.#options = options;
    this.#persons = persons;
    this.#outbreak = outbreak;
    this.#city = city;
    this.#period = period;
  }

  async writeAll(): Promise<void> {
    await this.#writeBaseStations();
    await this.#writeCards();
    await this.#writeCheckins();
    await this.#writeGps();
    const hotspots: HotspotFiles = writeHotspotFiles(
      this.#city,
      this.#outbreak,
      this.#period,
    );
    for (const [name, text] of Object.entries(hotspots)) {
      await this.writeText(`hotspots/${name}`, text);
    }
  }

  async writeText(relative: string, text: string): Promise<void> {
    const target = path.join(this.#options.outDir, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
    this.files.add(relative);
  }

  #note(
    person: Person,
    file: string,
    kind: PersonFile["kind"],
    rows: number,
  ): void {
    if (rows === 0) {
      return;
    }
    const list = this.personFiles.get(person.id) ?? [];
    list.push({ path: file, kind, rows });
    this.personFiles.set(person.id, list);
  }

  #personPath(person: Person, kind: string, extension = "csv"): string {
    return `persons/${person.id}/${person.id}.${kind}.${extension}`;
  }

  async #writeBaseStations(): Promise<void> {
    const file = "base-stations.csv";
    const sink = new TextSink(path.join(this.#options.outDir, file));
    await sink.writeLines([BASE_STATION_HEADER]);
    const progress = this.#options.progress ?? silentProgress;
    progress.start(this.#persons.length, "phones");
    const recordOptions = {
      ...DEFAULT_BASE_STATION_RECORD_OPTIONS,
      ...(this.#options.recordsPerPhonePerDay === undefined
        ? {}
        : { recordsPerPhonePerDay: this.#options.recordsPerPhonePerDay }),
    };
    for (const person of this.#persons) {
      const records = baseStationRecordsOf(
        person,
        this.#outbreak.timelines[person.index]!,
        this.#period,
        this.#city,
        this.#options.seed,
        recordOptions,
      );
      await sink.writeLines(records.lines);
      this.baseStationRecords += records.lines.length;
      this.#note(person, file, "base-station", records.lines.length);
      this.glitches.set(person.id, records.glitches);
      this.observations.addBaseStation(person.id, records.instants);
      if (this.#options.perPerson === true) {
        const own = this.#personPath(person, "base-station");
        await this.writeText(
          own,
          [BASE_STATION_HEADER, ...records.lines, ""].join("\n"),
        );
        this.#note(person, own, "base-station", records.lines.length);
      }
      progress.increment(1);
    }
    progress.stop();
    await sink.close();
    this.files.add(file);
  }

  async #writeCards(): Promise<void> {
    const byCompany = new Map<string, CardRow[]>();
    for (const person of this.#persons) {
      const rows = cardRowsOf(
        person,
        this.#outbreak.timelines[person.index]!,
        this.#period,
        this.#options.seed,
      );
      for (const row of rows) {
        this.observations.addCardVisit(
          person.id,
          row.place.id,
          row.visitStartsAt,
        );
        const list = byCompany.get(row.card.company) ?? [];
        list.push(row);
        byCompany.set(row.card.company, list);
      }
      if (this.#options.perPerson === true && rows.length > 0) {
        const own = this.#personPath(person, "card");
        await this.writeText(
          own,
          [CARD_HEADER, ...rows.map((row) => row.line), ""].join("\n"),
        );
        this.#note(person, own, "card", rows.length);
      }
    }
    for (const company of CARD_COMPANIES) {
      const rows = byCompany.get(company.name);
      if (rows === undefined) {
        continue;
      }
      rows.sort(
        (a, b) =>
          a.paidAt - b.paidAt ||
          compareText(a.card.maskedNumber, b.card.maskedNumber),
      );
      const file = `cards/${company.fileName}.csv`;
      await this.writeText(
        file,
        [CARD_HEADER, ...rows.map((row) => row.line), ""].join("\n"),
      );
      const counts = countBy(rows, (row) => row.person);
      for (const [person, count] of counts) {
        this.#note(person, file, "card", count);
      }
    }
  }

  async #writeCheckins(): Promise<void> {
    const all: CheckinRow[] = [];
    for (const person of this.#persons) {
      const rows = checkinRowsOf(
        person,
        this.#outbreak.timelines[person.index]!,
        this.#period,
        this.#options.seed,
      );
      all.push(...rows);
      for (const row of rows) {
        this.observations.addCheckinVisit(
          person.id,
          row.venue.id,
          row.visitStartsAt,
        );
      }
      if (this.#options.perPerson === true && rows.length > 0) {
        const own = this.#personPath(person, "checkin");
        await this.writeText(
          own,
          [CHECKIN_HEADER, ...rows.map((row) => row.line), ""].join("\n"),
        );
        this.#note(person, own, "checkin", rows.length);
      }
    }
    if (all.length === 0) {
      return;
    }
    all.sort(
      (a, b) =>
        compareText(a.venue.id, b.venue.id) ||
        a.checkedInAt - b.checkedInAt ||
        a.person.index - b.person.index,
    );
    const file = "checkins.csv";
    await this.writeText(
      file,
      [CHECKIN_HEADER, ...all.map((row) => row.line), ""].join("\n"),
    );
    for (const [person, count] of countBy(all, (row) => row.person)) {
      this.#note(person, file, "checkin", count);
    }
  }

  async #writeGps(): Promise<void> {
    const lines: string[] = [GPS_HEADER];
    for (const person of this.#persons) {
      if (person.gps === "none") {
        continue;
      }
      const fixes = gpsFixesOf(
        person,
        this.#outbreak.timelines[person.index]!,
        this.#period,
        this.#options.seed,
      );
      this.observations.addGps(
        person.id,
        fixes.map((fix) => fix.trackedAt),
      );
      if (person.gps === "gpx") {
        const file = `gpx/${person.id}.gpx`;
        await this.writeText(file, gpxDocument(person.id, fixes));
        this.#note(person, file, "gps", fixes.length);
        continue;
      }
      const own = fixes.map((fix) => gpsLine(person.phone, fix));
      lines.push(...own);
      this.#note(person, "gps.csv", "gps", own.length);
      if (this.#options.perPerson === true) {
        const file = this.#personPath(person, "gps");
        await this.writeText(file, [GPS_HEADER, ...own, ""].join("\n"));
        this.#note(person, file, "gps", own.length);
      }
    }
    if (lines.length > 1) {
      await this.writeText("gps.csv", [...lines, ""].join("\n"));
    }
  }
}

function countBy<T>(
  rows: readonly T[],
  keyOf: (row: T) => Person,
): Map<Person, number> {
  const counts = new Map<Person, number>();
  for (const row of rows) {
    const key = keyOf(row);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map([...counts].sort((a, b) => a[0].index - b[0].index));
}
