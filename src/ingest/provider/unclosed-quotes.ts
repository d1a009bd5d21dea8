import type { RejectedRow } from "../report.js";
import type { ColumnMap } from "./columns.js";
import { ProviderFileError } from "./errors.js";

/**
 * Lines that one quoted value may span. A quote still open after this many
 * lines is taken as never closed, so the lines held for it stay bounded:
 * with the default maximum line length, about a million characters.
 */
export const MAX_QUOTED_LINES = 100;

/**
 * Marker that replaces a line whose quote is never closed, followed by the
 * line number. Text files contain no NUL, so no real value contains it.
 */
export const UNCLOSED_QUOTE_MARKER = "\u0000epitrace-unclosed-quote:";

/** Characters of the line kept as the value of an unclosed-quote rejection. */
const MAX_REJECTED_VALUE_LENGTH = 100;

/** A line whose quote is never closed, which an unclosed-quote marker replaced. */
export interface UnclosedQuoteLine {
  lineNumber: number;
  /** The line without its line break. */
  text: string;
  /** Line at which MAX_QUOTED_LINES ran out, or undefined when the file ended first. */
  limitLine: number | undefined;
}

/** Lines replaced by unclosed-quote markers and not yet read back, by line number. */
export type UnclosedQuoteLines = Map<number, UnclosedQuoteLine>;

/** A finished line of the file, as the line reader passes it on. */
export interface FinishedLine {
  /** The line with its line break, or the marker that replaces an over-long line. */
  text: string;
  /** Line number, counted from 1 for the first line of the file. */
  lineNumber: number;
  /** Whether the line has an odd number of quotes, so that it opens or closes a quoted value. */
  isOddQuotes: boolean;
  /** Text that replaces the line when the quote it opens is never closed. Without it, an unclosed-quote marker does. */
  unclosedReplacement?: string | undefined;
}

/**
 * Holds the lines from one that opens a quoted value until one closes it,
 * so that a quote never closed can be rejected at its own line. When the
 * file ends or MAX_QUOTED_LINES lines pass with the quote still open, the
 * opening line is replaced by a marker and the held lines after it are
 * passed on as they are. Those lines have an even number of quotes each,
 * because an odd one would have closed the quote, so they open none.
 */
export class QuotedLineHolder {
  readonly #unclosed: UnclosedQuoteLines;
  #held: FinishedLine[] = [];

  constructor(unclosed: UnclosedQuoteLines) {
    this.#unclosed = unclosed;
  }

  /** Takes the next line and returns the text to pass on: empty while a quote stays open. */
  add(line: FinishedLine): string {
    const opening = this.#held[0];
    if (opening === undefined) {
      if (!line.isOddQuotes) {
        return line.text;
      }
      this.#held.push(line);
      return "";
    }
    this.#held.push(line);
    if (line.isOddQuotes) {
      return this.#release(this.#held);
    }
    if (line.lineNumber - opening.lineNumber >= MAX_QUOTED_LINES) {
      return this.finish(line.lineNumber);
    }
    return "";
  }

  /**
   * Returns the held text with the opening line replaced. `limitLine` is
   * the line at which MAX_QUOTED_LINES ran out; leave it out at the end
   * of the file.
   */
  finish(limitLine?: number): string {
    const [opening, ...rest] = this.#held;
    if (opening === undefined) {
      return "";
    }
    const replacement =
      opening.unclosedReplacement ?? this.#marker(opening, limitLine);
    return replacement + this.#release(rest);
  }

  #release(lines: readonly FinishedLine[]): string {
    this.#held = [];
    return lines.map((line) => line.text).join("");
  }

  #marker(opening: FinishedLine, limitLine: number | undefined): string {
    const { lineNumber } = opening;
    const ending = /\r?\n?$/.exec(opening.text)![0];
    const text = opening.text.slice(0, opening.text.length - ending.length);
    this.#unclosed.set(lineNumber, { lineNumber, text, limitLine });
    return `${UNCLOSED_QUOTE_MARKER}${opening.lineNumber}${ending}`;
  }
}

