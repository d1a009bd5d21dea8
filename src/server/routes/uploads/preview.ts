import type {
  ProviderRecord,
  ProviderValidation,
} from "../../../ingest/provider/index.js";
import type { RejectedRow } from "../../../ingest/report.js";

/** Most rejected rows an upload preview lists; the count covers all of them. */
export const MAX_PREVIEW_REJECTIONS = 500;

/** Most records an upload preview shows. */
export const MAX_PREVIEW_RECORDS = 20;

/** Result of validating an uploaded file, as the upload page shows it before the import. */
export interface UploadPreview {
  fileName: string;
  kind: string;
  /** Format as read: from `format`, the extension, or `json` for a JSON file recognised by its content. */
  format: string;
  /** Encoding used: the declared one, or the one detected. */
  encoding: string | null;
  sizeBytes: number;
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  records: number;
  duplicateRowsMerged: number;
  /** Records whose times had no offset and were read in the declared zone. */
  assumedZoneRecords: number;
  flags: { flag: string; description: string; records: number }[];
  /** Distinct values of the file's subject column, at most 100 counted. */
  subjects: number;
  ignoredColumns: string[];
  fileErrors: { rule: string; message: string }[];
  /** Rejected rows, at most MAX_PREVIEW_REJECTIONS, in the order found. */
  rejected: RejectedRow[];
  /** The first records in time order, at most MAX_PREVIEW_RECORDS. */
  firstRecords: PreviewRecord[];
}

export interface PreviewRecord {
  rows: number[];
  /** Epoch milliseconds, or null for a visit known only to the day. */
  startedAt: number | null;
  endedAt: number | null;
  visitDate: string | null;
  latitude: number | null;
  longitude: number | null;
  placeName: string | null;
  address: string | null;
  flags: string[];
}

/** Builds the preview of a validation whose rejected rows were collected in `rejected`. */
export function presentPreview(
  fileName: string,
  validation: ProviderValidation,
  rejected: readonly RejectedRow[],
): UploadPreview {
  const file = validation.files[0];
  const assumedZone = validation.flags.find(
    (count) => count.flag === "assumed_zone",
  );
  return {
    fileName,
    kind: validation.kind,
    format: file?.format ?? "csv",
    encoding: file?.encoding ?? null,
    sizeBytes: file?.sizeBytes ?? 0,
    rowsRead: validation.rowsRead,
    rowsValid: validation.rowsValid,
    rowsRejected: validation.rowsRejected,
    records: validation.recordCount,
    duplicateRowsMerged: validation.duplicateRowsMerged,
    assumedZoneRecords: assumedZone?.records ?? 0,
    flags: validation.flags.map(({ flag, description, records }) => ({
      flag,
      description,
      records,
    })),
    subjects: validation.fileSubjects.length,
    ignoredColumns: file?.ignoredColumns ?? [],
    fileErrors: validation.fileErrors.map((error) => ({
      rule: error.rule,
      message: error.message,
    })),
    rejected: rejected.filter((row) => row.row > 0),
    firstRecords: validation.records
      .slice(0, MAX_PREVIEW_RECORDS)
      .map(presentRecord),
  };
}

function presentRecord(record: ProviderRecord): PreviewRecord {
  return {
    rows: record.rows,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    visitDate: record.visitDate,
    latitude: record.latitude,
    longitude: record.longitude,
    placeName: record.placeName,
    address: record.address,
    flags: record.flags,
  };
}
