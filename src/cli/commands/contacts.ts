import { readFile } from "node:fs/promises";

import { InvalidArgumentError, type Command } from "commander";
import { parse } from "csv-parse/sync";

import {
  dayRelativeTo,
  DEFAULT_CONTACT_OPTIONS,
  DEFAULT_INFECTIOUSNESS_BUCKETS,
  findContacts,
  lastInfectiousDate,
  type Contact,
  type ContactOptions,
  type ContactsResult,
  type IndexCase,
} from "../../analysis/contacts/index.js";
import type { Stay } from "../../analysis/stays/index.js";
import { isCalendarDate, seoulDayStart } from "../../domain/seoul-time.js";
import type { ProviderKind } from "../../ingest/provider/index.js";
import {
  findContactsInFiles,
  type PersonFileReadOptions,
  type PersonStay,
} from "./person-files.js";
import {
  runContactsOnStore,
  type StoreContactsOptions,
} from "./contacts-store.js";
import { formatInstant, quoteCsvField } from "./csv-output.js";
import { REASON_HELP } from "./store-analysis.js";
import {
  addProviderReadOptions,
  type ProviderCommandOptions,
} from "./validate.js";

export { formatInstant, quoteCsvField } from "./csv-output.js";

/** A stays CSV file, or one of its values, that cannot be read. */
export class StaysCsvError extends Error {
  override readonly name = "StaysCsvError";
}

/** Columns of the stays CSV that `contacts` and `exposure` read. */
export const STAYS_CSV_COLUMNS = [
  "id",
  "person_id",
  "source",
  "started_at",
  "last_fix_at",
  "finished_at",
  "visit_date",
  "latitude",
  "longitude",
  "radius_meters",
] as const;

/** Header of the `contacts` CSV output, one person per row. */
export const CONTACTS_CSV_HEADER =
  "person_id,kind,certain_minutes,possible_minutes,score,possible_score,first_overlap_at,last_overlap_at,dates,sources,pair_count,min_distance_meters,pairs";

interface ContactsCommandOptions extends Partial<
  Omit<ProviderCommandOptions, "kind">
> {
  readonly kind?: ProviderKind;
  readonly person?: string;
  readonly stays?: string;
  readonly case?: string[];
  readonly caseId?: string;
  readonly reason?: string;
  readonly others?: string[];
  readonly onset?: string;
  readonly testDate?: string;
  readonly confirmed?: string;
  readonly isolation?: string;
  readonly from?: number;
  readonly until?: number;
  readonly contactDistance: number;
  readonly minMinutes: number;
  readonly json?: true;
}

/** Registers `epitrace contacts`. */
export function registerContactsCommand(program: Command): void {
  const command = program
    .command("contacts")
    .description(
      "Find the contacts of an index case without a store: persons whose stays overlap the case's stays " +
        "in time and space during its infectious period. Reads the case's provider files (--case) and " +
        "the other persons' provider files (--others), of any kind, and fuses each person's records into " +
        "a route first; or reads one stays CSV with --person. Prints one person per row, highest score " +
        "first; times are UTC in ISO 8601. With --case-id, searches a stored case in the store instead.",
    )
    .argument(
      "[file]",
      `stays CSV with the header ${STAYS_CSV_COLUMNS.join(",")} (the same as --stays)`,
    )
    .option("--stays <file>", "stays CSV of the case and the other persons")
    .option(
      "--case-id <id>",
      "number or id (a UUID) of a stored case: search its contacts in the store in EPITRACE_DATA_DIR, with the " +
        "case's own dates, in place of files; --json prints the object of GET /api/cases/:id/contacts",
    )
    .option("--reason <text>", REASON_HELP)
    .option(
      "--case <files...>",
      "provider files (CSV, gzip CSV, GeoJSON, GPX, KML or Google Takeout JSON) of the index case",
    )
    .option(
      "--others <files...>",
      "provider files of the other persons: each file is one person (its one subject, or its name " +
        "without the extension), and a file of several subjects is one person per subject",
    )
    .option(
      "--person <id>",
      "person_id of the index case in a stays CSV; with --case, the case's subject in files of several subjects",
    )
    .option(
      "--onset <date>",
      "symptom onset, a Seoul date YYYY-MM-DD",
      parseDate,
    )
    .option(
      "--test-date <date>",
      "test date, a Seoul date YYYY-MM-DD",
      parseDate,
    )
    .option(
      "--confirmed <date>",
      "confirmation date, a Seoul date YYYY-MM-DD",
      parseDate,
    )
    .option(
      "--isolation <date>",
      "isolation date, a Seoul date YYYY-MM-DD; without it or --confirmed, the infectious period ends " +
        "9 days after --onset or --test-date, the last day of infectiousness weight above 0",
      parseDate,
    )
    .option(
      "--from <instant>",
      "start of the infectious period, ISO 8601 with a zone; overrides the dates",
      parseInstant,
    )
    .option(
      "--until <instant>",
      "end of the infectious period, ISO 8601 with a zone",
      parseInstant,
    )
    .option(
      "--contact-distance <meters>",
      "distance in metres added to the two stays' radii",
      parseNonNegative,
      DEFAULT_CONTACT_OPTIONS.contactDistanceMeters,
    )
    .option(
      "--min-minutes <minutes>",
      "minimum cumulative minutes of a contact",
      parseNonNegative,
      DEFAULT_CONTACT_OPTIONS.minimumMinutes,
    )
    .option("--json", "print the full result as JSON instead of CSV");
  addProviderReadOptions(command, { kindRequired: false }).action(
    runContactsCommand,
  );
}

