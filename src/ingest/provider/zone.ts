/**
 * Conversions between wall-clock times in a named IANA time zone and
 * instants. Offsets come from Intl, so results do not depend on the time
 * zone of the process; no local-time Date constructor is used.
 */

/** The zone that times without an offset are taken in unless another is declared. */
export const DEFAULT_ZONE = "Asia/Seoul";

/** A wall-clock date and time, without a zone. Month is 1-12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const DAY_MILLIS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Tells whether Intl recognises `zone` as an IANA time zone name, such as `Asia/Seoul`. */
export function isKnownZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch (error) {
    if (error instanceof RangeError) {
      return false;
    }
    throw error;
  }
}

/**
 * Returns the epoch milliseconds of a wall-clock time read as UTC. Unlike
 * Date.UTC, years 0-99 are not moved to the 1900s.
 */
export function utcMillis(local: LocalDateTime): number {
  if (local.year >= 100) {
    return Date.UTC(
      local.year,
      local.month - 1,
      local.day,
      local.hour,
      local.minute,
      local.second,
      local.millisecond,
    );
  }
  const date = new Date(0);
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  date.setUTCHours(local.hour, local.minute, local.second, local.millisecond);
  return date.getTime();
}

/** Returns the offset of `zone` from UTC in minutes at an instant (+540 for Asia/Seoul). */
export function zoneOffsetMinutes(zone: string, epochMillis: number): number {
  const wholeSecond = Math.floor(epochMillis / 1000) * 1000;
  const parts = formatterFor(zone).formatToParts(new Date(wholeSecond));
  const value = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value);
  const wallClock = utcMillis({
    year: value("year"),
    month: value("month"),
    day: value("day"),
    hour: value("hour"),
    minute: value("minute"),
    second: value("second"),
    millisecond: 0,
  });
  return Math.round((wallClock - wholeSecond) / 60_000);
}

/**
 * Returns the instant at which the clocks of `zone` show `local`. For a
 * wall-clock time that occurs twice (when clocks go back) the earlier
 * instant is returned. A time skipped when clocks go forward is read with
 * the offset before the change, so 02:30 in a gap that starts at 02:00
 * becomes 03:30 of the new offset.
 */
export function zonedToInstant(zone: string, local: LocalDateTime): number {
  const asUtc = utcMillis(local);
  const minuteKey = `${zone} ${Math.floor(asUtc / 60_000)}`;
  const cached = offsetByWallMinute.get(minuteKey);
  if (cached !== undefined) {
    return asUtc - cached;
  }
  const instant = computeZonedInstant(zone, asUtc);
  if (offsetByWallMinute.size >= OFFSET_CACHE_ENTRIES) {
    offsetByWallMinute.clear();
  }
  offsetByWallMinute.set(minuteKey, asUtc - instant);
  return instant;
}

/**
 * Offsets of recent wall-clock minutes, in milliseconds, by zone and
 * minute. Intl takes microseconds a call, and the fixes of one file share
 * few minutes.
 *
 * NOTE: a minute that contains an offset change at a second other than :00
 * gets the offset of its first query. Only changes from local mean time,
 * before about 1920, fall on such seconds.
 */
const offsetByWallMinute = new Map<string, number>();
const OFFSET_CACHE_ENTRIES = 100_000;

function computeZonedInstant(zone: string, asUtc: number): number {
  // Offsets a day before and after. This assumes that a zone changes its
  // offset at most once within two days, so the result is one of these two.
  const offsetBefore = zoneOffsetMinutes(zone, asUtc - DAY_MILLIS);
  const offsetAfter = zoneOffsetMinutes(zone, asUtc + DAY_MILLIS);
  const candidates = [offsetBefore, offsetAfter]
    .map((offset) => ({ offset, instant: asUtc - offset * 60_000 }))
    .filter(
      ({ offset, instant }) => zoneOffsetMinutes(zone, instant) === offset,
    )
    .map(({ instant }) => instant);
  if (candidates.length === 0) {
    return asUtc - offsetBefore * 60_000;
  }
  return Math.min(...candidates);
}

/** Returns the calendar date (`YYYY-MM-DD`) that the clocks of `zone` show at an instant. */
export function zonedDateOf(zone: string, epochMillis: number): string {
  const shifted = epochMillis + zoneOffsetMinutes(zone, epochMillis) * 60_000;
  return new Date(shifted).toISOString().slice(0, 10);
}

/** Returns the wall-clock date and time that the clocks of `zone` show at an instant. */
export function zonedLocalOf(zone: string, epochMillis: number): LocalDateTime {
  const date = new Date(
    epochMillis + zoneOffsetMinutes(zone, epochMillis) * 60_000,
  );
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond: date.getUTCMilliseconds(),
  };
}
