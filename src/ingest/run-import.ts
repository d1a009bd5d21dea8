import { createHash, randomUUID } from "node:crypto";

import type { Kysely, Transaction } from "kysely";

import {
  appendAuditEvent,
  commandLineActor,
  type AuditActor,
} from "../audit/index.js";
import type { Database, Store } from "../store/index.js";
import { silentProgress, type ProgressReporter } from "./progress.js";
import {
  emptyReport,
  ImportValidationError,
  type ImportReport,
  type RejectionCollector,
} from "./report.js";

/** Options that every import takes. */
export interface CommonImportOptions {
  /** Actor of the import, for the `imports` table and the audit log. Default: the command line. */
  actor?: AuditActor;
  /** Receives the progress of the long steps. Default: silent. */
  progress?: ProgressReporter;
}

/** One input file, read whole. */
export interface InputFile {
  /** Name that identifies the file within the import, such as `PatientInfo.csv` or `000/Trajectory/x.plt`. */
  name: string;
  content: Buffer;
}

/** Bookkeeping of an import before its transaction starts: its hash, start time and report. */
export interface PendingImport {
  kind: string;
  sourceName: string;
  sha256: string;
  startedAt: number;
  report: ImportReport;
}

/**
 * Computes the SHA-256 that identifies the content of an import: the hash
 * of the sorted lines `name<TAB>sha256(content)`, so the same files under the
 * same names give the same hash wherever they are stored.
 */
export function hashInputFiles(files: readonly InputFile[]): string {
  const lines = files
    .map((file) => `${file.name}\t${sha256Hex(file.content)}\n`)
    .sort();
  return sha256Hex(Buffer.from(lines.join(""), "utf8"));
}

function sha256Hex(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Starts the bookkeeping of an import of content with the given hash. */
export function beginImport(
  kind: string,
  sourceName: string,
  sha256: string,
): PendingImport {
  return {
    kind,
    sourceName,
    sha256,
    startedAt: Date.now(),
    report: emptyReport(kind, sourceName),
  };
}

/**
 * Returns the report of a skipped import when content with the same hash was
 * imported before, after recording the attempt in the audit log. Returns
 * undefined when the content is new.
 */
export async function skipIfAlreadyImported(
  store: Store,
  pending: PendingImport,
  options: CommonImportOptions,
): Promise<ImportReport | undefined> {
  const previous = await store.db
    .selectFrom("imports")
    .select("id")
    .where("kind", "=", pending.kind)
    .where("sha256", "=", pending.sha256)
    .executeTakeFirst();
  if (previous === undefined) {
    return undefined;
  }

  const report: ImportReport = {
    ...pending.report,
    importId: previous.id,
    skippedAsAlreadyImported: true,
    durationMs: Date.now() - pending.startedAt,
  };
  await appendAuditEvent(store.db, {
    actor: resolveActor(pending.kind, options),
    action: `import.${pending.kind}`,
    result: "succeeded",
    detail: { importId: previous.id, skippedAsAlreadyImported: true },
  });
  return report;
}

/**
 * Throws an ImportValidationError when rows were rejected, unless the
 * caller chose to skip invalid rows.
 */
export function failOnRejectedRows(
  pending: PendingImport,
  rejections: RejectionCollector,
  skipInvalid: boolean,
): void {
  pending.report.rejected = rejections.summaries();
  pending.report.rowsRejected = rejections.count;

  const first = rejections.first();
  if (first === undefined || skipInvalid) {
    return;
  }
  pending.report.durationMs = Date.now() - pending.startedAt;
  throw new ImportValidationError(pending.report, first);
}

/**
 * Runs `write` in one store transaction, together with the import's row in
 * the `imports` table and its audit event, so that either all of it is
 * stored or nothing is. `write` fills in the record counts of the report.
 */
export async function commitImport(
  store: Store,
  pending: PendingImport,
  options: CommonImportOptions,
  write: (trx: Transaction<Database>, importId: string) => Promise<void>,
): Promise<ImportReport> {
  const importId = randomUUID();
  const actor = resolveActor(pending.kind, options);
  const report = pending.report;
  report.importId = importId;

  try {
    await store.db.transaction().execute(async (trx) => {
      await insertImportRow(trx, pending, importId, actor.username);
      await write(trx, importId);

      report.durationMs = Date.now() - pending.startedAt;
      await finishImportRow(trx, importId, report);
      await appendAuditEvent(trx, {
        actor,
        action: `import.${pending.kind}`,
        result: "succeeded",
        detail: auditDetail(report),
      });
    });
  } catch (error) {
    // Another process may commit the same content after the check before
    // reading. Then this import is skipped like any repeat.
    if (isDuplicateImport(error)) {
      report.importId = null;
      const skipped = await skipIfAlreadyImported(store, pending, options);
      if (skipped !== undefined) {
        return skipped;
      }
    }
    throw error;
  }
  return report;
}

/** Tells whether an error is the unique constraint on the content of `imports`. */
function isDuplicateImport(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  const code = (error as Error & { code?: unknown }).code;
  return (
    code === "SQLITE_CONSTRAINT_UNIQUE" &&
    error.message.includes("imports.kind, imports.sha256")
  );
}

function resolveActor(kind: string, options: CommonImportOptions): AuditActor {
  return options.actor ?? commandLineActor(`import ${kind}`);
}

async function insertImportRow(
  db: Kysely<Database>,
  pending: PendingImport,
  importId: string,
  actor: string,
): Promise<void> {
  await db
    .insertInto("imports")
    .values({
      id: importId,
      kind: pending.kind,
      source_name: pending.sourceName,
      sha256: pending.sha256,
      actor,
      started_at: pending.startedAt,
      finished_at: pending.startedAt,
      rows_read: 0,
      rows_imported: 0,
      report: "{}",
    })
    .execute();
}

async function finishImportRow(
  db: Kysely<Database>,
  importId: string,
  report: ImportReport,
): Promise<void> {
  await db
    .updateTable("imports")
    .set({
      finished_at: Date.now(),
      rows_read: report.rowsRead,
      rows_imported: report.rowsImported,
      report: JSON.stringify(report),
    })
    .where("id", "=", importId)
    .execute();
}

/** Counts and ids only: rejected rows hold values from the files, so they stay out of the audit log. */
function auditDetail(report: ImportReport): Record<string, unknown> {
  return {
    importId: report.importId,
    rowsRead: report.rowsRead,
    rowsImported: report.rowsImported,
    rowsRejected: report.rowsRejected,
    records: report.records,
    merged: Object.fromEntries(report.merged.map((m) => [m.reason, m.count])),
    flagged: Object.fromEntries(report.flagged.map((f) => [f.flag, f.records])),
  };
}

/** Returns the progress reporter of the options, or the silent one. */
export function progressOf(options: CommonImportOptions): ProgressReporter {
  return options.progress ?? silentProgress;
}

/** Splits `items` into consecutive chunks of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

/** Rows per multi-row INSERT: 500 rows of about 25 columns stay under the bound-parameter limits of SQLite (32,766) and PostgreSQL (65,535). */
export const INSERT_BATCH_ROWS = 500;
