import { readFile } from "node:fs/promises";

import { parse } from "csv-parse/sync";

import type { PositionFix } from "../analysis/staypoints/index.js";

/** A position fix read from one row of a fixes CSV file. */
export interface CsvFix extends PositionFix {
  readonly userId: string;
}

/** Location and text of an unreadable value in a fixes CSV file. */
export interface CsvErrorLocation {
  readonly file: string;
  /** 1-based data row, not counting the header, or 0 for the header itself. */
  readonly row: number;
  readonly field: string;
  readonly value: string;
}

/** A fixes CSV file, or one of its values, that cannot be read. */
export class FixesCsvError extends Error implements CsvErrorLocation {
  override readonly name = "FixesCsvError";
  readonly file: string;
  readonly row: number;
  readonly field: string;
  readonly value: string;

  constructor(
    message: string,
    location: CsvErrorLocation,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.file = location.file;
    this.row = location.row;
    this.field = location.field;
    this.value = location.value;
  }
}

/** Columns a fixes CSV file must have. Other columns are ignored. */
export const FIXES_CSV_COLUMNS = [
  "user_id",
  "tracked_at",
  "latitude",
  "longitude",
] as const;

type FixesCsvColumn = (typeof FIXES_CSV_COLUMNS)[number];
type ColumnIndexes = Record<FixesCsvColumn, number>;

interface ParsedRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

interface RowContext {
  readonly file: string;
  readonly row: number;
  readonly line: number;
}

const DECIMAL_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_INSTANT_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** Reads a fixes CSV file (see `parseFixesCsv`). */
export async function readFixesCsv(file: string): Promise<CsvFix[]> {
  return parseFixesCsv(await readFile(file, "utf8"), file);
}

/**
 * Parses a CSV text with a header row naming at least the columns
 * `user_id,tracked_at,latitude,longitude`, in any order. `tracked_at` is an
 * ISO 8601 date and time with `Z` or a UTC offset, such as
 * `2008-10-23T02:53:04Z` or `2008-10-23 10:53:04+08:00`. Latitude and
 * longitude are WGS 84 decimal degrees.
 *
 * Throws a FixesCsvError naming the file, row, field and value when a column
 * is missing or a value is invalid. `file` is used only in error messages.
 */
export function parseFixesCsv(text: string, file: string): CsvFix[] {
  const records = parseRecords(text, file);
  const header = records[0];
  if (header === undefined) {
    throw new FixesCsvError(
      `Empty fixes CSV file ${file}: expected a header row with the columns ${FIXES_CSV_COLUMNS.join(",")}.`,
      { file, row: 0, field: "header", value: "" },
    );
  }

  const columns = findColumns(header.record, file);
  const fixes: CsvFix[] = [];
  for (let row = 1; row < records.length; row++) {
    const { record, info } = records[row]!;
    fixes.push(readFix(record, columns, { file, row, line: info.lines }));
  }
  return fixes;
}

function parseRecords(text: string, file: string): ParsedRecord[] {
  try {
    // With `info: true`, csv-parse returns { info, record } objects, which its
    // typings do not express.
    const records: unknown = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
    });
    return records as ParsedRecord[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    throw new FixesCsvError(
      `Invalid CSV in ${file} near line ${line}: ${(error as Error).message}. Check the quoting and the number of fields on that line.`,
      { file, row: 0, field: "csv", value: "" },
      { cause: error },
    );
  }
}

function findColumns(header: readonly string[], file: string): ColumnIndexes {
  const indexes: Partial<ColumnIndexes> = {};
  for (const column of FIXES_CSV_COLUMNS) {
    const index = header.indexOf(column);
    if (index === -1) {
      throw new FixesCsvError(
        `Missing column "${column}" in the header of ${file}: the header is "${header.join(",")}" but must contain ${FIXES_CSV_COLUMNS.join(",")}. Add or rename the column.`,
        { file, row: 0, field: column, value: "" },
      );
    }
    indexes[column] = index;
  }
  return indexes as ColumnIndexes;
}

function readFix(
  record: readonly string[],
  columns: ColumnIndexes,
  context: RowContext,
): CsvFix {
  const userId = requireValue(record, columns, "user_id", context);
  const trackedAt = parseIsoInstant(
    requireValue(record, columns, "tracked_at", context),
    context,
  );
  const latitude = parseCoordinate(record, columns, "latitude", context);
  const longitude = parseCoordinate(record, columns, "longitude", context);
  return { userId, trackedAt, latitude, longitude };
}

function requireValue(
  record: readonly string[],
  columns: ColumnIndexes,
  column: FixesCsvColumn,
  context: RowContext,
): string {
  const value = record[columns[column]] ?? "";
  if (value === "") {
    throw rowError(context, column, value, "the value is missing");
  }
  return value;
}

function parseCoordinate(
  record: readonly string[],
  columns: ColumnIndexes,
  column: "latitude" | "longitude",
  context: RowContext,
): number {
  const text = requireValue(record, columns, column, context);
  const limit = column === "latitude" ? 90 : 180;
  const value = Number(text);
  if (!DECIMAL_PATTERN.test(text) || !(Math.abs(value) <= limit)) {
    throw rowError(
      context,
      column,
      text,
      `expected decimal degrees from -${limit} to ${limit}`,
    );
  }
  return value;
}

/**
 * Returns the epoch milliseconds of an ISO 8601 date and time with a zone.
 *
 * NOTE: digits of the seconds fraction beyond milliseconds are dropped.
 */
function parseIsoInstant(text: string, context: RowContext): number {
  const match = ISO_INSTANT_PATTERN.exec(text);
  const epochMilliseconds =
    match === null ? undefined : instantFromParts(match);
  if (epochMilliseconds === undefined) {
    throw rowError(
      context,
      "tracked_at",
      text,
      "expected an ISO 8601 date and time with Z or a UTC offset, such as 2008-10-23T02:53:04Z",
    );
  }
  return epochMilliseconds;
}

function instantFromParts(match: RegExpExecArray): number | undefined {
  const [year, month, day, hours, minutes] = match.slice(1, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const seconds = Number(match[6] ?? "0");
  const milliseconds = Number(((match[7] ?? "") + "000").slice(0, 3));
  const offsetMinutes = parseOffsetMinutes(match);
  const isValidTime = hours < 24 && minutes < 60 && seconds < 60;
  if (!isValidTime || offsetMinutes === undefined) {
    return undefined;
  }

  const local = Date.UTC(year, month - 1, day, hours, minutes, seconds);
  const parsed = new Date(local);
  if (parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day) {
    return undefined;
  }
  return local + milliseconds - offsetMinutes * 60_000;
}

/** Returns the UTC offset in minutes, or undefined when it is out of range. */
function parseOffsetMinutes(match: RegExpExecArray): number | undefined {
  if (match[8] !== undefined) {
    return 0;
  }
  const sign = match[9] === "-" ? -1 : 1;
  const offsetHours = Number(match[10]);
  const offsetMinutes = Number(match[11] ?? "0");
  if (offsetHours > 23 || offsetMinutes > 59) {
    return undefined;
  }
  return sign * (offsetHours * 60 + offsetMinutes);
}

function rowError(
  context: RowContext,
  field: string,
  value: string,
  rule: string,
): FixesCsvError {
  return new FixesCsvError(
    `Invalid ${field} "${value}" in ${context.file} row ${context.row} (line ${context.line}): ${rule}. Correct the value or delete the row.`,
    { file: context.file, row: context.row, field, value },
  );
}
