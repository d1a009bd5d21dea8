import type { RejectionSummary } from "../report.js";
import type { FlagTotals } from "./finish.js";
import type { ProviderFileSummary, ScanOptions } from "./scan.js";
import type { SeriesSummary, SeriesTotals, SiteRow } from "./series-encoder.js";
import type { InspectedFile } from "./source.js";

/** What the importing thread gives the scan thread. */
export interface ScanTask {
  paths: string[];
  inspected: [string, InspectedFile][];
  /** The serialisable read options: no callbacks. */
  options: Omit<
    ScanOptions,
    "sink" | "progress" | "onRejected" | "checkRecord" | "inspected"
  >;
  firstIds: { series: number; site: number };
  /** CSV for the rejected rows, when they are skipped. */
  rejectedFile: string | undefined;
  maxSpeedMetersPerSecond: number | undefined;
}

/**
 * Columns of a record in a batch: series, seq, instant, end (NaN for
 * none), site, source row, and the index of its flags in the batch's
 * `flagTexts` (−1 for none).
 */
export const BATCH_RECORD_COLUMNS = 7;
/** Columns of an R*Tree entry in a batch, in the order of the table. */
export const BATCH_SEGMENT_COLUMNS = 8;

/** Rows of series made by the scan thread, for the importing thread to store. */
export interface SeriesBatch {
  type: "batch";
  records: Float64Array;
  recordCount: number;
  /** Source rows of the few records merged from several rows: index in the batch, then the JSON. */
  sourceRows: [number, string][];
  /** Distinct flag lists of the batch's records, as JSON. */
  flagTexts: string[];
  sites: SiteRow[];
  segments: Float64Array;
  segmentCount: number;
}

/** The scan's findings, once every batch has been sent. */
export interface ScanDone {
  type: "done";
  files: ProviderFileSummary[];
  rowsRead: number;
  rejections: { summaries: RejectionSummary[]; count: number };
  fileErrors: { message: string; file: string; rule: string }[];
  fileSubjects: string[];
  subjects: string[];
  outOfOrderRecords: number;
  series: SeriesSummary[];
  totals: SeriesTotals;
  duplicateRowsMerged: number;
  flags: FlagTotals[];
}

export type ScanMessage =
  | SeriesBatch
  | ScanDone
  | { type: "progress"; bytes: number; rows: number }
  | { type: "not-streamable"; reason: string }
  | {
      type: "failed";
      name: string;
      message: string;
      stack: string | undefined;
    };

/** Messages from the importing thread: one per batch it has stored. */
export type ScanReply = { type: "stored" };
