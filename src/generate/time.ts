import { DAY_MS, HOUR_MS } from "./routine.js";

const SEOUL_OFFSET_MS = 9 * HOUR_MS;
const datePrefixes = new Map<number, string>();

/** Formats an instant as ISO 8601 in Seoul time to the second, such as 2024-03-05T14:30:00+09:00. */
export function formatSeoulInstant(instant: number): string {
  const local = instant + SEOUL_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  let prefix = datePrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    datePrefixes.set(day, prefix);
  }
  const seconds = Math.floor((local - day * DAY_MS) / 1_000);
  const hours = Math.floor(seconds / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  const rest = seconds % 60;
  return `${prefix}${two(hours)}:${two(minutes)}:${two(rest)}+09:00`;
}

/** Returns the Seoul date (YYYY-MM-DD) of the day `day` days after the period's first midnight. */
export function seoulDateOfDay(periodStart: number, day: number): string {
  return new Date(periodStart + day * DAY_MS + SEOUL_OFFSET_MS)
    .toISOString()
    .slice(0, 10);
}

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
