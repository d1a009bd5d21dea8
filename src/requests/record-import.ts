import type { Transaction } from "kysely";

import type { AuditActor } from "../audit/index.js";
import { seoulDayEnd, seoulDayStart } from "../domain/index.js";
import { AppError } from "../errors.js";
import {
  importProviderFiles,
  PROVIDER_SOURCE,
  ProviderFileError,
  validateProviderFiles,
  type ProviderKind,
  type ProviderValidation,
} from "../ingest/provider/index.js";
import { ImportValidationError } from "../ingest/report.js";
import type { Database, DataKind, Store } from "../store/index.js";
import type { RequestWindow } from "./window.js";

/** Input of the import of one uploaded file. */
export interface UploadRecordsInput {
  uploadId: string;
  /** Path of the stored upload. */
  filePath: string;
  dataKind: DataKind;
  /** The phone number or card holder the request names, which the file's subject column must match. */
  identifier: string;
  /** The requested person and case, to whom every record is attached. */
  personId: string;
  caseId: string;
  window: RequestWindow;
  actor: AuditActor;
}

/** Result of the import of one uploaded file. */
export interface ImportedRecords {
  /** The row in `imports` whose location records came from the file, or null when none were stored. */
  importId: string | null;
  recordCount: number;
}

const PROVIDER_KIND_OF: Record<DataKind, ProviderKind> = {
  base_station: "base-station",
  card: "card",
  checkin: "checkin",
  gps: "gps",
};

/**
 * Imports the records of an uploaded CSV file as location records of the
 * requested person and case, through the provider file import, in one
 * transaction. A file whose header is valid but that has no rows answers
 * that nothing was found and stores nothing. Raises `validation_failed`,
 * storing nothing, when a row is invalid, when the file's subject column
 * names someone other than the request, or when a record lies outside the
 * requested window.
 */
export async function importUploadRecords(
  store: Store,
  input: UploadRecordsInput,
): Promise<ImportedRecords> {
  const kind = PROVIDER_KIND_OF[input.dataKind];
  try {
    // NOTE: the stored file has no extension, so the import reads it as
    // CSV; GPS answers in GPX, KML, GeoJSON or Takeout form are rejected.
    const validation = await validateProviderFiles([input.filePath], { kind });
    if (isHeaderOnly(validation)) {
      return { importId: null, recordCount: 0 };
    }
    if (validation.fileErrors.length === 0 && validation.rowsRejected === 0) {
      checkSubjects(validation, input);
      checkInsideWindow(validation, input.window);
    }

    // The import attaches records to a person it finds or creates by
    // subject, so it gets a subject of its own, whose person is then
    // replaced by the case's person.
    const subject = `data-request-upload:${input.uploadId}`;
    const { report } = await importProviderFiles(store, [input.filePath], {
      kind,
      subject,
      actor: input.actor,
    });
    if (report.importId === null) {
      return { importId: null, recordCount: 0 };
    }
    await attachToCase(store, report.importId, subject, input);
    return {
      importId: report.importId,
      recordCount: report.records.locationRecords ?? report.rowsImported,
    };
  } catch (error) {
    throw asValidationFailure(error);
  }
}

/**
 * Deletes the location records an upload's import stored, so they leave
 * the person's route. The import's row stays, and so does the upload.
 * Returns the number of records deleted.
 */
export async function removeUploadRecords(
  trx: Transaction<Database>,
  importId: string | null,
): Promise<number> {
  if (importId === null) {
    return 0;
  }
  const result = await trx
    .deleteFrom("location_records")
    .where("import_id", "=", importId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

function isHeaderOnly(validation: ProviderValidation): boolean {
  const [only, ...others] = validation.fileErrors;
  return (
    others.length === 0 &&
    only?.rule === "no_data_rows" &&
    validation.rowsRejected === 0
  );
}

/**
 * Raises `validation_failed` when the file's subject column (the phone
 * number of base-station records, the visitor of check-ins, the card
 * holder of card transactions) names someone other than the request.
 */
function checkSubjects(
  validation: ProviderValidation,
  input: UploadRecordsInput,
): void {
  const expected = comparableSubject(input.identifier);
  const other = validation.fileSubjects.find(
    (subject) => comparableSubject(subject) !== expected,
  );
  if (other !== undefined) {
    throw new AppError(
      "validation_failed",
      `The file names a subject other than the one requested (${validation.fileSubjects.length} distinct subject(s) in its subject column). Send only the records of the requested ${input.dataKind === "card" ? "card holder" : "phone number"}.`,
    );
  }
}

/** Phone numbers compare by their digits, with +82 read as 0; other subjects as trimmed text. */
function comparableSubject(value: string): string {
  const digits = value.replace(/[\s\-.()]/g, "");
  if (/^\+82\d+$/.test(digits)) {
    return `0${digits.slice(3).replace(/^0/, "")}`;
  }
  return /^\d+$/.test(digits) ? digits : value.trim();
}

function checkInsideWindow(
  validation: ProviderValidation,
  window: RequestWindow,
): void {
  const startsAt = seoulDayStart(window.startDate);
  const endsAt = seoulDayEnd(window.endDate);
  const outside = validation.records.filter((record) => {
    if (record.visitDate !== null) {
      return (
        record.visitDate < window.startDate || record.visitDate > window.endDate
      );
    }
    const startedAt = record.startedAt ?? record.endedAt;
    const endedAt = record.endedAt ?? record.startedAt;
    return (
      startedAt !== null &&
      endedAt !== null &&
      (startedAt < startsAt || endedAt >= endsAt)
    );
  });
  const first = outside[0];
  if (first !== undefined) {
    throw new AppError(
      "validation_failed",
      `${outside.length} record(s) lie outside the requested window ${window.startDate} to ${window.endDate} (Asia/Seoul), the first from row ${first.rows[0] ?? "?"}. Send only the records of the window.`,
    );
  }
}

/**
 * Moves the records of an import from the person the import created to the
 * case's person and case, and deletes that person. When the move fails,
 * the import's records are deleted with that person, so none is left on
 * a person of no case.
 */
async function attachToCase(
  store: Store,
  importId: string,
  subject: string,
  input: UploadRecordsInput,
): Promise<void> {
  try {
    await store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("location_records")
        .set({ person_id: input.personId, case_id: input.caseId })
        .where("import_id", "=", importId)
        .execute();
      await deletePlaceholder(trx, subject);
    });
  } catch (error) {
    await store.db.transaction().execute(async (trx) => {
      await removeUploadRecords(trx, importId);
      await deletePlaceholder(trx, subject);
    });
    throw error;
  }
}

async function deletePlaceholder(
  trx: Transaction<Database>,
  subject: string,
): Promise<void> {
  await trx
    .deleteFrom("persons")
    .where("source", "=", PROVIDER_SOURCE)
    .where("source_ref", "=", subject)
    .execute();
}

function asValidationFailure(error: unknown): unknown {
  if (
    error instanceof ImportValidationError ||
    error instanceof ProviderFileError
  ) {
    return new AppError("validation_failed", error.message, { cause: error });
  }
  if (error instanceof RangeError) {
    return new AppError("validation_failed", error.message, { cause: error });
  }
  return error;
}
