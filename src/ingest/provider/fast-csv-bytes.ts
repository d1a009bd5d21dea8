import { mapColumns } from "./columns.js";
import { DEFAULT_MAX_LINE_LENGTH, type CsvReadOptions } from "./csv.js";
import { decodeUtf8, invalidUtf8Error, Utf8Validator } from "./encoding.js";
import {
  BaseStationReader,
  clockSecondsAt,
  handOver,
  HOUR_AT,
  isSplittable,
  parsePlainHeader,
  readNormalisedCsvBatches,
  readTextLines,
  SECONDS_END,
  type NormalisedItem,
  type PlainHeader,
  type ScanItem,
  type Template,
} from "./fast-csv.js";
import { parseIsoInstant } from "./iso-time.js";
import type { KindSpec } from "./kinds.js";
import type { NormaliseOptions } from "./normalise.js";

const NEWLINE = 0x0a;
const RETURN = 0x0d;
const QUOTE = 0x22;
const COLON = 0x3a;
const DIGIT_ZERO = 0x30;
const FIRST_NON_ASCII = 0x80;

/**
 * Maximum UTF-8 bytes per UTF-16 code unit: three for a character of the
 * Basic Multilingual Plane, four for a pair of units beyond it. A line of
 * more bytes than this many times the longest line allowed is over-long.
 */
const MAX_BYTES_PER_UNIT = 3;

/**
 * Bytes read from the file at a time, and bytes of a chunk read into rows
 * at a time. Reads of 1 MiB wake the event loop less often than reads of
 * 64 KiB. Rows are read in slices of 64 KiB, because each slice gives a
 * batch of rows that stays alive until the next, and larger batches cost
 * more garbage collection. Both were measured on a file of 3.9 million
 * base-station rows.
 */
export const READ_BYTES = 1 << 20;
const SLICE_BYTES = 1 << 16;

/**
 * Reads a UTF-8 CSV provider file from its bytes, with the same items and
 * errors as readNormalisedCsvBatches reading its decoded text. A
 * base-station file whose phone number and time come before its other
 * mapped columns is read line by line in the bytes. A line whose phone
 * number, time and other columns match those of earlier valid rows byte
 * for byte becomes its record without being decoded. Every other line,
 * and every other file, is decoded and read as text.
 */
export function readNormalisedCsvBytes(
  bytes: AsyncIterable<Buffer>,
  file: string,
  spec: KindSpec,
  options: NormaliseOptions,
  csv: CsvReadOptions = {},
): AsyncGenerator<NormalisedItem[]> {
  // Without `givesHits`, the readers make records of every row.
  return readCsvBytes(bytes, file, spec, options, csv, false) as AsyncGenerator<
    NormalisedItem[]
  >;
}

/**
 * Reads a UTF-8 CSV provider file as readNormalisedCsvBytes does, but
 * gives a template hit in place of each record that a template makes.
 */
export function readCsvBytesWithHits(
  bytes: AsyncIterable<Buffer>,
  file: string,
  spec: KindSpec,
  options: NormaliseOptions,
  csv: CsvReadOptions = {},
): AsyncGenerator<ScanItem[]> {
  return readCsvBytes(bytes, file, spec, options, csv, true);
}

async function* readCsvBytes(
  bytes: AsyncIterable<Buffer>,
  file: string,
  spec: KindSpec,
  options: NormaliseOptions,
  csv: CsvReadOptions,
  givesHits: boolean,
): AsyncGenerator<ScanItem[]> {
  if (
    options.kind !== "base-station" ||
    spec.kind !== "base-station" ||
    !isSplittable(csv.delimiter) ||
    !isAscii(csv.delimiter ?? ",")
  ) {
    yield* readNormalisedCsvBatches(
      decodeUtf8(bytes, file),
      file,
      spec,
      options,
      csv,
    );
    return;
  }
  yield* readBaseStationBytes(bytes, file, spec, options, csv, givesHits);
}

