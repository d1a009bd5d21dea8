import {
  haversineMeters,
  meanPosition,
  type GeoPosition,
} from "../geo/index.js";
import {
  checkNonNegativeOption,
  checkOptionalRadius,
  checkRecord,
  minutesToMilliseconds,
  recordIdOf,
  sortedIndexes,
} from "./checks.js";
import type { SourceStays, TimedSourceStay } from "./types.js";

/** A GPS position fix of one person. */
export interface GpsFix {
  /** Id of the fix in its source, such as `track.csv:12`. */
  readonly id?: string;
  /** Time of the fix in epoch milliseconds. */
  readonly trackedAt: number;
  /** WGS 84 latitude in decimal degrees. */
  readonly latitude: number;
  /** WGS 84 longitude in decimal degrees. */
  readonly longitude: number;
  /** Horizontal accuracy in metres as the device reports it, or null when unknown. */
  readonly accuracyMeters?: number | null;
}

/** Settings of the GPS stay detection. Every field is optional. */
export interface GpsStayOptions {
  /**
   * Distance in metres from the first fix of a stay at which a fix ends the
   * stay. Default 100, as in `generateStaypoints`.
   */
  readonly distThresholdMeters?: number;
  /**
   * Minimum dwell in minutes: from the first fix to the first fix outside,
   * or to the last fix inside when a gap or the end of the track closes the
   * stay. Default 5.
   */
  readonly timeThresholdMinutes?: number;
  /**
   * Maximum interval in minutes between consecutive fixes. A longer one
   * closes the stay at its last fix before the gap. Default 15.
   */
  readonly gapThresholdMinutes?: number;
  /** Accuracy in metres assumed for fixes that report none. Default 10. */
  readonly defaultAccuracyMeters?: number;
}

/**
 * Default settings. The thresholds are those of `generateStaypoints`. The
 * default accuracy is an estimate for a phone outdoors, not a measured figure.
 */
export const DEFAULT_GPS_STAY_OPTIONS: Required<GpsStayOptions> = {
  distThresholdMeters: 100,
  timeThresholdMinutes: 5,
  gapThresholdMinutes: 15,
  defaultAccuracyMeters: 10,
};

/**
 * Cause that closed a GPS stay: the first fix outside it, a gap in the
 * track longer than the gap threshold, or the end of the track.
 */
export type GpsStayEnd = "leaving_fix" | "gap" | "track_end";

/** A stay detected from GPS fixes. */
export interface GpsStay extends TimedSourceStay {
  readonly source: "gps";
  /** Number of fixes inside the stay, duplicates and jitter fixes left out. */
  readonly fixCount: number;
  /** Fixes beyond the distance threshold that were taken as jitter inside the stay. */
  readonly jitterFixCount: number;
  /** Largest distance in metres from the centre to a fix inside the stay. */
  readonly spreadMeters: number;
  /** Median accuracy in metres of the fixes inside the stay. */
  readonly accuracyMeters: number;
  readonly endedBy: GpsStayEnd;
}

interface Thresholds {
  readonly distMeters: number;
  readonly timeMilliseconds: number;
  readonly gapMilliseconds: number;
  readonly defaultAccuracyMeters: number;
}

/** A run of track fixes `start` to `end - 1` that is a stay. */
interface Run {
  readonly start: number;
  readonly end: number;
  readonly finishedAt: number;
  readonly endedBy: GpsStayEnd;
}

/** Fixes of a joined stay: one or more runs at one place, with jitter between them. */
interface RunGroup {
  readonly runs: Run[];
  jitterFixCount: number;
}

/** The fixes of a track in time order, without repeats, and where each stood in the input. */
interface Track {
  readonly fixes: GpsFix[];
  /** Index of each fix in the input, which names it when it has no id. */
  readonly indexes: number[];
}

/**
 * Detects the stays in the GPS fixes of one person by the sliding-window
 * method of `generateStaypoints`, changed in three ways for tracing:
 *
 * - an interval between fixes longer than `gapThresholdMinutes` closes the
 *   stay at its last fix before the gap, and the stay is kept when it lasted
 *   `timeThresholdMinutes` up to that fix (trackintel discards it);
 * - the stay still open at the end of the track is kept on the same rule;
 * - one fix beyond the distance between two stays whose centres lie within
 *   the distance of each other is jitter, and the two stays are one.
 *
 * A stay is certain from its first fix to its last fix inside, and possible
 * until the first fix outside. After a gap or at the end of the track nothing
 * is known past the last fix, so the possible end is that fix. The radius is
 * the largest distance from the centre to a fix inside plus the median
 * accuracy of those fixes. Fixes equal in time and position are counted once.
 * The input is not modified. Throws a RangeError for an invalid option or fix.
 */
