import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

import type { ProgressReporter } from "../progress.js";
import {
  BATCH_RECORD_COLUMNS,
  BATCH_SEGMENT_COLUMNS,
  type ScanDone,
  type ScanMessage,
  type ScanReply,
  type ScanTask,
  type SeriesBatch,
} from "./scan-messages.js";
import { NotStreamableError } from "./series-sink.js";
import type { SeriesStore } from "./series-writer.js";

/**
 * Heap limits of the scan thread, in MiB. Within them V8 collects the
 * thread's garbage by itself, while a scan on the main thread forces a
 * full collection every 50,000 rows, which cost about 4 s of CPU time on
 * a file of 3.9 million base-station rows. The thread keeps its caches of
 * cells, phones and details (about 25 MiB after a full collection on that
 * file) and a little per subject. When a file has so many subjects that
 * they do not fit, the thread runs out of memory and the import starts
 * again through the staging database on disk.
 */
const DEFAULT_THREAD_OLD_GENERATION_MIB = 96;
const THREAD_YOUNG_GENERATION_MIB = 32;

/**
 * The module of the scan thread, or undefined when the import reads its
 * files on the main thread. EPITRACE_IMPORT_THREAD=1 turns the thread on
 * and 0 turns it off. Left unset, the compiled command line uses the
 * thread where the process may run on two or more cores, and the
 * TypeScript sources (tests through tsx) do not, since a thread of the
 * sources compiles every module once more.
 */
export function scanThreadModule(): URL | undefined {
  const setting = process.env.EPITRACE_IMPORT_THREAD;
  if (setting === "0") {
    return undefined;
  }
  const fromSources = import.meta.url.endsWith(".ts");
  if (setting !== "1" && (fromSources || availableParallelism() < 2)) {
    return undefined;
  }
  if (fromSources && !process.execArgv.some((arg) => arg.includes("tsx"))) {
    return undefined;
  }
  return new URL(
    fromSources ? "./scan-worker.ts" : "./scan-worker.js",
    import.meta.url,
  );
}

/**
 * Scans base-station files in a worker thread while this thread stores
 * the rows of their series in `store`, inside the import's transaction:
 * parsing and checking on one core, SQLite on the other. Resolves with the
 * scan's findings once every row is stored. Throws a NotStreamableError
 * when the files are not in the order that this needs, and the worker's
 * error when it fails.
 */
export function scanInThread(
  module: URL,
  task: ScanTask,
  store: SeriesStore,
  progress: ProgressReporter,
): Promise<ScanDone> {
  let totalBytes = 0;
  for (const [, file] of task.inspected) {
    totalBytes += file.sizeBytes;
  }
  progress.start(totalBytes, "bytes");
  const worker = startWorker(module, task);
  return new Promise<ScanDone>((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void) => {
      if (!settled) {
        settled = true;
        progress.stop();
        void worker.terminate();
        action();
      }
    };
    worker.on("message", (message: ScanMessage) => {
      try {
        switch (message.type) {
          case "batch":
            storeBatch(message, store);
            worker.postMessage({ type: "stored" } satisfies ScanReply);
            break;
          case "progress":
            progress.increment(message.bytes, message.rows);
            break;
          case "done":
            settle(() => resolve(message));
            break;
          case "not-streamable":
            settle(() => reject(new NotStreamableError(message.reason)));
            break;
          case "failed": {
            const error = new Error(message.message);
            error.name = message.name;
            if (message.stack !== undefined) {
              error.stack = message.stack;
            }
            settle(() => reject(error));
            break;
          }
        }
      } catch (error) {
        settle(() => reject(error));
      }
    });
    worker.on("error", (error) =>
      settle(() => reject(outOfMemory(error) ? notStreamable() : error)),
    );
    worker.on("exit", (code) =>
      settle(() =>
        reject(new Error(`The scan thread stopped with code ${code}.`)),
      ),
    );
  });
}

/**
 * Starts the scan thread. A thread of the TypeScript sources registers
 * tsx's loader first, since Node.js 20 does not pass a loader registered
 * by `--import` on to worker threads.
 */
function startWorker(module: URL, task: ScanTask): Worker {
  const resourceLimits = {
    maxOldGenerationSizeMb: threadOldGenerationMib(),
    maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MIB,
  };
  if (!module.pathname.endsWith(".ts")) {
    return new Worker(module, { workerData: task, resourceLimits });
  }
  const bootstrap =
    `import("tsx/esm/api").then((tsx) => { tsx.register(); ` +
    `return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, {
    eval: true,
    workerData: task,
    resourceLimits,
  });
}

/** Returns the old-generation heap of the scan thread in MiB: EPITRACE_IMPORT_THREAD_HEAP_MIB, else the default. */
function threadOldGenerationMib(): number {
  const setting = process.env.EPITRACE_IMPORT_THREAD_HEAP_MIB;
  if (setting === undefined || setting === "") {
    return DEFAULT_THREAD_OLD_GENERATION_MIB;
  }
  const mebibytes = Number(setting);
  if (!Number.isInteger(mebibytes) || mebibytes < 1) {
    throw new RangeError(
      `Invalid EPITRACE_IMPORT_THREAD_HEAP_MIB "${setting}": expected a whole number of MiB, such as 64.`,
    );
  }
  return mebibytes;
}

function outOfMemory(error: Error): boolean {
  return (
    "code" in error &&
    (error as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY"
  );
}

/** Builds the error that makes the import start again through its staging database. */
function notStreamable(): NotStreamableError {
  return new NotStreamableError(
    "the scan thread ran out of memory, which happens with very many subjects",
  );
}

/** Writes the sites, records and R*Tree entries of one batch. */
function storeBatch(batch: SeriesBatch, store: SeriesStore): void {
  for (const site of batch.sites) {
    store.site(site);
  }
  const records = batch.records;
  const sourceRows = new Map(batch.sourceRows);
  const flags = batch.flagTexts;
  for (let index = 0; index < batch.recordCount; index++) {
    const offset = index * BATCH_RECORD_COLUMNS;
    const endedAt = records[offset + 3]!;
    store.record(
      records[offset]!,
      records[offset + 1]!,
      records[offset + 2]!,
      Number.isNaN(endedAt) ? null : endedAt,
      records[offset + 4]!,
      records[offset + 5]!,
      sourceRows.get(index) ?? null,
      flags[records[offset + 6]!] ?? null,
    );
  }
  const segments = batch.segments;
  for (let index = 0; index < batch.segmentCount; index++) {
    const offset = index * BATCH_SEGMENT_COLUMNS;
    store.segment(
      segments[offset]!,
      segments[offset + 1]!,
      segments[offset + 2]!,
      segments[offset + 3]!,
      segments[offset + 4]!,
      segments[offset + 5]!,
      segments[offset + 6]!,
      segments[offset + 7]!,
    );
  }
}