async function* readBaseStationBytes(
  bytes: AsyncIterable<Buffer>,
  file: string,
  spec: KindSpec,
  options: NormaliseOptions,
  csv: CsvReadOptions,
  givesHits: boolean,
): AsyncGenerator<ScanItem[]> {
  const maxLineLength = csv.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const input = new Utf8Chunks(bytes, file);
  const head = await readHead(input, maxLineLength);
  const readAsText = () =>
    readNormalisedCsvBatches(
      decodeUtf8(input.restAfter([head]), file),
      file,
      spec,
      options,
      csv,
    );
  const newline = head.indexOf(NEWLINE);
  if (newline === -1) {
    yield* readAsText();
    return;
  }
  const headerText = new TextDecoder("utf-8").decode(
    head.subarray(0, newline + 1),
  );
  const header = parsePlainHeader(headerText, maxLineLength, csv.delimiter);
  if (header === undefined || !isAscii(header.delimiter)) {
    yield* readAsText();
    return;
  }
  const columns = mapColumns(header.names, spec, file);
  const reader = new BaseStationReader(
    file,
    columns,
    header,
    options,
    maxLineLength,
  );
  if (reader.tailKeyField < 0) {
    yield* readAsText();
    return;
  }
  reader.givesHits = givesHits;
  yield [{ type: "header", delimiter: header.delimiter, columns }];
  const lines = new ByteLines(reader, header, input, spec, options);
  yield* lines.read(head.subarray(newline + 1));
}

/** Reads chunks until they contain a line break or more bytes than a header line may have. */
async function readHead(
  input: Utf8Chunks,
  maxLineLength: number,
): Promise<Buffer> {
  const limit = (maxLineLength + 2) * MAX_BYTES_PER_UNIT;
  let head: Buffer = Buffer.alloc(0);
  while (!head.includes(NEWLINE) && head.length <= limit) {
    const chunk = await input.next();
    if (chunk === undefined) {
      break;
    }
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
  }
  return head;
}

/**
 * The chunks of a UTF-8 file, each checked before it is handed out, so
 * that a file with invalid bytes fails at the chunk where decoding it
 * would have failed, with the same error.
 */
class Utf8Chunks {
  /** Bytes of the file before the chunk read last, where an error is reported. */
  offset = 0;
  readonly #chunks: AsyncIterator<Buffer>;
  readonly #file: string;
  readonly #validator = new Utf8Validator();
  #end = 0;
  /** The part of the last chunk read that is not handed out yet. */
  #left: Buffer = Buffer.alloc(0);

  constructor(chunks: AsyncIterable<Buffer>, file: string) {
    this.#chunks = chunks[Symbol.asyncIterator]();
    this.#file = file;
  }

