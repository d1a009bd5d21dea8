import type { RejectedRow } from "../report.js";
import { mapColumns, type ColumnMap } from "./columns.js";
import {
  checkRecordShape,
  countQuotes,
  DEFAULT_MAX_LINE_LENGTH,
  detectDelimiter,
  markerLine,
  readCsvRows,
  restOfText,
  splitPlainLine,
  type CsvItem,
  type CsvReadOptions,
} from "./csv.js";
import { ProviderFileError } from "./errors.js";
import { parseIsoInstant } from "./iso-time.js";
import type { KindSpec } from "./kinds.js";
import { normaliseRow, type NormaliseOptions } from "./normalise.js";
import type { ProviderRecord } from "./records.js";
import type { SourceRow } from "./row-reader.js";
import type { StagedRecord } from "./staging.js";

/**
 * A base-station row whose line matched a template byte for byte, before
 * its record is made (`recordOfHit` makes it). On request, a reader gives
 * hits in place of records, so that a receiver of series takes the row
 * without a record, a source row and their JSON. The receiver fills in the
 * subject, sequence, rows and JSON texts and passes the hit on as the
 * staged record, which reads its place columns from the template.
 */
export class TemplateHit implements StagedRecord {
  readonly type = "hit";
  readonly reader: BaseStationReader;
  readonly template: Template;
  /** The digits of the phone number. */
  readonly phone: string;
  readonly instant: number;
  readonly row: number;
  /** The bytes that contain the line, and the line's start and end in them. */
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
  seq = 0;
  subjectIndex = 0;
  subject: string | null = null;
  fileIndex = 0;
  rows: number[] = NO_ROWS;
  detailsJson = "";
  flagsJson = "";

  constructor(
    reader: BaseStationReader,
    template: Template,
    phone: string,
    instant: number,
    row: number,
    line: { bytes: Buffer; start: number; end: number },
  ) {
    this.reader = reader;
    this.template = template;
    this.phone = phone;
    this.instant = instant;
    this.row = row;
    this.bytes = line.bytes;
    this.start = line.start;
    this.end = line.end;
  }

  get startedAt(): number {
    return this.instant;
  }

  get endedAt(): number {
    return this.instant;
  }

  get visitDate(): string | null {
    return this.template.visitDate;
  }

  get latitude(): number | null {
    return this.template.latitude;
  }

  get longitude(): number | null {
    return this.template.longitude;
  }

  get radiusMeters(): number | null {
    return this.template.radiusMeters;
  }

  get altitudeMeters(): number | null {
    return this.template.altitudeMeters;
  }

  get placeName(): string | null {
    return this.template.placeName;
  }

  get address(): string | null {
    return this.template.address;
  }

  get placeTypesJson(): string {
    return this.template.placeTypesJson;
  }

  get note(): string | null {
    return this.template.note;
  }

  get sharedPlace(): Template {
    return this.template;
  }
}

/** The rows of a hit whose receiver has not given it its own list. */
const NO_ROWS: number[] = [];

/** Items of a CSV provider file as a reader that gives template hits yields them. */
export type ScanItem = NormalisedItem | TemplateHit;

/** Returns the record of a template hit, with its source row, as the reader would have made them. */
export function recordOfHit(hit: TemplateHit): {
  record: ProviderRecord;
  source: SourceRow;
} {
  return hit.reader.recordOfHit(hit);
}

/** Items of a CSV provider file in file order, each data row already normalised. */
export type NormalisedItem =
  | { type: "header"; delimiter: string; columns: ColumnMap }
  | { type: "record"; record: ProviderRecord; source: SourceRow }
  | { type: "invalid"; source: SourceRow; rejections: RejectedRow[] }
  | { type: "rejected"; rejection: RejectedRow };

/**
 * Reads a CSV provider file of `options.kind` and normalises each row. The
 * items equal, one by one, those of readCsvRows followed by normaliseRow
 * on each row, and so do the ProviderFileErrors.
 *
 * Records of base-station files may share their `details`, `flags` and
 * `placeTypes` objects with other records, and shared ones are frozen.
 * `subject` and `rows` are always the record's own. The `values` of a
 * row's source may be a getter on its prototype, which object spread
 * does not copy, and such a source keeps its decoded chunk alive.
 */
export async function* readNormalisedCsv(
  text: AsyncIterable<string>,
  file: string,
  spec: KindSpec,
  options: NormaliseOptions,
  csv: CsvReadOptions = {},
): AsyncGenerator<NormalisedItem> {
  for await (const batch of readNormalisedCsvBatches(
    text,
    file,
    spec,
    options,
    csv,
  )) {
    for (const item of batch) {
      yield item;
    }
  }
}

/**
 * Yields the items of `readNormalisedCsv` in batches, in file order. An
 * async iteration step costs about as much as reading a row, so a caller
 * that loops over batches reads a file faster. A batch is never empty.
 */
export async function* readNormalisedCsvBatches(
  text: AsyncIterable<string>,
  file: string,
  spec: KindSpec,
  options: NormaliseOptions,
  csv: CsvReadOptions = {},
): AsyncGenerator<NormalisedItem[]> {
  if (
    options.kind !== "base-station" ||
    spec.kind !== "base-station" ||
    !isSplittable(csv.delimiter)
  ) {
    yield* normaliseCsvItems(readCsvRows(text, file, spec, csv), options);
    return;
  }
  yield* readBaseStationCsv(text, file, spec, options, csv);
}

/** Items per batch of the generic path, which waits for a batch to fill. */
const GENERIC_BATCH_ITEMS = 256;

