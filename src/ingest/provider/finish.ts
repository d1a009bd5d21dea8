import { haversineMeters } from "../../analysis/geo/index.js";
import type { ProviderKind } from "./kinds.js";
import {
  DEFAULT_MAX_SPEED_METERS_PER_SECOND,
  RECORD_FLAGS,
  type RecordFlag,
} from "./records.js";
import type { StagedRecord } from "./staging.js";

/**
 * Grouping of records with equal instants into runs: `global` when the
 * input is sorted by instant over all subjects, `subject` when it is
 * sorted by instant within each subject and each subject's records are
 * contiguous.
 */
export type RunMode = "global" | "subject";

export interface StreamFinishOptions {
  kind: ProviderKind;
  mode: RunMode;
  /** Speed above which a record is flagged `implausible_speed`, in m/s. Default 350 km/h. */
  maxSpeedMetersPerSecond?: number | undefined;
}

/** Records of one flag, and the source rows behind them. */
export interface FlagTotals {
  flag: RecordFlag;
  description: string;
  records: number;
  rows: number;
}

const SPEED_CHECKED_KINDS: ReadonlySet<ProviderKind> = new Set([
  "gps",
  "base-station",
]);

const IMPLAUSIBLE_SPEED = "implausible_speed";

/**
 * Merges exact duplicates and flags implausible speeds over records read
 * in time order, keeping in memory only the current run of records with
 * one instant and the last fix of each subject. Records of equal instant
 * keep their input order, and a duplicate merges into the earliest row.
 */
export class RecordFinisher {
  /** Rows merged into an earlier record as exact duplicates. */
  duplicateRowsMerged = 0;
  /** Records emitted. */
  records = 0;
  readonly #options: StreamFinishOptions;
  readonly #maxSpeed: number;
  readonly #speedChecked: boolean;
  readonly #previousBySubject = new Map<number, StagedRecord>();
  readonly #flagCounts = new Map<string, { records: number; rows: number }>();

  constructor(options: StreamFinishOptions) {
    this.#options = options;
    this.#maxSpeed =
      options.maxSpeedMetersPerSecond ?? DEFAULT_MAX_SPEED_METERS_PER_SECOND;
    this.#speedChecked = SPEED_CHECKED_KINDS.has(options.kind);
  }

  /** First record of the current run of one instant, and the others after it. */
  #runFirst: StagedRecord | undefined;
  readonly #runRest: StagedRecord[] = [];

  /** Yields the finished records of `sorted`, duplicates merged and flags set. */
  *finish(sorted: Iterable<StagedRecord>): Generator<StagedRecord> {
    const finished: StagedRecord[] = [];
    const emit = (record: StagedRecord) => finished.push(record);
    for (const record of sorted) {
      this.push(record, emit);
      if (finished.length > 0) {
        yield* finished;
        finished.length = 0;
      }
    }
    this.end(emit);
    yield* finished;
  }

  /**
   * Takes the next record in time order and passes `emit` each record
   * that it finishes: those of the previous instant once a later one comes.
   */
  push(record: StagedRecord, emit: (record: StagedRecord) => void): void {
    const first = this.#runFirst;
    if (first === undefined) {
      this.#runFirst = record;
    } else if (this.#startsNewRun(first, record)) {
      this.#closeRun(emit);
      this.#runFirst = record;
    } else {
      this.#runRest.push(record);
    }
  }

  /** Passes `emit` the records still waiting after the last `push`. */
  end(emit: (record: StagedRecord) => void): void {
    this.#closeRun(emit);
  }

  /** Returns the records and rows of each flag over the records emitted. */
  flagTotals(): FlagTotals[] {
    const totals = new Map<RecordFlag, FlagTotals>();
    for (const [json, counts] of this.#flagCounts) {
      for (const flag of JSON.parse(json) as RecordFlag[]) {
        let total = totals.get(flag);
        if (total === undefined) {
          total = {
            flag,
            description: RECORD_FLAGS[flag],
            records: 0,
            rows: 0,
          };
          totals.set(flag, total);
        }
        total.records += counts.records;
        total.rows += counts.rows;
      }
    }
    return [...totals.values()];
  }

