import type { TimeInterval } from "../analysis/contacts/index.js";
import { isDateOnlyStay, type Stay } from "../analysis/stays/index.js";
import {
  isCalendarDate,
  seoulDateOf,
  seoulDayEnd,
  seoulDayStart,
} from "../domain/index.js";
import { AppError } from "../errors.js";

/** A window of Seoul days, as a search requests it: `YYYY-MM-DD`, both ends included, either left out. */
export interface DayWindowQuery {
  from?: string | undefined;
  to?: string | undefined;
}

/** First and last Seoul day with a stay, or null without stays. */
export type DataRange = { firstDate: string; lastDate: string } | null;

/** Raises `validation_failed` for a window date that is no calendar date, or a window that ends before it starts. */
export function checkWindowDates(query: DayWindowQuery): void {
  for (const [name, value] of [
    ["from", query.from],
    ["to", query.to],
  ] as const) {
    if (value !== undefined && !isCalendarDate(value)) {
      throw new AppError(
        "validation_failed",
        `Invalid ${name} ${JSON.stringify(value)}: expected a calendar date YYYY-MM-DD.`,
      );
    }
  }
  if (query.from !== undefined && query.to !== undefined) {
    if (query.from > query.to) {
      throw new AppError(
        "validation_failed",
        `Invalid window: from ${query.from} is after to ${query.to}.`,
      );
    }
  }
}

/** Returns the window of the query, filling a missing end from the data, or null without data. */
export function windowOf(
  query: DayWindowQuery,
  dataRange: DataRange,
): TimeInterval | null {
  const from = query.from ?? dataRange?.firstDate;
  const to = query.to ?? dataRange?.lastDate;
  if (from === undefined || to === undefined || from > to) {
    return null;
  }
  return { startsAt: seoulDayStart(from), endsAt: seoulDayEnd(to) };
}

export function dateRangeOf(stays: readonly Stay[]): DataRange {
  let first: string | undefined;
  let last: string | undefined;
  for (const stay of stays) {
    const start = isDateOnlyStay(stay)
      ? stay.visitDate
      : seoulDateOf(stay.startedAt);
    const end = isDateOnlyStay(stay)
      ? stay.visitDate
      : seoulDateOf(stay.finishedAt);
    first = first === undefined || start < first ? start : first;
    last = last === undefined || end > last ? end : last;
  }
  return first === undefined || last === undefined
    ? null
    : { firstDate: first, lastDate: last };
}

/** Tells whether a stay lies in the window: its day for a date-only stay, any instant of it for a timed one. */
export function touches(stay: Stay, window: TimeInterval): boolean {
  if (isDateOnlyStay(stay)) {
    const dayStart = seoulDayStart(stay.visitDate);
    return dayStart >= window.startsAt && dayStart < window.endsAt;
  }
  return stay.startedAt < window.endsAt && stay.finishedAt >= window.startsAt;
}