/** Rows read before readCsvRows took over the rest of a file. */
interface HandOver {
  /** Added to the row numbers of readCsvRows. */
  rowOffset: number;
}

/**
 * Normalises the items of readCsvRows. After a hand-over, the header is
 * dropped and the rows are renumbered. A batch that is not yet full is
 * yielded before an error is passed on, so the caller sees every item
 * that the item-by-item sequence gives.
 */
async function* normaliseCsvItems(
  items: AsyncIterable<CsvItem>,
  options: NormaliseOptions,
  handOver?: HandOver,
): AsyncGenerator<NormalisedItem[]> {
  let batch: NormalisedItem[] = [];
  try {
    for await (const item of items) {
      const normalised = normaliseCsvItem(item, options, handOver);
      if (normalised !== undefined) {
        batch.push(normalised);
      }
      if (batch.length >= GENERIC_BATCH_ITEMS) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (batch.length > 0) {
      yield batch;
    }
    throw error;
  }
  if (batch.length > 0) {
    yield batch;
  }
}

/** Returns the item normalised, or undefined for a header after a hand-over. */
function normaliseCsvItem(
  item: CsvItem,
  options: NormaliseOptions,
  handOver: HandOver | undefined,
): NormalisedItem | undefined {
  if (item.type === "header") {
    return handOver === undefined ? item : undefined;
  }
  const offset = handOver?.rowOffset ?? 0;
  if (item.type === "rejected") {
    return offset === 0
      ? item
      : {
          type: "rejected",
          rejection: { ...item.rejection, row: item.rejection.row + offset },
        };
  }
  const source =
    offset === 0 ? item.row : { ...item.row, row: item.row.row + offset };
  return normaliseSource(source, options);
}

function normaliseSource(
  source: SourceRow,
  options: NormaliseOptions,
): NormalisedItem {
  const result = normaliseRow(source, options);
  return result.ok
    ? { type: "record", record: result.record, source }
    : { type: "invalid", source, rejections: result.rejections };
}

/**
 * Returns true when the fast reader can split by the delimiter: one
 * character that is not a quote or a line break.
 */
export function isSplittable(delimiter: string | undefined): boolean {
  return (
    delimiter === undefined ||
    (delimiter.length === 1 && !'"\r\n'.includes(delimiter))
  );
}

/** Templates kept at most; beyond it, rows of new templates go through normaliseRow. */
const MAX_TEMPLATES = 1 << 16;
/** Phone numbers kept at most, with their digits. */
const MAX_PHONES = 1 << 16;
/**
 * Maximum length of a cached template key or phone number text, in UTF-16
 * code units. Keys of real files (cell, position, operator and address)
 * are far shorter. Without the bound, a file that repeats long lines keeps
 * more memory than its own size. With it, the cached texts of one file
 * take at most about 120 MB, an estimate for 65,536 keys and phone texts
 * of 256 units, each key kept as text and as UTF-8 bytes.
 */
const MAX_CACHED_TEXT_LENGTH = 256;
/**
 * Rows after which the cache is dropped when fewer than one in
 * MIN_HIT_RATE_INVERSE of them hit it. A miss costs normaliseRow's time,
 * over a hundred times that of a lookup, so even a low hit rate pays.
 */
const HIT_RATE_WINDOW = 16_384;
const MIN_HIT_RATE_INVERSE = 16;

const QUOTE = 34;
const RETURN = 13;
const COLON = 58;

/** A record's fields that do not depend on the row's phone number and time. */
export interface Template {
  /** Text of the other mapped columns of the line it was made from. */
  key: string;
  visitDate: string | null;
  latitude: number | null;
  longitude: number | null;
  radiusMeters: number | null;
  altitudeMeters: number | null;
  placeName: string | null;
  address: string | null;
  placeTypes: string[];
  note: string | null;
  flags: string[];
  /** Details of the first record; each phone fills in its own `phoneLast4`. */
  details: Record<string, string | number | boolean>;
  /** JSON of `details` before and after the value of `phoneLast4`, or undefined when it cannot be cut there. */
  detailsJsonAround: [string, string] | undefined;
  /** Phone digits whose details JSON was made last, their last 4 digits and that JSON. */
  jsonPhone: string;
  jsonPhoneLast4: unknown;
  detailsJson: string;
  /** JSON of `placeTypes` and of `flags`, as the staging database keeps them. */
  placeTypesJson: string;
  flagsJson: string;
  /** Phone digits of the last record made, whose details are `lastDetails`. */
  lastPhone: string;
  lastDetails: Record<string, string | number | boolean>;
}

/** Outcome of reading the lines of a buffer. */
type LineOutcome =
  /** Read more text: the rest of the buffer is an unfinished line. */
  | { type: "more" }
  /** Pass the text from this line on to readCsvRows. */
  | { type: "hand-over"; rest: string };

/**
 * Reads a base-station CSV file, splitting plain lines in the decoded text
 * itself. A row whose columns other than phone number and time equal those
 * of an earlier valid row takes that row's record as a template. Then only
 * its phone number, known from an earlier valid row, and its time, ISO 8601
 * with an offset, are read. Every other row goes through normaliseRow.
 * From the first line with a quote or a stray carriage return on, the rest
 * of the file goes through readCsvRows.
 */
async function* readBaseStationCsv(
  text: AsyncIterable<string>,
  file: string,
  spec: KindSpec,
  options: NormaliseOptions,
  csv: CsvReadOptions,
): AsyncGenerator<NormalisedItem[]> {
  const maxLineLength = csv.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const chunks = text[Symbol.asyncIterator]();
  const head = await readHeaderText(chunks, maxLineLength);
  const header = parsePlainHeader(head, maxLineLength, csv.delimiter);
  if (header === undefined) {
    yield* normaliseCsvItems(
      readCsvRows(restOfText(head, chunks), file, spec, csv),
      options,
    );
    return;
  }

  const columns = mapColumns(header.names, spec, file);
  yield [{ type: "header", delimiter: header.delimiter, columns }];
  const reader = new BaseStationReader(
    file,
    columns,
    header,
    options,
    maxLineLength,
  );
  // A reader gives template hits only when the byte reader asks it to.
  yield* readTextLines(
    reader,
    header,
    chunks,
    head.slice(header.lineEnd),
    spec,
    options,
  ) as AsyncGenerator<NormalisedItem[]>;
}

/**
 * Reads the lines of a base-station file after those that `reader` has
 * read, from `unfinished` on and then `chunks`. The file ends as
 * readCsvRows would end it: from the first line with a quote or a stray
 * carriage return on, readCsvRows reads the rest, and a file without data
 * rows is an error.
 */
export async function* readTextLines(
  reader: BaseStationReader,
  header: PlainHeader,
  chunks: AsyncIterator<string>,
  unfinished: string,
  spec: KindSpec,
  options: NormaliseOptions,
): AsyncGenerator<ScanItem[]> {
  let outcome: LineOutcome;
  for (;;) {
    const next = await chunks.next();
    const isLast = next.done === true;
    const pieces = isLast ? [unfinished] : piecesOf(unfinished, next.value);
    outcome = { type: "more" };
    for (let index = 0; index < pieces.length; index++) {
      const isLastPiece = isLast && index === pieces.length - 1;
      outcome = reader.readLines(pieces[index]!, isLastPiece);
      if (outcome.type === "hand-over") {
        const rest = pieces.slice(index + 1).join("");
        outcome = { type: "hand-over", rest: outcome.rest + rest };
        break;
      }
      unfinished = reader.unfinishedLine(pieces[index]!);
    }
    const items = reader.takeItems();
    if (items.length > 0) {
      yield items;
    }
    if (outcome.type === "hand-over" || isLast) {
      break;
    }
  }

  if (outcome.type === "hand-over") {
    yield* handOver(reader, header, outcome.rest, chunks, spec, options);
  } else if (reader.rows === 0) {
    throw new ProviderFileError(
      `${reader.file} has a header but no data rows. Export the data again with its rows.`,
      reader.file,
      "no_data_rows",
    );
  }
}

/**
 * Passes the rest of a file, from the line in `rest` on, to readCsvRows,
 * with as many lines before it as `reader` has read so that row and line
 * numbers go on.
 */
export async function* handOver(
  reader: BaseStationReader,
  header: PlainHeader,
  rest: string,
  chunks: AsyncIterator<string>,
  spec: KindSpec,
  options: NormaliseOptions,
): AsyncGenerator<NormalisedItem[]> {
  const handed = `${header.line}${reader.ending.repeat(reader.lines - 1)}${rest}`;
  const items = readCsvRows(restOfText(handed, chunks), reader.file, spec, {
    maxLineLength: reader.maxLineLength,
    delimiter: header.delimiter,
  });
  yield* passOnHandedOver(items, options, reader.rows);
}

/**
 * Normalises the rows that readCsvRows reads after a hand-over. Its
 * no_data_rows error is dropped when rows came before the hand-over.
 */
async function* passOnHandedOver(
  items: AsyncIterable<CsvItem>,
  options: NormaliseOptions,
  rowsBefore: number,
): AsyncGenerator<NormalisedItem[]> {
  try {
    yield* normaliseCsvItems(items, options, { rowOffset: rowsBefore });
  } catch (error) {
    if (
      rowsBefore > 0 &&
      error instanceof ProviderFileError &&
      error.rule === "no_data_rows"
    ) {
      return;
    }
    throw error;
  }
}

/**
 * Splits a chunk after the end of the line that `unfinished` starts, so
 * that only that line is copied, not the whole chunk with it.
 */
function piecesOf(unfinished: string, chunk: string): string[] {
  if (unfinished === "") {
    return [chunk];
  }
  const newline = chunk.indexOf("\n");
  if (newline === -1) {
    return [unfinished + chunk];
  }
  return [unfinished + chunk.slice(0, newline + 1), chunk.slice(newline + 1)];
}

/** Reads chunks until the text contains a line break or more than a line's maximum. */
async function readHeaderText(
  chunks: AsyncIterator<string>,
  maxLineLength: number,
): Promise<string> {
  let head = "";
  while (!head.includes("\n") && head.length <= maxLineLength + 1) {
    const next = await chunks.next();
    if (next.done === true) {
      break;
    }
    head += next.value;
  }
  return head;
}

/** A header line that the fast reader can take, and what it found in it. */
export interface PlainHeader {
  /** The header line with its line break. */
  line: string;
  /** Index after the header's line break in the text read. */
  lineEnd: number;
  ending: "\n" | "\r\n";
  delimiter: string;
  names: string[];
}

/**
 * Splits the header line when readCsvRows would split it the same way:
 * ended by a line break, not blank, within the maximum, without quotes or
 * stray carriage returns. Returns undefined for any other first line, which
 * readCsvRows then reads or rejects.
 */
export function parsePlainHeader(
  head: string,
  maxLineLength: number,
  declared: string | undefined,
): PlainHeader | undefined {
  const newline = head.indexOf("\n");
  if (newline === -1) {
    return undefined;
  }
  const withReturn = head.slice(0, newline);
  const isCrlf = withReturn.endsWith("\r");
  const content = isCrlf ? withReturn.slice(0, -1) : withReturn;
  if (
    content.trim() === "" ||
    content.length > maxLineLength ||
    !isPlain(content, 0, content.length)
  ) {
    return undefined;
  }
  const delimiter = declared ?? detectDelimiter(withReturn);
  if (!isSplittable(delimiter)) {
    return undefined;
  }
  return {
    line: head.slice(0, newline + 1),
    lineEnd: newline + 1,
    ending: isCrlf ? "\r\n" : "\n",
    delimiter,
    names: splitPlainLine(content, delimiter),
  };
}

function isPlain(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE || code === RETURN) {
      return false;
    }
  }
  return true;
}