  /** Returns the next slice of at most SLICE_BYTES, or undefined at the end of the file. */
  async next(): Promise<Buffer | undefined> {
    while (this.#left.length === 0) {
      const next = await this.#chunks.next();
      if (next.done === true) {
        if (!this.#validator.finish()) {
          throw invalidUtf8Error(this.#file, this.offset);
        }
        return undefined;
      }
      const chunk = next.value;
      this.offset = this.#end;
      this.#validator.push(chunk);
      if (!this.#validator.isValid) {
        throw invalidUtf8Error(this.#file, this.offset);
      }
      this.#left = chunk;
    }
    const slice = this.#left.subarray(0, SLICE_BYTES);
    this.#left = this.#left.subarray(slice.length);
    this.#end += slice.length;
    return slice;
  }

  /** Bytes of the file handed out so far. */
  get end(): number {
    return this.#end;
  }

  /**
   * Yields `waiting`, bytes left of those handed out, and then the chunks
   * not yet handed out, which are no longer checked here.
   */
  async *restAfter(waiting: readonly Buffer[]): AsyncGenerator<Buffer> {
    for (const bytes of [...waiting, this.#left]) {
      if (bytes.length > 0) {
        yield bytes;
      }
    }
    this.#left = Buffer.alloc(0);
    for (;;) {
      const next = await this.#chunks.next();
      if (next.done === true) {
        return;
      }
      yield next.value;
    }
  }
}

/** A template found by the bytes of its key. */
interface ByteTemplate {
  key: Buffer;
  template: Template;
}

/** The last time read from bytes, from which a time that differs in hh:mm:ss alone is computed. */
interface ByteTime {
  bytes: Buffer;
  clockSeconds: number;
  epochMillis: number;
}

/** The outcome of reading the whole lines of a buffer. */
type ByteOutcome =
  /** Read more bytes: the rest from `position` on is an unfinished line. */
  | { type: "more"; position: number }
  /** Read the rest of the file, from `position` on, as text. */
  | { type: "text"; position: number }
  /** Hand the file over to readCsvRows from the line in `rest`, whose bytes end before `position`. */
  | { type: "hand-over"; rest: string; position: number };

/**
 * Reads the lines of a base-station file after its header in the bytes,
 * with a BaseStationReader that keeps the count of lines and rows, reads
 * every line that does not match, learns the templates and makes the
 * records.
 */
class ByteLines {
  readonly #reader: BaseStationReader;
  readonly #header: PlainHeader;
  readonly #input: Utf8Chunks;
  readonly #spec: KindSpec;
  readonly #options: NormaliseOptions;
  readonly #delimiter: number;
  readonly #isCrlf: boolean;
  /** Bytes of an unfinished line beyond which it is over-long in any case. */
  readonly #longLineBytes: number;
  readonly #starts: Int32Array;
  readonly #templates = new Map<number, ByteTemplate[]>();
  #lastTemplate: ByteTemplate | undefined;
  #lastPhone: Buffer | undefined;
  #lastPhoneDigits = "";
  #time: ByteTime | undefined;
  /**
   * The buffer that the positions of the next quote, carriage return,
   * line break and delimiter are in.
   */
  #scanned: Buffer | undefined;
  #nextQuote = -1;
  #nextReturn = -1;
  #nextLineBreak = -1;
  #nextDelimiterAt = -1;

  constructor(
    reader: BaseStationReader,
    header: PlainHeader,
    input: Utf8Chunks,
    spec: KindSpec,
    options: NormaliseOptions,
  ) {
    this.#reader = reader;
    this.#header = header;
    this.#input = input;
    this.#spec = spec;
    this.#options = options;
    this.#delimiter = header.delimiter.charCodeAt(0);
    this.#isCrlf = header.ending === "\r\n";
    this.#longLineBytes = (reader.maxLineLength + 2) * MAX_BYTES_PER_UNIT;
    this.#starts = new Int32Array(reader.tailKeyField + 1);
  }

  /** Reads the file from `first`, the bytes after the header line, to its end. */
  async *read(first: Buffer): AsyncGenerator<ScanItem[]> {
    let buffer = first;
    let position = 0;
    // Bytes of the file that follow `buffer`, read but not yet looked at.
    let next: Buffer | undefined;
    for (;;) {
      const outcome = this.#readLines(buffer, position);
      const items = this.#reader.takeItems();
      if (items.length > 0) {
        yield items;
      }
      const rest = buffer.subarray(outcome.position);
      const waiting = next === undefined ? [rest] : [rest, next];
      if (outcome.type === "hand-over") {
        yield* handOver(
          this.#reader,
          this.#header,
          outcome.rest,
          this.#textOf(waiting),
          this.#spec,
          this.#options,
        );
        return;
      }
      if (outcome.type === "text" || rest.length > this.#longLineBytes) {
        yield* this.#readAsText(waiting);
        return;
      }
      const chunk = next ?? (await this.#input.next());
      next = undefined;
      if (chunk === undefined) {
        yield* this.#readAsText([rest]);
        return;
      }
      position = 0;
      const newline = rest.length === 0 ? -1 : chunk.indexOf(NEWLINE);
      if (rest.length === 0) {
        buffer = chunk;
      } else if (newline === -1) {
        buffer = Buffer.concat([rest, chunk]);
      } else {
        // Join the unfinished line with the chunk up to its line break
        // only, so that the whole chunk is not copied.
        buffer = Buffer.concat([rest, chunk.subarray(0, newline + 1)]);
        next = chunk.subarray(newline + 1);
      }
    }
  }

  /** Reads the rest of the file as text, from the bytes `waiting` on. */
  #readAsText(waiting: Buffer[]): AsyncGenerator<ScanItem[]> {
    // No line is matched in the bytes from here on.
    this.#templates.clear();
    this.#lastTemplate = undefined;
    return readTextLines(
      this.#reader,
      this.#header,
      this.#textOf(waiting),
      "",
      this.#spec,
      this.#options,
    );
  }

  /** Decodes the rest of the file, from the bytes `waiting` on. */
  #textOf(waiting: Buffer[]): AsyncIterator<string> {
    let waitingBytes = 0;
    for (const bytes of waiting) {
      waitingBytes += bytes.length;
    }
    const text = decodeUtf8(this.#input.restAfter(waiting), this.#reader.file, {
      offset: this.#input.end - waitingBytes,
      isFileStart: false,
    });
    return text[Symbol.asyncIterator]();
  }

  /** Reads the whole lines of `buffer` from `position` on. */
  #readLines(buffer: Buffer, position: number): ByteOutcome {
    let start = position;
    for (;;) {
      const next = this.#readHit(buffer, start);
      if (next !== -1) {
        start = next;
        continue;
      }
      const newline = buffer.indexOf(NEWLINE, start);
      if (newline === -1) {
        return { type: "more", position: start };
      }
      const handed = this.#readAsTextLine(buffer, start, newline);
      if (handed !== undefined) {
        return { type: "hand-over", rest: handed, position: newline + 1 };
      }
      if (!this.#reader.isCaching) {
        return { type: "text", position: newline + 1 };
      }
      start = newline + 1;
    }
  }

