import { haversineMeters } from "../../analysis/geo/index.js";
import { seoulDayStart } from "../../domain/seoul-time.js";
import type { ProviderKind } from "./kinds.js";

/**
 * One normalised observation from a provider file: a fix (startedAt equals
 * endedAt), an interval, or a visit known only to the day (visitDate set,
 * both instants null).
 */
export interface ProviderRecord {
  kind: ProviderKind;
  /** Id of the person: `--subject`, or the file's subject column; null when neither is given. */
  subject: string | null;
  /** Input file name, without its folder. */
  file: string;
  /** 1-based rows of `file` that this record was made from, exact duplicates included. */
  rows: number[];
  /** Epoch milliseconds. */
  startedAt: number | null;
  endedAt: number | null;
  /** `YYYY-MM-DD`, a day in Asia/Seoul. */
  visitDate: string | null;
  latitude: number | null;
  longitude: number | null;
  radiusMeters: number | null;
  altitudeMeters: number | null;
  placeName: string | null;
  address: string | null;
  placeTypes: string[];
  note: string | null;
  /** Fields of the kind that the store has no column for, such as the cell id or the amount. */
  details: Record<string, string | number | boolean>;
  flags: string[];
}

/** Flags that records may carry, with what each means. */
export const RECORD_FLAGS = {
  assumed_zone: "a time had no UTC offset, so it was read in the declared zone",
  date_only: "the visit is known only to the day",
  end_next_day:
    "the end was a time of day earlier than the start, so it was taken as the next day",
  end_unknown: "the record gives a start but no end",
  default_radius:
    "the record gave no accuracy, so the default radius of its cell type was used",
  implausible_speed:
    "reaching this position from the previous one of the same subject needs a speed above the maximum",
} as const;
export type RecordFlag = keyof typeof RECORD_FLAGS;

/**
 * Speed above which a move between two records of one subject is flagged,
 * in metres per second: 350 km/h, above the top operating speed of Korean
 * high-speed trains (305 km/h).
 */
export const DEFAULT_MAX_SPEED_METERS_PER_SECOND = 350 / 3.6;

/** Kinds whose records are position fixes that can contain outliers. */
const SPEED_CHECKED_KINDS: ReadonlySet<ProviderKind> = new Set([
  "gps",
  "base-station",
]);

export interface FinishOptions {
  /** Speed above which a record is flagged `implausible_speed`, in m/s. Default 350 km/h. */
  maxSpeedMetersPerSecond?: number | undefined;
}

/** The records in time order, and how many rows were merged into other records. */
export interface FinishedRecords {
  records: ProviderRecord[];
  duplicateRowsMerged: number;
}

/**
 * Sorts records by instant (a date-only visit by the start of its Seoul
 * day), keeping the input order of records with equal instants, merges
 * exact duplicates within each file into the first, and flags implausible
 * speeds. The input array is sorted in place.
 */
export function finishRecords(
  records: ProviderRecord[],
  options: FinishOptions = {},
): FinishedRecords {
  // Array.prototype.sort is stable, so equal instants keep file and row order.
  records.sort((a, b) => sortInstant(a) - sortInstant(b));
  const { merged, duplicateRowsMerged } = mergeDuplicates(records);
  flagImplausibleSpeeds(
    merged,
    options.maxSpeedMetersPerSecond ?? DEFAULT_MAX_SPEED_METERS_PER_SECOND,
  );
  return { records: merged, duplicateRowsMerged };
}

/** Returns the instant by which a record sorts. */
export function sortInstant(record: ProviderRecord): number {
  if (record.startedAt !== null) {
    return record.startedAt;
  }
  return record.visitDate === null ? 0 : seoulDayStart(record.visitDate);
}

/**
 * Merges records that are equal in every field but their rows. Duplicates
 * have the same instant, so after sorting they lie within one run of equal
 * sort instants, and only that run is compared. Keys are built only for
 * runs of two or more records, which are rare in fix data.
 */
function mergeDuplicates(sorted: readonly ProviderRecord[]): {
  merged: ProviderRecord[];
  duplicateRowsMerged: number;
} {
  const merged: ProviderRecord[] = [];
  let duplicateRowsMerged = 0;
  let runInstant = Number.NaN;
  let run: ProviderRecord[] = [];
  let runKeys: Map<string, ProviderRecord> | null = null;

  for (const record of sorted) {
    const instant = sortInstant(record);
    if (instant !== runInstant) {
      runInstant = instant;
      run = [record];
      runKeys = null;
      merged.push(record);
      continue;
    }
    runKeys ??= new Map(run.map((earlier) => [duplicateKey(earlier), earlier]));
    const key = duplicateKey(record);
    const first = runKeys.get(key);
    if (first === undefined) {
      run.push(record);
      runKeys.set(key, record);
      merged.push(record);
      continue;
    }
    first.rows.push(...record.rows);
    duplicateRowsMerged += record.rows.length;
  }
  return { merged, duplicateRowsMerged };
}

function duplicateKey(record: ProviderRecord): string {
  const { rows: _rows, ...content } = record;
  return JSON.stringify(content);
}

/**
 * Flags a fix that lies farther from the previous unflagged fix of the same
 * subject than the maximum speed allows, after subtracting both accuracy
 * radii from the distance. Fixes at the same instant are compared by
 * distance alone, so no speed is ever computed from a zero interval.
 */
function flagImplausibleSpeeds(
  sorted: readonly ProviderRecord[],
  maxSpeedMetersPerSecond: number,
): void {
  const previousBySubject = new Map<string | null, ProviderRecord>();
  for (const record of sorted) {
    if (!isSpeedChecked(record)) {
      continue;
    }
    const previous = previousBySubject.get(record.subject);
    if (
      previous !== undefined &&
      isTooFast(previous, record, maxSpeedMetersPerSecond)
    ) {
      record.flags.push("implausible_speed");
      continue;
    }
    previousBySubject.set(record.subject, record);
  }
}

function isSpeedChecked(record: ProviderRecord): boolean {
  return (
    SPEED_CHECKED_KINDS.has(record.kind) &&
    record.startedAt !== null &&
    record.latitude !== null &&
    record.longitude !== null
  );
}

function isTooFast(
  from: ProviderRecord,
  to: ProviderRecord,
  maxSpeedMetersPerSecond: number,
): boolean {
  const distance =
    haversineMeters(
      { latitude: from.latitude!, longitude: from.longitude! },
      { latitude: to.latitude!, longitude: to.longitude! },
    ) -
    (from.radiusMeters ?? 0) -
    (to.radiusMeters ?? 0);
  if (distance <= 0) {
    return false;
  }
  const seconds = (to.startedAt! - (from.endedAt ?? from.startedAt!)) / 1000;
  return seconds <= 0 || distance / seconds > maxSpeedMetersPerSecond;
}