/**
 * Returns a copy of a string that does not keep the text it was sliced
 * from alive. V8 represents a long slice as a view of its parent string,
 * so a cached slice would hold a whole decoded chunk in memory.
 */
function detached(text: string): string {
  return ` ${text}`.slice(1);
}

function detachedOrNull(text: string | null): string | null {
  return text === null ? null : detached(text);
}

/**
 * The source row of a line read by the fast path, which splits the line
 * only when `values` is read. The line lies in decoded text or in the
 * bytes of a UTF-8 file.
 */
class LineSourceRow implements SourceRow {
  readonly file: string;
  readonly row: number;
  readonly columnNames: Readonly<Record<string, string>>;
  readonly #reader: BaseStationReader;
  /** The text or bytes that contain the line, and the line's start and end in them. */
  readonly #text: string | Buffer;
  readonly #start: number;
  readonly #end: number;
  #values: Record<string, string> | undefined;

  constructor(
    reader: BaseStationReader,
    row: number,
    text: string | Buffer,
    start: number,
    end: number,
  ) {
    this.#reader = reader;
    this.file = reader.file;
    this.row = row;
    this.columnNames = reader.columns.columnNames;
    this.#text = text;
    this.#start = start;
    this.#end = end;
  }

  get values(): Readonly<Record<string, string>> {
    this.#values ??= this.#reader.valuesOf(
      splitPlainLine(
        typeof this.#text === "string"
          ? this.#text.slice(this.#start, this.#end)
          : this.#text.toString("utf8", this.#start, this.#end),
        this.#reader.delimiter,
      ),
    );
    return this.#values;
  }
}

