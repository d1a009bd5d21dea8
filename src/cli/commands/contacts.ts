import { readFile } from "node:fs/promises";

import { InvalidArgumentError, type Command } from "commander";
import { parse } from "csv-parse/sync";

import {
  DEFAULT_CONTACT_OPTIONS,
  findContacts,
  type Contact,
  type ContactOptions,
  type ContactsResult,
  type IndexCase,
} from "../../analysis/contacts/index.js";
import { isCalendarDate } from "../../domain/seoul-time.js";
import type { Stay } from "../../analysis/stays/index.js";

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
  "person_id,kind,certain_minutes,possible_minutes,score,possible_score,first_overlap_at,last_overlap_at,dates,sources,pair_count";

interface ContactsCommandOptions {
  readonly person: string;
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
  program
    .command("contacts")
    .description(
      "Find the contacts of an index case in a stays CSV, without a store: persons whose stays overlap " +
        "the case's stays in time and space during its infectious period. Prints one person per row, " +
        "highest score first; times are UTC in ISO 8601.",
    )
    .argument(
      "<file>",
      `stays CSV with the header ${STAYS_CSV_COLUMNS.join(",")}`,
    )
    .requiredOption("--person <id>", "person_id of the index case in the file")
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
      "isolation date, a Seoul date YYYY-MM-DD",
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
    .option("--json", "print the full result as JSON instead of CSV")
    .action(runContactsCommand);
}

/** Runs `contacts FILE` and writes the contacts to the command's output. */
export async function runContactsCommand(
  file: string,
  options: ContactsCommandOptions,
  command: Command,
): Promise<void> {
  if ((options.from === undefined) !== (options.until === undefined)) {
    throw new InvalidArgumentError(
      "--from and --until go together: give both or neither.",
    );
  }
  const indexCase: IndexCase = {
    personId: options.person,
    symptomOnsetDate: options.onset ?? null,
    testDate: options.testDate ?? null,
    confirmedDate: options.confirmed ?? null,
    isolationDate: options.isolation ?? null,
  };
  const contactOptions: ContactOptions = {
    contactDistanceMeters: options.contactDistance,
    minimumMinutes: options.minMinutes,
    ...(options.from === undefined || options.until === undefined
      ? {}
      : {
          infectiousPeriod: { startsAt: options.from, endsAt: options.until },
        }),
  };

  const stays = await readStaysCsv(file);
  const result = findContacts(indexCase, stays, contactOptions);
  const text =
    options.json === true
      ? `${JSON.stringify(result, null, 2)}\n`
      : contactsCsv(result);
  rootCommand(command).configureOutput().writeOut?.(text);
}

function contactsCsv(result: ContactsResult): string {
  const lines = [CONTACTS_CSV_HEADER];
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
    contact.sources.join(" "),
    String(contact.pairs.length + contact.dayLevelPairs.length),
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
      contact.sources.join(" "),
      String(contact.pairs.length),
    ];
    lines.push(fields.map(quoteCsvField).join(","));
  }
  return `${lines.join("\n")}\n`;
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

/** Formats epoch milliseconds as UTC ISO 8601. */
export function formatInstant(epochMilliseconds: number): string {
  return new Date(epochMilliseconds).toISOString();
}

/** Quotes a CSV field when it contains a comma, quote or line break. */
export function quoteCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Returns the root of a command tree, whose output settings apply. */
export function rootCommand(command: Command): Command {
  let root = command;
  while (root.parent !== null) {
    root = root.parent;
  }
  return root;
}
