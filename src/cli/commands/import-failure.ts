import type { Command } from "commander";

import {
  formatImportReport,
  ImportValidationError,
} from "../../ingest/report.js";
import { failCommand } from "../fail.js";

/**
 * Ends a failed import with exit code 1. For invalid rows it first writes
 * the report to standard error, without an import id because the import
 * was rolled back, and ends with how to store the valid rows.
 */
export function failImport(
  command: Command,
  commandLine: string,
  failure: unknown,
): never {
  let message = failure instanceof Error ? failure.message : String(failure);
  if (failure instanceof ImportValidationError) {
    const report = { ...failure.report, importId: null };
    command.configureOutput().writeErr?.(`${formatImportReport(report)}\n`);
    message +=
      " Fix the rows and import again, or rerun with --skip-invalid to store the valid rows and write the rejected ones to a CSV file.";
  }
  return failCommand(command, `${commandLine} failed: ${message}`, {
    exitCode: 1,
    code: "epitrace.import.failed",
  });
}
