import { haversineMeters, meanPosition } from "../geo/index.js";
import type {
  PersonStaypoint,
  PositionFix,
  Staypoint,
  StaypointOptions,
} from "./types.js";

/**
 * Default settings, equal to the defaults of trackintel's
 * `generate_staypoints`: dist_threshold=100 (metres), time_threshold=5.0 and
 * gap_threshold=15.0 (minutes), include_last=False.
 */
export const DEFAULT_STAYPOINT_OPTIONS: Required<StaypointOptions> = {
  distThresholdMeters: 100,
  timeThresholdMinutes: 5,
  gapThresholdMinutes: 15,
  includeLast: false,
};

const MILLISECONDS_PER_MINUTE = 60_000;

interface Thresholds {
  readonly distMeters: number;
  readonly timeMilliseconds: number;
  readonly gapMilliseconds: number;
  readonly includeLast: boolean;
}

/**
 * Detects the stay points in the position fixes of one person with the
 * sliding-window method as trackintel implements it in
 * `generate_staypoints(method="sliding")`.
 *
 * Fixes identical in every field are dropped and the rest are sorted by time
 * (stably). A stay starts at a fix and takes the following fixes while each
 * lies strictly closer than `distThresholdMeters` to that first fix. The
 * first fix at or beyond that distance ends the run, which is a stay when it
 * lasted at least `timeThresholdMinutes` up to that fix. Either way, the next
 * run starts at that fix. An interval longer than `gapThresholdMinutes`
 * between consecutive fixes discards the run and starts a new one at the
 * later fix.
 *
 * The run still open at the end of the track is dropped unless
 * `includeLast` is set. Then it is a stay when its last fix is at least
 * `timeThresholdMinutes` after its first, and both its `finishedAt` and
 * `lastFixAt` are the time of the last fix, as in trackintel.
 *
 * The input array and its fixes are not modified. Throws a RangeError for an
 * invalid option or a fix with a non-finite time or an out-of-range
 * coordinate.
 */
export function generateStaypoints(
  fixes: readonly PositionFix[],
  options: StaypointOptions = {},
): Staypoint[] {
  const thresholds = resolveThresholds(options);
  return slideWindow(prepareTrack(fixes), thresholds);
}

/**
 * Detects stay points separately for each person, grouping the fixes by the
 * key that `personKeyOf` returns (compared with SameValueZero, as `Map` does).
 * The result lists persons in the order of their first fix in the input, and
 * each person's stays in time order.
 */
export function generateStaypointsByPerson<Fix extends PositionFix, PersonKey>(
  fixes: readonly Fix[],
  personKeyOf: (fix: Fix) => PersonKey,
  options: StaypointOptions = {},
): PersonStaypoint<PersonKey>[] {
  const thresholds = resolveThresholds(options);
  const staypoints: PersonStaypoint<PersonKey>[] = [];

  for (const [personKey, personFixes] of groupByPerson(fixes, personKeyOf)) {
    for (const stay of slideWindow(prepareTrack(personFixes), thresholds)) {
      staypoints.push({ personKey, ...stay });
    }
  }
  return staypoints;
}

function resolveThresholds(options: StaypointOptions): Thresholds {
  const defaults = DEFAULT_STAYPOINT_OPTIONS;
  const distMeters =
    options.distThresholdMeters ?? defaults.distThresholdMeters;
  const timeMinutes =
    options.timeThresholdMinutes ?? defaults.timeThresholdMinutes;
  const gapMinutes =
    options.gapThresholdMinutes ?? defaults.gapThresholdMinutes;
  const includeLast = options.includeLast ?? defaults.includeLast;

  checkNonNegative("distThresholdMeters", distMeters);
  checkNonNegative("timeThresholdMinutes", timeMinutes);
  checkNonNegative("gapThresholdMinutes", gapMinutes);
  if (typeof includeLast !== "boolean") {
    throw new RangeError(
      `Invalid option includeLast ${String(includeLast)}: expected true or false`,
    );
  }

  return {
    distMeters,
    timeMilliseconds: timeMinutes * MILLISECONDS_PER_MINUTE,
    gapMilliseconds: gapMinutes * MILLISECONDS_PER_MINUTE,
    includeLast,
  };
}

