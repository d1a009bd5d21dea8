import { Presets, SingleBar } from "cli-progress";

/**
 * Receives the progress of a long step. Ingest code calls it and never
 * writes to the terminal itself. Each `start` begins a new step and ends the
 * one before.
 */
export interface ProgressReporter {
  start(total: number, unit: string): void;
  increment(count: number): void;
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

  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream;
  }

  start(total: number, unit: string): void {
    this.stop();
    this.#bar = new SingleBar(
      {
        stream: this.#stream,
        format: `{bar} {percentage}% | {value}/{total} ${unit} | {duration_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
      },
      Presets.shades_classic,
    );
    this.#bar.start(total, 0);
  }

  increment(count: number): void {
    this.#bar?.increment(count);
  }

  stop(): void {
    this.#bar?.stop();
    this.#bar = null;
  }
}