/** Runs `contacts` and writes the contacts to the command's output. */
export async function runContactsCommand(
  file: string | undefined,
  options: ContactsCommandOptions,
  command: Command,
): Promise<void> {
  if ((options.from === undefined) !== (options.until === undefined)) {
    throw new InvalidArgumentError(
      "--from and --until go together: give both or neither.",
    );
  }
  const root = rootCommand(command).configureOutput();
  const write = (text: string) => root.writeOut?.(text);
  if (options.caseId !== undefined) {
    await runContactsOnStore(storeOptionsOf(file, options), command, write);
    return;
  }
  if (options.case !== undefined || options.others !== undefined) {
    await runOnProviderFiles(file, options, write, errorWriter(command));
    return;
  }

  const staysFile = staysFileOf(file, options);
  if (options.person === undefined) {
    throw new InvalidArgumentError(
      "Missing --person: give the person_id of the index case in the stays CSV.",
    );
  }
  const stays = await readStaysCsv(staysFile);
  const result = findContacts(
    { ...caseDatesOf(options, errorWriter(command)), personId: options.person },
    stays,
    contactOptionsOf(options),
  );
  write(
    options.json === true
      ? `${JSON.stringify(result, null, 2)}\n`
      : contactsCsv(result),
  );
}

function storeOptionsOf(
  file: string | undefined,
  options: ContactsCommandOptions,
): StoreContactsOptions {
  return {
    caseId: options.caseId!,
    reason: options.reason,
    searchOptions: contactOptionsOf(options),
    json: options.json,
    fileOptions: {
      "the stays CSV": file ?? options.stays,
      "--case": options.case,
      "--others": options.others,
      "--person": options.person,
      "--onset": options.onset,
      "--test-date": options.testDate,
      "--confirmed": options.confirmed,
      "--isolation": options.isolation,
    },
  };
}

function staysFileOf(
  file: string | undefined,
  options: ContactsCommandOptions,
): string {
  if (file !== undefined && options.stays !== undefined) {
    throw new InvalidArgumentError(
      `Give the stays CSV once: as the argument ${file} or as --stays ${options.stays}.`,
    );
  }
  const staysFile = file ?? options.stays;
  if (staysFile === undefined) {
    throw new InvalidArgumentError(
      "Missing input: give the case's provider files with --case and the other persons' with --others, a stays CSV with --person, or a stored case with --case-id.",
    );
  }
  return staysFile;
}