  /**
   * Reads the line at `start` as a template's record when it is whole and
   * plain and its key, phone number and time match. Returns where the next
   * line starts, or -1, having read nothing, otherwise.
   */
  #readHit(buffer: Buffer, start: number): number {
    const keyStart = this.#findKey(buffer, start);
    if (keyStart === -1) {
      return -1;
    }
    let template: Template;
    let end: number;
    const last = this.#lastTemplate;
    if (last !== undefined && this.#endsWithKey(buffer, keyStart, last.key)) {
      template = last.template;
      end = keyStart + last.key.length;
    } else {
      end = this.#contentEnd(buffer, keyStart);
      const found =
        end === -1 ? undefined : this.#templateAt(buffer, keyStart, end);
      if (found === undefined) {
        return -1;
      }
      template = found;
    }
    if (end - start > this.#reader.maxLineLength) {
      return -1;
    }
    const phone = this.#phoneAt(buffer, this.#reader.phoneIndex);
    if (phone === undefined) {
      return -1;
    }
    const epochMillis = this.#timeAt(buffer, this.#reader.timeIndex);
    if (epochMillis === undefined) {
      return -1;
    }
    this.#reader.readHit(template, phone, epochMillis, buffer, start, end);
    return end + (this.#isCrlf ? 2 : 1);
  }

