import type { RowReader } from "./row-reader.js";
import {
  addDays,
  formatDate,
  instantOf,
  type CalendarDate,
  type ClockTime,
} from "./time.js";

/** When a record happened: an instant, an interval, or a day. */
export interface Timing {
  startedAt: number | null;
  endedAt: number | null;
  visitDate: string | null;
  flags: string[];
}

/** The columns that give a record's time, and what the kind requires. */
export interface TimingColumns {
  start: string;
  end?: string;
  /** Column of the date for rows whose start and end are times of day. */
  date?: string;
  /** True when a date alone is not enough. */
  startRequired: boolean;
  /** True to flag `end_unknown` when the start has no end. */
  flagMissingEnd: boolean;
}

interface Start {
  epochMillis: number;
  /** Date on which a time-of-day end is read. */
  date: CalendarDate;
}

/**
 * Reads the start, end and date columns of a row. A start or end given as
 * a time of day takes the date column's date. An end earlier than the
 * start on the clock is taken on the next day and flagged `end_next_day`.
 * Returns undefined when the row was rejected.
 */
export function readTiming(
  reader: RowReader,
  columns: TimingColumns,
): Timing | undefined {
  const flags: string[] = [];
  const date = readDateColumn(reader, columns.date);
  if (date === "invalid") {
    return undefined;
  }
  const startText = reader.text(columns.start);
  if (startText === undefined) {
    return dateOnlyTiming(reader, columns, date);
  }

  const start = readStart(reader, columns, date, flags);
  if (start === undefined) {
    return undefined;
  }
  if (start === "date") {
    return dateOnlyTiming(reader, columns, readStartDate(reader, columns));
  }
  const endedAt = readEnd(reader, columns, start, flags);
  if (endedAt === undefined) {
    return undefined;
  }
  const timing: Timing = {
    startedAt: start.epochMillis,
    endedAt: endedAt ?? start.epochMillis,
    visitDate: null,
    flags,
  };
  if (endedAt === null && columns.flagMissingEnd) {
    timing.flags.push("end_unknown");
  }
  return timing;
}

function readDateColumn(
  reader: RowReader,
  column: string | undefined,
): CalendarDate | undefined | "invalid" {
  if (column === undefined || reader.text(column) === undefined) {
    return undefined;
  }
  const text = reader.text(column)!;
  const time = reader.time(column);
  if (time === undefined) {
    return "invalid";
  }
  if (time.type !== "date") {
    reader.reject(
      column,
      text,
      "date_format",
      `${reader.columnName(column)} is a date alone, such as 2024-03-05; put the time of day in its own column.`,
    );
    return "invalid";
  }
  return time.date;
}

function dateOnlyTiming(
  reader: RowReader,
  columns: TimingColumns,
  date: CalendarDate | undefined,
): Timing | undefined {
  const endText =
    columns.end === undefined ? undefined : reader.text(columns.end);
  if (date === undefined || columns.startRequired || endText !== undefined) {
    const hint =
      columns.date === undefined || columns.startRequired
        ? `Fill in ${reader.columnName(columns.start)}: every row needs it.`
        : `Fill in ${reader.columnName(columns.start)}, or ${reader.columnName(columns.date)} for a visit known only to the day.`;
    reader.reject(columns.start, "", "required", hint);
    return undefined;
  }
  return {
    startedAt: null,
    endedAt: null,
    visitDate: formatDate(date),
    flags: ["date_only"],
  };
}

/** Returns the date of a start column that contains a date alone. */
function readStartDate(
  reader: RowReader,
  columns: TimingColumns,
): CalendarDate | undefined {
  const time = reader.time(columns.start);
  return time?.type === "date" ? time.date : undefined;
}

function readStart(
  reader: RowReader,
  columns: TimingColumns,
  date: CalendarDate | undefined,
  flags: string[],
): Start | "date" | undefined {
  const text = reader.text(columns.start)!;
  const time = reader.time(columns.start);
  if (time === undefined) {
    return undefined;
  }
  if (time.type === "instant") {
    addAssumedZone(flags, time.assumedZone);
    return { epochMillis: time.epochMillis, date: time.date };
  }
  if (time.type === "date") {
    return columns.startRequired
      ? rejectDateAlone(reader, columns.start, text)
      : "date";
  }
  if (date === undefined) {
    rejectMissingDate(reader, columns, columns.start, text);
    return undefined;
  }
  return { ...clockOn(date, time.clock, reader, flags), date };
}

function readEnd(
  reader: RowReader,
  columns: TimingColumns,
  start: Start,
  flags: string[],
): number | null | undefined {
  if (columns.end === undefined || reader.text(columns.end) === undefined) {
    return null;
  }
  const text = reader.text(columns.end)!;
  const time = reader.time(columns.end);
  if (time === undefined) {
    return undefined;
  }
  if (time.type === "date") {
    return rejectDateAlone(reader, columns.end, text);
  }
  if (time.type === "clock") {
    return endOfClock(start, time.clock, reader, flags);
  }
  if (time.epochMillis < start.epochMillis) {
    reader.reject(
      columns.end,
      text,
      "end_before_start",
      `${reader.columnName(columns.end)} is earlier than ${reader.columnName(columns.start)}. Check both times.`,
    );
    return undefined;
  }
  addAssumedZone(flags, time.assumedZone);
  return time.epochMillis;
}

/** Reads a time-of-day end on the start's date, or on the next day when it would come before the start. */
function endOfClock(
  start: Start,
  clock: ClockTime,
  reader: RowReader,
  flags: string[],
): number {
  const sameDay = clockOn(start.date, clock, reader, flags).epochMillis;
  if (sameDay >= start.epochMillis) {
    return sameDay;
  }
  flags.push("end_next_day");
  return clockOn(addDays(start.date, 1), clock, reader, flags).epochMillis;
}

function clockOn(
  date: CalendarDate,
  clock: ClockTime,
  reader: RowReader,
  flags: string[],
): { epochMillis: number } {
  const instant = instantOf(date, clock, reader.timeOptions.zone);
  addAssumedZone(flags, instant.assumedZone);
  return { epochMillis: instant.epochMillis };
}

function addAssumedZone(flags: string[], assumedZone: boolean): void {
  if (assumedZone && !flags.includes("assumed_zone")) {
    flags.push("assumed_zone");
  }
}

function rejectDateAlone(
  reader: RowReader,
  column: string,
  text: string,
): undefined {
  reader.reject(
    column,
    text,
    "time_format",
    `${reader.columnName(column)} needs a time of day as well as the date, such as 2024-03-05 14:30.`,
  );
  return undefined;
}

function rejectMissingDate(
  reader: RowReader,
  columns: TimingColumns,
  column: string,
  text: string,
): void {
  const where =
    columns.date === undefined
      ? "Write the full date and time"
      : `Fill in ${reader.columnName(columns.date)}, or write the full date and time`;
  reader.reject(
    column,
    text,
    "missing_date",
    `${JSON.stringify(text)} is a time of day without a date. ${where}, such as 2024-03-05 14:30.`,
  );
}
