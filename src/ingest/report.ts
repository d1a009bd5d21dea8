/** A source row that failed validation, with what to change to fix it. */
export interface RejectedRow {
  /** Name of the input file, without its folder. */
  file: string;
  /** 1-based data row number (header excluded), or feature number in a GeoJSON or TopoJSON file. */
  row: number;
  field: string;
  value: string;
  /** Stable name of the broken rule, such as `latitude_range`. */
  rule: string;
  /** Instruction for fixing the row in the file. */
  hint: string;
}

/** Rule breaks under one rule: their count and the first few rows. */
export interface RejectionSummary {
  rule: string;
  count: number;
  examples: RejectedRow[];
}

/** Source rows folded into a record made from an earlier row, under one reason. */
export interface MergeCount {
  reason: string;
  description: string;
  count: number;
}

/** Stored records that carry one flag, and the source rows behind them (0 where records are not rows). */
export interface FlagCount {
  flag: string;
  description: string;
  records: number;
  rows: number;
}

/** Outcome of one import: the rows it read, stored, merged, rejected and flagged. */
export interface ImportReport {
  /** Kind of source: `ds4c`, `boundaries`, `geolife`. */
  kind: string;
  /** The folder or files as given, for people to read. */
  sourceName: string;
  /** Id of the row in the `imports` table: this import's, or for a skipped import the earlier one. */
  importId: string | null;
  /** True when the same content had been imported before, so nothing was read or stored. */
  skippedAsAlreadyImported: boolean;
  /** Rows read by input file name, or for GeoLife by user id, because a user may have hundreds of files. */
  rowsReadBySource: Record<string, number>;
  /** Text encoding of each input file that has one, such as `utf-8` or `cp949`, by file name. */
  encodingBySource?: Record<string, string>;
  rowsRead: number;
  /** Source rows stored, as a record of their own or merged into another. */
  rowsImported: number;
  /** Records created or updated, by table or kind, such as `persons` or `visits`. */
  records: Record<string, number>;
  merged: MergeCount[];
  rejected: RejectionSummary[];
  rowsRejected: number;
  flagged: FlagCount[];
  durationMs: number;
}

/** Number of rejected rows kept as examples for each rule. */
export const REJECTION_EXAMPLES_PER_RULE = 5;

/** Creates the report of an import that has not read anything yet. */
export function emptyReport(kind: string, sourceName: string): ImportReport {
  return {
    kind,
    sourceName,
    importId: null,
    skippedAsAlreadyImported: false,
    rowsReadBySource: {},
    rowsRead: 0,
    rowsImported: 0,
    records: {},
    merged: [],
    rejected: [],
    rowsRejected: 0,
    flagged: [],
    durationMs: 0,
  };
}

/**
 * Collects rejections, counting each rule break and keeping the first few
 * per rule. A row that breaks several rules counts once in `count`.
 */
export class RejectionCollector {
  readonly #byRule = new Map<string, RejectionSummary>();
  readonly #rows = new Set<string>();
  #restoredRows = 0;

  /** A collector holding what another one collected, as `summaries` and `count` gave it. */
  static restored(
    summaries: readonly RejectionSummary[],
    count: number,
  ): RejectionCollector {
    const collector = new RejectionCollector();
    for (const summary of summaries) {
      collector.#byRule.set(summary.rule, {
        ...summary,
        examples: [...summary.examples],
      });
    }
    collector.#restoredRows = count;
    return collector;
  }

  /** Number of distinct rejected rows. */
  get count(): number {
    return this.#rows.size + this.#restoredRows;
  }

  add(row: RejectedRow): void {
    this.#rows.add(`${row.file}\u0000${row.row}`);
    let summary = this.#byRule.get(row.rule);
    if (summary === undefined) {
      summary = { rule: row.rule, count: 0, examples: [] };
      this.#byRule.set(row.rule, summary);
    }
    summary.count++;
    if (summary.examples.length < REJECTION_EXAMPLES_PER_RULE) {
      summary.examples.push(row);
    }
  }

  /** Returns the summaries in the order their rules were first broken. */
  summaries(): RejectionSummary[] {
    return [...this.#byRule.values()];
  }

  first(): RejectedRow | undefined {
    return this.summaries()[0]?.examples[0];
  }
}