  /**
   * Finds the fields before the key of the line at `start`, keeping where
   * each starts. Returns where the key starts, or -1 when the line ends
   * first or has a quote or a carriage return in those fields.
   */
  #findKey(buffer: Buffer, start: number): number {
    const lineEnd = this.#nextNewline(buffer, start);
    const starts = this.#starts;
    starts[0] = start;
    let index = start;
    for (let field = 1; field <= this.#reader.tailKeyField; field++) {
      // The fields found must lie on one line.
      const delimiter = this.#nextDelimiter(buffer, index);
      if (delimiter >= lineEnd) {
        return -1;
      }
      index = delimiter + 1;
      starts[field] = index;
    }
    // The fields must have no quotes or carriage returns either, because
    // the key is checked against a template's key, which has none.
    return this.#isPlain(buffer, start, index) ? index : -1;
  }

  /** True when the line's key at `keyStart` is `key`, followed by the file's line break. */
  #endsWithKey(buffer: Buffer, keyStart: number, key: Buffer): boolean {
    const keyEnd = keyStart + key.length;
    if (this.#isCrlf) {
      if (buffer[keyEnd] !== RETURN || buffer[keyEnd + 1] !== NEWLINE) {
        return false;
      }
    } else if (buffer[keyEnd] !== NEWLINE) {
      return false;
    }
    return equalBytes(buffer, keyStart, keyEnd, key);
  }

  /**
   * Returns the end of the line that goes on at `from`, before its line
   * break, or -1 when the line is unfinished, is not plain, or does not
   * end as the file's lines do.
   */
  #contentEnd(buffer: Buffer, from: number): number {
    const newline = buffer.indexOf(NEWLINE, from);
    if (newline === -1) {
      return -1;
    }
    let end = newline;
    if (this.#isCrlf) {
      if (newline === from || buffer[newline - 1] !== RETURN) {
        return -1;
      }
      end--;
    }
    return this.#isPlain(buffer, from, end) ? end : -1;
  }

  /** Returns true when the bytes have no quote and no carriage return, tracking the next of each in `buffer`. */
  #isPlain(buffer: Buffer, start: number, end: number): boolean {
    if (this.#scanned !== buffer) {
      this.#scanned = buffer;
      this.#nextQuote = -1;
      this.#nextReturn = -1;
      this.#nextLineBreak = -1;
      this.#nextDelimiterAt = -1;
    }
    if (this.#nextQuote < start) {
      this.#nextQuote = indexOrLength(buffer, QUOTE, start);
    }
    if (this.#nextReturn < start) {
      this.#nextReturn = indexOrLength(buffer, RETURN, start);
    }
    return this.#nextQuote >= end && this.#nextReturn >= end;
  }

  /** Returns where the first line break at or after `start` is in `buffer`, or its length. */
  #nextNewline(buffer: Buffer, start: number): number {
    if (this.#scanned !== buffer) {
      this.#isPlain(buffer, start, start);
    }
    if (this.#nextLineBreak < start) {
      this.#nextLineBreak = indexOrLength(buffer, NEWLINE, start);
    }
    return this.#nextLineBreak;
  }

  /**
   * Returns where the first delimiter at or after `start` is in `buffer`,
   * or its length. The position is kept, so that a run of lines without
   * delimiters, such as blank lines, is searched once, not once a line.
   */
  #nextDelimiter(buffer: Buffer, start: number): number {
    if (this.#scanned !== buffer) {
      this.#isPlain(buffer, start, start);
    }
    if (this.#nextDelimiterAt < start) {
      this.#nextDelimiterAt = indexOrLength(buffer, this.#delimiter, start);
    }
    return this.#nextDelimiterAt;
  }

  /** The end of field `index` of the current line, which comes before the key. */
  #fieldEnd(index: number): number {
    return this.#starts[index + 1]! - 1;
  }

  #templateAt(
    buffer: Buffer,
    start: number,
    end: number,
  ): Template | undefined {
    const last = this.#lastTemplate;
    if (last !== undefined && equalBytes(buffer, start, end, last.key)) {
      return last.template;
    }
    const candidates = this.#templates.get(hashBytes(buffer, start, end));
    if (candidates === undefined) {
      return undefined;
    }
    for (const candidate of candidates) {
      if (equalBytes(buffer, start, end, candidate.key)) {
        this.#lastTemplate = candidate;
        return candidate.template;
      }
    }
    return undefined;
  }

  /** Returns the digits of the phone number of field `index` when an earlier valid row had the same text. */
  #phoneAt(buffer: Buffer, index: number): string | undefined {
    const start = this.#starts[index]!;
    const end = this.#fieldEnd(index);
    const last = this.#lastPhone;
    if (last !== undefined && equalBytes(buffer, start, end, last)) {
      return this.#lastPhoneDigits;
    }
    if (!isAsciiBytes(buffer, start, end)) {
      return undefined;
    }
    const digits = this.#reader.phoneDigitsOf(
      buffer.toString("latin1", start, end),
    );
    if (digits !== undefined) {
      this.#lastPhone = Buffer.from(buffer.subarray(start, end));
      this.#lastPhoneDigits = digits;
    }
    return digits;
  }

  /**
   * Returns the instant of the time of field `index` when parseIsoInstant
   * reads it as the text reader does, or undefined. As there, a time that
   * differs from the last one only in its hour, minute and second digits
   * is computed from the last one.
   */
  #timeAt(buffer: Buffer, index: number): number | undefined {
    const start = this.#starts[index]!;
    const end = this.#fieldEnd(index);
    const last = this.#time;
    if (
      last !== undefined &&
      end - start === last.bytes.length &&
      equalBytes(buffer, start, start + HOUR_AT, last.bytes, 0, HOUR_AT) &&
      equalBytes(buffer, start + SECONDS_END, end, last.bytes, SECONDS_END)
    ) {
      const clockSeconds = clockSecondsIn(buffer, start + HOUR_AT);
      if (clockSeconds !== undefined) {
        return last.epochMillis + (clockSeconds - last.clockSeconds) * 1000;
      }
    }
    if (!isAsciiBytes(buffer, start, end)) {
      return undefined;
    }
    const text = buffer.toString("latin1", start, end);
    if (text.trim() !== text) {
      return undefined;
    }
    const time = parseIsoInstant(text);
    if (time?.type !== "instant" || time.assumedZone) {
      return undefined;
    }
    const clockSeconds = clockSecondsAt(text, HOUR_AT);
    if (clockSeconds !== undefined) {
      this.#time = {
        bytes: Buffer.from(buffer.subarray(start, end)),
        clockSeconds,
        epochMillis: time.epochMillis,
      };
    }
    return time.epochMillis;
  }

  /**
   * Decodes the line and reads it with the text reader, which may learn a
   * template from it. Returns the line's text when the reader hands the
   * file over to readCsvRows from this line on.
   */
  #readAsTextLine(
    buffer: Buffer,
    start: number,
    newline: number,
  ): string | undefined {
    const reader = this.#reader;
    const text = buffer.toString("utf8", start, newline + 1);
    reader.learned = undefined;
    const outcome = reader.readLines(text, false);
    reader.unfinishedLine(text);
    if (outcome.type === "hand-over") {
      return outcome.rest;
    }
    const learned = reader.learned;
    if (learned !== undefined) {
      reader.learned = undefined;
      this.#learn(buffer, start, newline, learned);
    }
    return undefined;
  }

  /** Keeps the bytes of the key of a line that the text reader learned `template` from. */
  #learn(
    buffer: Buffer,
    start: number,
    newline: number,
    template: Template,
  ): void {
    const end = this.#isCrlf ? newline - 1 : newline;
    let keyStart = start;
    for (let field = 1; field <= this.#reader.tailKeyField; field++) {
      keyStart = buffer.indexOf(this.#delimiter, keyStart) + 1;
    }
    const hash = hashBytes(buffer, keyStart, end);
    let candidates = this.#templates.get(hash);
    if (candidates === undefined) {
      candidates = [];
      this.#templates.set(hash, candidates);
    }
    if (
      !candidates.some((candidate) =>
        equalBytes(buffer, keyStart, end, candidate.key),
      )
    ) {
      const key = Buffer.from(buffer.subarray(keyStart, end));
      candidates.push({ key, template });
    }
  }
}

