import { statSync } from "node:fs";

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
import {
  readNormalisedCsvBatches,
  recordOfHit,
  type NormalisedItem,
  type ScanItem,
  type TemplateHit,
} from "./fast-csv.js";
import {
  READ_BYTES,
  readCsvBytesWithHits,
  readNormalisedCsvBytes,
} from "./fast-csv-bytes.js";
import { wholeRows } from "./whole-rows.js";
import { normaliseRow, type NormaliseOptions } from "./normalise.js";
import type { ProviderRecord } from "./records.js";
import type { ReadItem, SourceRow } from "./row-reader.js";
import { GarbageSchedule } from "./heap.js";
import {
  inspectFile,
  readBytes,
  readText,
  type InspectedFile,
} from "./source.js";
import { RecordStaging } from "./staging.js";
import { comparableSubject, subjectColumnOf } from "./subjects.js";
import { compileDateFormat, type TimeOptions } from "./time.js";
import { DEFAULT_ZONE, isKnownZone } from "./zone.js";

/** A rule break of a record that its row's values alone do not show, such as a time outside a window. */
export type RecordProblem = Omit<RejectedRow, "file" | "row">;

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
  /**
   * Subject of every record. A row whose subject column names another
   * subject (phone numbers compared by their digits) is rejected under
   * `subject_mismatch`; a blank subject takes this one.
   */
  subject?: string | undefined;
  /** Longest CSV line accepted, in characters. Default 10,000. */
  maxLineLength?: number | undefined;
  /** CSV field delimiter; detected from the header line by default. */
  delimiter?: string | undefined;
  /** Speed above which a fix is flagged `implausible_speed`, in m/s. Default 350 km/h. */
  maxSpeedMetersPerSecond?: number | undefined;
  /** Returns the problem of a valid record that the caller rejects, or undefined to keep it. */
  checkRecord?:
    ((record: ProviderRecord) => RecordProblem | undefined) | undefined;
  /** Receives each rejected row when it is found; a file that cannot be read at all comes as row 0. */
  onRejected?: ((row: RejectedRow) => void) | undefined;
  /** Receives the progress in bytes read, with the rows read so far. Default: silent. */
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

/** Most distinct file subjects that a validation lists. */
export const MAX_LISTED_SUBJECTS = 100;

/** Findings of one pass over provider files. The valid records wait in `staging`. */
export interface ProviderScan {
  kind: ProviderKind;
  files: ProviderFileSummary[];
  rowsRead: number;
  rejections: RejectionCollector;
  /** Files that could not be read at all; their rows count neither as read nor as rejected. */
  fileErrors: ProviderFileError[];
  /** Distinct values of the files' subject columns, in order of first appearance, at most `MAX_LISTED_SUBJECTS`. */
  fileSubjects: string[];
  /** Subjects of the staged records in comparable form, by subject index. */
  subjects: string[];
  staging: RecordStaging;
  /** Records whose instant is earlier than that of an earlier row of the same subject. */
  outOfOrderRecords: number;
  /** True when the records came in instant order over all subjects. */
  isSortedByInstant: boolean;
  /** True when each subject's records came together, one subject after the other. */
  isGroupedBySubject: boolean;
  /** Distinct unmasked card numbers of card records, by subject index (-1 for the given person). */
  cardNumbers: Map<number, Set<string>>;
}

/** Receiver of a scan's valid records; by default its staging database. */
export interface RecordSink {
  /** Takes a record of one row; returns its sort instant. */
  add(record: ProviderRecord, fileIndex: number, subjectIndex: number): number;
  /**
   * Takes the row of a template hit as `add` takes its record, with the
   * subject the record would have; returns its sort instant. A sink
   * without it is given records only.
   */
  addHit?(
    hit: TemplateHit,
    subject: string,
    fileIndex: number,
    subjectIndex: number,
  ): number;
  /** Removes the records of a file that turned out unreadable. */
  dropFile(fileIndex: number): void;
}

export interface ScanOptions extends ProviderReadOptions {
  /** Receiver of the valid records in place of the scan's staging database. */
  sink?: RecordSink | undefined;
  /**
   * Called before each batch of rows; a promise it returns pauses the scan
   * until it settles, so that a slower receiver of the records can catch up.
   */
  whenReady?: (() => Promise<void> | undefined) | undefined;
  /** Reject rows without a subject when no `subject` option is given. Default false. */
  requireSubject?: boolean | undefined;
  /** Files already inspected, by path, so that they are not read once more to hash them. */
  inspected?: ReadonlyMap<string, InspectedFile> | undefined;
  /**
   * Run a full garbage collection every 50,000 rows to keep the heap
   * small. Default true. A scan thread whose heap is capped by its
   * resource limits turns it off, because V8 then collects by itself.
   */
  collectGarbage?: boolean | undefined;
}

