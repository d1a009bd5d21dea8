import { randomUUID } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { CsvError } from "csv-parse";

import {
  auditActorOf,
  withCaseAccess,
  type Action,
} from "../../../access/index.js";
import { AppError } from "../../../errors.js";
import {
  importProviderFiles,
  ProviderFileError,
  validateProviderFiles,
  type EncodingChoice,
  type ProviderFormat,
  type ProviderKind,
  type ProviderRecord,
} from "../../../ingest/provider/index.js";
import {
  ImportValidationError,
  type RejectedRow,
} from "../../../ingest/report.js";
import type { KeyedAccessContext } from "../../../privacy/index.js";
import type { Case, Store } from "../../../store/index.js";
import {
  MAX_PREVIEW_RECORDS,
  MAX_PREVIEW_REJECTIONS,
  presentPreview,
  type UploadPreview,
} from "./preview.js";

/** Content type of an uploaded file; the body is taken as bytes whatever it contains. */
export const UPLOAD_CONTENT_TYPE = "application/octet-stream";

/** Action under which the access layer checks and audits every upload call. */
export const UPLOAD_ACTION: Action = "upload.create";

/** How to read an uploaded file, as the upload page sends it. */
export interface UploadReadOptions {
  kind: ProviderKind;
  format?: ProviderFormat | undefined;
  encoding?: EncodingChoice | undefined;
  zone?: string | undefined;
  dateFormat?: string | undefined;
  year?: number | undefined;
}

/** One uploaded file and how to read it. */
export interface CaseUpload {
  caseId: string;
  /** Name of the file on the uploader's computer; only its last path segment is used. */
  fileName: string | undefined;
  /** The file's bytes, or null when the request body was not sent as bytes. */
  body: Buffer | null;
  options: UploadReadOptions;
}

export interface UploadContext extends KeyedAccessContext {
  store: Store;
  /** Folder under which each upload is written to a folder of its own while it is read. */
  workDir: string;
}

/** Outcome of an import: the records stored, or none when the same file was imported before. */
export interface UploadImport {
  importId: string | null;
  alreadyImported: boolean;
  recordsAdded: number;
  preview: UploadPreview;
}

/** A file with rejected rows or that cannot be read: nothing was stored, and the preview lists why. */
export class UploadRejectedError extends AppError {
  readonly preview: UploadPreview;

  constructor(preview: UploadPreview) {
    super(
      "validation_failed",
      `${preview.fileName} was not imported: ${preview.rowsRejected} row(s) rejected and ${preview.fileErrors.length} file error(s). Nothing was stored; fix the rows listed and upload the file again.`,
    );
    this.preview = preview;
  }
}

/**
 * Reads and checks an uploaded file for a case of the caller's
 * jurisdiction without storing anything, and returns the preview.
 */
export function validateCaseUpload(
  context: UploadContext,
  upload: CaseUpload,
): Promise<UploadPreview> {
  return withCaseAccess(
    context,
    {
      ...uploadAccess(upload, "validate"),
      summarize: (preview) => ({
        records: preview.records,
        rowsRejected: preview.rowsRejected,
      }),
    },
    () =>
      withUploadFile(context.workDir, upload, (file) => preview(file, upload)),
  );
}

/** Serialises the imports of each case, so that a repeated upload is seen as a repeat even when it comes twice at once. */
const importsByCase = new Map<string, Promise<unknown>>();

/**
 * Imports an uploaded file as location records of a case's person and the
 * case, all or nothing. The file is validated first, so a file with a
 * rejected row raises UploadRejectedError with the preview. The same file
 * (name and content) uploaded again for the same case adds nothing.
 *
 * Imports of one case run one at a time in this process. When another
 * process commits the same content first, this import is skipped.
 */
export function importCaseUpload(
  context: UploadContext,
  upload: CaseUpload,
): Promise<UploadImport> {
  return withCaseAccess(
    context,
    {
      ...uploadAccess(upload, "import"),
      summarize: (result) => ({
        importId: result.importId,
        alreadyImported: result.alreadyImported,
        recordsAdded: result.recordsAdded,
      }),
    },
    (kase) =>
      serialised(kase.id, () =>
        withUploadFile(context.workDir, upload, (file) =>
          importFile(context, kase, file, upload),
        ),
      ),
  );
}

