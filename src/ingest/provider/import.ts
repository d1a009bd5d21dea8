import { createHash } from "node:crypto";

import type { FieldKeys } from "../../privacy/index.js";
import type { Store } from "../../store/index.js";
import { RejectionCollector, type ImportReport } from "../report.js";
import {
  beginImport,
  commitImport,
  failOnRejectedRows,
  progressOf,
  skipIfAlreadyImported,
  type CommonImportOptions,
  type PendingImport,
} from "../run-import.js";
import { ProviderFileError } from "./errors.js";
import {
  closeRejectedCsv,
  openRejectedCsv,
  writeRejectedRow,
} from "./rejected-csv.js";
import { fillImportReport } from "./report.js";
import { loadAreaLabeller } from "../../areas/index.js";
import { RecordFinisher, type FlagTotals } from "./finish.js";
import { KIND_SPECS } from "./kinds.js";
import {
  scanProviderFiles,
  type ProviderScan,
  type RecordSink,
} from "./scan.js";
import { scanInThread, scanThreadModule } from "./scan-thread.js";
import {
  SeriesEncoder,
  type SeriesSummary,
  type SeriesTotals,
} from "./series-encoder.js";
import { NotStreamableError, SeriesSink } from "./series-sink.js";
import { SeriesStore } from "./series-writer.js";
import { inspectFile, type InspectedFile } from "./source.js";
import type { ProviderReadOptions } from "./validate.js";
import { CachedLabeller, personsOf, writeScannedRecords } from "./write.js";

export { PROVIDER_SOURCE } from "./persons.js";

export interface ProviderImportOptions
  extends
    Omit<ProviderReadOptions, "onRejected" | "progress">,
    CommonImportOptions {
  /**
   * Subject of every record. Rows whose subject column names another
   * subject are rejected. Without it, each distinct subject of the files
   * is a person of its own, found again by a keyed hash of the subject.
   */
  subject?: string | undefined;
  /** Keys that encrypt the phone and card numbers of new persons. Required unless `personId` is given. */
  keys?: FieldKeys | undefined;
  /** Existing person that every record is attached to, in place of persons found by subject. */
  personId?: string | undefined;
  /** Case of every record; also the data key of new persons' numbers. Default: no case, and a data key of the import's own. */
  caseId?: string | undefined;
  /** Text hashed with the files, so that the same files imported in another scope, such as another upload, are not taken as a repeat. */
  importScope?: string | undefined;
  /** Store the valid rows and write the rejected ones to `rejectedFile`, in place of failing. Default false. */
  skipInvalid?: boolean | undefined;
  /** CSV file that receives the rejected rows when `skipInvalid` is set. Required with it. */
  rejectedFile?: string | undefined;
}

/** The report of a provider import, and where its rejected rows went. */
export interface ProviderImportResult {
  report: ImportReport;
  /** The CSV of rejected rows, or null when none was written. */
  rejectedFile: string | null;
}

/**
 * Imports provider files as location records in one transaction: all of
 * it or nothing. Each distinct subject of the files becomes a person, or
 * finds the one an earlier import created, unless `subject` or `personId`
 * puts every record on one person. The rows are staged on disk while they are
 * sorted, so memory does not grow with the files. Content imported before
 * with the same options is skipped. Throws an ImportValidationError,
 * storing nothing, when a row is invalid and `skipInvalid` is not set, and
 * a ProviderFileError when a file cannot be read.
 */
export async function importProviderFiles(
  store: Store,
  paths: readonly string[],
  options: ProviderImportOptions,
): Promise<ProviderImportResult> {
  checkOptions(paths, options);
  const kind = `provider-${options.kind}`;
  const inspected = await inspectFiles(paths, options);
  const pending = beginImport(
    kind,
    paths.join(", "),
    hashImport(paths, inspected, options),
  );
  const skipped = await skipIfAlreadyImported(store, pending, options);
  if (skipped !== undefined) {
    return { report: skipped, rejectedFile: null };
  }

  if (options.kind === "base-station") {
    const streamed = await streamIntoSeries(
      store,
      paths,
      inspected,
      pending,
      options,
    );
    if (streamed !== undefined) {
      return streamed;
    }
  }

  const scan = await scanWithRejectedCsv(paths, inspected, options);
  try {
    failOnUnreadableFiles(scan);
    const report = await storeScan(store, scan, pending, options);
    const wroteRejected =
      options.skipInvalid === true && scan.rejections.count > 0;
    return {
      report,
      rejectedFile: wroteRejected ? options.rejectedFile! : null,
    };
  } finally {
    scan.staging.close();
  }
}

/**
 * Imports base-station files in one pass, each record written to its
 * series as it is read, inside the import's transaction. The files are
 * parsed in a worker thread where one can run, while this thread writes.
 * Returns undefined, having stored nothing, when the files are not in the
 * order that this needs (each subject's records together and in time
 * order), so that the caller imports them through the staging database
 * instead.
 */
