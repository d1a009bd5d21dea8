import { createHash, randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";

import type { Kysely, Transaction } from "kysely";

import {
  areaCodeColumns,
  loadAreaLabeller,
  type AreaLabeller,
} from "../../areas/index.js";
import type { Database, Store } from "../../store/index.js";
import type { ImportReport, RejectedRow } from "../report.js";
import {
  beginImport,
  chunk,
  commitImport,
  failOnRejectedRows,
  INSERT_BATCH_ROWS,
  progressOf,
  skipIfAlreadyImported,
  type CommonImportOptions,
} from "../run-import.js";
import { ProviderFileError } from "./errors.js";
import { KIND_SPECS } from "./kinds.js";
import type { ProviderRecord } from "./records.js";
import { fillImportReport } from "./report.js";
import { inspectFile } from "./source.js";
import {
  validateProviderFiles,
  MAX_LISTED_SUBJECTS,
  type ProviderReadOptions,
  type ProviderValidation,
} from "./validate.js";

/** Value of `persons.source` for persons that provider imports create. */
export const PROVIDER_SOURCE = "provider";

export interface ProviderImportOptions
  extends
    Omit<ProviderReadOptions, "onRejected" | "progress" | "subject">,
    CommonImportOptions {
  /** Id of the person every record belongs to; the person is created when new. */
  subject: string;
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
 * Imports provider files as location records of one person in one
 * transaction: all of it or nothing. Content imported before for the same
 * subject is skipped. Throws an ImportValidationError, storing nothing,
 * when a row is invalid and `skipInvalid` is not set, and a
 * ProviderFileError when a file cannot be read or names several subjects.
 */
export async function importProviderFiles(
  store: Store,
  paths: readonly string[],
  options: ProviderImportOptions,
): Promise<ProviderImportResult> {
  checkOptions(paths, options);
  const kind = `provider-${options.kind}`;
  const pending = beginImport(
    kind,
    paths.join(", "),
    await hashImport(paths, options),
  );
  const skipped = await skipIfAlreadyImported(store, pending, options);
  if (skipped !== undefined) {
    return { report: skipped, rejectedFile: null };
  }

  const rejectedCsv =
    options.skipInvalid === true
      ? await openRejectedCsv(options.rejectedFile!)
      : undefined;
  let validation: ProviderValidation;
  try {
    validation = await validateProviderFiles(paths, {
      ...options,
      progress: progressOf(options),
      onRejected:
        rejectedCsv === undefined
          ? undefined
          : (row) => writeRejectedRow(rejectedCsv, row),
    });
  } finally {
    await closeRejectedCsv(rejectedCsv);
  }

  failOnUnreadableFiles(validation);
  failOnSeveralSubjects(validation, options.subject);
  fillImportReport(pending.report, validation);
  failOnRejectedRows(
    pending,
    validation.rejections,
    options.skipInvalid === true,
  );

  const report = await commitImport(
    store,
    pending,
    options,
    async (trx, importId) => {
      const counts = await writeRecords(
        trx,
        importId,
        options,
        validation.records,
      );
      Object.assign(pending.report.records, counts);
    },
  );
  const wroteRejected =
    rejectedCsv !== undefined && validation.rowsRejected > 0;
  return { report, rejectedFile: wroteRejected ? options.rejectedFile! : null };
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
  if (options.subject.trim() === "") {
    throw new RangeError(
      "The subject is empty: give the id of the person the records belong to.",
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
 * order) and the subject, so the same files imported again for the same
 * person are found, wherever they are stored.
 */
async function hashImport(
  paths: readonly string[],
  options: ProviderImportOptions,
): Promise<string> {
  const lines: string[] = [];
  for (const filePath of paths) {
    const file = await inspectFile(filePath, options.encoding ?? "auto");
    lines.push(`${file.name}\t${file.sha256}\n`);
  }
  lines.sort();
  lines.push(`subject\t${options.subject}\n`);
  return createHash("sha256").update(lines.join("")).digest("hex");
}

function failOnUnreadableFiles(validation: ProviderValidation): void {
  const [first, ...others] = validation.fileErrors;
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

/**
 * Refuses files whose subject column names more than one person: every
 * record would go to the one subject, and a visitor list or tower dump
 * would become one person's route.
 */
function failOnSeveralSubjects(
  validation: ProviderValidation,
  subject: string,
): void {
  const subjects = validation.fileSubjects;
  if (subjects.length <= 1) {
    return;
  }
  throw new ProviderFileError(
    `The files name ${subjects.length}${subjects.length >= MAX_LISTED_SUBJECTS ? " or more" : ""} subjects in their subject column, but every record would be stored for ${JSON.stringify(subject)}. ` +
      "Split the files by subject and import each with its own --subject. Nothing was stored.",
    validation.files[0]?.name ?? "",
    "several_subjects",
  );
}

async function writeRecords(
  trx: Transaction<Database>,
  importId: string,
  options: ProviderImportOptions,
  records: readonly ProviderRecord[],
): Promise<Record<string, number>> {
  const now = Date.now();
  const { personId, created } = await ensurePerson(trx, options.subject, now);
  const labeller = await loadAreaLabeller(trx);
  const progress = progressOf(options);
  const db = trx;

  progress.start(records.length, "records");
  for (const batch of chunk(records, INSERT_BATCH_ROWS)) {
    const rows = batch.map((record) =>
      locationRow(record, { personId, importId, options, labeller, now }),
    );
    await db.insertInto("location_records").values(rows).execute();
    progress.increment(batch.length);
  }
  progress.stop();
  return { personsCreated: created ? 1 : 0, locationRecords: records.length };
}

interface RowContext {
  personId: string;
  importId: string;
  options: ProviderImportOptions;
  labeller: AreaLabeller;
  now: number;
}

function locationRow(record: ProviderRecord, context: RowContext) {
  const codes =
    record.latitude === null || record.longitude === null
      ? {
          province_code: null,
          municipality_code: null,
          submunicipality_code: null,
        }
      : areaCodeColumns(
          context.labeller.label(record.latitude, record.longitude),
        );
  return {
    person_id: context.personId,
    case_id: null,
    source_kind: KIND_SPECS[context.options.kind].sourceKind,
    import_id: context.importId,
    started_at: record.startedAt,
    ended_at: record.endedAt,
    visit_date: record.visitDate,
    latitude: record.latitude,
    longitude: record.longitude,
    radius_meters: record.radiusMeters,
    altitude_meters: record.altitudeMeters,
    place_name: record.placeName,
    place_types: JSON.stringify(record.placeTypes),
    address: record.address,
    province: null,
    city: null,
    ...codes,
    flags: JSON.stringify(record.flags),
    source_rows: JSON.stringify(record.rows),
    note: record.note,
    details: JSON.stringify(record.details),
    created_at: context.now,
  };
}

/** Returns the id of the provider person with this subject id, creating the person when new. */
async function ensurePerson(
  db: Kysely<Database>,
  subject: string,
  now: number,
): Promise<{ personId: string; created: boolean }> {
  const existing = await db
    .selectFrom("persons")
    .select("id")
    .where("source", "=", PROVIDER_SOURCE)
    .where("source_ref", "=", subject)
    .executeTakeFirst();
  if (existing !== undefined) {
    return { personId: existing.id, created: false };
  }

  const personId = randomUUID();
  await db
    .insertInto("persons")
    .values({
      id: personId,
      label: `Provider ${maskLongNumber(subject)}`,
      name: null,
      sex: null,
      birth_year: null,
      country: null,
      home_province: null,
      home_city: null,
      source: PROVIDER_SOURCE,
      source_ref: subject,
      created_at: now,
    })
    .execute();
  return { personId, created: true };
}

/**
 * Masks all but the last 4 digits of a subject id of 9 or more digits, such
 * as a phone number, so that the label names no one.
 */
function maskLongNumber(subject: string): string {
  const digits = subject.replace(/\D/g, "");
  if (digits.length < 9) {
    return subject;
  }
  return `${"*".repeat(digits.length - 4)}${digits.slice(-4)}`;
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