export function detectGpsStays(
  personId: string,
  fixes: readonly GpsFix[],
  options: GpsStayOptions = {},
): SourceStays<GpsStay> {
  const thresholds = resolveThresholds(options);
  const track = prepareTrack(fixes);
  const groups = joinJitter(track, slideWindow(track, thresholds), thresholds);
  const stays = groups.map((group, index) =>
    buildStay(personId, index, track, group, thresholds),
  );
  return { stays, excluded: [] };
}

function resolveThresholds(options: GpsStayOptions): Thresholds {
  const defaults = DEFAULT_GPS_STAY_OPTIONS;
  const option = <Key extends keyof GpsStayOptions>(key: Key): number =>
    checkNonNegativeOption(key, options[key] ?? defaults[key]);
  return {
    distMeters: option("distThresholdMeters"),
    timeMilliseconds: minutesToMilliseconds(option("timeThresholdMinutes")),
    gapMilliseconds: minutesToMilliseconds(option("gapThresholdMinutes")),
    defaultAccuracyMeters: option("defaultAccuracyMeters"),
  };
}

/** Returns the fixes validated, sorted by time, without repeats of a time and position. */
function prepareTrack(fixes: readonly GpsFix[]): Track {
  fixes.forEach((fix, index) => {
    if (!isPlainValidFix(fix)) {
      checkRecord("GPS fix", fix, index, { trackedAt: fix.trackedAt });
      checkOptionalRadius(
        "GPS fix",
        index,
        "accuracyMeters",
        fix.accuracyMeters,
      );
    }
  });

  const track: Track = { fixes: [], indexes: [] };
  for (const index of sortedIndexes(fixes, (fix) => fix.trackedAt)) {
    const fix = fixes[index]!;
    if (!repeatsEarlierFix(track.fixes, fix)) {
      track.fixes.push(fix);
      track.indexes.push(index);
    }
  }
  return track;
}

/**
 * Tells whether a fix passes the checks of `checkRecord` and
 * `checkOptionalRadius`, without the objects they build, so that only an
 * invalid fix pays for them.
 */
function isPlainValidFix(fix: GpsFix): boolean {
  const accuracy = fix.accuracyMeters;
  return (
    fix.latitude >= -90 &&
    fix.latitude <= 90 &&
    fix.longitude >= -180 &&
    fix.longitude <= 180 &&
    Number.isFinite(fix.trackedAt) &&
    (accuracy === null ||
      accuracy === undefined ||
      (accuracy >= 0 && Number.isFinite(accuracy)))
  );
}

/** Tells whether a fix at the same instant and position is already in the sorted track. */
function repeatsEarlierFix(track: readonly GpsFix[], fix: GpsFix): boolean {
  for (let k = track.length - 1; k >= 0; k--) {
    const earlier = track[k]!;
    if (earlier.trackedAt !== fix.trackedAt) {
      return false;
    }
    if (
      earlier.latitude === fix.latitude &&
      earlier.longitude === fix.longitude
    ) {
      return true;
    }
  }
  return false;
}

function slideWindow(track: Track, thresholds: Thresholds): Run[] {
  const runs: Run[] = [];
  const length = track.fixes.length;
  if (length === 0) {
    return runs;
  }

  const closeRun = (
    start: number,
    end: number,
    finishedAt: number,
    endedBy: GpsStayEnd,
    dwellUntil: number,
  ) => {
    if (dwellUntil - timeAt(track, start) >= thresholds.timeMilliseconds) {
      runs.push({ start, end, finishedAt, endedBy });
    }
  };

  let start = 0;
  for (let current = 1; current < length; current++) {
    const previousAt = timeAt(track, current - 1);
    const currentAt = timeAt(track, current);
    if (currentAt - previousAt > thresholds.gapMilliseconds) {
      // Nothing is known during the gap, so the stay ends at its last fix.
      closeRun(start, current, previousAt, "gap", previousAt);
      start = current;
      continue;
    }
    if (
      haversineMeters(track.fixes[start]!, track.fixes[current]!) <
      thresholds.distMeters
    ) {
      continue;
    }
    closeRun(start, current, currentAt, "leaving_fix", currentAt);
    start = current;
  }

  const lastAt = timeAt(track, length - 1);
  closeRun(start, length, lastAt, "track_end", lastAt);
  return runs;
}

/**
 * Groups runs into stays, joining two runs at one place that only one fix
 * separates. That fix was either dropped as too short or formed a one-fix
 * run of its own, which is then dropped.
 */
function joinJitter(
  track: Track,
  runs: readonly Run[],
  thresholds: Thresholds,
): RunGroup[] {
  const groups: RunGroup[] = [];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const group = groups.at(-1);
    const previous = group?.runs.at(-1);
    if (group === undefined || previous === undefined) {
      groups.push({ runs: [run], jitterFixCount: 0 });
      continue;
    }

    if (isJitterBetween(track, previous, run, thresholds)) {
      group.runs.push(run);
      group.jitterFixCount += 1;
      continue;
    }
    const next = runs[i + 1];
    const isOneFixRun = run.end - run.start === 1 && run.start === previous.end;
    if (
      isOneFixRun &&
      next !== undefined &&
      isJitterBetween(track, previous, next, thresholds)
    ) {
      group.runs.push(next);
      group.jitterFixCount += 1;
      i++;
      continue;
    }
    groups.push({ runs: [run], jitterFixCount: 0 });
  }
  return groups;
}