async function streamIntoSeries(
  store: Store,
  paths: readonly string[],
  inspected: ReadonlyMap<string, InspectedFile>,
  pending: PendingImport,
  options: ProviderImportOptions,
): Promise<ProviderImportResult | undefined> {
  try {
    const report = await commitImport(
      store,
      pending,
      options,
      async (trx, importId) => {
        const now = Date.now();
        const labeller = new CachedLabeller(await loadAreaLabeller(trx));
        const seriesStore = new SeriesStore({
          sqlite: store.sqlite,
          importId,
          caseId: options.caseId ?? null,
          sourceKind: KIND_SPECS[options.kind].sourceKind,
          now,
          label: (latitude, longitude) => labeller.label(latitude, longitude),
        });
        const module =
          options.checkRecord === undefined ? scanThreadModule() : undefined;
        const streamed =
          module === undefined
            ? await streamHere(paths, inspected, options, seriesStore)
            : await streamFromThread(
                module,
                paths,
                inspected,
                options,
                seriesStore,
              );
        const { scan } = streamed;
        failOnUnreadableFiles(scan);
        reportWhatWasRead(pending, scan, options);
        const { personIds, created } = await personsOf(
          trx,
          scan,
          {
            importId,
            keys: options.keys,
            personId: options.personId,
            caseId: options.caseId,
          },
          now,
        );
        seriesStore.finish(streamed.series, (subjectIndex) =>
          subjectIndex === -1 ? options.personId! : personIds[subjectIndex]!,
        );
        fillImportReport(pending.report, {
          files: scan.files,
          rowsRead: scan.rowsRead,
          rowsValid: streamed.totals.rows,
          rejections: scan.rejections,
          rowsRejected: scan.rejections.count,
          duplicateRowsMerged: streamed.duplicateRowsMerged,
          flags: streamed.flags,
        });
        pending.report.records = {
          personsCreated: created,
          locationRecords: streamed.totals.records,
        };
      },
    );
    const wroteRejected =
      options.skipInvalid === true && pending.report.rowsRejected > 0;
    return {
      report,
      rejectedFile: wroteRejected ? options.rejectedFile! : null,
    };
  } catch (error) {
    if (error instanceof NotStreamableError) {
      pending.report.importId = null;
      return undefined;
    }
    throw error;
  }
}

/** Findings of a one-pass scan, with the series it wrote. */
interface StreamedScan {
  scan: Pick<
    ProviderScan,
    "files" | "rowsRead" | "rejections" | "fileErrors" | "subjects"
  >;
  series: SeriesSummary[];
  totals: SeriesTotals;
  duplicateRowsMerged: number;
  flags: FlagTotals[];
}

/** Scans on this thread, each finished record going straight to the store. */
async function streamHere(
  paths: readonly string[],
  inspected: ReadonlyMap<string, InspectedFile>,
  options: ProviderImportOptions,
  seriesStore: SeriesStore,
): Promise<StreamedScan> {
  const encoder = new SeriesEncoder(seriesStore, seriesStore.firstIds);
  const finisher = new RecordFinisher({
    kind: options.kind,
    mode: "subject",
    maxSpeedMetersPerSecond: options.maxSpeedMetersPerSecond,
  });
  const sink = new SeriesSink(finisher, encoder);
  const scan = await scanWithRejectedCsv(paths, inspected, options, sink);
  scan.staging.close();
  sink.end();
  const { series, totals } = encoder.finish();
  return {
    scan,
    series,
    totals,
    duplicateRowsMerged: finisher.duplicateRowsMerged,
    flags: finisher.flagTotals(),
  };
}

/** Scans in a worker thread while this thread stores what it sends. */
async function streamFromThread(
  module: URL,
  paths: readonly string[],
  inspected: ReadonlyMap<string, InspectedFile>,
  options: ProviderImportOptions,
  seriesStore: SeriesStore,
): Promise<StreamedScan> {
  const done = await scanInThread(
    module,
    {
      paths: [...paths],
      inspected: [...inspected],
      options: {
        kind: options.kind,
        format: options.format,
        encoding: options.encoding,
        zone: options.zone,
        dateFormat: options.dateFormat,
        year: options.year,
        subject: options.subject,
        maxLineLength: options.maxLineLength,
        delimiter: options.delimiter,
        maxSpeedMetersPerSecond: options.maxSpeedMetersPerSecond,
        requireSubject: options.personId === undefined,
      },
      firstIds: seriesStore.firstIds,
      rejectedFile:
        options.skipInvalid === true ? options.rejectedFile : undefined,
      maxSpeedMetersPerSecond: options.maxSpeedMetersPerSecond,
    },
    seriesStore,
    progressOf(options),
  );
  return {
    scan: {
      files: done.files,
      rowsRead: done.rowsRead,
      rejections: RejectionCollector.restored(
        done.rejections.summaries,
        done.rejections.count,
      ),
      fileErrors: done.fileErrors.map(
        (error) => new ProviderFileError(error.message, error.file, error.rule),
      ),
      subjects: done.subjects,
    },
    series: done.series,
    totals: done.totals,
    duplicateRowsMerged: done.duplicateRowsMerged,
    flags: done.flags,
  };
}

