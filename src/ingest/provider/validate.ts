import type { ProgressReporter } from "../progress.js";
import { silentProgress } from "../progress.js";
import { RejectionCollector, type RejectedRow } from "../report.js";
import type { CsvItem } from "./csv.js";
import type { EncodingChoice, TextEncoding } from "./encoding.js";
import { ProviderFileError } from "./errors.js";
import {
  formatOfPath,
  readFormatRows,
  type ProviderFormat,
} from "./formats/index.js";
import { KIND_SPECS, type ProviderKind } from "./kinds.js";
import { normaliseRow, type NormaliseOptions } from "./normalise.js";
import {
  finishRecords,
  RECORD_FLAGS,
  type ProviderRecord,
  type RecordFlag,
} from "./records.js";
import type { ReadItem } from "./row-reader.js";
import { inspectFile, type InspectedFile } from "./source.js";
import { compileDateFormat, type TimeOptions } from "./time.js";
import { DEFAULT_ZONE, isKnownZone } from "./zone.js";

/** How to read provider files. Every field but `kind` is optional. */
export interface ProviderReadOptions {
  kind: ProviderKind;
  /** File format; by default the one the extension names, and CSV for others. */
  format?: ProviderFormat | undefined;
  /** Text encoding, or `auto` (the default) to detect UTF-8 or CP949. */
  encoding?: EncodingChoice | undefined;
  /** IANA zone of times without a UTC offset. Default Asia/Seoul. */
  zone?: string | undefined;
  /** Order of numeric dates that do not start with the year, such as `DD.MM.YYYY`. */
  dateFormat?: string | undefined;
  /** Year of dates written without one. */
  year?: number | undefined;
  /** Subject of every record, in place of the files' subject columns. */
  subject?: string | undefined;
  /** Longest CSV line accepted, in characters. Default 10,000. */
  maxLineLength?: number | undefined;
  /** CSV field delimiter; detected from the header line by default. */
  delimiter?: string | undefined;
  /** Speed above which a fix is flagged `implausible_speed`, in m/s. Default 350 km/h. */
  maxSpeedMetersPerSecond?: number | undefined;
  /** Receives each rejected row when it is found; a file that cannot be read at all comes as row 0. */
  onRejected?: ((row: RejectedRow) => void) | undefined;
  /** Receives the progress in files. Default: silent. */
  progress?: ProgressReporter | undefined;
}

/** Counts and findings of one input file. */
export interface ProviderFileSummary {
  name: string;
  path: string;
  format: ProviderFormat | "json";
  encoding: TextEncoding | null;
  sha256: string | null;
  sizeBytes: number;
  rowsRead: number;
  delimiter: string | null;
  /** Header names that match no column of the kind. */
  ignoredColumns: string[];
  /** Reason the file could not be read at all, or null when it was read. */
  error: { rule: string; message: string } | null;
}

/** Records of one flag, and the source rows behind them. */
export interface ProviderFlagCount {
  flag: RecordFlag;
  description: string;
  records: number;
  rows: number;
}