/**
 * Reads, checks and normalises provider files into a staging database,
 * one row at a time. A file that cannot be read at all is reported in
 * `fileErrors`, its records are dropped, and the other files are still
 * read. Throws a RangeError when an option is invalid. The caller closes
 * `staging`.
 */
export async function scanProviderFiles(
  paths: readonly string[],
  options: ScanOptions,
): Promise<ProviderScan> {
  const normaliseOptions = resolveNormaliseOptions(options);
  const progress = options.progress ?? silentProgress;
  const scanner = new Scanner(options, normaliseOptions, progress);
  let totalBytes = 0;
  for (const filePath of paths) {
    totalBytes +=
      options.inspected?.get(filePath)?.sizeBytes ?? sizeOf(filePath);
  }
  progress.start(totalBytes, "bytes");
  try {
    for (const filePath of paths) {
      await scanner.readFile(filePath);
    }
  } catch (error) {
    scanner.scan.staging.close();
    throw error;
  } finally {
    progress.stop();
  }
  return scanner.scan;
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

/** The state of one scan: counts, subjects and the order seen so far. */
class Scanner {
  readonly scan: ProviderScan;
  readonly #options: ScanOptions;
  readonly #normaliseOptions: NormaliseOptions;
  readonly #subjectColumn: string;
  readonly #givenSubject: string | undefined;
  readonly #subjectIndexes = new Map<string, number>();
  readonly #listedSubjects = new Set<string>();
  readonly #latestBySubject: number[] = [];
  readonly #finishedSubjects = new Set<number>();
  #latestInstant = -Infinity;
  #lastSubjectIndex = Number.NaN;
  readonly #garbage: GarbageSchedule | undefined;
  #fileIndex = -1;
  #fileOutOfOrder = 0;
  #lastWritten: string | undefined;
  #lastComparable = "";
  readonly #sink: RecordSink;
  readonly #progress: ProgressReporter;

  constructor(
    options: ScanOptions,
    normaliseOptions: NormaliseOptions,
    progress: ProgressReporter,
  ) {
    this.#progress = progress;
    this.#options = options;
    this.#normaliseOptions = normaliseOptions;
    this.#subjectColumn = subjectColumnOf(options.kind);
    this.#givenSubject =
      options.subject === undefined
        ? undefined
        : comparableSubject(options.subject);
    this.scan = {
      kind: options.kind,
      files: [],
      rowsRead: 0,
      rejections: new RejectionCollector(),
      fileErrors: [],
      fileSubjects: [],
      subjects: [],
      staging: new RecordStaging(),
      outOfOrderRecords: 0,
      isSortedByInstant: true,
      isGroupedBySubject: true,
      cardNumbers: new Map(),
    };
    this.#sink = options.sink ?? this.scan.staging;
    this.#garbage =
      options.collectGarbage === false ? undefined : new GarbageSchedule();
  }

  async readFile(filePath: string): Promise<void> {
    const summary = emptySummary(filePath);
    this.scan.files.push(summary);
    this.#fileIndex++;
    this.#fileOutOfOrder = 0;
    try {
      await this.#readItems(filePath, summary);
    } catch (error) {
      if (!(error instanceof ProviderFileError)) {
        throw error;
      }
      this.#recordFileError(error, summary);
    }
    this.scan.rowsRead += summary.rowsRead;
    this.scan.outOfOrderRecords += this.#fileOutOfOrder;
  }

  async #readItems(
    filePath: string,
    summary: ProviderFileSummary,
  ): Promise<void> {
    const inspected =
      this.#options.inspected?.get(filePath) ??
      (await inspectFile(filePath, this.#options.encoding ?? "auto"));
    const file: InspectedFile = {
      ...inspected,
      onBytesRead: (bytes) =>
        this.#progress.increment(bytes, this.scan.rowsRead + summary.rowsRead),
    };
    summary.encoding = file.encoding;
    summary.sha256 = file.sha256;
    summary.sizeBytes = file.sizeBytes;
    if (this.#options.format !== undefined) {
      summary.format = this.#options.format;
    }

    let lastRow = 0;
    for await (const batch of this.#readBatches(file)) {
      const wait = this.#options.whenReady?.();
      if (wait !== undefined) {
        await wait;
      }
      for (const item of batch) {
        if (item.type === "header") {
          summary.delimiter = item.delimiter;
          summary.ignoredColumns = item.columns.ignored;
          continue;
        }
        this.#garbage?.tick();
        const row =
          item.type === "rejected"
            ? item.rejection.row
            : item.type === "hit"
              ? item.row
              : item.source.row;
        if (row !== lastRow) {
          summary.rowsRead++;
          lastRow = row;
        }
        if (item.type === "hit") {
          this.#handleHit(item);
          continue;
        }
        if (item.type === "record") {
          this.#handleRecord(item.record, item.source);
          continue;
        }
        const rejections =
          item.type === "rejected" ? [item.rejection] : item.rejections;
        for (const rejection of rejections) {
          this.#reject(rejection);
        }
      }
    }
  }

  /**
   * Reads a file as batches of normalised rows: a CSV file through the
   * fast reader, which normalises base-station rows as it splits them,
   * and other formats row by row.
   */
  async *#readBatches(file: InspectedFile): AsyncGenerator<ScanItem[]> {
    const spec = KIND_SPECS[this.#options.kind];
    const format =
      this.#options.format ?? formatOfPath(file.path) ?? ("csv" as const);
    if (format === "csv" && file.encoding === "utf-8") {
      // Hits go only to a sink that takes them, and only when no check
      // needs each whole record.
      const givesHits =
        this.#sink.addHit !== undefined &&
        this.#options.checkRecord === undefined;
      yield* (givesHits ? readCsvBytesWithHits : readNormalisedCsvBytes)(
        readBytes(file, READ_BYTES),
        file.name,
        spec,
        this.#normaliseOptions,
        csvOptionsOf(this.#options),
      );
      return;
    }
    if (format === "csv") {
      yield* readNormalisedCsvBatches(
        readText(file),
        file.name,
        spec,
        this.#normaliseOptions,
        csvOptionsOf(this.#options),
      );
      return;
    }
    const items = readFormatRows(
      file,
      spec,
      this.#options.format,
      csvOptionsOf(this.#options),
    );
    yield* wholeRows(normaliseItems(items, this.#normaliseOptions));
  }

  /**
   * Passes a template hit to the sink as #handleRecord passes a record.
   * The source row of a hit whose subject is rejected is made for the
   * rejection.
   */
  #handleHit(hit: TemplateHit): void {
    const subjectIndex = this.#subjectIndexOf(hit.phone);
    if (typeof subjectIndex === "string") {
      this.#rejectSubject(recordOfHit(hit).source, subjectIndex);
      return;
    }
    const subject = this.#options.subject ?? hit.phone;
    const instant = this.#sink.addHit!(
      hit,
      subject,
      this.#fileIndex,
      subjectIndex,
    );
    this.#trackOrder(instant, subjectIndex);
  }

  #handleRecord(record: ProviderRecord, source: SourceRow): void {
    const subjectIndex = this.#subjectOf(record, source);
    if (subjectIndex === undefined) {
      return;
    }
    const problem = this.#options.checkRecord?.(record);
    if (problem !== undefined) {
      this.#reject({ file: source.file, row: source.row, ...problem });
      return;
    }
    this.#takeCardNumber(record, subjectIndex);
    const instant = this.#sink.add(record, this.#fileIndex, subjectIndex);
    this.#trackOrder(instant, subjectIndex);
  }

  #takeCardNumber(record: ProviderRecord, subjectIndex: number): void {
    if (record.cardNumber === undefined) {
      return;
    }
    const numbers = this.scan.cardNumbers.get(subjectIndex) ?? new Set();
    numbers.add(record.cardNumber);
    this.scan.cardNumbers.set(subjectIndex, numbers);
    delete record.cardNumber;
  }

  /**
   * Returns the index of the record's subject, after setting the given
   * subject on it, or undefined after rejecting the row: its subject
   * differs from the given one, or it has none and one is required.
   */
  #subjectOf(record: ProviderRecord, source: SourceRow): number | undefined {
    const subjectIndex = this.#subjectIndexOf(record.subject);
    if (typeof subjectIndex === "string") {
      this.#rejectSubject(source, subjectIndex);
      return undefined;
    }
    if (this.#givenSubject !== undefined) {
      record.subject = this.#options.subject!;
    }
    return subjectIndex;
  }

  /**
   * Lists a subject as the file writes it and returns its index: that of
   * `--subject` when given, -1 for none. Returns the rule to reject the
   * row by for a subject other than `--subject`, or for a missing subject that
   * is required.
   */
  #subjectIndexOf(
    written: string | null,
  ): number | "subject_mismatch" | "missing_subject" {
    if (written !== null) {
      this.#listSubject(written);
    }
    const givenSubject = this.#givenSubject;
    if (givenSubject !== undefined) {
      if (written !== null && this.#comparable(written) !== givenSubject) {
        return "subject_mismatch";
      }
      return this.#indexOf(givenSubject);
    }
    if (written === null) {
      return this.#options.requireSubject === true ? "missing_subject" : -1;
    }
    return this.#indexOf(this.#comparable(written));
  }

  /** Lists a subject as the file writes it, up to MAX_LISTED_SUBJECTS. */
  #listSubject(written: string): void {
    if (
      this.#listedSubjects.size < MAX_LISTED_SUBJECTS &&
      !this.#listedSubjects.has(written)
    ) {
      // A copy, so that a slice of the file's text does not keep it alive.
      const listed = ` ${written}`.slice(1);
      this.#listedSubjects.add(listed);
      this.scan.fileSubjects.push(listed);
    }
  }

  /** The comparable form of a subject, worked out once while rows repeat it. */
  #comparable(written: string): string {
    if (written !== this.#lastWritten) {
      this.#lastWritten = written;
      this.#lastComparable = comparableSubject(written);
    }
    return this.#lastComparable;
  }

  #indexOf(subject: string): number {
    let index = this.#subjectIndexes.get(subject);
    if (index === undefined) {
      index = this.scan.subjects.length;
      this.scan.subjects.push(subject);
      this.#subjectIndexes.set(subject, index);
    }
    return index;
  }

  #rejectSubject(
    source: SourceRow,
    rule: "subject_mismatch" | "missing_subject",
  ): void {
    const column = this.#subjectColumn;
    const field = source.columnNames?.[column] ?? column;
    const hint =
      rule === "subject_mismatch"
        ? `${field} names another subject than the one given (--subject). Remove the rows of other subjects, leave ${field} empty, or import without --subject to give each subject its own person.`
        : `Fill in ${field}, or give --subject: every record needs the person it belongs to.`;
    this.#reject({
      file: source.file,
      row: source.row,
      field,
      value: source.values[column] ?? "",
      rule,
      hint,
    });
  }

  #trackOrder(instant: number, subjectIndex: number): void {
    if (instant < this.#latestInstant) {
      this.scan.isSortedByInstant = false;
    } else {
      this.#latestInstant = instant;
    }

    const latest = this.#latestBySubject[subjectIndex + 1];
    if (latest !== undefined && instant < latest) {
      this.#fileOutOfOrder++;
    } else {
      this.#latestBySubject[subjectIndex + 1] = instant;
    }

    if (subjectIndex !== this.#lastSubjectIndex) {
      if (this.#finishedSubjects.has(subjectIndex)) {
        this.scan.isGroupedBySubject = false;
      }
      if (!Number.isNaN(this.#lastSubjectIndex)) {
        this.#finishedSubjects.add(this.#lastSubjectIndex);
      }
      this.#lastSubjectIndex = subjectIndex;
    }
  }

  #reject(rejection: RejectedRow): void {
    this.scan.rejections.add(rejection);
    this.#options.onRejected?.(rejection);
  }

  #recordFileError(
    error: ProviderFileError,
    summary: ProviderFileSummary,
  ): void {
    summary.error = { rule: error.rule, message: error.message };
    this.scan.fileErrors.push(error);
    // Rows read before the error are dropped with the rest of the file.
    this.#sink.dropFile(this.#fileIndex);
    this.#fileOutOfOrder = 0;
    summary.rowsRead = 0;
    this.#options.onRejected?.({
      file: error.file,
      row: 0,
      field: "(file)",
      value: "",
      rule: error.rule,
      hint: error.message,
    });
  }
}

/** Size of a file in bytes, or 0 when it cannot be read; the scan then reports why. */
function sizeOf(filePath: string): number {
  try {
    return statSync(filePath).size;
  } catch {
    return 0;
  }
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

function csvOptionsOf(options: ProviderReadOptions): {
  maxLineLength?: number;
  delimiter?: string;
} {
  const csv: { maxLineLength?: number; delimiter?: string } = {};
  if (options.maxLineLength !== undefined) {
    csv.maxLineLength = options.maxLineLength;
  }
  if (options.delimiter !== undefined) {
    csv.delimiter = options.delimiter;
  }
  return csv;
}

async function* normaliseItems(
  items: AsyncIterable<CsvItem | ReadItem>,
  options: NormaliseOptions,
): AsyncGenerator<NormalisedItem> {
  for await (const item of items) {
    if (item.type !== "row") {
      yield item;
      continue;
    }
    const normalised = normaliseRow(item.row, options);
    yield normalised.ok
      ? { type: "record", record: normalised.record, source: item.row }
      : {
          type: "invalid",
          source: item.row,
          rejections: normalised.rejections,
        };
  }
}