/** The parsed form of the last time read, from which a time that differs in hh:mm:ss alone is computed. */
interface TimeState {
  text: string;
  /** Characters before the hour, `YYYY-MM-DDT`. */
  prefix: string;
  /** Characters after the seconds: fraction and offset. */
  suffix: string;
  /** Seconds of the day as written. */
  clockSeconds: number;
  epochMillis: number;
}

/** Position of the hour in an ISO 8601 time that parseIsoInstant reads. */
export const HOUR_AT = 11;
/** Position after the seconds. */
export const SECONDS_END = 19;

/** The line-by-line state of one base-station file. */
export class BaseStationReader {
  readonly columns: ColumnMap;
  readonly delimiter: string;
  readonly ending: "\n" | "\r\n";
  /** Lines read, header and blank lines included, as readCsvRows counts them. */
  lines = 1;
  /** Data rows read, blank lines excluded. */
  rows = 0;

  readonly file: string;
  readonly maxLineLength: number;
  readonly phoneIndex: number;
  readonly timeIndex: number;
  /**
   * Index of the first other mapped column, or -1 when the phone number or
   * time comes after it. Unless -1, a template key is the rest of the line.
   */
  readonly tailKeyField: number;
  /**
   * The template that the last line read by normaliseRow was found to
   * share with later lines, with its phone number known, or undefined.
   * The byte reader reads it and clears it.
   */
  learned: Template | undefined;
  readonly #options: NormaliseOptions;
  readonly #headerWidth: number;
  /** Indexes of the other mapped columns, in header order, for the template key. */
  readonly #restIndexes: number[];
  /** Start of each field of the current line; one more slot marks the end. */
  readonly #starts: Int32Array;

  #items: ScanItem[] = [];
  /** True when lines matched by the byte reader become template hits, not records. */
  givesHits = false;
  #position = 0;
  #nextQuote = -1;
  #nextReturn = -1;
  /** Length so far of an over-long line whose end is not read yet, or -1. */
  #longLength = -1;
  /** Quotes in the over-long line, whose parity the marker keeps. */
  #longQuotes = 0;
  #longEndsWithReturn = false;

  /** Templates by the text of the line's other mapped columns. */
  readonly #templates = new Map<string, Template>();
  /**
   * Template of the latest line found by its tail key. A phone's next
   * line is often at the same cell, and comparing the text in place
   * costs less than slicing and hashing it.
   */
  #lastTemplate: Template | undefined;
  readonly #phones = new Map<string, string>();
  #isCaching = true;
  #windowRows = 0;
  #windowHits = 0;
  #lastPhoneText = "";
  #lastPhoneDigits = "";
  #time: TimeState | undefined;

  constructor(
    file: string,
    columns: ColumnMap,
    header: PlainHeader,
    options: NormaliseOptions,
    maxLineLength: number,
  ) {
    this.file = file;
    this.columns = columns;
    this.delimiter = header.delimiter;
    this.ending = header.ending;
    this.#options = options;
    this.maxLineLength = maxLineLength;
    this.#headerWidth = header.names.length;
    this.#starts = new Int32Array(this.#headerWidth + 1);
    this.phoneIndex = columns.indexes.get("phone_number")!;
    this.timeIndex = columns.indexes.get("observed_at")!;
    this.#restIndexes = [...columns.indexes.values()]
      .filter((index) => index !== this.phoneIndex && index !== this.timeIndex)
      .sort((a, b) => a - b);
    const first = this.#restIndexes[0] ?? -1;
    this.tailKeyField =
      first > this.phoneIndex && first > this.timeIndex ? first : -1;
  }

