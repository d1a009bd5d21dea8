import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";

import { seoulDayEnd, seoulDayStart } from "../../domain/seoul-time.js";
import type { TimeInterval } from "../contacts/index.js";
import { haversineMeters } from "../geo/index.js";
import {
  isDateOnlyStay,
  validateStay,
  type DateOnlyStay,
  type Stay,
  type TimedStay,
} from "../stays/index.js";
import type {
  CirclePlace,
  DayLevelExposure,
  ExposedPerson,
  ExposureOptions,
  ExposurePlace,
  ExposureQuery,
  ExposureResult,
  ExposureStay,
  LooserSetting,
} from "./types.js";

const MINUTE_MS = 60_000;

/** Defaults of the exposure options. */
export const DEFAULT_EXPOSURE_OPTIONS = {
  radiusMeters: 50,
  minimumDwellMinutes: 30,
  looserRadiusFactors: [2, 4],
  looserDwellMinutes: [15, 0],
} as const satisfies Required<ExposureOptions>;

type ResolvedExposureOptions = Required<ExposureOptions>;

interface InsideStay {
  readonly stay: TimedStay;
  /** Distance from the centre of a circular place, or 0 for a polygon. */
  readonly distanceMeters: number;
}

/**
 * Lists the persons whose stays lie inside a place during a time window for
 * at least a minimum dwell time. A stay is inside when its centre lies in
 * the circle (haversine distance at most the radius) or in the polygon.
 * The result also counts how many persons looser settings would add, so that
 * an investigator can see what widening the query would cost before doing so.
 *
 * NOTE: the stay's own radius is not used, so an imprecise base-station
 * stay counts when its centre is inside, however large its radius.
 *
 * Throws a RangeError for an invalid stay, window or option.
 */
export function findExposures(
  query: ExposureQuery,
  stays: readonly Stay[],
  options: ExposureOptions = {},
): ExposureResult {
  const resolved = resolveExposureOptions(options);
  const windows = normaliseWindows(query.window);
  const circle = isCirclePlace(query.place) ? query.place : undefined;
  const radius =
    circle === undefined
      ? null
      : (circle.radiusMeters ?? resolved.radiusMeters);
  const maxFactor = Math.max(1, ...resolved.looserRadiusFactors);
  const searchRadius = radius === null ? null : radius * maxFactor;

  const timedByPerson = new Map<string, InsideStay[]>();
  const dateOnly: DateOnlyStay[] = [];
  for (const stay of stays) {
    validateStay(stay);
    const distance = distanceInside(query.place, stay, searchRadius);
    if (distance === undefined) {
      continue;
    }
    if (isDateOnlyStay(stay)) {
      if (radius === null || distance <= radius) {
        dateOnly.push(stay);
      }
    } else if (windows.some((window) => touchesWindow(stay, window))) {
      pushInside(timedByPerson, stay, distance);
    }
  }

  const persons = exposedPersons(
    timedByPerson,
    windows,
    radius,
    resolved.minimumDwellMinutes,
  );
  const found = new Set(persons.map((person) => person.personId));
  return {
    radiusMeters: radius,
    minimumDwellMinutes: resolved.minimumDwellMinutes,
    persons,
    dayLevelPersons: dayLevelExposures(dateOnly, windows),
    looserSettings: looserSettings(
      timedByPerson,
      windows,
      radius,
      resolved,
      found,
    ),
  };
}

/**
 * Sorts the windows and merges overlapping ones, so that no instant counts
 * twice. Throws a RangeError for an empty list or an empty window.
 */