  #startsNewRun(first: StagedRecord, record: StagedRecord): boolean {
    if (record.instant !== first.instant) {
      return true;
    }
    return (
      this.#options.mode === "subject" &&
      record.subjectIndex !== first.subjectIndex
    );
  }

  /** Finishes the current run and passes its records to `emit`. */
  #closeRun(emit: (record: StagedRecord) => void): void {
    const first = this.#runFirst;
    if (first === undefined) {
      return;
    }
    this.#runFirst = undefined;
    if (
      this.#options.mode === "subject" &&
      !this.#previousBySubject.has(first.subjectIndex)
    ) {
      // Subjects come one after the other, so the previous subject's last
      // fix is no longer needed.
      this.#previousBySubject.clear();
    }
    if (this.#runRest.length === 0) {
      this.#finishRecord(first, emit);
      return;
    }
    const run = [first, ...this.#runRest];
    this.#runRest.length = 0;
    for (const record of this.#mergeDuplicates(run)) {
      this.#finishRecord(record, emit);
    }
  }

  #finishRecord(
    record: StagedRecord,
    emit: (record: StagedRecord) => void,
  ): void {
    this.#flagSpeed(record);
    this.#countFlags(record);
    this.records++;
    emit(record);
  }

  /**
   * Merges records equal in every field but their rows into the first of
   * them, in input order. A run is sorted by input order, so the first
   * record of a key is the earliest row.
   */
  #mergeDuplicates(run: StagedRecord[]): StagedRecord[] {
    const byKey = new Map<string, StagedRecord>();
    const merged: StagedRecord[] = [];
    for (const record of run) {
      const key = duplicateKey(record);
      const first = byKey.get(key);
      if (first === undefined) {
        byKey.set(key, record);
        merged.push(record);
        continue;
      }
      first.rows.push(...record.rows);
      this.duplicateRowsMerged += record.rows.length;
    }
    return merged;
  }

  /**
   * Flags a fix that lies farther from the previous unflagged fix of the
   * same subject than the maximum speed allows, after subtracting both
   * accuracy radii and GPS_JITTER_METERS from the distance.
   */
  #flagSpeed(record: StagedRecord): void {
    if (
      !this.#speedChecked ||
      record.startedAt === null ||
      record.latitude === null ||
      record.longitude === null
    ) {
      return;
    }
    const previous = this.#previousBySubject.get(record.subjectIndex);
    if (previous !== undefined && isTooFast(previous, record, this.#maxSpeed)) {
      record.flagsJson = withFlag(record.flagsJson, IMPLAUSIBLE_SPEED);
      return;
    }
    this.#previousBySubject.set(record.subjectIndex, record);
  }

  #countFlags(record: StagedRecord): void {
    if (record.flagsJson === "[]") {
      return;
    }
    let counts = this.#flagCounts.get(record.flagsJson);
    if (counts === undefined) {
      counts = { records: 0, rows: 0 };
      this.#flagCounts.set(record.flagsJson, counts);
    }
    counts.records++;
    counts.rows += record.rows.length;
  }
}

function duplicateKey(record: StagedRecord): string {
  return [
    record.subject,
    record.fileIndex,
    record.startedAt,
    record.endedAt,
    record.visitDate,
    record.latitude,
    record.longitude,
    record.radiusMeters,
    record.altitudeMeters,
    record.placeName,
    record.address,
    record.placeTypesJson,
    record.note,
    record.detailsJson,
    record.flagsJson,
  ]
    .map((value) => (value === null ? "\u0000" : String(value)))
    .join("\u0001");
}

function withFlag(flagsJson: string, flag: string): string {
  return flagsJson === "[]"
    ? `["${flag}"]`
    : `${flagsJson.slice(0, -1)},"${flag}"]`;
}

/**
 * Distance in metres that two fixes may lie apart beyond their accuracy
 * radii however little time separates them. Phone GPS fixes taken at one
 * instant commonly differ by a few tens of metres, and many files give no
 * accuracy. The value is an estimate, not a measured bound.
 */
export const GPS_JITTER_METERS = 50;

function isTooFast(
  from: StagedRecord,
  to: StagedRecord,
  maxSpeedMetersPerSecond: number,
): boolean {
  const distance =
    haversineMeters(
      { latitude: from.latitude!, longitude: from.longitude! },
      { latitude: to.latitude!, longitude: to.longitude! },
    ) -
    (from.radiusMeters ?? 0) -
    (to.radiusMeters ?? 0) -
    GPS_JITTER_METERS;
  if (distance <= 0) {
    return false;
  }
  const seconds = (to.startedAt! - (from.endedAt ?? from.startedAt!)) / 1000;
  return seconds <= 0 || distance / seconds > maxSpeedMetersPerSecond;
}
