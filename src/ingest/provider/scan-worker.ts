import { parentPort, workerData } from "node:worker_threads";

import { RecordFinisher } from "./finish.js";
import {
  closeRejectedCsv,
  openRejectedCsv,
  writeRejectedRow,
} from "./rejected-csv.js";
import { scanProviderFiles } from "./scan.js";
import {
  BATCH_RECORD_COLUMNS,
  BATCH_SEGMENT_COLUMNS,
  type ScanDone,
  type ScanReply,
  type ScanTask,
  type SeriesBatch,
} from "./scan-messages.js";
import {
  SeriesEncoder,
  type SeriesOutput,
  type SiteRow,
} from "./series-encoder.js";
import { NotStreamableError, SeriesSink } from "./series-sink.js";

/** Records in a batch before it is sent. */
const RECORDS_PER_BATCH = 16_384;

/** Batches sent and not yet stored, above which the scan waits. */
const MAX_BATCHES_IN_FLIGHT = 4;

/** Collects the rows of an encoder into batches and posts them. */
class BatchOutput implements SeriesOutput {
  #records = new Float64Array(RECORDS_PER_BATCH * BATCH_RECORD_COLUMNS);
  #recordCount = 0;
  #sourceRows: [number, string][] = [];
  #flagTexts: string[] = [];
  #flagIndexes = new Map<string, number>();
  #sites: SiteRow[] = [];
  #segments = new Float64Array(1024 * BATCH_SEGMENT_COLUMNS);
  #segmentCount = 0;
  readonly #post: (batch: SeriesBatch) => void;

  constructor(post: (batch: SeriesBatch) => void) {
    this.#post = post;
  }

  get isFull(): boolean {
    return this.#recordCount === RECORDS_PER_BATCH;
  }

  site(site: SiteRow): void {
    this.#sites.push(site);
  }

  record(
    seriesId: number,
    seq: number,
    instant: number,
    endedAt: number | null,
    siteId: number,
    sourceRow: number,
    sourceRows: string | null,
    flags: string | null,
  ): void {
    const index = this.#recordCount++;
    const offset = index * BATCH_RECORD_COLUMNS;
    const records = this.#records;
    records[offset] = seriesId;
    records[offset + 1] = seq;
    records[offset + 2] = instant;
    records[offset + 3] = endedAt ?? Number.NaN;
    records[offset + 4] = siteId;
    records[offset + 5] = sourceRow;
    records[offset + 6] = flags === null ? -1 : this.#flagIndexOf(flags);
    if (sourceRows !== null) {
      this.#sourceRows.push([index, sourceRows]);
    }
  }

  #flagIndexOf(flags: string): number {
    let index = this.#flagIndexes.get(flags);
    if (index === undefined) {
      index = this.#flagTexts.length;
      this.#flagTexts.push(flags);
      this.#flagIndexes.set(flags, index);
    }
    return index;
  }

  segment(...columns: Parameters<SeriesOutput["segment"]>): void {
    if (
      (this.#segmentCount + 1) * BATCH_SEGMENT_COLUMNS >
      this.#segments.length
    ) {
      const grown = new Float64Array(this.#segments.length * 2);
      grown.set(this.#segments);
      this.#segments = grown;
    }
    this.#segments.set(columns, this.#segmentCount * BATCH_SEGMENT_COLUMNS);
    this.#segmentCount++;
  }

  /** Posts what has been collected, handing over its buffers. */
  send(): void {
    if (
      this.#recordCount === 0 &&
      this.#sites.length === 0 &&
      this.#segmentCount === 0
    ) {
      return;
    }
    this.#post({
      type: "batch",
      records: this.#records,
      recordCount: this.#recordCount,
      sourceRows: this.#sourceRows,
      flagTexts: this.#flagTexts,
      sites: this.#sites,
      segments: this.#segments,
      segmentCount: this.#segmentCount,
    });
    this.#records = new Float64Array(RECORDS_PER_BATCH * BATCH_RECORD_COLUMNS);
    this.#recordCount = 0;
    this.#sourceRows = [];
    this.#flagTexts = [];
    this.#flagIndexes = new Map();
    this.#sites = [];
    this.#segments = new Float64Array(1024 * BATCH_SEGMENT_COLUMNS);
    this.#segmentCount = 0;
  }
}

/**
 * Runs a scan of base-station files in this thread and sends the rows of
 * their series to the importing thread, which stores them in its open
 * transaction. Waits for the importing thread when it falls behind, so
 * memory stays bounded.
 */
async function run(task: ScanTask): Promise<void> {
  const port = parentPort!;
  let inFlight = 0;
  let resume: (() => void) | undefined;
  port.on("message", (reply: ScanReply) => {
    if (reply.type === "stored") {
      inFlight--;
      resume?.();
      resume = undefined;
    }
  });

  const post = (batch: SeriesBatch) => {
    inFlight++;
    port.postMessage(batch, [
      batch.records.buffer as ArrayBuffer,
      batch.segments.buffer as ArrayBuffer,
    ]);
  };
  const output = new BatchOutput(post);
  const encoder = new SeriesEncoder(output, task.firstIds);
  const finisher = new RecordFinisher({
    kind: task.options.kind,
    mode: "subject",
    maxSpeedMetersPerSecond: task.maxSpeedMetersPerSecond,
  });
  const sink = new SeriesSink(finisher, {
    add: (key, record) => {
      encoder.add(key, record);
      if (output.isFull) {
        output.send();
      }
    },
  });

  let rowsRead = 0;
  const rejectedCsv =
    task.rejectedFile === undefined
      ? undefined
      : await openRejectedCsv(task.rejectedFile);
  try {
    const scan = await scanProviderFiles(task.paths, {
      ...task.options,
      inspected: new Map(task.inspected),
      collectGarbage: false,
      sink,
      onRejected:
        rejectedCsv === undefined
          ? undefined
          : (row) => writeRejectedRow(rejectedCsv, row),
      progress: {
        start: () => undefined,
        stop: () => undefined,
        increment: (bytes, rows) => {
          rowsRead = rows ?? rowsRead;
          port.postMessage({ type: "progress", bytes, rows: rowsRead });
        },
      },
      whenReady: () =>
        inFlight < MAX_BATCHES_IN_FLIGHT
          ? undefined
          : new Promise<void>((resolve) => {
              resume = resolve;
            }),
    });
    scan.staging.close();
    sink.end();
    const { series, totals } = encoder.finish();
    output.send();
    const done: ScanDone = {
      type: "done",
      files: scan.files,
      rowsRead: scan.rowsRead,
      rejections: {
        summaries: scan.rejections.summaries(),
        count: scan.rejections.count,
      },
      fileErrors: scan.fileErrors.map((error) => ({
        message: error.message,
        file: error.file,
        rule: error.rule,
      })),
      fileSubjects: scan.fileSubjects,
      subjects: scan.subjects,
      outOfOrderRecords: scan.outOfOrderRecords,
      series,
      totals,
      duplicateRowsMerged: finisher.duplicateRowsMerged,
      flags: finisher.flagTotals(),
    };
    port.postMessage(done);
  } finally {
    await closeRejectedCsv(rejectedCsv);
  }
}

run(workerData as ScanTask).catch((error: unknown) => {
  const port = parentPort!;
  if (error instanceof NotStreamableError) {
    port.postMessage({ type: "not-streamable", reason: error.message });
    return;
  }
  const failure = error instanceof Error ? error : new Error(String(error));
  port.postMessage({
    type: "failed",
    name: failure.name,
    message: failure.message,
    stack: failure.stack,
  });
});