  /** False once the file's rows turned out to repeat too rarely for templates to pay. */
  get isCaching(): boolean {
    return this.#isCaching;
  }

  /** Returns the digits of a phone number text that an earlier valid row had. */
  phoneDigitsOf(text: string): string | undefined {
    return this.#phones.get(text);
  }

  /**
   * Takes a line of the bytes of a UTF-8 file that the byte reader found
   * to be plain and to match `template`, with its phone digits and instant
   * read as this reader reads them. `start` and `end` bound the line
   * without its line break.
   */
  readHit(
    template: Template,
    phone: string,
    epochMillis: number,
    bytes: Buffer,
    start: number,
    end: number,
  ): void {
    this.lines++;
    this.#countLookup(true);
    if (this.givesHits) {
      this.rows++;
      this.#items.push(
        new TemplateHit(this, template, phone, epochMillis, this.rows, {
          bytes,
          start,
          end,
        }),
      );
      return;
    }
    const record = this.#newRecord(template, phone, epochMillis);
    const source = new LineSourceRow(this, this.rows, bytes, start, end);
    this.#items.push({ type: "record", record, source });
  }

  /** Returns the record of a hit that this reader gave, with its source row. */
  recordOfHit(hit: TemplateHit): { record: ProviderRecord; source: SourceRow } {
    const record = this.#recordAt(
      hit.template,
      hit.phone,
      hit.instant,
      hit.row,
    );
    const source = new LineSourceRow(
      this,
      hit.row,
      hit.bytes,
      hit.start,
      hit.end,
    );
    return { record, source };
  }

  takeItems(): ScanItem[] {
    const items = this.#items;
    this.#items = [];
    return items;
  }

  /** Returns the unfinished last line of a buffer that readLines has read. */
  unfinishedLine(buffer: string): string {
    const rest =
      this.#position < buffer.length ? buffer.slice(this.#position) : "";
    this.#position = 0;
    this.#nextQuote = -1;
    this.#nextReturn = -1;
    return rest;
  }

  /** Builds the values of a row as readCsvRows does: every mapped column, in map order. */
  valuesOf(record: readonly string[]): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [field, index] of this.columns.indexes) {
      values[field] = record[index] ?? "";
    }
    return values;
  }

  /**
   * Reads the whole lines of `buffer` from the current position, and the
   * last line too when `isLast`. Returns where the rest of the text goes.
   */
  readLines(buffer: string, isLast: boolean): LineOutcome {
    if (this.#longLength >= 0) {
      const outcome = this.#continueLongLine(buffer, isLast);
      if (outcome !== undefined) {
        return outcome;
      }
    }
    for (;;) {
      const start = this.#position;
      if (start >= buffer.length) {
        return { type: "more" };
      }
      const newline = buffer.indexOf("\n", start);
      if (newline === -1) {
        return this.#readUnfinishedLine(buffer, start, isLast);
      }
      const handOver = this.#readLine(buffer, start, newline, false);
      if (handOver) {
        return { type: "hand-over", rest: buffer.slice(start) };
      }
      this.#position = newline + 1;
    }
  }

  #readUnfinishedLine(
    buffer: string,
    start: number,
    isLast: boolean,
  ): LineOutcome {
    if (isLast) {
      const handOver = this.#readLine(buffer, start, buffer.length, true);
      this.#position = buffer.length;
      return handOver
        ? { type: "hand-over", rest: buffer.slice(start) }
        : { type: "more" };
    }
    if (buffer.length - start > this.maxLineLength + 1) {
      this.#longLength = buffer.length - start;
      this.#longQuotes = countQuotes(buffer, start);
      this.#longEndsWithReturn =
        buffer.charCodeAt(buffer.length - 1) === RETURN;
      this.#position = buffer.length;
    }
    return { type: "more" };
  }

  /**
   * Reads on through an over-long line that started in an earlier chunk.
   * Returns undefined when the line ended and the next lines can be read.
   */
  #continueLongLine(buffer: string, isLast: boolean): LineOutcome | undefined {
    const newline = buffer.indexOf("\n");
    const end = newline === -1 ? buffer.length : newline;
    this.#longLength += end;
    this.#longQuotes += countQuotes(buffer, 0, end);
    if (end > 0) {
      this.#longEndsWithReturn = buffer.charCodeAt(end - 1) === RETURN;
    }
    if (newline === -1 && !isLast) {
      this.#position = buffer.length;
      return { type: "more" };
    }
    const marker = this.#markerLine(
      this.#longLength,
      this.#longQuotes,
      this.#longEndsWithReturn,
    );
    this.#longLength = -1;
    const isLastLine = newline === -1;
    if (this.#readMarkerLine(marker, isLastLine)) {
      const rest = isLastLine
        ? marker
        : `${marker}\n${buffer.slice(newline + 1)}`;
      return { type: "hand-over", rest };
    }
    this.#position = isLastLine ? buffer.length : newline + 1;
    return undefined;
  }

  #markerLine(
    length: number,
    quoteCount: number,
    endsWithReturn: boolean,
  ): string {
    const withoutReturn = endsWithReturn ? length - 1 : length;
    const ending = endsWithReturn ? "\r" : "";
    return markerLine(
      withoutReturn,
      this.lines + 1,
      quoteCount % 2 === 1,
      ending,
    );
  }

  /**
   * Reads the line of the buffer from `start` to `end` (its line break
   * excluded), as readCsvRows' limit on line length and its plain-line
   * splitting would. Returns true when the line must go to the CSV parser.
   */
  #readLine(
    buffer: string,
    start: number,
    end: number,
    isLast: boolean,
  ): boolean {
    const endsWithReturn = end > start && buffer.charCodeAt(end - 1) === RETURN;
    const length = end - start - (endsWithReturn ? 1 : 0);
    if (length > this.maxLineLength) {
      const marker = this.#markerLine(
        end - start,
        countQuotes(buffer, start, end),
        endsWithReturn,
      );
      return this.#readMarkerLine(marker, isLast);
    }
    return this.#readShortLine(buffer, start, end, isLast, true);
  }

  /** Reads the marker that replaces an over-long line, as readCsvRows reads it. */
  #readMarkerLine(marker: string, isLast: boolean): boolean {
    return this.#readShortLine(marker, 0, marker.length, isLast, false);
  }

  #readShortLine(
    text: string,
    start: number,
    end: number,
    isLast: boolean,
    isBuffer: boolean,
  ): boolean {
    const endsWithReturn = end > start && text.charCodeAt(end - 1) === RETURN;
    let contentEnd = end;
    if (!isLast) {
      if (endsWithReturn !== (this.ending === "\r\n")) {
        return true;
      }
      if (endsWithReturn) {
        contentEnd--;
      }
    }
    const isPlainLine = isBuffer
      ? this.#isPlainAt(text, start, contentEnd)
      : isPlain(text, start, contentEnd);
    if (!isPlainLine) {
      return true;
    }
    this.lines++;
    if (contentEnd > start) {
      this.#readRecord(text, start, contentEnd);
    }
    return false;
  }

  /** Returns true when the line has no quote and no carriage return, tracking the next of each in `text`. */
  #isPlainAt(text: string, start: number, end: number): boolean {
    if (this.#nextQuote < start) {
      this.#nextQuote = indexOrLength(text, '"', start);
    }
    if (this.#nextReturn < start) {
      this.#nextReturn = indexOrLength(text, "\r", start);
    }
    return this.#nextQuote >= end && this.#nextReturn >= end;
  }

  #readRecord(text: string, start: number, end: number): void {
    if (this.#isCaching) {
      const record =
        this.tailKeyField >= 0
          ? this.#recordFromTailKey(text, start, end)
          : this.#recordFromFields(text, start, end);
      this.#countLookup(record !== undefined);
      if (record !== undefined) {
        const source = new LineSourceRow(
          this,
          record.rows[0]!,
          text,
          start,
          end,
        );
        this.#items.push({ type: "record", record, source });
        return;
      }
    }
    this.#readRecordSlowly(text, start, end);
  }

  /**
   * Looks the line up by the text from its first other mapped column to
   * its end, when the phone number and time come before that column. A
   * line whose key equals that of a template has the header's width,
   * because the template's line had it, so only the leading fields are
   * split.
   */
  #recordFromTailKey(
    text: string,
    start: number,
    end: number,
  ): ProviderRecord | undefined {
    const keyField = this.tailKeyField;
    const starts = this.#starts;
    starts[0] = start;
    let position = start;
    for (let field = 1; field <= keyField; field++) {
      const delimiter = text.indexOf(this.delimiter, position);
      if (delimiter === -1 || delimiter >= end) {
        return undefined;
      }
      position = delimiter + 1;
      starts[field] = position;
    }
    const last = this.#lastTemplate;
    if (
      last !== undefined &&
      end - position === last.key.length &&
      text.startsWith(last.key, position)
    ) {
      return this.#recordOf(last, text);
    }
    const template = this.#templates.get(text.slice(position, end));
    if (template === undefined) {
      return undefined;
    }
    this.#lastTemplate = template;
    return this.#recordOf(template, text);
  }

  /** Looks the line up by the text of its other mapped columns, for other column orders. */
  #recordFromFields(
    text: string,
    start: number,
    end: number,
  ): ProviderRecord | undefined {
    if (this.#findFields(text, start, end) !== this.#headerWidth) {
      return undefined;
    }
    const template = this.#templates.get(this.#fieldsKey(text));
    return template === undefined ? undefined : this.#recordOf(template, text);
  }

  /**
   * Finds the start of each field, up to one more than the header has.
   * Returns the number of fields found, which is past the header's width
   * when the line has more.
   */
  #findFields(text: string, start: number, end: number): number {
    const starts = this.#starts;
    const width = this.#headerWidth;
    starts[0] = start;
    let count = 1;
    let position = start;
    for (;;) {
      const delimiter = text.indexOf(this.delimiter, position);
      if (delimiter === -1 || delimiter >= end) {
        break;
      }
      if (count === width) {
        return width + 1;
      }
      starts[count++] = delimiter + 1;
      position = delimiter + 1;
    }
    starts[count] = end + 1;
    return count;
  }

  #fieldEnd(index: number): number {
    return this.#starts[index + 1]! - 1;
  }

  /** Joins the other mapped columns of a line split by findFields, each followed by the delimiter. */
  #fieldsKey(text: string): string {
    let key = "";
    for (const index of this.#restIndexes) {
      key += `${text.slice(this.#starts[index]!, this.#fieldEnd(index))}${this.delimiter}`;
    }
    return key;
  }

  /** Returns the template key of a line that findFields split into the header's width. */
  #templateKey(text: string, end: number): string {
    return this.tailKeyField >= 0
      ? text.slice(this.#starts[this.tailKeyField]!, end)
      : this.#fieldsKey(text);
  }

  /** Returns the record of the current line from its template, or undefined when the line needs normaliseRow. */
  #recordOf(template: Template, text: string): ProviderRecord | undefined {
    const phone = this.#phoneDigits(text);
    if (phone === undefined) {
      return undefined;
    }
    const epochMillis = this.#readTime(text);
    if (epochMillis === undefined) {
      return undefined;
    }
    return this.#newRecord(template, phone, epochMillis);
  }

  #newRecord(
    template: Template,
    phone: string,
    epochMillis: number,
  ): ProviderRecord {
    this.rows++;
    return this.#recordAt(template, phone, epochMillis, this.rows);
  }

  #recordAt(
    template: Template,
    phone: string,
    epochMillis: number,
    row: number,
  ): ProviderRecord {
    return {
      kind: "base-station",
      subject: phone,
      file: this.file,
      rows: [row],
      startedAt: epochMillis,
      endedAt: epochMillis,
      visitDate: template.visitDate,
      latitude: template.latitude,
      longitude: template.longitude,
      radiusMeters: template.radiusMeters,
      altitudeMeters: template.altitudeMeters,
      placeName: template.placeName,
      address: template.address,
      placeTypes: template.placeTypes,
      note: template.note,
      details: detailsOf(template, phone),
      flags: template.flags,
      sharedPlace: template,
    };
  }

  /** Returns the digits of the line's phone number when an earlier valid row had the same text. */
  #phoneDigits(text: string): string | undefined {
    const start = this.#starts[this.phoneIndex]!;
    const end = this.#fieldEnd(this.phoneIndex);
    const last = this.#lastPhoneText;
    if (
      end - start === last.length &&
      last.length > 0 &&
      text.startsWith(last, start)
    ) {
      return this.#lastPhoneDigits;
    }
    const phoneText = text.slice(start, end);
    const digits = this.#phones.get(phoneText);
    if (digits !== undefined) {
      this.#lastPhoneText = phoneText;
      this.#lastPhoneDigits = digits;
    }
    return digits;
  }

  /**
   * Returns the instant of the line's time when parseIsoInstant reads it,
   * or undefined. A time that differs from the last one only in its hour,
   * minute and second digits is computed from the last one. That is exact
   * because parseIsoInstant's result is linear in them, once their ranges
   * are checked.
   */
  #readTime(text: string): number | undefined {
    const start = this.#starts[this.timeIndex]!;
    const end = this.#fieldEnd(this.timeIndex);
    const last = this.#time;
    if (
      last !== undefined &&
      end - start === last.text.length &&
      text.startsWith(last.prefix, start) &&
      text.startsWith(last.suffix, start + SECONDS_END)
    ) {
      const clockSeconds = clockSecondsAt(text, start + HOUR_AT);
      if (clockSeconds !== undefined) {
        return last.epochMillis + (clockSeconds - last.clockSeconds) * 1000;
      }
    }
    const timeText = text.slice(start, end).trim();
    const time = parseIsoInstant(timeText);
    if (time?.type !== "instant" || time.assumedZone) {
      return undefined;
    }
    const clockSeconds = clockSecondsAt(timeText, HOUR_AT);
    if (clockSeconds !== undefined) {
      this.#time = {
        text: timeText,
        prefix: timeText.slice(0, HOUR_AT),
        suffix: timeText.slice(SECONDS_END),
        clockSeconds,
        epochMillis: time.epochMillis,
      };
    }
    return time.epochMillis;
  }

  #countLookup(isHit: boolean): void {
    this.#windowRows++;
    if (isHit) {
      this.#windowHits++;
    }
    if (this.#windowRows < HIT_RATE_WINDOW) {
      return;
    }
    if (this.#windowHits * MIN_HIT_RATE_INVERSE < this.#windowRows) {
      // Rows of this file rarely repeat: stop paying for the lookups.
      this.#isCaching = false;
      this.#templates.clear();
      this.#lastTemplate = undefined;
      this.#phones.clear();
    }
    this.#windowRows = 0;
    this.#windowHits = 0;
  }

  /** Reads a line as readCsvRows and normaliseRow do, learning a template from a valid row. */
  #readRecordSlowly(text: string, start: number, end: number): void {
    const values = splitPlainLine(text.slice(start, end), this.delimiter);
    if (values.every((value) => value === "")) {
      return;
    }
    this.rows++;
    const rejection = this.#checkShape(values);
    if (rejection !== undefined) {
      this.#items.push({ type: "rejected", rejection });
      return;
    }
    const source: SourceRow = {
      file: this.file,
      row: this.rows,
      values: this.valuesOf(values),
      columnNames: this.columns.columnNames,
    };
    const item = normaliseSource(source, this.#options);
    this.#items.push(item);
    if (
      item.type === "record" &&
      this.#isCaching &&
      this.#findFields(text, start, end) === this.#headerWidth
    ) {
      this.#learn(text, end, item.record, source);
    }
  }

  /**
   * Returns the rejection that readCsvRows gives a line of the wrong
   * shape: over-long (its marker) or with the wrong number of fields.
   */
  #checkShape(values: readonly string[]): RejectedRow | undefined {
    const problem = checkRecordShape(
      values,
      this.#headerWidth,
      this.maxLineLength,
    );
    return problem === undefined
      ? undefined
      : { file: this.file, row: this.rows, ...problem(this.lines) };
  }

  /**
   * Keeps the parts of a valid record that the phone number and time do
   * not decide, when they are known to be so: the time is one that
   * parseIsoInstant reads, and the record is made as the template
   * assumes.
   */
  #learn(
    text: string,
    end: number,
    record: ProviderRecord,
    source: SourceRow,
  ): void {
    const phone = record.subject;
    const time = parseIsoInstant(source.values.observed_at ?? "");
    if (
      phone === null ||
      time?.type !== "instant" ||
      time.assumedZone ||
      record.startedAt !== time.epochMillis ||
      record.endedAt !== time.epochMillis ||
      record.details.phoneLast4 !== phone.slice(-4) ||
      record.flags.some((flag) => flag !== "default_radius")
    ) {
      return;
    }
    const phoneText = source.values.phone_number!;
    if (
      this.#phones.size < MAX_PHONES &&
      phoneText.length <= MAX_CACHED_TEXT_LENGTH
    ) {
      this.#phones.set(detached(phoneText), detached(phone));
    }
    if (this.#templates.size >= MAX_TEMPLATES) {
      return;
    }
    const key = this.#templateKey(text, end);
    if (key.length > MAX_CACHED_TEXT_LENGTH) {
      return;
    }
    let template = this.#templates.get(key);
    if (template === undefined) {
      template = templateOf(record, detached(key));
      this.#templates.set(template.key, template);
    }
    this.learned = template;
  }
}

