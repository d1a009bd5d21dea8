import type { PositionFix } from "../../analysis/staypoints/index.js";

/** A position fix read from one line of a GeoLife PLT file. */
export interface PltFix extends PositionFix {
  /** Altitude in feet as the file records it. GeoLife writes -777 when unknown. */
  readonly altitudeFeet: number;
  /** 1-based line number in the PLT file, header lines included. */
  readonly lineNumber: number;
}

/** Location and text of an unreadable value in a PLT file. */
export interface PltErrorLocation {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  readonly field: string;
  readonly value: string;
}

/** A line of a GeoLife PLT file that cannot be read. */
export class GeolifeFormatError extends Error implements PltErrorLocation {
  override readonly name = "GeolifeFormatError";
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly value: string;

  constructor(message: string, location: PltErrorLocation) {
    super(message);
    this.file = location.file;
    this.line = location.line;
    this.field = location.field;
    this.value = location.value;
  }
}

/** Number of header lines before the first fix in a PLT file. */
export const PLT_HEADER_LINE_COUNT = 6;

const FIELD_COUNT = 7;
const DECIMAL_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2}):(\d{2})$/;

interface LineContext {
  readonly file: string;
  readonly lineNumber: number;
}

/**
 * Parses the text of a GeoLife PLT file: 6 header lines, then one fix per
 * line as `latitude,longitude,0,altitude_ft,days_since_1899-12-30,date,time`
 * with the date and time in UTC. The time of a fix comes from the date and
 * time fields, and the day count is not read. Blank lines are skipped.
 *
 * Throws a GeolifeFormatError naming the file, line, field and value when a
 * line cannot be read. `file` is used only in error messages.
 */
export function parsePlt(text: string, file: string): PltFix[] {
  const lines = text.split("\n");
  const lineCount = lines.at(-1) === "" ? lines.length - 1 : lines.length;
  if (lineCount < PLT_HEADER_LINE_COUNT) {
    throw new GeolifeFormatError(
      `Invalid GeoLife PLT file ${file}: it has ${lineCount} lines, but a PLT file starts with ${PLT_HEADER_LINE_COUNT} header lines. Check that the path names a GeoLife trajectory file.`,
      { file, line: lineCount, field: "header", value: "" },
    );
  }

  const fixes: PltFix[] = [];
  const dayCache = { date: "", epochMilliseconds: 0 };
  for (let index = PLT_HEADER_LINE_COUNT; index < lines.length; index++) {
    const line = stripCarriageReturn(lines[index]!);
    if (line.trim() === "") {
      continue;
    }
    const context = { file, lineNumber: index + 1 };
    fixes.push(parseFixLine(line, context, dayCache));
  }
  return fixes;
}

function stripCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

function parseFixLine(
  line: string,
  context: LineContext,
  dayCache: { date: string; epochMilliseconds: number },
): PltFix {
  const fields = line.split(",");
  if (fields.length !== FIELD_COUNT) {
    throw lineError(
      context,
      "line",
      line,
      `expected ${FIELD_COUNT} comma-separated fields (latitude,longitude,0,altitude_ft,days,date,time) but found ${fields.length}`,
    );
  }

  const latitude = parseDecimal(fields[0]!, "latitude", context);
  if (latitude < -90 || latitude > 90) {
    throw lineError(
      context,
      "latitude",
      fields[0]!,
      "expected decimal degrees from -90 to 90",
    );
  }
  const longitude = parseDecimal(fields[1]!, "longitude", context);
  if (longitude < -180 || longitude > 180) {
    throw lineError(
      context,
      "longitude",
      fields[1]!,
      "expected decimal degrees from -180 to 180",
    );
  }
  const altitudeFeet = parseDecimal(fields[3]!, "altitude_ft", context);

  const date = fields[5]!.trim();
  if (date !== dayCache.date) {
    dayCache.epochMilliseconds = parseDate(date, context);
    dayCache.date = date;
  }
  const trackedAt =
    dayCache.epochMilliseconds + parseTimeOfDay(fields[6]!, context);

  return {
    trackedAt,
    latitude,
    longitude,
    altitudeFeet,
    lineNumber: context.lineNumber,
  };
}

function parseDecimal(
  text: string,
  field: string,
  context: LineContext,
): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!DECIMAL_PATTERN.test(trimmed) || !Number.isFinite(value)) {
    throw lineError(context, field, text, "expected a decimal number");
  }
  return value;
}

/** Returns the UTC midnight of a `YYYY-MM-DD` date in epoch milliseconds. */
function parseDate(text: string, context: LineContext): number {
  const match = DATE_PATTERN.exec(text);
  if (match !== null) {
    const year = Number(match[1]);
    const monthIndex = Number(match[2]) - 1;
    const day = Number(match[3]);
    const epochMilliseconds = Date.UTC(year, monthIndex, day);
    const parsed = new Date(epochMilliseconds);
    if (parsed.getUTCMonth() === monthIndex && parsed.getUTCDate() === day) {
      return epochMilliseconds;
    }
  }
  throw lineError(
    context,
    "date",
    text,
    "expected a calendar date as YYYY-MM-DD",
  );
}

/** Returns the milliseconds since midnight of an `HH:MM:SS` time. */
function parseTimeOfDay(text: string, context: LineContext): number {
  const match = TIME_PATTERN.exec(text.trim());
  if (match !== null) {
    const hours = Number(match[1]);
    const minutes = Number(match[2]);
    const seconds = Number(match[3]);
    if (hours < 24 && minutes < 60 && seconds < 60) {
      return ((hours * 60 + minutes) * 60 + seconds) * 1000;
    }
  }
  throw lineError(context, "time", text, "expected a UTC time as HH:MM:SS");
}

function lineError(
  context: LineContext,
  field: string,
  value: string,
  rule: string,
): GeolifeFormatError {
  return new GeolifeFormatError(
    `Invalid ${field} "${value}" in ${context.file} line ${context.lineNumber}: ${rule}. Correct or delete this line.`,
    { file: context.file, line: context.lineNumber, field, value },
  );
}