function normaliseWindows(
  window: TimeInterval | readonly TimeInterval[],
): TimeInterval[] {
  const list: readonly TimeInterval[] = isWindowList(window)
    ? window
    : [window];
  if (list.length === 0) {
    throw new RangeError(
      "Invalid exposure window: the list of windows is empty.",
    );
  }
  for (const { startsAt, endsAt } of list) {
    if (!(startsAt < endsAt)) {
      throw new RangeError(
        `Invalid exposure window: startsAt ${startsAt} must be before endsAt ${endsAt}.`,
      );
    }
  }

  const sorted = [...list].sort((a, b) => a.startsAt - b.startsAt);
  const merged: TimeInterval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && next.startsAt <= last.endsAt) {
      merged[merged.length - 1] = {
        startsAt: last.startsAt,
        endsAt: Math.max(last.endsAt, next.endsAt),
      };
    } else {
      merged.push({ startsAt: next.startsAt, endsAt: next.endsAt });
    }
  }
  return merged;
}

function isWindowList(
  window: TimeInterval | readonly TimeInterval[],
): window is readonly TimeInterval[] {
  return Array.isArray(window);
}

function resolveExposureOptions(
  options: ExposureOptions,
): ResolvedExposureOptions {
  const resolved = { ...DEFAULT_EXPOSURE_OPTIONS, ...options };
  if (!(resolved.radiusMeters >= 0)) {
    throw new RangeError(
      `Invalid radiusMeters ${resolved.radiusMeters}: expected a number >= 0.`,
    );
  }
  if (!(resolved.minimumDwellMinutes >= 0)) {
    throw new RangeError(
      `Invalid minimumDwellMinutes ${resolved.minimumDwellMinutes}: expected a number >= 0.`,
    );
  }
  for (const factor of resolved.looserRadiusFactors) {
    if (!(factor >= 1) || !Number.isFinite(factor)) {
      throw new RangeError(
        `Invalid looser radius factor ${factor}: expected a finite number >= 1.`,
      );
    }
  }
  return resolved;
}

function isCirclePlace(place: ExposurePlace): place is CirclePlace {
  return !("type" in place);
}

/**
 * Returns the distance from a circle's centre when the stay's centre lies
 * within `searchRadius`, 0 when it lies in a polygon, else undefined.
 */
function distanceInside(
  place: ExposurePlace,
  stay: Stay,
  searchRadius: number | null,
): number | undefined {
  if (isCirclePlace(place)) {
    const distance = haversineMeters(place, stay);
    return distance <= searchRadius! ? distance : undefined;
  }
  return booleanPointInPolygon([stay.longitude, stay.latitude], place)
    ? 0
    : undefined;
}

/**
 * Tells whether a stay is in the window: its interval, possible end
 * included, overlaps the window for a positive time, or a stay of no length
 * lies in it.
 */
function touchesWindow(stay: TimedStay, window: TimeInterval): boolean {
  if (stay.startedAt === stay.finishedAt) {
    return stay.startedAt >= window.startsAt && stay.startedAt < window.endsAt;
  }
  return stay.startedAt < window.endsAt && stay.finishedAt > window.startsAt;
}

function pushInside(
  byPerson: Map<string, InsideStay[]>,
  stay: TimedStay,
  distanceMeters: number,
): void {
  const list = byPerson.get(stay.personId);
  if (list === undefined) {
    byPerson.set(stay.personId, [{ stay, distanceMeters }]);
  } else {
    list.push({ stay, distanceMeters });
  }
}

/** Builds the persons who meet `radius` and `minimumDwellMinutes`, most minutes first. */
function exposedPersons(
  byPerson: ReadonlyMap<string, readonly InsideStay[]>,
  windows: readonly TimeInterval[],
  radius: number | null,
  minimumDwellMinutes: number,
): ExposedPerson[] {
  const persons: ExposedPerson[] = [];
  for (const [personId, inside] of byPerson) {
    const person = exposedPersonOf(personId, inside, windows, radius);
    if (person !== undefined && person.minutes >= minimumDwellMinutes) {
      persons.push(person);
    }
  }
  return persons.sort(
    (a, b) => b.minutes - a.minutes || compareText(a.personId, b.personId),
  );
}

