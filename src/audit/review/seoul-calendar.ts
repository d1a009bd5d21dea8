import { sql, type RawBuilder } from "kysely";

import { isCalendarDate, seoulDayStart } from "../../domain/index.js";
import { AppError } from "../../errors.js";

/**
 * Seoul calendar arithmetic on `audit_events.occurred_at` in SQL. Korea
 * keeps UTC+09:00 without daylight saving time, so a fixed offset gives
 * Seoul days, times of day and weekdays. The constants go into the SQL as
 * literals, because better-sqlite3 12 binds every JavaScript number as REAL
 * and SQLite would then divide without truncating.
 */
const SEOUL_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** 1970-01-01, day 0, was a Thursday: weekday 4 counted from Sunday. */
const WEEKDAY_OF_DAY_ZERO = 4;

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A Seoul calendar month as a half-open range of instants. */
export interface SeoulMonth {
  /** `YYYY-MM`. */
  month: string;
  /** Instant at which the month's first Seoul day starts. */
  startsAt: number;
  /** Instant at which the next month's first Seoul day starts. */
  endsAt: number;
}

/** Parses `YYYY-MM` into its Seoul month, raising `validation_failed` for anything else. */
export function parseSeoulMonth(month: string): SeoulMonth {
  const match = MONTH_PATTERN.exec(month);
  if (match === null) {
    throw new AppError(
      "validation_failed",
      `Invalid month ${JSON.stringify(month)}: expected YYYY-MM, such as 2020-03.`,
    );
  }

  const year = Number(match[1]);
  const monthNumber = Number(match[2]);
  const next =
    monthNumber === 12
      ? `${year + 1}-01`
      : `${year}-${String(monthNumber + 1).padStart(2, "0")}`;
  return {
    month,
    startsAt: seoulDayStart(`${month}-01`),
    endsAt: seoulDayStart(`${next}-01`),
  };
}

/** Checks a `YYYY-MM-DD` filter value, raising `validation_failed` with the field name. */
export function checkCalendarDate(field: string, value: string): void {
  if (!isCalendarDate(value)) {
    throw new AppError(
      "validation_failed",
      `Invalid ${field} ${JSON.stringify(value)}: expected a real calendar date written YYYY-MM-DD.`,
    );
  }
}

const shiftedInstant = sql<number>`(audit_events.occurred_at + ${sql.lit(SEOUL_OFFSET_MS)})`;

/** Days since 1970-01-01 of the event's Seoul calendar day. */
export function seoulDayNumber(): RawBuilder<number> {
  return sql<number>`(${shiftedInstant} / ${sql.lit(DAY_MS)})`;
}

/** Minutes after Seoul midnight of the event, 0 to 1439. */
export function seoulMinuteOfDay(): RawBuilder<number> {
  return sql<number>`((${shiftedInstant} % ${sql.lit(DAY_MS)}) / ${sql.lit(MINUTE_MS)})`;
}

/** Weekday of the event in Seoul, 0 for Sunday to 6 for Saturday. */
export function seoulWeekday(): RawBuilder<number> {
  return sql<number>`((${seoulDayNumber()} + ${sql.lit(WEEKDAY_OF_DAY_ZERO)}) % 7)`;
}

/** Returns the `YYYY-MM-DD` date of a day number that seoulDayNumber computed. */
export function dateOfDayNumber(day: number): string {
  return new Date(Number(day) * DAY_MS).toISOString().slice(0, 10);
}

/** Returns the weekday, 0 for Sunday, of a `YYYY-MM-DD` date. */
export function weekdayOfDate(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Formats an instant as its Seoul date and time, `2020-03-05 21:30:00`. */
export function formatSeoulDateTime(instant: number): string {
  const shifted = new Date(instant + SEOUL_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`;
}
