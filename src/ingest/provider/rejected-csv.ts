import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";

import type { RejectedRow } from "../report.js";

const REJECTED_CSV_HEADER = "file,row,field,value,rule,hint\n";

/** Creates the CSV that receives the rejected rows of an import, with its header. */
export async function openRejectedCsv(file: string): Promise<WriteStream> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const stream = createWriteStream(file, { encoding: "utf8" });
  stream.write(REJECTED_CSV_HEADER);
  return stream;
}

export function writeRejectedRow(stream: WriteStream, row: RejectedRow): void {
  const fields = [
    row.file,
    String(row.row),
    row.field,
    row.value,
    row.rule,
    row.hint,
  ];
  stream.write(`${fields.map(quoteCsvField).join(",")}\n`);
}

export async function closeRejectedCsv(
  stream: WriteStream | undefined,
): Promise<void> {
  if (stream === undefined) {
    return;
  }
  stream.end();
  await finished(stream);
}

function quoteCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