function exposedPersonOf(
  personId: string,
  inside: readonly InsideStay[],
  windows: readonly TimeInterval[],
  radius: number | null,
): ExposedPerson | undefined {
  const within = inside.filter(
    (entry) => radius === null || entry.distanceMeters <= radius,
  );
  if (within.length === 0) {
    return undefined;
  }

  const certain: [number, number][] = [];
  const possible: [number, number][] = [];
  const stays: ExposureStay[] = [];
  for (const { stay, distanceMeters } of within) {
    let minutes = 0;
    let possibleMinutes = 0;
    for (const window of windows) {
      if (!touchesWindow(stay, window)) {
        continue;
      }
      const startsAt = Math.max(stay.startedAt, window.startsAt);
      const certainEnd = Math.max(
        startsAt,
        Math.min(stay.lastFixAt, window.endsAt),
      );
      const possibleEnd = Math.max(
        startsAt,
        Math.min(stay.finishedAt, window.endsAt),
      );
      certain.push([startsAt, certainEnd]);
      possible.push([startsAt, possibleEnd]);
      minutes += (certainEnd - startsAt) / MINUTE_MS;
      possibleMinutes += (possibleEnd - certainEnd) / MINUTE_MS;
    }
    stays.push({
      stayId: stay.id,
      source: stay.source,
      minutes,
      possibleMinutes,
      distanceMeters: radius === null ? null : distanceMeters,
    });
  }

  const certainMs = unionLength(certain);
  const possibleMs = unionLength(possible);
  return {
    personId,
    minutes: certainMs / MINUTE_MS,
    possibleMinutes: (possibleMs - certainMs) / MINUTE_MS,
    firstSeenAt: Math.min(...possible.map(([from]) => from)),
    lastSeenAt: Math.max(...possible.map(([, to]) => to)),
    stays: stays.sort((a, b) => compareText(a.stayId, b.stayId)),
  };
}

/** Returns the total length of the union of intervals; sorts them in place. */
function unionLength(intervals: [number, number][]): number {
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let currentEnd = -Infinity;
  for (const [from, to] of intervals) {
    const start = Math.max(from, currentEnd);
    if (to > start) {
      total += to - start;
      currentEnd = to;
    }
  }
  return total;
}

function looserSettings(
  byPerson: ReadonlyMap<string, readonly InsideStay[]>,
  windows: readonly TimeInterval[],
  radius: number | null,
  options: ResolvedExposureOptions,
  found: ReadonlySet<string>,
): LooserSetting[] {
  const settings: {
    radiusMeters: number | null;
    minimumDwellMinutes: number;
  }[] = [];
  if (radius !== null) {
    for (const factor of options.looserRadiusFactors) {
      settings.push({
        radiusMeters: radius * factor,
        minimumDwellMinutes: options.minimumDwellMinutes,
      });
    }
  }
  for (const dwell of options.looserDwellMinutes) {
    settings.push({ radiusMeters: radius, minimumDwellMinutes: dwell });
  }

  return settings.map((setting) => {
    const persons = exposedPersons(
      byPerson,
      windows,
      setting.radiusMeters,
      setting.minimumDwellMinutes,
    );
    const added = persons.filter(
      (person) => !found.has(person.personId),
    ).length;
    return { ...setting, personCount: persons.length, addedCount: added };
  });
}

function dayLevelExposures(
  stays: readonly DateOnlyStay[],
  windows: readonly TimeInterval[],
): DayLevelExposure[] {
  const byPerson = new Map<string, DateOnlyStay[]>();
  for (const stay of stays) {
    const dayStart = seoulDayStart(stay.visitDate);
    const dayEnd = seoulDayEnd(stay.visitDate);
    const isInWindow = windows.some(
      (window) =>
        Math.max(dayStart, window.startsAt) < Math.min(dayEnd, window.endsAt),
    );
    if (isInWindow) {
      byPerson.set(stay.personId, [
        ...(byPerson.get(stay.personId) ?? []),
        stay,
      ]);
    }
  }
  return [...byPerson]
    .map(([personId, list]) => ({
      personId,
      dates: [...new Set(list.map((stay) => stay.visitDate))].sort(),
      stayIds: list.map((stay) => stay.id).sort(compareText),
    }))
    .sort((a, b) => compareText(a.personId, b.personId));
}

function compareText(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}