async function runOnProviderFiles(
  file: string | undefined,
  options: ContactsCommandOptions,
  write: (text: string) => void,
  warn: (text: string) => void,
): Promise<void> {
  if (file !== undefined || options.stays !== undefined) {
    throw new InvalidArgumentError(
      `A stays CSV (${file ?? options.stays}) does not go with --case and --others: give the other persons' provider files with --others.`,
    );
  }
  if (options.case === undefined || options.others === undefined) {
    throw new InvalidArgumentError(
      "--case and --others go together: give the index case's provider files and the other persons'.",
    );
  }
  if (options.subject !== undefined) {
    throw new InvalidArgumentError(
      "--subject would make every file one person: give the index case's subject with --person.",
    );
  }

  const found = await findContactsInFiles({
    indexCase: caseDatesOf(options, warn),
    caseFiles: options.case,
    caseSubject: options.person,
    otherFiles: options.others,
    readOptions: readOptionsOf(options),
    contactOptions: contactOptionsOf(options),
    warn,
  });
  if (options.json !== true) {
    write(contactsCsv(found.result, (id) => found.staysById.get(id)?.sources));
    return;
  }
  const json = {
    casePersonId: found.caseRoute.personId,
    ...found.result,
    stays: Object.fromEntries(
      pairedStayIds(found.result).map((id) => [
        id,
        jsonStay(found.staysById.get(id)!),
      ]),
    ),
  };
  write(`${JSON.stringify(json, null, 2)}\n`);
}

/**
 * Returns the index case's dates. When only the onset or the test date is
 * known, the isolation date becomes the last day whose infectiousness weight
 * is above 0 (9 days later by the default weights). A note on standard error
 * names that day. Throws an InvalidArgumentError when no date starts the
 * period and no period is set.
 */
function caseDatesOf(
  options: ContactsCommandOptions,
  warn: (text: string) => void,
): Omit<IndexCase, "personId"> {
  const dates = {
    symptomOnsetDate: options.onset ?? null,
    testDate: options.testDate ?? null,
    confirmedDate: options.confirmed ?? null,
    isolationDate: options.isolation ?? null,
  };
  if (options.from !== undefined) {
    return dates;
  }
  const reference = options.onset ?? options.testDate;
  if (reference === undefined && options.confirmed === undefined) {
    throw new InvalidArgumentError(
      "Missing dates of the index case: give --onset, --test-date or --confirmed (with --isolation when known), or set the infectious period with --from and --until.",
    );
  }
  if (
    reference === undefined ||
    options.isolation !== undefined ||
    options.confirmed !== undefined
  ) {
    return dates;
  }
  return { ...dates, isolationDate: defaultEndDate(options, reference, warn) };
}

function defaultEndDate(
  options: ContactsCommandOptions,
  reference: string,
  warn: (text: string) => void,
): string {
  const endDate = lastInfectiousDate(reference, DEFAULT_INFECTIOUSNESS_BUCKETS);
  if (endDate === undefined) {
    throw new InvalidArgumentError(
      "Missing end of the infectious period: give --isolation or --confirmed, or set the period with --from and --until.",
    );
  }
  const anchor = options.onset === undefined ? "--test-date" : "--onset";
  const days = dayRelativeTo(reference, seoulDayStart(endDate));
  warn(
    `No --isolation or --confirmed date: the infectious period ends at the end of ${endDate} in Seoul, ${days} days after ${anchor}, the last day whose infectiousness weight is above 0. Give --isolation, --confirmed or --from and --until to set the end.\n`,
  );
  return endDate;
}

function contactOptionsOf(options: ContactsCommandOptions): ContactOptions {
  return {
    contactDistanceMeters: options.contactDistance,
    minimumMinutes: options.minMinutes,
    ...(options.from === undefined || options.until === undefined
      ? {}
      : {
          infectiousPeriod: { startsAt: options.from, endsAt: options.until },
        }),
  };
}

/** Returns how `--kind`, `--format` and the other read options ask provider files to be read. */
export function readOptionsOf(
  options: Partial<Omit<ProviderCommandOptions, "kind">> & {
    readonly kind?: ProviderKind;
  },
): PersonFileReadOptions {
  return {
    kind: options.kind,
    format: options.format,
    encoding: options.encoding,
    zone: options.zone,
    dateFormat: options.dateFormat,
    year: options.year,
    subject: options.subject,
    maxLineLength: options.maxLineLength,
  };
}

