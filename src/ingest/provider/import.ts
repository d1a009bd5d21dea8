import { createHash } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";

import type { FieldKeys } from "../../privacy/index.js";
import type { Store } from "../../store/index.js";
import type { ImportReport, RejectedRow } from "../report.js";
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
import { fillImportReport } from "./report.js";
import { loadAreaLabeller } from "../../areas/index.js";
import { RecordFinisher } from "./finish.js";
import { KIND_SPECS } from "./kinds.js";
import {
  scanProviderFiles,
  type ProviderScan,
  type RecordSink,
} from "./scan.js";
import { NotStreamableError, SeriesSink } from "./series-sink.js";
import { SeriesWriter } from "./series-writer.js";
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

const REJECTED_CSV_HEADER = "file,row,field,value,rule,hint\n";

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
 * series as it is read, inside the import's transaction. Returns
 * undefined, having stored nothing, when the files are not in the order
 * that this needs (each subject's records together and in time order), so
 * that the caller imports them through the staging database instead.
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
        const writer = new SeriesWriter({
          sqlite: store.sqlite,
          importId,
          caseId: options.caseId ?? null,
          sourceKind: KIND_SPECS[options.kind].sourceKind,
          now,
          label: (latitude, longitude) => labeller.label(latitude, longitude),
        });
        const finisher = new RecordFinisher({
          kind: options.kind,
          mode: "subject",
          maxSpeedMetersPerSecond: options.maxSpeedMetersPerSecond,
        });
        const sink = new SeriesSink(finisher, writer);
        const scan = await scanWithRejectedCsv(paths, inspected, options, sink);
        try {
          failOnUnreadableFiles(scan);
          sink.end();
          fillImportReport(pending.report, {
            files: scan.files,
            rowsRead: scan.rowsRead,
            rowsValid: 0,
            rejections: scan.rejections,
            rowsRejected: scan.rejections.count,
            duplicateRowsMerged: 0,
            flags: [],
          });
          failOnRejectedRows(
            pending,
            scan.rejections,
            options.skipInvalid === true,
          );
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
          const totals = writer.finish((subjectIndex) =>
            subjectIndex === -1 ? options.personId! : personIds[subjectIndex]!,
          );
          fillImportReport(pending.report, {
            files: scan.files,
            rowsRead: scan.rowsRead,
            rowsValid: totals.rows,
            rejections: scan.rejections,
            rowsRejected: scan.rejections.count,
            duplicateRowsMerged: finisher.duplicateRowsMerged,
            flags: finisher.flagTotals(),
          });
          pending.report.records = {
            personsCreated: created,
            locationRecords: totals.records,
          };
        } finally {
          scan.staging.close();
        }
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
  // The counts of what was read are filled in before a failure, so that
  // its report shows them; the write fills in what was stored.
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
 * Hashes the content of the files (each by name and SHA-256, in name
 * order) and the options that decide where the records go, so the same
 * files imported again the same way are found, wherever they are stored.
 */
function hashImport(
  paths: readonly string[],
  inspected: ReadonlyMap<string, InspectedFile>,
  options: ProviderImportOptions,
): string {
  const lines: string[] = [];
  for (const filePath of paths) {
    const file = inspected.get(filePath)!;
    lines.push(`${file.name}\t${file.sha256}\n`);
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

function failOnUnreadableFiles(scan: ProviderScan): void {
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

async function openRejectedCsv(file: string): Promise<WriteStream> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const stream = createWriteStream(file, { encoding: "utf8" });
  stream.write(REJECTED_CSV_HEADER);
  return stream;
}

function writeRejectedRow(stream: WriteStream, row: RejectedRow): void {
  const fields = [
    row.file,
    String(row.row),
    row.field,
    row.value,
    row.rule,
    row.hint,
  ];
  stream.write(`${fields.map(quoteCsvField).join(",")}\n`);
}

async function closeRejectedCsv(
  stream: WriteStream | undefined,
): Promise<void> {
  if (stream === undefined) {
    return;
  }
  stream.end();
  await finished(stream);
}

function quoteCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
