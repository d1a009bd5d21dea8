import { pipeline, Readable } from "node:stream";

import { CsvError, parse, type Parser } from "csv-parse";

import type { RejectedRow } from "../report.js";
import { mapColumns, type ColumnMap } from "./columns.js";
import { ProviderFileError } from "./errors.js";
import type { KindSpec } from "./kinds.js";
import type { SourceRow } from "./row-reader.js";
import {
  QuotedLineHolder,
  rejectUnclosedHeader,
  takeUnclosedQuoteLine,
  unclosedQuoteProblem,
  type FinishedLine,
  type UnclosedQuoteLines,
} from "./unclosed-quotes.js";

/** Default maximum line length, in characters without the line break. */
export const DEFAULT_MAX_LINE_LENGTH = 10_000;

export interface CsvReadOptions {
  /** Lines longer than this many characters (line break excluded) are rejected at their row. */
  maxLineLength?: number;
  /** Field delimiter; by default the most frequent of `,` `;` tab `|` in the header line. */
  delimiter?: string;
}

/** Items of a CSV file in file order: the header first, then rows and rejected rows. */
export type CsvItem =
  | { type: "header"; delimiter: string; columns: ColumnMap }
  | { type: "row"; row: SourceRow }
  | { type: "rejected"; rejection: RejectedRow };

const DELIMITERS = [",", ";", "\t", "|"];

/**
 * Marker that replaces an over-long line before the CSV parser reads it, so
 * the parser keeps its row count. Text files contain no NUL, so no real
 * value contains this marker.
 */
export const TOO_LONG_MARKER = "\u0000epitrace-line-too-long:";

/**
 * Reads a CSV file of a provider kind as a stream of text chunks. Rows are
 * numbered from 1 after the header; blank lines are skipped and not
 * counted. A row whose quote is never closed is rejected, and the lines
 * after it are read as rows. Throws a ProviderFileError for an empty
 * file, a blank first line, a missing column, other invalid quoting, or
 * a file without data rows.
 */
export async function* readCsvRows(
  text: AsyncIterable<string>,
  file: string,
  spec: KindSpec,
  options: CsvReadOptions = {},
): AsyncGenerator<CsvItem> {
  const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const unclosed: UnclosedQuoteLines = new Map();
  const lines = limitLineLength(text, maxLineLength, file, unclosed);
  const first = await lines.next();
  if (first.done === true) {
    throw new ProviderFileError(
      `${file} is empty. Export the data again with a header line and at least one row.`,
      file,
      "empty_file",
    );
  }
  const delimiter =
    options.delimiter ?? detectDelimiter(firstLine(first.value));
  const records = parseRecords(prepend(first.value, lines), delimiter, file);

  let columns: ColumnMap | undefined;
  let header: readonly string[] = [];
  let row = 0;
  for await (const { record, info } of records) {
    if (columns === undefined) {
      checkHeaderLine(record, delimiter, file, maxLineLength);
      columns = mapColumns(record, spec, file);
      header = record;
      yield { type: "header", delimiter, columns };
      continue;
    }
    if (record.every((value) => value === "")) {
      continue;
    }
    row++;
    const unclosedLine = takeUnclosedQuoteLine(record, delimiter, unclosed);
    if (unclosedLine !== undefined) {
      const problem = unclosedQuoteProblem(unclosedLine, {
        header,
        columns,
        delimiter,
      });
      yield { type: "rejected", rejection: { file, row, ...problem } };
      continue;
    }
    const headerWidth = header.length;
    const problem = checkRecordShape(record, headerWidth, maxLineLength);
    if (problem !== undefined) {
      yield {
        type: "rejected",
        rejection: { file, row, ...problem(info.lines) },
      };
      continue;
    }
    yield { type: "row", row: toSourceRow(record, columns, file, row) };
  }

  if (row === 0) {
    throw new ProviderFileError(
      `${file} has a header but no data rows. Export the data again with its rows.`,
      file,
      "no_data_rows",
    );
  }
}

function toSourceRow(
  record: readonly string[],
  columns: ColumnMap,
  file: string,
  row: number,
): SourceRow {
  const values: Record<string, string> = {};
  for (const [field, index] of columns.indexes) {
    values[field] = record[index] ?? "";
  }
  return { file, row, values, columnNames: columns.columnNames };
}