/** Returns the ids of the stays behind the result's pairs, case stays first, each once and sorted. */
function pairedStayIds(result: ContactsResult): string[] {
  const caseIds = new Set<string>();
  const contactIds = new Set<string>();
  const contacts = [...result.contacts, ...result.possibleContacts];
  const pairs = [
    ...contacts.flatMap((contact) => [
      ...contact.pairs,
      ...contact.dayLevelPairs,
    ]),
    ...result.dayLevelContacts.flatMap((contact) => contact.pairs),
  ];
  for (const pair of pairs) {
    caseIds.add(pair.caseStayId);
    contactIds.add(pair.contactStayId);
  }
  return [...[...caseIds].sort(), ...[...contactIds].sort()];
}

/** Returns a stay with UTC ISO 8601 instants, as the JSON output shows it. */
function jsonStay(stay: PersonStay): Record<string, unknown> {
  if (stay.visitDate !== undefined) {
    return { ...stay };
  }
  return {
    ...stay,
    startedAt: formatInstant(stay.startedAt),
    lastFixAt: formatInstant(stay.lastFixAt),
    finishedAt: formatInstant(stay.finishedAt),
    observedFrom: formatInstant(stay.observedFrom),
    observedTo: formatInstant(stay.observedTo),
  };
}

/**
 * Formats the result as CSV. `sourcesOfStay` returns every source behind a
 * fused stay; without it, or where it returns nothing, a stay's `source`
 * alone counts.
 */
function contactsCsv(
  result: ContactsResult,
  sourcesOfStay: (stayId: string) => readonly string[] | undefined = () =>
    undefined,
): string {
  const lines = [CONTACTS_CSV_HEADER];
  const sourcesOf = (
    pairs: readonly { contactStayId: string; contactSource: string }[],
  ): string => {
    const sources = pairs.flatMap(
      (pair) => sourcesOfStay(pair.contactStayId) ?? [pair.contactSource],
    );
    return [...new Set(sources)].sort().join(" ");
  };
  const timed = (contact: Contact, kind: string): string[] => [
    contact.personId,
    kind,
    String(contact.certainMinutes),
    String(contact.possibleMinutes),
    String(contact.score),
    String(contact.possibleScore),
    formatInstant(contact.firstOverlapAt),
    formatInstant(contact.lastOverlapAt),
    [...new Set(contact.dayLevelPairs.map((pair) => pair.date))].join(" "),
    sourcesOf([...contact.pairs, ...contact.dayLevelPairs]),
    String(contact.pairs.length + contact.dayLevelPairs.length),
    formatMinDistance([...contact.pairs, ...contact.dayLevelPairs]),
    formatPairs([...contact.pairs, ...contact.dayLevelPairs]),
  ];
  for (const contact of result.contacts) {
    lines.push(timed(contact, "contact").map(quoteCsvField).join(","));
  }
  for (const contact of result.possibleContacts) {
    lines.push(timed(contact, "possible").map(quoteCsvField).join(","));
  }
  for (const contact of result.dayLevelContacts) {
    const fields = [
      contact.personId,
      "day_level",
      "",
      "",
      "",
      "",
      "",
      "",
      contact.dates.join(" "),
      sourcesOf(contact.pairs),
      String(contact.pairs.length),
      formatMinDistance(contact.pairs),
      formatPairs(contact.pairs),
    ];
    lines.push(fields.map(quoteCsvField).join(","));
  }
  return `${lines.join("\n")}\n`;
}

interface StayPair {
  readonly caseStayId: string;
  readonly contactStayId: string;
  readonly distanceMeters: number;
}

/** Formats the shortest distance between the centres of paired stays, in metres to 0.1 m. */
function formatMinDistance(pairs: readonly StayPair[]): string {
  if (pairs.length === 0) {
    return "";
  }
  const meters = Math.min(...pairs.map((pair) => pair.distanceMeters));
  return String(Math.round(meters * 10) / 10);
}

