import { createHash } from "node:crypto";

import { withCaseAccess, type AccessContext } from "../access/index.js";
import { loadMovements } from "../cases/index.js";
import { AppError } from "../errors.js";
import {
  EXPORT_FORMATS,
  FORMAT_FILES,
  movementsToCsv,
  movementsToGeoJson,
  type ExportFormat,
} from "./formats.js";

/** Maximum length of the reason stated for an export, in characters. */
export const EXPORT_REASON_MAX_LENGTH = 500;

export interface ExportRequest {
  format: ExportFormat;
  /** The stated reason for taking the copy, recorded as the audit event's purpose. */
  reason: string;
}

/** An export file, built in memory and handed to the caller only. */
export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
  /** Hex SHA-256 of `body`, recorded in the audit event. */
  sha256: string;
  movementCount: number;
}

/**
 * Builds a file of a case's movements for the caller to take out of the
 * system. The export is a right of its own (`case.export`) and writes one
 * audit event with the reason, the format, the number of movements and
 * the file's SHA-256. epitrace keeps no copy of the file. Raises
 * `validation_failed` for an unknown format or a missing or too long
 * reason, before anything is read.
 */
export function exportCaseMovements(
  context: AccessContext,
  caseId: string,
  request: ExportRequest,
): Promise<ExportFile> {
  const reason = checkReason(request.reason);
  const format = checkFormat(request.format);

  return withCaseAccess(
    context,
    {
      action: "case.export",
      caseId,
      purpose: reason,
      detail: { format },
      summarize: (file) => ({
        sha256: file.sha256,
        bytes: file.body.length,
        movements: file.movementCount,
      }),
    },
    async (kase) => {
      const movements = await loadMovements(context.db, kase.person_id);
      const text =
        format === "csv"
          ? movementsToCsv(kase.case_number, movements)
          : movementsToGeoJson(kase.case_number, movements);
      const body = Buffer.from(text, "utf8");
      return {
        fileName: `${fileStemOf(kase.case_number, kase.id)}-movements.${FORMAT_FILES[format].extension}`,
        contentType: FORMAT_FILES[format].contentType,
        body,
        sha256: createHash("sha256").update(body).digest("hex"),
        movementCount: movements.length,
      };
    },
  );
}

/** Returns the trimmed reason, raising `validation_failed` when it is blank or too long. */
export function checkReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed === "") {
    throw new AppError(
      "validation_failed",
      "Missing export reason: state why the copy is taken out of the system.",
    );
  }
  if ([...trimmed].length > EXPORT_REASON_MAX_LENGTH) {
    throw new AppError(
      "validation_failed",
      `Invalid export reason: it has ${[...trimmed].length} characters, at most ${EXPORT_REASON_MAX_LENGTH} are allowed. Shorten it.`,
    );
  }
  return trimmed;
}

function checkFormat(format: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new AppError(
      "validation_failed",
      `Invalid export format ${JSON.stringify(format)}: expected one of ${EXPORT_FORMATS.join(", ")}.`,
    );
  }
  return format as ExportFormat;
}

/** Returns a file name stem of ASCII letters, digits and hyphens, from the case number or else the id. */
function fileStemOf(caseNumber: string, caseId: string): string {
  const stem = caseNumber
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `case-${stem === "" ? caseId : stem}`;
}