export type ShapeProblem = (line: number) => Omit<RejectedRow, "file" | "row">;

/** Returns the problem of a record that has the wrong number of fields or is an over-long line's marker. */
export function checkRecordShape(
  record: readonly string[],
  headerWidth: number,
  maxLineLength: number,
): ShapeProblem | undefined {
  const marked = record.find((value) => value.includes(TOO_LONG_MARKER));
  if (marked !== undefined) {
    const length = markedLength(marked);
    const markedLine = markedLineNumber(marked);
    return (line) => ({
      field: "(line)",
      value: "",
      rule: "line_too_long",
      hint: `Line ${markedLine ?? line} has ${length} characters, more than the maximum of ${maxLineLength}. Check it for a missing line break or closing quote, or raise --max-line-length.`,
    });
  }
  const extra = record.slice(headerWidth);
  if (record.length < headerWidth || extra.some((value) => value !== "")) {
    return (line) => ({
      field: "(row)",
      value: record.join(","),
      rule: "column_count",
      hint: `Line ${line} has ${record.length} fields but the header has ${headerWidth}. Quote values that contain the delimiter, and give every column a value or an empty field.`,
    });
  }
  return undefined;
}

function checkHeaderLine(
  header: readonly string[],
  delimiter: string,
  file: string,
  maxLineLength: number,
): void {
  rejectUnclosedHeader(header, delimiter, file);
  if (header.some((value) => value.includes(TOO_LONG_MARKER))) {
    throw new ProviderFileError(
      `The header line of ${file} is longer than ${maxLineLength} characters. Check that the file is CSV text, or raise --max-line-length.`,
      file,
      "line_too_long",
    );
  }
}

function markedLength(value: string): number {
  const start = value.indexOf(TOO_LONG_MARKER) + TOO_LONG_MARKER.length;
  return Number.parseInt(value.slice(start), 10);
}

/** Returns the line number that a marker carries after its length, as in `…:10090@3`. */
function markedLineNumber(value: string): number | undefined {
  const match = /^\d+@(\d+)/.exec(
    value.slice(value.indexOf(TOO_LONG_MARKER) + TOO_LONG_MARKER.length),
  );
  return match === null ? undefined : Number(match[1]);
}

/** Returns the delimiter that occurs most often outside quotes in the header line; `,` on a tie. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map(DELIMITERS.map((delimiter) => [delimiter, 0]));
  let isQuoted = false;
  for (const character of headerLine) {
    if (character === '"') {
      isQuoted = !isQuoted;
    } else if (!isQuoted && counts.has(character)) {
      counts.set(character, counts.get(character)! + 1);
    }
  }
  let best = ",";
  for (const [delimiter, count] of counts) {
    if (count > counts.get(best)!) {
      best = delimiter;
    }
  }
  return best;
}

function firstLine(text: string): string {
  const end = text.indexOf("\n");
  return end === -1 ? text : text.slice(0, end);
}

async function* prepend(
  first: string,
  rest: AsyncIterable<string>,
): AsyncGenerator<string> {
  yield first;
  yield* rest;
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Parses records, splitting plain lines (no quote, no carriage return but
 * that of a CRLF ending like the first line's) by the delimiter without
 * the CSV parser, which gives the same values and line numbers for them.
 * From the first other line on, the rest of the text goes through the CSV
 * parser, after one empty line per line already read: the parser skips
 * them but counts them, so its line numbers and messages stay those of the
 * file.
 */
