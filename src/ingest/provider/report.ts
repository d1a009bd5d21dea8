import {
  describeRejectedRow,
  emptyReport,
  type ImportReport,
} from "../report.js";
import { describeFiles } from "./output.js";
import type { ProviderValidation } from "./validate.js";

/** Reason under which exact duplicates are counted in import reports. */
export const EXACT_DUPLICATE = "exact_duplicate";

/** The counts of a validation that an import report shows. */
export type ValidationCounts = Pick<
  ProviderValidation,
  | "files"
  | "rowsRead"
  | "rowsValid"
  | "rejections"
  | "rowsRejected"
  | "duplicateRowsMerged"
  | "flags"
>;

/** Fills an import report with what a validation read, merged, rejected and flagged. */
export function fillImportReport(
  report: ImportReport,
  validation: ValidationCounts,
): void {
  for (const file of validation.files) {
    report.rowsReadBySource[file.name] = file.rowsRead;
    if (file.encoding !== null) {
      report.encodingBySource ??= {};
      report.encodingBySource[file.name] = file.encoding;
    }
  }
  report.rowsRead = validation.rowsRead;
  report.rowsImported = validation.rowsValid;
  report.rejected = validation.rejections.summaries();
  report.rowsRejected = validation.rowsRejected;
  report.merged =
    validation.duplicateRowsMerged === 0
      ? []
      : [
          {
            reason: EXACT_DUPLICATE,
            description:
              "rows equal in every value to an earlier row of the same file",
            count: validation.duplicateRowsMerged,
          },
        ];
  report.flagged = validation.flags.map(
    ({ flag, description, records, rows }) => ({
      flag,
      description,
      records,
      rows,
    }),
  );
}

/** Formats a validation as plain text lines for a terminal. */
export function formatValidation(validation: ProviderValidation): string {
  const report = emptyReport(validation.kind, "");
  fillImportReport(report, validation);
  const lines = [`Validate ${validation.kind}:`, ...describeFiles(validation)];
  lines.push(
    `  rows read ${formatNumber(report.rowsRead)}, valid ${formatNumber(report.rowsImported)}, rejected ${formatNumber(report.rowsRejected)}`,
    `  records ${formatNumber(validation.recordCount)}`,
  );
  if (validation.outOfOrderRecords > 0) {
    lines.push(
      `  sorted ${formatNumber(validation.outOfOrderRecords)} records that came after a later record of the same subject`,
    );
  }
  for (const merged of report.merged) {
    lines.push(
      `  merged ${formatNumber(merged.count)} rows: ${merged.description}`,
    );
  }
  for (const flag of report.flagged) {
    lines.push(
      `  flagged ${flag.flag}: ${formatNumber(flag.records)} records (${flag.description})`,
    );
  }
  for (const summary of report.rejected) {
    lines.push(
      `  rejected under ${summary.rule}: ${formatNumber(summary.count)}`,
    );
    for (const row of summary.examples) {
      lines.push(`    ${describeRejectedRow(row)}`);
    }
  }
  return lines.join("\n");
}

function formatNumber(value: number): string {
  return value.toLocaleString("en-US");
}
