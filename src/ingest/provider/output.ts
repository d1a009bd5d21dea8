import type { RejectedRow } from "../report.js";
import type { ProviderRecord } from "./records.js";
import type { ProviderValidation } from "./validate.js";

/**
 * Returns the JSON line of a record: times in UTC ISO 8601 with milliseconds, as
 * `instant` for a fix, `start` and `end` for an interval, or `date` for a
 * visit known only to the day.
 */
export function recordJson(record: ProviderRecord): Record<string, unknown> {
  return {
    type: "record",
    kind: record.kind,
    subject: record.subject,
    ...timeFields(record),
    latitude: record.latitude,
    longitude: record.longitude,
    radius_meters: record.radiusMeters,
    altitude_meters: record.altitudeMeters,
    place_name: record.placeName,
    address: record.address,
    place_types: record.placeTypes,
    note: record.note,
    details: record.details,
    flags: record.flags,
    file: record.file,
    rows: record.rows,
  };
}

function timeFields(record: ProviderRecord): Record<string, string> {
  if (record.startedAt === null) {
    return record.visitDate === null ? {} : { date: record.visitDate };
  }
  const start = new Date(record.startedAt).toISOString();
  const end = new Date(record.endedAt ?? record.startedAt).toISOString();
  return start === end ? { instant: start } : { start, end };
}

/** Returns the JSON line of a rejected row. Row 0 stands for a file that could not be read at all. */
export function rejectedJson(row: RejectedRow): Record<string, unknown> {
  return { type: "rejected", ...row };
}

/** Returns the JSON line that ends the output: the counts, and the format and encoding of each file. */
export function summaryJson(
  validation: ProviderValidation,
): Record<string, unknown> {
  return {
    type: "summary",
    kind: validation.kind,
    rows_read: validation.rowsRead,
    records: validation.recordCount,
    rows_rejected: validation.rowsRejected,
    duplicate_rows_merged: validation.duplicateRowsMerged,
    files: validation.files.map((file) => ({
      file: file.name,
      format: file.format,
      encoding: file.encoding,
      delimiter: file.delimiter,
      rows_read: file.rowsRead,
      ignored_columns: file.ignoredColumns,
      error: file.error,
    })),
    flags: Object.fromEntries(
      validation.flags.map((flag) => [flag.flag, flag.records]),
    ),
  };
}

/** Describes the files of a validation in plain lines: format, encoding and ignored columns. */
export function describeFiles(validation: ProviderValidation): string[] {
  return validation.files.map((file) => {
    const parts = [`${file.name}: ${file.format}`];
    if (file.encoding !== null) {
      parts.push(`encoding ${file.encoding}`);
    }
    if (file.delimiter !== null) {
      parts.push(`delimiter ${JSON.stringify(file.delimiter)}`);
    }
    if (file.ignoredColumns.length > 0) {
      parts.push(`ignored columns ${file.ignoredColumns.join(", ")}`);
    }
    if (file.error !== null) {
      parts.push(`not read: ${file.error.message}`);
    }
    return `  ${parts.join(", ")}`;
  });
}