function uploadAccess(upload: CaseUpload, operation: "validate" | "import") {
  return {
    action: UPLOAD_ACTION,
    caseId: upload.caseId,
    detail: {
      operation,
      kind: upload.options.kind,
      sizeBytes: upload.body?.length ?? 0,
    },
  };
}

async function preview(
  file: string,
  upload: CaseUpload,
): Promise<UploadPreview> {
  const rejected: RejectedRow[] = [];
  const firstRecords: ProviderRecord[] = [];
  try {
    const validation = await validateProviderFiles([file], {
      ...upload.options,
      onRejected: (row) => {
        if (rejected.length < MAX_PREVIEW_REJECTIONS) {
          rejected.push(row);
        }
      },
      onRecord: (record) => {
        if (firstRecords.length < MAX_PREVIEW_RECORDS) {
          firstRecords.push(record);
        }
      },
    });
    validation.records = firstRecords;
    return presentPreview(path.basename(file), validation, rejected);
  } catch (error) {
    throw asValidationFailure(error);
  }
}

async function importFile(
  context: UploadContext,
  kase: Case,
  file: string,
  upload: CaseUpload,
): Promise<UploadImport> {
  const checked = await preview(file, upload);
  if (checked.rowsRejected > 0 || checked.fileErrors.length > 0) {
    throw new UploadRejectedError(checked);
  }

  try {
    // The records go to the case's person whatever the file's subject
    // column names, and the scope makes the same file a repeat only
    // within this case.
    const { report } = await importProviderFiles(context.store, [file], {
      ...upload.options,
      personId: kase.person_id,
      caseId: kase.id,
      importScope: `case-upload:${kase.id}`,
      keys: context.keys,
      actor: auditActorOf(context.caller),
    });
    return {
      importId: report.importId,
      alreadyImported: report.skippedAsAlreadyImported,
      recordsAdded: report.skippedAsAlreadyImported
        ? 0
        : (report.records.locationRecords ?? 0),
      preview: checked,
    };
  } catch (error) {
    throw asValidationFailure(error);
  }
}

/** Writes the upload to a folder of its own under its file name, runs `work` on it and removes the folder. */
async function withUploadFile<T>(
  workDir: string,
  upload: CaseUpload,
  work: (file: string) => Promise<T>,
): Promise<T> {
  const { body } = upload;
  if (body === null) {
    throw new AppError(
      "validation_failed",
      `Send the file as the request body with Content-Type ${UPLOAD_CONTENT_TYPE}, and the reading options in the query string.`,
    );
  }
  const folder = path.join(workDir, randomUUID());
  await mkdir(folder, { recursive: true, mode: 0o700 });
  try {
    const file = path.join(folder, safeFileName(upload.fileName));
    await writeFile(file, body, { mode: 0o600 });
    return await work(file);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Returns the last path segment of a name without control characters, or `upload` (read as CSV) when nothing is left. */
export function safeFileName(name: string | undefined): string {
  const segment = (name ?? "").split(/[\\/]/).at(-1) ?? "";
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const cleaned = segment.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return cleaned === "" || cleaned === "." || cleaned === ".."
    ? "upload"
    : cleaned.slice(0, 200);
}

async function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = importsByCase.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(work);
  importsByCase.set(key, current);
  try {
    return await current;
  } finally {
    if (importsByCase.get(key) === current) {
      importsByCase.delete(key);
    }
  }
}

/** Maps errors in the uploaded file or its options to a 400; others stay 500. */
function asValidationFailure(error: unknown): unknown {
  if (
    error instanceof ImportValidationError ||
    error instanceof ProviderFileError ||
    error instanceof CsvError ||
    error instanceof RangeError
  ) {
    return new AppError("validation_failed", error.message, { cause: error });
  }
  return error;
}