async function* parseRecords(
  text: AsyncIterable<string>,
  delimiter: string,
  file: string,
): AsyncGenerator<ParsedRecord> {
  const chunks = text[Symbol.asyncIterator]();
  let lines = 0;
  let ending: string | undefined;
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) {
      return;
    }
    const chunk = next.value;
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf("\n", start);
      const isLast = newline === -1;
      let end = isLast ? chunk.length : newline;
      const isCrlf = !isLast && end > start && chunk.charCodeAt(end - 1) === 13;
      if (!isLast) {
        ending ??= isCrlf ? "\r\n" : "\n";
        if (isCrlf !== (ending === "\r\n")) {
          break;
        }
        if (isCrlf) {
          end--;
        }
      }
      if (!isPlainLine(chunk, start, end)) {
        break;
      }
      lines++;
      if (end > start) {
        yield {
          record: splitPlainLine(chunk.slice(start, end), delimiter),
          info: { lines },
        };
      }
      start = isLast ? chunk.length : newline + 1;
    }
    if (start < chunk.length) {
      const padding = lines === 0 ? "" : (ending ?? "\n").repeat(lines);
      yield* parseWithCsvParser(
        restOfText(padding + chunk.slice(start), chunks),
        delimiter,
        file,
      );
      return;
    }
  }
}

/** Whether `text` between `start` and `end` has neither a quote nor a carriage return. */
function isPlainLine(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === 34 || code === 13) {
      return false;
    }
  }
  return true;
}

/** Values of a line without quotes, trimmed of white space as the CSV parser trims them. */
export function splitPlainLine(line: string, delimiter: string): string[] {
  const values = line.split(delimiter);
  for (let index = 0; index < values.length; index++) {
    values[index] = values[index]!.trim();
  }
  return values;
}

/** Yields `first`, then what is left of `rest`. */
export async function* restOfText(
  first: string,
  rest: AsyncIterator<string>,
): AsyncGenerator<string> {
  yield first;
  for (;;) {
    const next = await rest.next();
    if (next.done === true) {
      return;
    }
    yield next.value;
  }
}

function parseWithCsvParser(
  text: AsyncIterable<string>,
  delimiter: string,
  file: string,
): AsyncIterable<ParsedRecord> {
  const parser: Parser = parse({
    delimiter,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
  });
  const parsed = pipeline(Readable.from(text), parser, () => undefined);
  return rethrowSyntaxErrors(parsed as AsyncIterable<ParsedRecord>, file);
}

/** Turns every error of the CSV parser into a ProviderFileError that names the line and the fix. */
async function* rethrowSyntaxErrors(
  records: AsyncIterable<ParsedRecord>,
  file: string,
): AsyncGenerator<ParsedRecord> {
  try {
    yield* records;
  } catch (error) {
    if (!(error instanceof CsvError)) {
      throw error;
    }
    throw new ProviderFileError(
      csvErrorMessage(error, file),
      file,
      "csv_syntax",
      {
        cause: error,
      },
    );
  }
}

function csvErrorMessage(error: CsvError, file: string): string {
  const line = (error as { lines?: number }).lines ?? 0;
  return `${file} is not valid CSV near line ${line}: ${error.message}. Check the quotes on that line: a value with a quote in it is quoted as a whole, and a quote inside a quoted value is written twice ("").`;
}

/**
 * Characters of whole lines passed to the CSV parser at a time. Small
 * pieces keep few parsed rows waiting in memory, so fewer of them outlive
 * a young-generation garbage collection.
 */
const OUTPUT_CHUNK_CHARACTERS = 8_192;

/**
 * Passes text on in whole lines, replacing each line longer than
 * `maxLineLength` with a marker line, so that memory stays bounded by the
 * maximum whatever the input. Holds the lines of a quoted value that spans
 * lines until its quote closes, and replaces a line whose quote is never
 * closed with a marker, listing it in `unclosed`. Throws a
 * ProviderFileError when the first line is blank but later ones are not.
 */
async function* limitLineLength(
  chunks: AsyncIterable<string>,
  maxLineLength: number,
  file: string,
  unclosed: UnclosedQuoteLines,
): AsyncGenerator<string> {
  const state: LineState = {
    line: "",
    length: 0,
    quoteCount: 0,
    endsWithReturn: false,
    lineNumber: 0,
    blankLines: 0,
    seenContent: false,
  };
  const holder = new QuotedLineHolder(unclosed);
  for await (const chunk of chunks) {
    let output = "";
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf("\n", start);
      const end = newline === -1 ? chunk.length : newline;
      appendToLine(state, chunk.slice(start, end), maxLineLength);
      if (newline === -1) {
        break;
      }
      const line = finishLine(state, maxLineLength, file, "\n");
      if (line !== undefined) {
        output += holder.add(line);
      }
      start = newline + 1;
      if (output.length >= OUTPUT_CHUNK_CHARACTERS) {
        yield output;
        output = "";
      }
    }
    if (output !== "") {
      yield output;
    }
  }
  const last =
    state.length > 0 ? finishLine(state, maxLineLength, file, "") : undefined;
  const rest = (last === undefined ? "" : holder.add(last)) + holder.finish();
  if (rest !== "") {
    yield rest;
  }
}