async function scanWithRejectedCsv(
  paths: readonly string[],
  inspected: ReadonlyMap<string, InspectedFile>,
  options: ProviderImportOptions,
  sink?: RecordSink,
): Promise<ProviderScan> {
  const rejectedCsv =
    options.skipInvalid === true
      ? await openRejectedCsv(options.rejectedFile!)
      : undefined;
  try {
    return await scanProviderFiles(paths, {
      ...options,
      sink,
      requireSubject: options.personId === undefined,
      inspected,
      progress: progressOf(options),
      onRejected:
        rejectedCsv === undefined
          ? undefined
          : (row) => writeRejectedRow(rejectedCsv, row),
    });
  } finally {
    await closeRejectedCsv(rejectedCsv);
  }
}

async function storeScan(
  store: Store,
  scan: ProviderScan,
  pending: PendingImport,
  options: ProviderImportOptions,
): Promise<ImportReport> {
  reportWhatWasRead(pending, scan, options);
  return commitImport(store, pending, options, async (trx, importId) => {
    const written = await writeScannedRecords(trx, scan, {
      sqlite: store.sqlite,
      importId,
      kind: options.kind,
      keys: options.keys,
      personId: options.personId,
      caseId: options.caseId,
      maxSpeedMetersPerSecond: options.maxSpeedMetersPerSecond,
      progress: progressOf(options),
    });
    fillImportReport(pending.report, {
      files: scan.files,
      rowsRead: scan.rowsRead,
      rowsValid: written.rowsValid,
      rejections: scan.rejections,
      rowsRejected: scan.rejections.count,
      duplicateRowsMerged: written.duplicateRowsMerged,
      flags: written.flags,
    });
    pending.report.records = {
      personsCreated: written.personsCreated,
      locationRecords: written.locationRecords,
    };
    if (scan.outOfOrderRecords > 0) {
      pending.report.records.outOfOrderRecords = scan.outOfOrderRecords;
    }
  });
}

/**
 * Fills in the counts of what was read, so that the report of a failure
 * shows them (the write fills in what was stored), then fails when a row
 * was rejected and the rejected rows are not to be skipped.
 */
function reportWhatWasRead(
  pending: PendingImport,
  scan: Pick<ProviderScan, "files" | "rowsRead" | "rejections">,
  options: ProviderImportOptions,
): void {
  fillImportReport(pending.report, {
    files: scan.files,
    rowsRead: scan.rowsRead,
    rowsValid: 0,
    rejections: scan.rejections,
    rowsRejected: scan.rejections.count,
    duplicateRowsMerged: 0,
    flags: [],
  });
  failOnRejectedRows(pending, scan.rejections, options.skipInvalid === true);
}

function checkOptions(
  paths: readonly string[],
  options: ProviderImportOptions,
): void {
  if (paths.length === 0) {
    throw new RangeError(
      "No files to import: give at least one provider file.",
    );
  }
  if (options.subject !== undefined && options.subject.trim() === "") {
    throw new RangeError(
      "The subject is empty: give the id of the person the records belong to, or leave it out to take the subjects of the files.",
    );
  }
  if (options.personId === undefined && options.keys === undefined) {
    throw new RangeError(
      "Importing provider files needs the field keys, which encrypt the phone and card numbers of the persons created.",
    );
  }
  if (options.skipInvalid === true && options.rejectedFile === undefined) {
    throw new RangeError(
      "Importing with skipInvalid needs rejectedFile, the CSV that receives the rejected rows.",
    );
  }
}

/**
 * Hashes the content of the files (their SHA-256 values, sorted) and the
 * options that decide where the records go, so the same files imported
 * again the same way are found whatever their names and folders.
 */
function hashImport(
  paths: readonly string[],
  inspected: ReadonlyMap<string, InspectedFile>,
  options: ProviderImportOptions,
): string {
  const lines: string[] = [];
  for (const filePath of paths) {
    const file = inspected.get(filePath)!;
    lines.push(`${file.sha256}\n`);
  }
  lines.sort();
  const scope = {
    subject: options.subject,
    person: options.personId,
    case: options.caseId,
    scope: options.importScope,
  };
  for (const [name, value] of Object.entries(scope)) {
    if (value !== undefined) {
      lines.push(`${name}\t${value}\n`);
    }
  }
  return createHash("sha256").update(lines.join("")).digest("hex");
}

/** Inspects each file once: its hash identifies the import, and the scan reads it in the encoding found. */
async function inspectFiles(
  paths: readonly string[],
  options: ProviderImportOptions,
): Promise<Map<string, InspectedFile>> {
  const inspected = new Map<string, InspectedFile>();
  for (const filePath of paths) {
    inspected.set(
      filePath,
      await inspectFile(filePath, options.encoding ?? "auto"),
    );
  }
  return inspected;
}

function failOnUnreadableFiles(scan: Pick<ProviderScan, "fileErrors">): void {
  const [first, ...others] = scan.fileErrors;
  if (first === undefined) {
    return;
  }
  const more =
    others.length === 0
      ? ""
      : ` ${others.length} other file(s) cannot be read either.`;
  throw new ProviderFileError(
    `${first.message} Nothing was stored.${more}`,
    first.file,
    first.rule,
    {
      cause: first,
    },
  );
}
