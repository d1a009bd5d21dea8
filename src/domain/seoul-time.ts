/**
 * Calendar days in Asia/Seoul. Korea has kept UTC+09:00 without daylight
 * saving time since 1988, so a fixed offset gives the same days as the time
 * zone database for every date the system handles.
 */
const SEOUL_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Returns the Seoul calendar date (`YYYY-MM-DD`) of an instant. */
export function seoulDateOf(instantMs: number): string {
  return new Date(instantMs + SEOUL_OFFSET_MS).toISOString().slice(0, 10);
}

/** Returns the instant at which a Seoul calendar day starts. */
export function seoulDayStart(date: string): number {
  return parseCalendarDate(date) - SEOUL_OFFSET_MS;
}

/** Returns the instant at which a Seoul calendar day ends (the next day's start). */
export function seoulDayEnd(date: string): number {
  return seoulDayStart(date) + DAY_MS;
}

/** Tells whether a string is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  return !Number.isNaN(tryParseCalendarDate(value));
}

function parseCalendarDate(date: string): number {
  const value = tryParseCalendarDate(date);
  if (Number.isNaN(value)) {
    throw new RangeError(
      `Invalid calendar date ${JSON.stringify(date)}: expected YYYY-MM-DD.`,
    );
  }
  return value;
}

function tryParseCalendarDate(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (match === null) {
    return Number.NaN;
  }

  const [, year, month, day] = match.map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const value = Date.UTC(year, month - 1, day);
  const roundTrip = new Date(value);
  const isReal =
    roundTrip.getUTCFullYear() === year &&
    roundTrip.getUTCMonth() === month - 1 &&
    roundTrip.getUTCDate() === day;
  return isReal ? value : Number.NaN;
}
