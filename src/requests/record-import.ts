import type { Transaction } from "kysely";

import type { AuditActor } from "../audit/index.js";
import { seoulDayEnd, seoulDayStart } from "../domain/index.js";
import { AppError } from "../errors.js";
import {
  importProviderFiles,
  ProviderFileError,
  type ProviderKind,
  type ProviderRecord,
  type RecordProblem,
} from "../ingest/provider/index.js";
import { ImportValidationError } from "../ingest/report.js";
import {
  deleteSeries,
  type Database,
  type DataKind,
  type Store,
} from "../store/index.js";
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
 * storing nothing, when a row is invalid, when a row's subject column
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
    const { report } = await importProviderFiles(store, [input.filePath], {
      kind,
      subject: input.identifier,
      personId: input.personId,
      caseId: input.caseId,
      importScope: `data-request-upload:${input.uploadId}`,
      checkRecord: windowCheck(input.window),
      actor: input.actor,
    });
    if (report.importId === null) {
      return { importId: null, recordCount: 0 };
    }
    return {
      importId: report.importId,
      recordCount: report.records.locationRecords ?? report.rowsImported,
    };
  } catch (error) {
    if (error instanceof ProviderFileError && error.rule === "no_data_rows") {
      return { importId: null, recordCount: 0 };
    }
    throw asValidationFailure(error, input);
  }
}

/**
 * Deletes the location records an upload's import stored, rows of
 * `location_records` and series alike, so they leave the person's route.
 * The import's row stays, and so does the upload. Returns the number of
 * records deleted.
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
  const series = await deleteSeries(trx, { importId });
  return Number(result.numDeletedRows) + series.records;
}

/** Rule under which a record outside the requested window is rejected. */
const OUTSIDE_WINDOW = "outside_window";

/** Rule under which the import rejects a row of another subject than the one given. */
const SUBJECT_MISMATCH = "subject_mismatch";

/** Returns the check that rejects a record lying outside the requested window. */
function windowCheck(
  window: RequestWindow,
): (record: ProviderRecord) => RecordProblem | undefined {
  const startsAt = seoulDayStart(window.startDate);
  const endsAt = seoulDayEnd(window.endDate);
  const problem = (value: string): RecordProblem => ({
    field: "(time)",
    value,
    rule: OUTSIDE_WINDOW,
    hint: `The record lies outside the requested window ${window.startDate} to ${window.endDate} (Asia/Seoul). Send only the records of the window.`,
  });
  return (record) => {
    if (record.visitDate !== null) {
      const outside =
        record.visitDate < window.startDate ||
        record.visitDate > window.endDate;
      return outside ? problem(record.visitDate) : undefined;
    }
    const startedAt = record.startedAt ?? record.endedAt;
    const endedAt = record.endedAt ?? record.startedAt;
    if (startedAt === null || endedAt === null) {
      return undefined;
    }
    if (startedAt < startsAt || endedAt >= endsAt) {
      return problem(new Date(startedAt).toISOString());
    }
    return undefined;
  };
}

function asValidationFailure(
  error: unknown,
  input: UploadRecordsInput,
): unknown {
  if (error instanceof ImportValidationError) {
    return new AppError("validation_failed", describeRejection(error, input), {
      cause: error,
    });
  }
  if (error instanceof ProviderFileError || error instanceof RangeError) {
    return new AppError("validation_failed", error.message, { cause: error });
  }
  return error;
}

/**
 * Describes an invalid upload. A row of another subject is described
 * without its value, which is someone else's phone number or card holder.
 */
function describeRejection(
  error: ImportValidationError,
  input: UploadRecordsInput,
): string {
  const byRule = new Map(
    error.report.rejected.map((summary) => [summary.rule, summary]),
  );
  const mismatch = byRule.get(SUBJECT_MISMATCH);
  if (mismatch !== undefined) {
    return `The file names a subject other than the one requested in ${mismatch.count} row(s), the first row ${mismatch.examples[0]?.row ?? "?"}; nothing was stored. Send only the records of the requested ${input.dataKind === "card" ? "card holder" : "phone number"}.`;
  }
  const outside = byRule.get(OUTSIDE_WINDOW);
  if (outside !== undefined && byRule.size === 1) {
    return `${outside.count} record(s) lie outside the requested window ${input.window.startDate} to ${input.window.endDate} (Asia/Seoul), the first from row ${outside.examples[0]?.row ?? "?"}; nothing was stored. Send only the records of the window.`;
  }
  return error.message;
}