/**
 * Returns the line that a record's unclosed-quote marker stands for,
 * forgetting it, or undefined for another record. The record is joined
 * again first, because a delimiter such as `-` splits the marker.
 */
export function takeUnclosedQuoteLine(
  record: readonly string[],
  delimiter: string,
  unclosed: UnclosedQuoteLines,
): UnclosedQuoteLine | undefined {
  if (record[0]?.startsWith("\u0000") !== true) {
    return undefined;
  }
  const marker = record.join(delimiter);
  if (!marker.startsWith(UNCLOSED_QUOTE_MARKER)) {
    return undefined;
  }
  const lineNumber = Number(marker.slice(UNCLOSED_QUOTE_MARKER.length));
  const line = unclosed.get(lineNumber);
  unclosed.delete(lineNumber);
  return line ?? { lineNumber, text: "", limitLine: undefined };
}

/** The header and delimiter of the file, to name the column of an unclosed quote. */
export interface HeaderContext {
  header: readonly string[];
  columns: ColumnMap;
  delimiter: string;
}

/** Returns the rejection of a line whose quote is never closed. */
export function unclosedQuoteProblem(
  line: UnclosedQuoteLine,
  context: HeaderContext,
): Omit<RejectedRow, "file" | "row"> {
  const { fieldIndex, quoteIndex } = openQuoteOf(line.text, context.delimiter);
  const field = fieldName(fieldIndex, context);
  const inField = field === "(line)" ? "" : ` in field ${field}`;
  const limit =
    line.limitLine === undefined
      ? "the end of the file"
      : `line ${line.limitLine}, ${MAX_QUOTED_LINES} lines later`;
  return {
    field,
    value: shortened(line.text.slice(quoteIndex)),
    rule: "unclosed_quote",
    hint: `The quote opened${inField} on line ${line.lineNumber} is not closed by ${limit}. Close the quoted value where it ends, or remove the quote. A quote inside a quoted value is written twice ("").`,
  };
}

/** Throws the file error of a header line whose quote is never closed. */
export function rejectUnclosedHeader(
  header: readonly string[],
  delimiter: string,
  file: string,
): void {
  if (header.join(delimiter).startsWith(UNCLOSED_QUOTE_MARKER)) {
    throw new ProviderFileError(
      `The header line of ${file} opens a quote that is not closed. Close or remove the quote in the header.`,
      file,
      "unclosed_quote",
    );
  }
}

/**
 * Finds the quote left open at the end of a line: the last one that opens
 * a quoted value by the parity of the quotes before it. Returns its index
 * and the index of its field, counting delimiters outside quotes.
 */
function openQuoteOf(
  line: string,
  delimiter: string,
): { fieldIndex: number; quoteIndex: number } {
  let field = 0;
  let isQuoted = false;
  let open = { fieldIndex: 0, quoteIndex: 0 };
  for (let index = 0; index < line.length; index++) {
    if (line[index] === '"') {
      isQuoted = !isQuoted;
      if (isQuoted) {
        open = { fieldIndex: field, quoteIndex: index };
      }
    } else if (!isQuoted && line.startsWith(delimiter, index)) {
      field++;
    }
  }
  return open;
}

/** Returns the template name of a column, its own header name when it maps to none, or `(line)` past the header. */
function fieldName(index: number, context: HeaderContext): string {
  for (const [field, columnIndex] of context.columns.indexes) {
    if (columnIndex === index) {
      return field;
    }
  }
  return context.header[index] ?? "(line)";
}

function shortened(value: string): string {
  return value.length > MAX_REJECTED_VALUE_LENGTH
    ? `${value.slice(0, MAX_REJECTED_VALUE_LENGTH)}…`
    : value;
}