/** The normalised records of a set of provider files, and everything rejected. */
export interface ProviderValidation {
  kind: ProviderKind;
  files: ProviderFileSummary[];
  /** Valid records in time order, exact duplicates merged. */
  records: ProviderRecord[];
  rowsRead: number;
  rowsRejected: number;
  duplicateRowsMerged: number;
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

/** Most distinct file subjects that a validation lists. */
export const MAX_LISTED_SUBJECTS = 100;

/**
 * Reads, checks and normalises provider files without a store. A file that
 * cannot be read at all is reported in `fileErrors` and the others are
 * still read. Throws a RangeError when an option is invalid.
 */
export async function validateProviderFiles(
  paths: readonly string[],
  options: ProviderReadOptions,
): Promise<ProviderValidation> {
  const normaliseOptions = resolveNormaliseOptions(options);
  const result: ProviderValidation = {
    kind: options.kind,
    files: [],
    records: [],
    rowsRead: 0,
    rowsRejected: 0,
    duplicateRowsMerged: 0,
    rejections: new RejectionCollector(),
    fileErrors: [],
    flags: [],
    fileSubjects: [],
  };
  const progress = options.progress ?? silentProgress;
  progress.start(paths.length, "files");

  for (const filePath of paths) {
    const summary = emptySummary(filePath);
    result.files.push(summary);
    try {
      await readOneFile(filePath, summary, options, normaliseOptions, result);
    } catch (error) {
      if (!(error instanceof ProviderFileError)) {
        throw error;
      }
      recordFileError(error, summary, options, result);
    }
    result.rowsRead += summary.rowsRead;
    progress.increment(1);
  }
  progress.stop();

  const finished = finishRecords(result.records, options);
  result.records = finished.records;
  result.duplicateRowsMerged = finished.duplicateRowsMerged;
  result.rowsRejected = result.rejections.count;
  result.flags = countFlags(result.records);
  result.fileSubjects = applySubject(result.records, options.subject);
  return result;
}

/** Checks the zone and date format options and returns them ready for the row normaliser. */
export function resolveNormaliseOptions(
  options: ProviderReadOptions,
): NormaliseOptions {
  const zone = options.zone ?? DEFAULT_ZONE;
  if (!isKnownZone(zone)) {
    throw new RangeError(
      `Unknown time zone ${JSON.stringify(zone)}: give an IANA zone name such as Asia/Seoul or UTC.`,
    );
  }
  if (
    options.year !== undefined &&
    !(
      Number.isInteger(options.year) &&
      options.year >= 1900 &&
      options.year <= 2999
    )
  ) {
    throw new RangeError(
      `Invalid year ${options.year}: give a year of four digits, such as 2020.`,
    );
  }
  const time: TimeOptions = {
    zone,
    dateFormat:
      options.dateFormat === undefined
        ? undefined
        : compileDateFormat(options.dateFormat),
    year: options.year,
  };
  return { kind: options.kind, time };
}

/** Returns the distinct subjects of the files, after which `subject`, if given, replaces them. */
function applySubject(
  records: ProviderRecord[],
  subject: string | undefined,
): string[] {
  const found = new Set<string>();
  for (const record of records) {
    if (record.subject !== null && found.size < MAX_LISTED_SUBJECTS) {
      found.add(record.subject);
    }
    if (subject !== undefined) {
      record.subject = subject;
    }
  }
  return [...found];
}

function emptySummary(filePath: string): ProviderFileSummary {
  return {
    name: filePath.split(/[\\/]/).at(-1) ?? filePath,
    path: filePath,
    format: formatOfPath(filePath) ?? "csv",
    encoding: null,
    sha256: null,
    sizeBytes: 0,
    rowsRead: 0,
    delimiter: null,
    ignoredColumns: [],
    error: null,
  };
}

async function readOneFile(
  filePath: string,
  summary: ProviderFileSummary,
  options: ProviderReadOptions,
  normaliseOptions: NormaliseOptions,
  result: ProviderValidation,
): Promise<void> {
  const file: InspectedFile = await inspectFile(
    filePath,
    options.encoding ?? "auto",
  );
  summary.encoding = file.encoding;
  summary.sha256 = file.sha256;
  summary.sizeBytes = file.sizeBytes;
  if (options.format !== undefined) {
    summary.format = options.format;
  }

  const spec = KIND_SPECS[options.kind];
  const csvOptions = {
    maxLineLength: options.maxLineLength,
    delimiter: options.delimiter,
  };
  const items = readFormatRows(
    file,
    spec,
    options.format,
    withoutUndefined(csvOptions),
  );
  let lastRow = 0;
  for await (const item of items) {
    if (item.type === "header") {
      summary.delimiter = item.delimiter;
      summary.ignoredColumns = item.columns.ignored;
      continue;
    }
    const row = rowNumberOf(item);
    if (row !== lastRow) {
      summary.rowsRead++;
      lastRow = row;
    }
    handleItem(item, normaliseOptions, options, result);
  }
}

function rowNumberOf(
  item: Exclude<CsvItem | ReadItem, { type: "header" }>,
): number {
  return item.type === "row" ? item.row.row : item.rejection.row;
}

function handleItem(
  item: ReadItem,
  normaliseOptions: NormaliseOptions,
  options: ProviderReadOptions,
  result: ProviderValidation,
): void {
  if (item.type === "rejected") {
    reject(item.rejection, options, result);
    return;
  }
  const normalised = normaliseRow(item.row, normaliseOptions);
  if (normalised.ok) {
    result.records.push(normalised.record);
    return;
  }
  for (const rejection of normalised.rejections) {
    reject(rejection, options, result);
  }
}

function reject(
  rejection: RejectedRow,
  options: ProviderReadOptions,
  result: ProviderValidation,
): void {
  result.rejections.add(rejection);
  options.onRejected?.(rejection);
}

function recordFileError(
  error: ProviderFileError,
  summary: ProviderFileSummary,
  options: ProviderReadOptions,
  result: ProviderValidation,
): void {
  summary.error = { rule: error.rule, message: error.message };
  result.fileErrors.push(error);
  // Rows read before the error are dropped with the rest of the file.
  result.records = result.records.filter(
    (record) => record.file !== summary.name,
  );
  summary.rowsRead = 0;
  options.onRejected?.({
    file: error.file,
    row: 0,
    field: "(file)",
    value: "",
    rule: error.rule,
    hint: error.message,
  });
}

function countFlags(records: readonly ProviderRecord[]): ProviderFlagCount[] {
  const counts = new Map<RecordFlag, ProviderFlagCount>();
  for (const record of records) {
    for (const flag of record.flags as RecordFlag[]) {
      let count = counts.get(flag);
      if (count === undefined) {
        count = { flag, description: RECORD_FLAGS[flag], records: 0, rows: 0 };
        counts.set(flag, count);
      }
      count.records++;
      count.rows += record.rows.length;
    }
  }
  return [...counts.values()];
}

function withoutUndefined<T extends object>(
  object: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  ) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