/** Formats pairs as `CASE_STAY=CONTACT_STAY`, separated by spaces. */
function formatPairs(pairs: readonly StayPair[]): string {
  return pairs
    .map((pair) => `${pair.caseStayId}=${pair.contactStayId}`)
    .join(" ");
}

/** Returns the function that writes to the program's standard error. */
export function errorWriter(command: Command): (text: string) => void {
  const output = rootCommand(command).configureOutput();
  return (text) => {
    if (output.writeErr === undefined) {
      process.stderr.write(text);
    } else {
      output.writeErr(text);
    }
  };
}

/**
 * Reads a stays CSV. Instants are ISO 8601 with a zone; a date-only stay
 * leaves the three instants empty and gives `visit_date`. An empty
 * `last_fix_at` or `finished_at` of a timed stay takes the value before it.
 */
export async function readStaysCsv(file: string): Promise<Stay[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new StaysCsvError(
      `Cannot read ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const records = parse(text, {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string | undefined>[];
  return records.map((record, index) => stayOfRecord(record, file, index + 1));
}

function stayOfRecord(
  record: Record<string, string | undefined>,
  file: string,
  row: number,
): Stay {
  const field = (name: (typeof STAYS_CSV_COLUMNS)[number]): string => {
    const value = record[name];
    if (value === undefined) {
      throw new StaysCsvError(
        `Missing column ${name} in ${file}: expected the header ${STAYS_CSV_COLUMNS.join(",")}.`,
      );
    }
    return value;
  };
  const number = (name: (typeof STAYS_CSV_COLUMNS)[number]): number => {
    const value = Number(field(name));
    if (field(name) === "" || !Number.isFinite(value)) {
      throw new StaysCsvError(
        `Invalid ${name} ${JSON.stringify(field(name))} in row ${row} of ${file}: expected a number.`,
      );
    }
    return value;
  };
  const instant = (name: (typeof STAYS_CSV_COLUMNS)[number]): number => {
    try {
      return parseInstant(field(name));
    } catch (error) {
      throw new StaysCsvError(
        `${(error as Error).message} (field ${name}, row ${row} of ${file})`,
        {
          cause: error,
        },
      );
    }
  };

  const base = {
    id: field("id"),
    personId: field("person_id"),
    source: field("source"),
    latitude: number("latitude"),
    longitude: number("longitude"),
    radiusMeters: field("radius_meters") === "" ? 0 : number("radius_meters"),
  };
  if (field("started_at") === "") {
    if (!isCalendarDate(field("visit_date"))) {
      throw new StaysCsvError(
        `Invalid row ${row} of ${file}: give started_at, or visit_date as YYYY-MM-DD for a date-only stay.`,
      );
    }
    return { ...base, visitDate: field("visit_date") };
  }
  const startedAt = instant("started_at");
  const lastFixAt =
    field("last_fix_at") === "" ? startedAt : instant("last_fix_at");
  const finishedAt =
    field("finished_at") === "" ? lastFixAt : instant("finished_at");
  return { ...base, startedAt, lastFixAt, finishedAt };
}

/** Parses an ISO 8601 instant with an explicit zone (`Z` or `+09:00`) into epoch milliseconds. */
export function parseInstant(value: string): number {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim());
  const instant = Date.parse(value);
  if (!hasZone || Number.isNaN(instant)) {
    throw new InvalidArgumentError(
      `Invalid instant ${JSON.stringify(value)}: expected ISO 8601 with a zone, such as 2020-05-02T00:00:00+09:00.`,
    );
  }
  return instant;
}

function parseDate(value: string): string {
  if (!isCalendarDate(value)) {
    throw new InvalidArgumentError(
      `Invalid date ${JSON.stringify(value)}: expected YYYY-MM-DD.`,
    );
  }
  return value;
}

/** Parses a finite number >= 0 for a command-line option. */
export function parseNonNegative(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !(number >= 0) || !Number.isFinite(number)) {
    throw new InvalidArgumentError("Expected a finite number >= 0.");
  }
  return number;
}

/** Returns the root of a command tree, whose output settings apply. */
export function rootCommand(command: Command): Command {
  let root = command;
  while (root.parent !== null) {
    root = root.parent;
  }
  return root;
}
