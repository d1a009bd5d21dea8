/** Kinds of provider files, as the upload API names them. */
export const UPLOAD_KINDS = [
  "interview",
  "gps",
  "checkin",
  "base-station",
  "card",
] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

/** File formats; an empty choice lets the server decide from the extension and content. */
export const UPLOAD_FORMATS = [
  "csv",
  "geojson",
  "gpx",
  "kml",
  "takeout",
  "coronamap-site",
  "coronamap-live",
] as const;

export const UPLOAD_ENCODINGS = ["auto", "utf-8", "cp949"] as const;

/** Files of a kind's template, as the template route names them. */
export const TEMPLATE_FILES = [
  "schema.json",
  "header.csv",
  "sample.csv",
] as const;

/** Reading options of an uploaded file, sent in the query string. */
export interface UploadOptions {
  kind: UploadKind;
  format: string;
  encoding: string;
  zone: string;
  dateFormat: string;
  year: string;
}

export interface RejectedRow {
  file: string;
  row: number;
  field: string;
  value: string;
  rule: string;
  hint: string;
}

export interface PreviewRecord {
  rows: number[];
  startedAt: number | null;
  endedAt: number | null;
  visitDate: string | null;
  latitude: number | null;
  longitude: number | null;
  placeName: string | null;
  address: string | null;
  flags: string[];
}

/** Findings of the validation of an uploaded file. */
export interface UploadPreview {
  fileName: string;
  kind: string;
  format: string;
  encoding: string | null;
  sizeBytes: number;
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  records: number;
  duplicateRowsMerged: number;
  assumedZoneRecords: number;
  flags: { flag: string; description: string; records: number }[];
  subjects: number;
  ignoredColumns: string[];
  fileErrors: { rule: string; message: string }[];
  rejected: RejectedRow[];
  firstRecords: PreviewRecord[];
}

export interface UploadImport {
  importId: string | null;
  alreadyImported: boolean;
  recordsAdded: number;
  preview: UploadPreview;
}
