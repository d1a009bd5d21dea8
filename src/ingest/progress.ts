import { Presets, SingleBar } from "cli-progress";

/**
 * Receives the progress of a long step. Ingest code calls it and never
 * writes to the terminal itself. Each `start` begins a new step and ends the
 * one before.
 */
export interface ProgressReporter {
  /** Begins a step of `total` units; with the unit `bytes` the bar also shows rows and their rate. */
  start(total: number, unit: string): void;
  /** Adds `count` units done, and for a step in bytes the rows read so far. */
  increment(count: number, rows?: number): void;
  stop(): void;
}

/** A reporter that shows nothing, for tests, servers and piped output. */
export const silentProgress: ProgressReporter = {
  start: () => undefined,
  increment: () => undefined,
  stop: () => undefined,
};

/**
 * Returns a cli-progress bar on `stream` when it is a terminal, and the
 * silent reporter otherwise.
 */
export function createTerminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  if (!stream.isTTY) {
    return silentProgress;
  }
  return new TerminalProgress(stream);
}

class TerminalProgress implements ProgressReporter {
  readonly #stream: NodeJS.WriteStream;
  #bar: SingleBar | null = null;
  #startedAt = 0;

  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream;
  }

  start(total: number, unit: string): void {
    this.stop();
    const format =
      unit === "bytes"
        ? "{bar} {percentage}% | {megabytes}/{totalMegabytes} MiB | {rows} rows, {rowRate} rows/s | {duration_formatted}, {eta_formatted} left"
        : `{bar} {percentage}% | {value}/{total} ${unit} | {duration_formatted}, {eta_formatted} left`;
    this.#bar = new SingleBar(
      {
        stream: this.#stream,
        format,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    this.#startedAt = Date.now();
    this.#bar.start(total, 0, {
      megabytes: "0",
      totalMegabytes: mebibytes(total),
      rows: "0",
      rowRate: "0",
    });
  }

  increment(count: number, rows?: number): void {
    const bar = this.#bar;
    if (bar === null) {
      return;
    }
    if (rows === undefined) {
      bar.increment(count);
      return;
    }
    const seconds = Math.max((Date.now() - this.#startedAt) / 1000, 0.001);
    bar.increment(count, {
      megabytes: mebibytes(bar.getProgress() * bar.getTotal() + count),
      rows: rows.toLocaleString("en"),
      rowRate: Math.round(rows / seconds).toLocaleString("en"),
    });
  }

  stop(): void {
    this.#bar?.stop();
    this.#bar = null;
  }
}

function mebibytes(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}
