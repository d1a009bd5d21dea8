import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";

/** Characters buffered before a write to the file. */
const BUFFER_CHARACTERS = 1 << 20;

/** A text file written as a stream, in large writes that wait for the disk when it falls behind. */
export class TextSink {
  readonly #stream: WriteStream;
  #parts: string[] = [];
  #buffered = 0;
  #bytes = 0;

  #error: Error | null = null;

  constructor(path: string) {
    this.#stream = createWriteStream(path, { encoding: "utf8" });
    // An error while no write waits, such as a folder that does not exist,
    // is kept and thrown by the next call.
    this.#stream.on("error", (error) => {
      this.#error ??= error;
    });
  }

  /** Adds lines, each followed by a line break. */
  async writeLines(lines: readonly string[]): Promise<void> {
    this.#throwIfFailed();
    for (const line of lines) {
      this.#parts.push(line, "\n");
      this.#buffered += line.length + 1;
    }
    if (this.#buffered >= BUFFER_CHARACTERS) {
      await this.#flush();
    }
  }

  /** Writes what is buffered and closes the file; returns the bytes written. */
  async close(): Promise<number> {
    await this.#flush();
    this.#throwIfFailed();
    this.#stream.end();
    await once(this.#stream, "finish");
    return this.#bytes;
  }

  #throwIfFailed(): void {
    if (this.#error !== null) {
      throw this.#error;
    }
  }

  async #flush(): Promise<void> {
    if (this.#parts.length === 0) {
      return;
    }
    const text = this.#parts.join("");
    this.#parts = [];
    this.#buffered = 0;
    this.#bytes += Buffer.byteLength(text);
    if (!this.#stream.write(text)) {
      await once(this.#stream, "drain");
    }
    this.#throwIfFailed();
  }
}