function checkNonNegative(name: string, value: unknown): void {
  if (typeof value !== "number" || !(value >= 0)) {
    throw new RangeError(
      `Invalid option ${name} ${String(value)}: expected a number >= 0`,
    );
  }
}

function groupByPerson<Fix, PersonKey>(
  fixes: readonly Fix[],
  personKeyOf: (fix: Fix) => PersonKey,
): Map<PersonKey, Fix[]> {
  const groups = new Map<PersonKey, Fix[]>();
  for (const fix of fixes) {
    const key = personKeyOf(fix);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, [fix]);
    } else {
      group.push(fix);
    }
  }
  return groups;
}

/** Returns a validated copy of the fixes, sorted by time, without duplicates. */
function prepareTrack<Fix extends PositionFix>(fixes: readonly Fix[]): Fix[] {
  for (let i = 0; i < fixes.length; i++) {
    checkFix(fixes[i]!, i);
  }

  const track = fixes.slice();
  if (!isSortedByTime(track)) {
    // Array.prototype.sort is stable, so fixes with equal times keep their order.
    track.sort((a, b) => a.trackedAt - b.trackedAt);
  }
  dropDuplicateFixes(track);
  return track;
}

function checkFix(fix: PositionFix, index: number): void {
  if (!Number.isFinite(fix.trackedAt)) {
    throw new RangeError(
      `Invalid trackedAt ${fix.trackedAt} in the position fix at index ${index}: expected finite epoch milliseconds`,
    );
  }
  if (!(fix.latitude >= -90 && fix.latitude <= 90)) {
    throw new RangeError(
      `Invalid latitude ${fix.latitude} in the position fix at index ${index}: expected decimal degrees from -90 to 90`,
    );
  }
  if (!(fix.longitude >= -180 && fix.longitude <= 180)) {
    throw new RangeError(
      `Invalid longitude ${fix.longitude} in the position fix at index ${index}: expected decimal degrees from -180 to 180`,
    );
  }
}

function isSortedByTime(track: readonly PositionFix[]): boolean {
  for (let i = 1; i < track.length; i++) {
    if (track[i]!.trackedAt < track[i - 1]!.trackedAt) {
      return false;
    }
  }
  return true;
}

/**
 * Removes, in place, every fix identical to an earlier one, keeping the
 * first. The track is sorted by time, so only fixes with equal times need to
 * be compared.
 */
function dropDuplicateFixes(track: PositionFix[]): void {
  let keptCount = 0;
  let blockStart = 0;

  for (let i = 0; i < track.length; i++) {
    const fix = track[i]!;
    if (keptCount > 0 && track[keptCount - 1]!.trackedAt !== fix.trackedAt) {
      blockStart = keptCount;
    }
    if (!hasIdenticalFix(track, blockStart, keptCount, fix)) {
      track[keptCount] = fix;
      keptCount++;
    }
  }
  track.length = keptCount;
}

function hasIdenticalFix(
  track: readonly PositionFix[],
  from: number,
  to: number,
  fix: PositionFix,
): boolean {
  for (let k = from; k < to; k++) {
    if (areIdenticalFixes(track[k]!, fix)) {
      return true;
    }
  }
  return false;
}

/**
 * Compares every own enumerable field with `===`, except that NaN equals NaN
 * (as in pandas' `drop_duplicates`). Nested objects are compared by reference.
 */
