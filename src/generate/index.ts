import { seoulDayStart } from "../domain/seoul-time.js";
import { silentProgress, type ProgressReporter } from "../ingest/progress.js";
import {
  BASE_STATION_HEADER,
  baseStationRecordsOf,
  DEFAULT_BASE_STATION_RECORD_OPTIONS,
} from "./base-station.js";
import { buildCity } from "./city.js";
import { buildPersons } from "./people.js";
import { buildTimeline, type Period } from "./routine.js";
import { checkOptions, DEFAULT_START_DATE } from "./scenario.js";
import { TextSink } from "./sink.js";

export {
  checkOptions,
  DEFAULT_START_DATE,
  generateScenario,
  type ScenarioOptions,
  type ScenarioResult,
} from "./scenario.js";
export type {
  PersonFile,
  ScenarioTruth,
  TruthCase,
  TruthContact,
  TruthPerson,
  TruthVenue,
} from "./truth.js";
export { BASE_STATION_HEADER } from "./base-station.js";
export { CONTACT_MINUTES } from "./outbreak.js";
export { Random } from "./random.js";

/** Settings of `writeBaseStationFile`. */
export interface BaseStationFileOptions {
  /** Number of phones, each a person of the synthetic city. */
  readonly phones: number;
  readonly days: number;
  /** Mean records per phone and day. Default 228; `totalRecords` sets it instead. */
  readonly recordsPerPhonePerDay?: number;
  /** Approximate number of records in all, for `recordsPerPhonePerDay = totalRecords / (phones * days)`. */
  readonly totalRecords?: number;
  /** Default 1. */
  readonly seed?: number;
  /** First day, a Seoul date YYYY-MM-DD. Default 2024-03-04. */
  readonly start?: string;
  /** Receives the progress in phones. Default silent. */
  readonly progress?: ProgressReporter;
}

/** Counts of the file that `writeBaseStationFile` wrote. */
export interface BaseStationFileResult {
  readonly records: number;
  /** Records among them that are impossible jumps. */
  readonly glitches: number;
  readonly bytes: number;
}

/**
 * Writes one base-station CSV of many phones, as an operator sends in reply
 * to a request, without the rest of a scenario: the persons of the synthetic city
 * follow their routines with no outbreak. The records are generated phone by
 * phone and streamed to the file, so memory stays bounded by one phone's
 * records. The same options give a byte-identical file. Throws a RangeError
 * for an invalid option.
 */
export async function writeBaseStationFile(
  filePath: string,
  options: BaseStationFileOptions,
): Promise<BaseStationFileResult> {
  if (!Number.isInteger(options.phones) || options.phones < 1) {
    throw new RangeError(
      `Invalid phone count ${options.phones}: expected an integer of at least 1.`,
    );
  }
  const seed = options.seed ?? 1;
  const recordsPerPhonePerDay =
    options.totalRecords === undefined
      ? (options.recordsPerPhonePerDay ??
        DEFAULT_BASE_STATION_RECORD_OPTIONS.recordsPerPhonePerDay)
      : options.totalRecords / (options.phones * options.days);
  checkOptions({
    persons: options.phones,
    days: options.days,
    seed,
    recordsPerPhonePerDay,
    ...(options.start === undefined ? {} : { start: options.start }),
  });
  const period: Period = {
    startsAt: seoulDayStart(options.start ?? DEFAULT_START_DATE),
    days: options.days,
  };
  const city = buildCity({ persons: options.phones }, seed);
  const persons = buildPersons(options.phones, city, seed, { csv: 0, gpx: 0 });
  const recordOptions = {
    ...DEFAULT_BASE_STATION_RECORD_OPTIONS,
    recordsPerPhonePerDay,
  };
  const progress = options.progress ?? silentProgress;

  const sink = new TextSink(filePath);
  await sink.writeLines([BASE_STATION_HEADER]);
  let records = 0;
  let glitches = 0;
  progress.start(persons.length, "phones");
  for (const person of persons) {
    const timeline = buildTimeline(person, period, seed, [], null);
    const phone = baseStationRecordsOf(
      person,
      timeline,
      period,
      city,
      seed,
      recordOptions,
    );
    await sink.writeLines(phone.lines);
    records += phone.lines.length;
    glitches += phone.glitches;
    progress.increment(1);
  }
  progress.stop();
  const bytes = await sink.close();
  return { records, glitches, bytes };
}