/**
 * Tells whether `later` follows `earlier` after exactly one fix, without a
 * gap, and lies within the distance threshold of it.
 */
function isJitterBetween(
  track: Track,
  earlier: Run,
  later: Run,
  thresholds: Thresholds,
): boolean {
  const spike = earlier.end;
  if (earlier.endedBy !== "leaving_fix" || later.start !== spike + 1) {
    return false;
  }
  if (
    timeAt(track, later.start) - timeAt(track, spike) >
    thresholds.gapMilliseconds
  ) {
    return false;
  }
  const earlierCentre = meanPosition(positionsOf(track, [earlier]));
  const laterCentre = meanPosition(positionsOf(track, [later]));
  return haversineMeters(earlierCentre, laterCentre) < thresholds.distMeters;
}

function buildStay(
  personId: string,
  index: number,
  track: Track,
  group: RunGroup,
  thresholds: Thresholds,
): GpsStay {
  const first = group.runs[0]!;
  const last = group.runs.at(-1)!;
  const fixes = positionsOf(track, group.runs);
  const positions = distinctPositions(fixes);
  const centre = meanPosition(positions);
  let spreadMeters = 0;
  for (const position of positions) {
    spreadMeters = Math.max(spreadMeters, haversineMeters(centre, position));
  }
  const accuracyMeters = medianAccuracy(
    fixes,
    thresholds.defaultAccuracyMeters,
  );
  const startedAt = timeAt(track, first.start);
  const lastFixAt = timeAt(track, last.end - 1);

  return {
    id: `gps-${index + 1}`,
    personId,
    source: "gps",
    latitude: centre.latitude,
    longitude: centre.longitude,
    radiusMeters: spreadMeters + accuracyMeters,
    startedAt,
    lastFixAt,
    finishedAt: last.finishedAt,
    observedFrom: startedAt,
    observedTo: lastFixAt,
    timing: "observed",
    placeName: null,
    address: null,
    recordIds: recordIdsOf(track, group.runs),
    fixCount: fixes.length,
    jitterFixCount: group.jitterFixCount,
    spreadMeters,
    accuracyMeters,
    endedBy: last.endedBy,
  };
}

function timeAt(track: Track, index: number): number {
  return track.fixes[index]!.trackedAt;
}

function positionsOf(track: Track, runs: readonly Run[]): GpsFix[] {
  if (runs.length === 1) {
    return track.fixes.slice(runs[0]!.start, runs[0]!.end);
  }
  const fixes: GpsFix[] = [];
  for (const run of runs) {
    for (let index = run.start; index < run.end; index++) {
      fixes.push(track.fixes[index]!);
    }
  }
  return fixes;
}

function recordIdsOf(track: Track, runs: readonly Run[]): string[] {
  const ids: string[] = [];
  for (const run of runs) {
    for (let index = run.start; index < run.end; index++) {
      ids.push(recordIdOf(track.fixes[index]!, track.indexes[index]!));
    }
  }
  return ids;
}

/** Returns each position once, so that a phone lying still does not pull the centre. */
function distinctPositions(fixes: readonly GeoPosition[]): GeoPosition[] {
  // The first longitude seen at each latitude, and the rare other positions
  // that share a latitude with an earlier one, by text.
  const firstLongitudes = new Map<number, number>();
  let others: Set<string> | undefined;
  const distinct: GeoPosition[] = [];
  for (const fix of fixes) {
    const first = firstLongitudes.get(fix.latitude);
    if (first === undefined) {
      firstLongitudes.set(fix.latitude, fix.longitude);
      distinct.push(fix);
      continue;
    }
    if (first === fix.longitude) {
      continue;
    }
    others ??= new Set();
    const key = `${fix.latitude},${fix.longitude}`;
    if (!others.has(key)) {
      others.add(key);
      distinct.push(fix);
    }
  }
  return distinct;
}

function medianAccuracy(
  fixes: readonly GpsFix[],
  defaultMeters: number,
): number {
  const accuracies = new Float64Array(fixes.length);
  for (let index = 0; index < fixes.length; index++) {
    accuracies[index] = fixes[index]!.accuracyMeters ?? defaultMeters;
  }
  accuracies.sort();
  const middle = Math.floor(accuracies.length / 2);
  if (accuracies.length % 2 === 1) {
    return accuracies[middle]!;
  }
  return (accuracies[middle - 1]! + accuracies[middle]!) / 2;
}