function areIdenticalFixes(a: PositionFix, b: PositionFix): boolean {
  if (a === b) {
    return true;
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) {
    return false;
  }
  const fieldsA = a as unknown as Record<string, unknown>;
  const fieldsB = b as unknown as Record<string, unknown>;
  return keys.every((key) => {
    const valueA = fieldsA[key];
    const valueB = fieldsB[key];
    return (
      Object.hasOwn(fieldsB, key) &&
      (valueA === valueB || (Number.isNaN(valueA) && Number.isNaN(valueB)))
    );
  });
}

/** Runs the sliding window over a sorted track without duplicates. */
function slideWindow(
  track: readonly PositionFix[],
  thresholds: Thresholds,
): Staypoint[] {
  const staypoints: Staypoint[] = [];
  if (track.length === 0) {
    return staypoints;
  }

  let start = 0;
  let first = track[0]!;
  for (let current = 1; current < track.length; current++) {
    const fix = track[current]!;
    const interval = fix.trackedAt - track[current - 1]!.trackedAt;
    if (interval > thresholds.gapMilliseconds) {
      start = current;
      first = fix;
      continue;
    }
    if (haversineMeters(first, fix) < thresholds.distMeters) {
      continue;
    }

    if (fix.trackedAt - first.trackedAt >= thresholds.timeMilliseconds) {
      staypoints.push(buildStaypoint(track, start, current, fix.trackedAt));
    }
    start = current;
    first = fix;
  }

  if (thresholds.includeLast) {
    const last = track[track.length - 1]!;
    if (last.trackedAt - first.trackedAt >= thresholds.timeMilliseconds) {
      staypoints.push(
        buildStaypoint(track, start, track.length, last.trackedAt),
      );
    }
  }
  return staypoints;
}

/** Builds the stay of the fixes `track[start]` to `track[end - 1]`. */
function buildStaypoint(
  track: readonly PositionFix[],
  start: number,
  end: number,
  finishedAt: number,
): Staypoint {
  const positions = distinctPositions(track, start, end);
  const centre = meanPosition(positions);

  let radiusMeters = 0;
  for (const position of positions) {
    radiusMeters = Math.max(radiusMeters, haversineMeters(centre, position));
  }

  return {
    startedAt: track[start]!.trackedAt,
    finishedAt,
    lastFixAt: track[end - 1]!.trackedAt,
    latitude: centre.latitude,
    longitude: centre.longitude,
    fixCount: end - start,
    radiusMeters,
  };
}

/**
 * Returns one fix for each distinct position among `track[start]` to
 * `track[end - 1]`, the first fix at that position, in track order.
 */
function distinctPositions(
  track: readonly PositionFix[],
  start: number,
  end: number,
): PositionFix[] {
  // Open-addressing hash set of track indexes, at most half full.
  const capacity = 2 ** Math.ceil(Math.log2(2 * (end - start)));
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  const distinct: PositionFix[] = [];

  for (let k = start; k < end; k++) {
    const fix = track[k]!;
    let slot = hashPosition(fix) & mask;
    let stored = slots[slot]!;
    while (stored !== -1 && !isSamePosition(track[stored]!, fix)) {
      slot = (slot + 1) & mask;
      stored = slots[slot]!;
    }
    if (stored === -1) {
      slots[slot] = k;
      distinct.push(fix);
    }
  }
  return distinct;
}

function isSamePosition(a: PositionFix, b: PositionFix): boolean {
  return a.latitude === b.latitude && a.longitude === b.longitude;
}

// Scratch space to read the bits of two doubles. Sharing it is safe because
// hashing never yields to other code.
const hashInput = new Float64Array(2);
const hashWords = new Uint32Array(hashInput.buffer);

/** Hashes the bits of the coordinates. Adding 0 turns -0 into 0. */
function hashPosition(fix: PositionFix): number {
  hashInput[0] = fix.latitude + 0;
  hashInput[1] = fix.longitude + 0;
  let hash = Math.imul(hashWords[0]! ^ hashWords[1]!, 0x9e3779b1);
  hash = Math.imul(hash ^ hashWords[2]!, 0x85ebca6b);
  hash = Math.imul(hash ^ hashWords[3]!, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}