/**
 * Returns the seconds of the day of the `hh:mm:ss` at `start`, as
 * clockSecondsAt reads it in text, or undefined.
 */
function clockSecondsIn(buffer: Buffer, start: number): number | undefined {
  if (buffer[start + 2] !== COLON || buffer[start + 5] !== COLON) {
    return undefined;
  }
  const hour = twoDigitsIn(buffer, start);
  const minute = twoDigitsIn(buffer, start + 3);
  const second = twoDigitsIn(buffer, start + 6);
  if (hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  return hour * 3600 + minute * 60 + second;
}

/** Returns the number of two ASCII digits, or 99 when they are not digits. */
function twoDigitsIn(buffer: Buffer, start: number): number {
  const tens = buffer[start]! - DIGIT_ZERO;
  const ones = buffer[start + 1]! - DIGIT_ZERO;
  if (tens < 0 || tens > 9 || ones < 0 || ones > 9) {
    return 99;
  }
  return tens * 10 + ones;
}

function indexOrLength(buffer: Buffer, byte: number, start: number): number {
  const index = buffer.indexOf(byte, start);
  return index === -1 ? buffer.length : index;
}

/** True when `buffer` from `start` to `end` contains the bytes of `other` from `otherStart` to `otherEnd`. */
function equalBytes(
  buffer: Buffer,
  start: number,
  end: number,
  other: Buffer,
  otherStart = 0,
  otherEnd = other.length,
): boolean {
  if (end - start !== otherEnd - otherStart) {
    return false;
  }
  for (let index = 0; index < end - start; index++) {
    if (buffer[start + index] !== other[otherStart + index]) {
      return false;
    }
  }
  return true;
}

/**
 * FNV-1a hash of the bytes from `start` to `end`, cut to 30 bits so that
 * V8 keeps it as a small integer, which a Map finds without allocating.
 */
function hashBytes(buffer: Buffer, start: number, end: number): number {
  let hash = 0x811c9dc5 | 0;
  for (let index = start; index < end; index++) {
    hash = Math.imul(hash ^ buffer[index]!, 0x01000193);
  }
  return hash & 0x3fffffff;
}

function isAsciiBytes(buffer: Buffer, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    if (buffer[index]! >= FIRST_NON_ASCII) {
      return false;
    }
  }
  return true;
}

function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) >= FIRST_NON_ASCII) {
      return false;
    }
  }
  return true;
}