function indexOrLength(text: string, search: string, start: number): number {
  const index = text.indexOf(search, start);
  return index === -1 ? text.length : index;
}

/**
 * Returns the seconds of the day of the `hh:mm:ss` at `start`, or
 * undefined when it is not two digits each within 23:59:59.
 */
export function clockSecondsAt(
  text: string,
  start: number,
): number | undefined {
  if (
    text.charCodeAt(start + 2) !== COLON ||
    text.charCodeAt(start + 5) !== COLON
  ) {
    return undefined;
  }
  const hour = twoDigitsAt(text, start);
  const minute = twoDigitsAt(text, start + 3);
  const second = twoDigitsAt(text, start + 6);
  if (hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  return hour * 3600 + minute * 60 + second;
}

/** Returns the number of two ASCII digits, or 99 when they are not digits. */
function twoDigitsAt(text: string, start: number): number {
  const tens = text.charCodeAt(start) - 48;
  const ones = text.charCodeAt(start + 1) - 48;
  if (tens < 0 || tens > 9 || ones < 0 || ones > 9) {
    return 99;
  }
  return tens * 10 + ones;
}

function templateOf(record: ProviderRecord, key: string): Template {
  const details: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(record.details)) {
    details[key] = typeof value === "string" ? detached(value) : value;
  }
  return {
    key,
    visitDate: detachedOrNull(record.visitDate),
    latitude: record.latitude,
    longitude: record.longitude,
    radiusMeters: record.radiusMeters,
    altitudeMeters: record.altitudeMeters,
    placeName: detachedOrNull(record.placeName),
    address: detachedOrNull(record.address),
    placeTypes: Object.freeze(record.placeTypes.map(detached)) as string[],
    note: detachedOrNull(record.note),
    flags: Object.freeze([...record.flags]) as string[],
    details: Object.freeze(details),
    detailsJsonAround: jsonAroundPhoneLast4(details),
    lastPhone: "",
    lastDetails: details,
    jsonPhone: "",
    jsonPhoneLast4: details.phoneLast4,
    detailsJson: JSON.stringify(details),
    placeTypesJson: JSON.stringify(record.placeTypes),
    flagsJson: JSON.stringify(record.flags),
  };
}