/** Describes one rejected row in a sentence that names file, row, field and value. */
export function describeRejectedRow(row: RejectedRow): string {
  return (
    `${row.file} row ${row.row}, field ${row.field}: ` +
    `value ${JSON.stringify(row.value)} breaks rule ${row.rule}. ${row.hint}`
  );
}

/**
 * The error of an import that found invalid rows and stored nothing. The
 * report lists every rule broken, with the first rows for each.
 */
export class ImportValidationError extends Error {
  readonly report: ImportReport;

  constructor(report: ImportReport, first: RejectedRow) {
    super(
      `Import ${report.kind} of ${report.sourceName} failed: ` +
        `${report.rowsRejected} invalid row(s), nothing was stored. ` +
        `First: ${describeRejectedRow(first)}`,
    );
    this.name = "ImportValidationError";
    this.report = report;
  }
}

/** Formats a report as plain text lines for a terminal. */
export function formatImportReport(report: ImportReport): string {
  const lines = [`Import ${report.kind}: ${report.sourceName}`];
  if (report.skippedAsAlreadyImported) {
    lines.push(
      `  skipped: the same content was imported before (import ${report.importId ?? "unknown"}); nothing was added`,
    );
    return lines.join("\n");
  }

  lines.push(...formatCounts(report));
  lines.push(...formatMerged(report.merged));
  lines.push(...formatFlagged(report.flagged));
  lines.push(...formatRejected(report));
  return lines.join("\n");
}

function formatCounts(report: ImportReport): string[] {
  const lines: string[] = [];
  for (const [source, count] of Object.entries(report.rowsReadBySource)) {
    const encoding = report.encodingBySource?.[source];
    const detail = encoding === undefined ? "" : `, encoding ${encoding}`;
    lines.push(`  read ${formatNumber(count)} rows from ${source}${detail}`);
  }
  lines.push(
    `  rows read ${formatNumber(report.rowsRead)}, imported ${formatNumber(report.rowsImported)}, rejected ${formatNumber(report.rowsRejected)}`,
  );
  for (const [name, count] of Object.entries(report.records)) {
    lines.push(`  ${name}: ${formatNumber(count)}`);
  }
  if (report.importId !== null) {
    lines.push(`  import id ${report.importId}`);
  }
  lines.push(`  took ${(report.durationMs / 1000).toFixed(1)} s`);
  return lines;
}

function formatMerged(merged: readonly MergeCount[]): string[] {
  if (merged.length === 0) {
    return [];
  }
  const total = merged.reduce((sum, entry) => sum + entry.count, 0);
  const lines = [`  merged ${formatNumber(total)} rows into earlier ones:`];
  for (const entry of merged) {
    lines.push(
      `    ${entry.reason}: ${formatNumber(entry.count)} (${entry.description})`,
    );
  }
  return lines;
}

function formatFlagged(flagged: readonly FlagCount[]): string[] {
  if (flagged.length === 0) {
    return [];
  }
  const lines = ["  flagged:"];
  for (const entry of flagged) {
    const rows = entry.rows > 0 ? ` from ${formatNumber(entry.rows)} rows` : "";
    lines.push(
      `    ${entry.flag}: ${formatNumber(entry.records)} records${rows} (${entry.description})`,
    );
  }
  return lines;
}

function formatRejected(report: ImportReport): string[] {
  if (report.rejected.length === 0) {
    return [];
  }
  const lines = [`  rejected ${formatNumber(report.rowsRejected)} rows:`];
  for (const summary of report.rejected) {
    lines.push(`    ${summary.rule}: ${formatNumber(summary.count)}`);
    for (const row of summary.examples) {
      lines.push(`      ${describeRejectedRow(row)}`);
    }
  }
  return lines;
}

function formatNumber(value: number): string {
  return value.toLocaleString("en-US");
}
