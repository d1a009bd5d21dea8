import { haversineMeters } from "../geo/index.js";
import type { ExcludedRecord } from "./types.js";

/** A base-station record: the cell a phone used at an instant. */
export interface CellRecord {
  /** Id of the record in its source, such as `skt.csv:12`. */
  readonly id?: string;
  /** Instant of the record in epoch milliseconds. */
  readonly observedAt: number;
  /** Operator's id of the cell, or null when unknown. */
  readonly cellId?: string | null;
  /** WGS 84 latitude of the cell's antenna in decimal degrees. */
  readonly latitude: number;
  /** WGS 84 longitude of the cell's antenna in decimal degrees. */
  readonly longitude: number;
  /** Radius in metres around the antenna within which the phone was. */
  readonly radiusMeters: number;
}

/** A cell record with its id and its index in the input. */
export interface IndexedCellRecord {
  readonly record: CellRecord;
  readonly id: string;
  readonly index: number;
}

/** Settings of the outlier check. */
export interface SpeedCheck {
  /** Speed in m/s above which a move is impossible. */
  readonly maxSpeedMetersPerSecond: number;
  /** Minimum interval in seconds that a speed is computed over. */
  readonly timeResolutionSeconds: number;
}

/** Records in time order that pass the check, and those that do not. */
export interface CleanedCellRecords {
  readonly kept: IndexedCellRecord[];
  readonly excluded: ExcludedRecord[];
}

/**
 * Leaves out the records that imply an impossible speed from both
 * neighbours. A first or last record, which has one neighbour, is left out
 * when the speed to that neighbour is impossible but the neighbour's speed
 * to its own other neighbour is possible, so that the odd one is known.
 *
 * The distance of a move is the distance between the antennas less both
 * radii, at least 0, because the phone may be anywhere in each cell. The
 * interval is at least `timeResolutionSeconds`, so records at one instant
 * give a finite speed: 0 when their cells overlap, and a large one when
 * they do not.
 *
 * NOTE: two outliers in a row vouch for each other and are both kept.
 */
export function cleanCellRecords(
  sorted: readonly IndexedCellRecord[],
  check: SpeedCheck,
): CleanedCellRecords {
  const last = sorted.length - 1;
  const speed = (from: number, to: number): number =>
    speedMetersPerSecond(sorted[from]!.record, sorted[to]!.record, check);
  const isTooFast = (value: number) => value > check.maxSpeedMetersPerSecond;

  const kept: IndexedCellRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  for (let i = 0; i <= last; i++) {
    const fromPrevious = i > 0 ? speed(i - 1, i) : null;
    const toNext = i < last ? speed(i, i + 1) : null;
    if (isOutlier(i, last, fromPrevious, toNext, speed, isTooFast)) {
      excluded.push(outlierOf(sorted[i]!, fromPrevious, toNext));
    } else {
      kept.push(sorted[i]!);
    }
  }
  return { kept, excluded };
}

function isOutlier(
  i: number,
  last: number,
  fromPrevious: number | null,
  toNext: number | null,
  speed: (from: number, to: number) => number,
  isTooFast: (value: number) => boolean,
): boolean {
  if (fromPrevious !== null && toNext !== null) {
    return isTooFast(fromPrevious) && isTooFast(toNext);
  }
  if (last < 2) {
    return false;
  }
  if (toNext !== null) {
    return isTooFast(toNext) && !isTooFast(speed(1, 2));
  }
  return (
    fromPrevious !== null &&
    isTooFast(fromPrevious) &&
    !isTooFast(speed(last - 2, last - 1))
  );
}

/** Returns the speed of a move between two records in m/s, always finite. */
export function speedMetersPerSecond(
  from: CellRecord,
  to: CellRecord,
  check: SpeedCheck,
): number {
  const distanceMeters = Math.max(
    0,
    haversineMeters(from, to) - from.radiusMeters - to.radiusMeters,
  );
  const seconds = Math.max(
    Math.abs(to.observedAt - from.observedAt) / 1000,
    check.timeResolutionSeconds,
  );
  return distanceMeters / seconds;
}

function outlierOf(
  item: IndexedCellRecord,
  fromPrevious: number | null,
  toNext: number | null,
): ExcludedRecord {
  const speeds = [
    fromPrevious === null
      ? null
      : `${kilometresPerHour(fromPrevious)} km/h from the previous record`,
    toNext === null
      ? null
      : `${kilometresPerHour(toNext)} km/h to the next record`,
  ].filter((text) => text !== null);
  return {
    source: "base_station",
    recordId: item.id,
    reason: "speed_outlier",
    recordedAt: item.record.observedAt,
    detail: `Implies ${speeds.join(" and ")}.`,
  };
}

function kilometresPerHour(metersPerSecond: number): string {
  return (metersPerSecond * 3.6).toFixed(0);
}
