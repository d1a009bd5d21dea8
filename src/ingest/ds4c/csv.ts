import { parse } from "csv-parse/sync";

import type { RejectionCollector } from "../report.js";

/** One data row of a CSV file, with its values by column name. */
export interface CsvRow {
  /** 1-based data row number: the first row after the header is row 1, and empty lines are not counted. */
  rowNumber: number;
  values: Readonly<Record<string, string>>;
  /** The row's values joined, to find rows that repeat another exactly. */
  rawKey: string;
}

/** The data rows of a CSV file, and how many rows it had (rejected ones included). */
export interface CsvTable {
  rows: CsvRow[];
  rowsRead: number;
}

/**
 * Parses a CSV file with a header line. Throws when the file is not CSV or
 * lacks one of `requiredColumns`. A row with a different number of fields
 * than the header is rejected.
 */
export function parseCsvRows(
  fileName: string,
  content: Buffer,
  requiredColumns: readonly string[],
  rejections: RejectionCollector,
): CsvTable {
  const records = parseRecords(fileName, content);
  const header = records[0] ?? [];
  const missing = requiredColumns.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new Error(
      `${fileName} is missing the column(s) ${missing.join(", ")}. The header must name ${requiredColumns.join(", ")}.`,
    );
  }

  const rows: CsvRow[] = [];
  for (let index = 1; index < records.length; index++) {
    const fields = records[index]!;
    if (fields.length !== header.length) {
      rejections.add({
        file: fileName,
        row: index,
        field: "(row)",
        value: fields.join(","),
        rule: "column_count",
        hint: `Give ${header.length} comma-separated fields, as the header does. Quote values that contain commas.`,
      });
      continue;
    }
    rows.push({
      rowNumber: index,
      values: Object.fromEntries(
        header.map((column, i) => [column, fields[i]!]),
      ),
      rawKey: JSON.stringify(fields),
    });
  }
  return { rows, rowsRead: Math.max(records.length - 1, 0) };
}

function parseRecords(fileName: string, content: Buffer): string[][] {
  try {
    return parse(content, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (error) {
    throw new Error(
      `${fileName} is not valid CSV: ${(error as Error).message}. Check the quoting on that line.`,
      { cause: error },
    );
  }
}
