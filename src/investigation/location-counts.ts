import { epochDayOf } from "../analysis/hotspots/scan/index.js";
import type { ScanCaseCount } from "../analysis/hotspots/scan/index.js";
import { isDateOnlyStay, type Stay } from "../analysis/stays/index.js";
import { seoulDateOf } from "../domain/index.js";

/**
 * Returns the location that a stay is counted in, such as its H3 cell or
 * its administrative area code, or null when it lies in none.
 */
export type LocationOfStay<S extends Stay = Stay> = (stay: S) => string | null;

/** Cases and stays counted in one location. */
export interface LocationCount {
  /** Distinct persons of cases with a stay in the location. */
  readonly caseCount: number;
  readonly stayCount: number;
}

/** Counts per location, and the stays that lie in no location. */
export interface LocationCounts {
  readonly byLocation: ReadonlyMap<string, LocationCount>;
  readonly staysWithoutLocation: number;
}

/**
 * Counts the distinct cases and the stays of each location, so that one
 * case with many stays in a location counts once in `caseCount` there.
 */
export function countCasesByLocation<S extends Stay>(
  stays: readonly S[],
  locationOf: LocationOfStay<S>,
): LocationCounts {
  const personsByLocation = new Map<string, Set<string>>();
  const staysByLocation = new Map<string, number>();
  let staysWithoutLocation = 0;
  for (const stay of stays) {
    const location = locationOf(stay);
    if (location === null) {
      staysWithoutLocation += 1;
      continue;
    }
    const persons = personsByLocation.get(location) ?? new Set<string>();
    persons.add(stay.personId);
    personsByLocation.set(location, persons);
    staysByLocation.set(location, (staysByLocation.get(location) ?? 0) + 1);
  }

  const byLocation = new Map<string, LocationCount>();
  for (const [location, persons] of personsByLocation) {
    byLocation.set(location, {
      caseCount: persons.size,
      stayCount: staysByLocation.get(location) ?? 0,
    });
  }
  return { byLocation, staysWithoutLocation };
}

/**
 * Counts, per location and Seoul day from `from` to `to` (both included),
 * the cases with a stay there on that day: the counts a space-time scan
 * reads, with `time` the day's number since 1970-01-01. A case counts once
 * per location and day however many stays it has there. A timed stay
 * counts on every Seoul day it covers, a date-only stay on its day.
 */
export function countCaseDays<S extends Stay>(
  stays: readonly S[],
  locationOf: LocationOfStay<S>,
  period: { readonly from: string; readonly to: string },
): ScanCaseCount[] {
  const first = epochDayOf(period.from);
  const last = epochDayOf(period.to);
  const personsByCell = new Map<string, Set<string>>();
  for (const stay of stays) {
    const location = locationOf(stay);
    if (location === null) {
      continue;
    }
    const [start, end] = daysOfStay(stay);
    for (let day = Math.max(start, first); day <= Math.min(end, last); day++) {
      const key = `${day}|${location}`;
      const persons = personsByCell.get(key) ?? new Set<string>();
      persons.add(stay.personId);
      personsByCell.set(key, persons);
    }
  }

  const counts: ScanCaseCount[] = [];
  for (const [key, persons] of personsByCell) {
    const separator = key.indexOf("|");
    counts.push({
      time: Number(key.slice(0, separator)),
      locationId: key.slice(separator + 1),
      count: persons.size,
    });
  }
  return counts.sort(
    (a, b) => a.time - b.time || compareText(a.locationId, b.locationId),
  );
}

function compareText(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}

/** Returns the first and last Seoul day of a stay as day numbers; a stay that ends at midnight ends the day before. */
function daysOfStay(stay: Stay): [number, number] {
  if (isDateOnlyStay(stay)) {
    const day = epochDayOf(stay.visitDate);
    return [day, day];
  }
  const lastInstant = Math.max(stay.startedAt, stay.finishedAt - 1);
  return [
    epochDayOf(seoulDateOf(stay.startedAt)),
    epochDayOf(seoulDateOf(lastInstant)),
  ];
}
