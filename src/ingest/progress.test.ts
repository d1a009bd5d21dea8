import { PassThrough } from "node:stream";

import { describe, expect, it } from "vitest";

import { createTerminalProgress, silentProgress } from "./progress.js";

/** Creates a stream that reports itself as a terminal or not and keeps what is written. */
function fakeStream(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & {
    isTTY: boolean;
    columns: number;
    cursorTo: () => boolean;
    clearLine: () => boolean;
    moveCursor: () => boolean;
  };
  stream.isTTY = isTTY;
  stream.columns = 80;
  stream.cursorTo = () => true;
  stream.clearLine = () => true;
  stream.moveCursor = () => true;
  const chunks: string[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
  return { stream: stream as unknown as NodeJS.WriteStream, chunks };
}

describe("createTerminalProgress", () => {
  it("is silent when the stream is not a terminal", () => {
    const { stream, chunks } = fakeStream(false);
    const progress = createTerminalProgress(stream);

    progress.start(10, "rows");
    progress.increment(5);
    progress.stop();
    expect(progress).toBe(silentProgress);
    expect(chunks).toEqual([]);
  });

  it("draws a bar on a terminal", async () => {
    const { stream, chunks } = fakeStream(true);
    const progress = createTerminalProgress(stream);

    progress.start(10, "visits");
    progress.increment(10);
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks.join("")).toContain("10/10 visits");
  });
});
