import type { RejectionCollector } from "../report.js";
import type { ProviderFileError } from "./errors.js";
import { RecordFinisher, type FlagTotals } from "./finish.js";
import type { ProviderKind } from "./kinds.js";
import type { ProviderRecord, RecordFlag } from "./records.js";
import {
  scanProviderFiles,
  type ProviderFileSummary,
  type ProviderReadOptions,
  type ProviderScan,
} from "./scan.js";
import type { StagedRecord } from "./staging.js";

export {
  MAX_LISTED_SUBJECTS,
  resolveNormaliseOptions,
  type ProviderFileSummary,
  type ProviderReadOptions,
  type RecordProblem,
} from "./scan.js";

/** Records of one flag, and the source rows behind them. */
export interface ProviderFlagCount extends FlagTotals {
  flag: RecordFlag;
}

/** Options of a validation: how to read the files, and where the records go. */
export interface ProviderValidateOptions extends ProviderReadOptions {
  /**
   * Receives each record in time order, exact duplicates merged, while the
   * files are finished. When given, `records` of the result stays empty,
   * so that memory does not grow with the files.
   */
  onRecord?: ((record: ProviderRecord) => void) | undefined;
}

/** The normalised records of a set of provider files, and everything rejected. */
export interface ProviderValidation {
  kind: ProviderKind;
  files: ProviderFileSummary[];
  /** Valid records in time order, exact duplicates merged; empty when `onRecord` received them. */
  records: ProviderRecord[];
  /** Number of valid records, whether collected in `records` or not. */
  recordCount: number;
  rowsRead: number;
  /** Source rows behind the valid records, duplicates included. */
  rowsValid: number;
  rowsRejected: number;
  duplicateRowsMerged: number;
  /** Records that came after a later record of the same subject, and were sorted back. */
  outOfOrderRecords: number;
  rejections: RejectionCollector;
  /** Files that could not be read at all; their rows count neither as read nor as rejected. */
  fileErrors: ProviderFileError[];
  flags: ProviderFlagCount[];
  /**
   * Distinct values of the files' subject columns, in order of first
   * appearance, at most `MAX_LISTED_SUBJECTS`; `--subject` replaces them in
   * the records but not here.
   */
  fileSubjects: string[];
}

/**
 * Reads, checks and normalises provider files without a store. The
 * records wait in a temporary database on disk while they are sorted, so
 * memory stays bounded when `onRecord` takes them. A file that cannot be
 * read at all is reported in `fileErrors` and the others are still read.
 * Throws a RangeError when an option is invalid.
 */
export async function validateProviderFiles(
  paths: readonly string[],
  options: ProviderValidateOptions,
): Promise<ProviderValidation> {
  const scan = await scanProviderFiles(paths, options);
  try {
    return finishValidation(scan, options);
  } finally {
    scan.staging.close();
  }
}

function finishValidation(
  scan: ProviderScan,
  options: ProviderValidateOptions,
): ProviderValidation {
  const records: ProviderRecord[] = [];
  const deliver = options.onRecord ?? ((record) => records.push(record));
  const finisher = new RecordFinisher({
    kind: scan.kind,
    mode: "global",
    maxSpeedMetersPerSecond: options.maxSpeedMetersPerSecond,
  });
  const sorted = scan.staging.read(
    scan.isSortedByInstant ? "input" : "instant",
  );
  let rowsValid = 0;
  for (const staged of finisher.finish(sorted)) {
    rowsValid += staged.rows.length;
    deliver(providerRecordOf(staged, scan));
  }

  return {
    kind: scan.kind,
    files: scan.files,
    records,
    recordCount: finisher.records,
    rowsRead: scan.rowsRead,
    rowsValid,
    rowsRejected: scan.rejections.count,
    duplicateRowsMerged: finisher.duplicateRowsMerged,
    outOfOrderRecords: scan.outOfOrderRecords,
    rejections: scan.rejections,
    fileErrors: scan.fileErrors,
    flags: finisher.flagTotals(),
    fileSubjects: scan.fileSubjects,
  };
}

function providerRecordOf(
  staged: StagedRecord,
  scan: ProviderScan,
): ProviderRecord {
  return {
    kind: scan.kind,
    subject: staged.subject,
    file: scan.files[staged.fileIndex]!.name,
    rows: staged.rows,
    startedAt: staged.startedAt,
    endedAt: staged.endedAt,
    visitDate: staged.visitDate,
    latitude: staged.latitude,
    longitude: staged.longitude,
    radiusMeters: staged.radiusMeters,
    altitudeMeters: staged.altitudeMeters,
    placeName: staged.placeName,
    address: staged.address,
    placeTypes: JSON.parse(staged.placeTypesJson) as string[],
    note: staged.note,
    details: JSON.parse(staged.detailsJson) as Record<
      string,
      string | number | boolean
    >,
    flags: JSON.parse(staged.flagsJson) as string[],
  };
}