/** Returns the JSON of the details of a template's records for a phone's digits. */
export function detailsJsonOfPhone(template: Template, phone: string): string {
  if (template.jsonPhone !== phone) {
    template.jsonPhone = phone;
    detailsJsonOfLast4(template, phone.slice(-4));
  }
  return template.detailsJson;
}

/**
 * Returns the JSON of the template's details with `phoneLast4` in place of
 * the first record's, made again only when the digits change.
 */
export function detailsJsonOfLast4(
  template: Template,
  phoneLast4: string,
): string {
  if (phoneLast4 !== template.jsonPhoneLast4) {
    const around = template.detailsJsonAround;
    template.jsonPhoneLast4 = phoneLast4;
    template.detailsJson =
      around === undefined
        ? JSON.stringify({ ...template.details, phoneLast4 })
        : `${around[0]}${JSON.stringify(phoneLast4)}${around[1]}`;
  }
  return template.detailsJson;
}

/** A `phoneLast4` value that JSON writes as an escape, which no real value contains. */
const PHONE_MARK = "\u0000";

/** Cuts the JSON of a details object around the value of its `phoneLast4`. */
function jsonAroundPhoneLast4(
  details: Record<string, string | number | boolean>,
): [string, string] | undefined {
  if (typeof details.phoneLast4 !== "string") {
    return undefined;
  }
  const json = JSON.stringify({ ...details, phoneLast4: PHONE_MARK });
  const mark = JSON.stringify(PHONE_MARK);
  const at = json.indexOf(mark);
  if (at === -1 || json.lastIndexOf(mark) !== at) {
    return undefined;
  }
  return [json.slice(0, at), json.slice(at + mark.length)];
}

/** Returns the template's details for a phone, shared by the records of a template until the last 4 digits change. */
function detailsOf(
  template: Template,
  phone: string,
): Record<string, string | number | boolean> {
  if (template.lastPhone !== phone) {
    template.lastPhone = phone;
    const phoneLast4 = phone.slice(-4);
    if (template.lastDetails.phoneLast4 !== phoneLast4) {
      template.lastDetails = Object.freeze({ ...template.details, phoneLast4 });
    }
  }
  return template.lastDetails;
}