interface LineState {
  line: string;
  length: number;
  /** Quotes in the whole line, the part beyond the maximum included. */
  quoteCount: number;
  endsWithReturn: boolean;
  /** Lines finished so far, blank ones included. */
  lineNumber: number;
  blankLines: number;
  seenContent: boolean;
}

function appendToLine(
  state: LineState,
  piece: string,
  maxLineLength: number,
): void {
  state.length += piece.length;
  state.quoteCount += countQuotes(piece);
  if (piece !== "") {
    state.endsWithReturn = piece.endsWith("\r");
  }
  // One character more than the maximum is kept, for a \r before the \n.
  if (state.length <= maxLineLength + 1) {
    state.line += piece;
  }
}

/** Counts the quotes in `text` from `start` to `end`. */
export function countQuotes(
  text: string,
  start = 0,
  end = text.length,
): number {
  let count = 0;
  for (
    let index = text.indexOf('"', start);
    index !== -1 && index < end;
    index = text.indexOf('"', index + 1)
  ) {
    count++;
  }
  return count;
}

/**
 * Ends the current line and returns it followed by `lineBreak`, as its
 * marker when it is too long, or undefined for a blank line before the
 * first line with content.
 */
function finishLine(
  state: LineState,
  maxLineLength: number,
  file: string,
  lineBreak: string,
): FinishedLine | undefined {
  state.lineNumber++;
  // The marker keeps the line's \r, so that the parser still finds the file's line break.
  const ending = state.endsWithReturn ? "\r" : "";
  const length = state.length - ending.length;
  const isOddQuotes = state.quoteCount % 2 === 1;
  const line =
    length > maxLineLength
      ? markerLine(length, state.lineNumber, isOddQuotes, ending)
      : state.line;
  state.line = "";
  state.length = 0;
  state.quoteCount = 0;
  state.endsWithReturn = false;
  if (isLeadingBlank(state, line, file)) {
    return undefined;
  }
  return {
    text: line + lineBreak,
    lineNumber: state.lineNumber,
    isOddQuotes,
    unclosedReplacement: line.startsWith(TOO_LONG_MARKER)
      ? withoutMarkerQuote(line) + lineBreak
      : undefined,
  };
}

/**
 * Returns the marker of an over-long line: its length and line number,
 * then `,"` when the line has an odd number of quotes. Those two
 * characters open a quoted value as the line did, or close the one it
 * closed, so the parser still reads the lines around it as the file has
 * them.
 */
export function markerLine(
  length: number,
  lineNumber: number,
  isOddQuotes: boolean,
  ending: string,
): string {
  const quote = isOddQuotes ? ',"' : "";
  return `${TOO_LONG_MARKER}${length}@${lineNumber}${quote}${ending}`;
}

/**
 * Returns a marker line without its `,"`, for an over-long line whose
 * quote is never closed: it is then rejected as too long alone. The
 * marker may come from markerLine here or from a reader that handed the
 * rest of its file over.
 */
function withoutMarkerQuote(marker: string): string {
  return marker.replace(',"', "");
}

/** Returns true when a line is blank or contains only delimiters, such as `,,,`. */
function isBlankLine(line: string): boolean {
  return /^[\s,;|]*$/.test(line);
}

function isLeadingBlank(state: LineState, line: string, file: string): boolean {
  if (state.seenContent) {
    return false;
  }
  if (isBlankLine(line)) {
    state.blankLines++;
    return true;
  }
  state.seenContent = true;
  if (state.blankLines > 0) {
    throw new ProviderFileError(
      `Line 1 of ${file} is blank or holds only delimiters, but the header must be on line 1. Delete the ${state.blankLines} line(s) before the header.`,
      file,
      "blank_first_line",
    );
  }
  return false;
}
