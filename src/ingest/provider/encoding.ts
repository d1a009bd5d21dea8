import { isAscii, isUtf8 } from "node:buffer";

import iconv from "iconv-lite";

import { ProviderFileError } from "./errors.js";

/** Text encodings that provider files may use. */
export const TEXT_ENCODINGS = ["utf-8", "cp949"] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** The `--encoding` choices: a declared encoding, or `auto` to detect it. */
export const ENCODING_CHOICES = ["auto", ...TEXT_ENCODINGS] as const;
export type EncodingChoice = (typeof ENCODING_CHOICES)[number];

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const REPLACEMENT_CHARACTER = "\uFFFD";

/**
 * Checks UTF-8 validity of a byte stream fed in chunks of any size. A
 * multi-byte sequence split between two chunks is held back until the next
 * chunk completes it.
 */
export class Utf8Validator {
  #pending: Buffer = Buffer.alloc(0);
  #valid = true;
  #hasNonAscii = false;

  /** False once a byte pushed so far is not valid UTF-8. */
  get isValid(): boolean {
    return this.#valid;
  }

  push(chunk: Buffer): void {
    if (!this.#valid) {
      return;
    }
    if (!this.#hasNonAscii && !isAscii(chunk)) {
      this.#hasNonAscii = true;
    }
    const bytes =
      this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    const end = completeSequencesEnd(bytes);
    const pending = bytes.subarray(end);
    this.#valid = isUtf8(bytes.subarray(0, end)) && startsSequence(pending);
    this.#pending = Buffer.from(pending);
  }

  /** True when every byte pushed so far forms valid UTF-8 and no sequence is left open. */
  finish(): boolean {
    return this.#valid && this.#pending.length === 0;
  }

  /** True when some byte pushed so far is beyond ASCII (0x80 or more). */
  get hasNonAscii(): boolean {
    return this.#hasNonAscii;
  }
}

/**
 * Returns the error for a file declared as CP949 whose bytes are valid
 * UTF-8 with bytes beyond ASCII. Korean UTF-8 text often decodes as CP949
 * without an invalid byte, into other characters, so it must be caught
 * before decoding.
 */
export function utf8DeclaredAsCp949Error(file: string): ProviderFileError {
  return new ProviderFileError(
    `${file} was declared as CP949 but is valid UTF-8 with non-ASCII text, so reading it as CP949 would change its characters. Import it with --encoding utf-8 or --encoding auto.`,
    file,
    "invalid_encoding",
  );
}

/**
 * Returns the length of the prefix of `bytes` that ends after a complete
 * UTF-8 sequence: a trailing lead byte whose continuation bytes have not all
 * arrived is excluded.
 */
function completeSequencesEnd(bytes: Buffer): number {
  const earliest = Math.max(0, bytes.length - 3);
  for (let index = bytes.length - 1; index >= earliest; index--) {
    const byte = bytes[index]!;
    if ((byte & 0xc0) === 0x80) {
      continue;
    }
    const length = sequenceLength(byte);
    return index + length > bytes.length ? index : bytes.length;
  }
  return bytes.length;
}

/**
 * True when the bytes of an unfinished sequence can still become a valid
 * character. A decoder that rejects a sequence at its first wrong byte
 * applies the same rule.
 */
function startsSequence(bytes: Uint8Array): boolean {
  if (bytes.length === 0) {
    return true;
  }
  const lead = bytes[0]!;
  if (lead < 0xc2 || lead > 0xf4) {
    return false;
  }
  for (let index = 1; index < bytes.length; index++) {
    const [low, high] = index === 1 ? secondByteRange(lead) : [0x80, 0xbf];
    if (bytes[index]! < low || bytes[index]! > high) {
      return false;
    }
  }
  return true;
}

/** Returns the range of the byte after a lead byte, which excludes overlong forms, surrogates and code points past U+10FFFF. */
function secondByteRange(lead: number): [number, number] {
  switch (lead) {
    case 0xe0:
      return [0xa0, 0xbf];
    case 0xed:
      return [0x80, 0x9f];
    case 0xf0:
      return [0x90, 0xbf];
    case 0xf4:
      return [0x80, 0x8f];
    default:
      return [0x80, 0xbf];
  }
}

function sequenceLength(leadByte: number): number {
  if (leadByte >= 0xf8) {
    // Never a lead byte: a sequence of its own, which isUtf8 rejects.
    return 1;
  }
  if (leadByte >= 0xf0) {
    return 4;
  }
  if (leadByte >= 0xe0) {
    return 3;
  }
  return leadByte >= 0xc0 ? 2 : 1;
}

/** Returns `utf-8` when the bytes are valid UTF-8 (plain ASCII included), and `cp949` otherwise. */
export function detectEncoding(bytes: Uint8Array): TextEncoding {
  return isUtf8(bytes) ? "utf-8" : "cp949";
}

/**
 * Throws when the file starts with a UTF-16 or UTF-32 byte order mark: such
 * files decode to garbage under either supported encoding.
 */
export function rejectUnsupportedBom(start: Uint8Array, file: string): void {
  const isUtf16 =
    (start[0] === 0xff && start[1] === 0xfe) ||
    (start[0] === 0xfe && start[1] === 0xff);
  if (isUtf16) {
    throw new ProviderFileError(
      `${file} is UTF-16 or UTF-32 text, which is not supported. Save it as UTF-8 or CP949 and import it again.`,
      file,
      "unsupported_encoding",
    );
  }
}

/**
 * Decodes a stream of byte chunks into text chunks. A UTF-8 byte order mark
 * at the start is dropped, so it never becomes part of a header name.
 * Throws a ProviderFileError when the bytes are not valid in the encoding.
 */
export async function* decodeText(
  chunks: AsyncIterable<Buffer>,
  encoding: TextEncoding,
  file: string,
): AsyncGenerator<string> {
  if (encoding === "utf-8") {
    yield* decodeUtf8(chunks, file);
  } else {
    yield* decodeCp949(chunks, file);
  }
}

/** The position of a stream of UTF-8 bytes in its file. */
export interface Utf8Start {
  /** Bytes of the file before the stream. */
  offset: number;
  /** True when the stream starts at the start of the file, where a byte order mark is dropped. */
  isFileStart: boolean;
}

/**
 * Decodes UTF-8 byte chunks into text chunks, from `start` in the file.
 * Throws a ProviderFileError when the bytes are not valid UTF-8.
 */
export async function* decodeUtf8(
  chunks: AsyncIterable<Buffer>,
  file: string,
  start: Utf8Start = { offset: 0, isFileStart: true },
): AsyncGenerator<string> {
  // The decoder drops a leading byte order mark unless `ignoreBOM` is set.
  const decoder = new TextDecoder("utf-8", {
    fatal: true,
    ignoreBOM: !start.isFileStart,
  });
  // The start of the chunk being decoded, which at the end is the last one.
  let chunkStart = start.offset;
  let offset = start.offset;
  try {
    for await (const chunk of chunks) {
      chunkStart = offset;
      const text = decoder.decode(chunk, { stream: true });
      offset += chunk.length;
      if (text !== "") {
        yield text;
      }
    }
    const rest = decoder.decode();
    if (rest !== "") {
      yield rest;
    }
  } catch (error) {
    if (error instanceof TypeError) {
      throw invalidUtf8Error(file, chunkStart, error);
    }
    throw error;
  }
}

/** Returns the error of a file that is not valid UTF-8, found in the bytes from `offset` on. */
export function invalidUtf8Error(
  file: string,
  offset: number,
  cause?: unknown,
): ProviderFileError {
  return new ProviderFileError(
    `${file} is not valid UTF-8 (invalid bytes at or after offset ${offset}). Declare --encoding cp949 if it is Korean Windows text, or --encoding auto to detect it.`,
    file,
    "invalid_encoding",
    cause === undefined ? undefined : { cause },
  );
}

/** Returns true when the bytes are valid UTF-8 with a multi-byte character, allowing a sequence cut at the end. */
function looksLikeUtf8(bytes: Buffer): boolean {
  for (let cut = 0; cut < 4 && cut < bytes.length; cut++) {
    const whole = bytes.subarray(0, bytes.length - cut);
    if (whole.some((byte) => byte >= 0x80) && isUtf8(whole)) {
      return true;
    }
  }
  return false;
}

async function* decodeCp949(
  chunks: AsyncIterable<Buffer>,
  file: string,
): AsyncGenerator<string> {
  // iconv-lite's streaming decoder, the one behind iconv.decodeStream, holds
  // back a lead byte split from its trail byte between chunks.
  const decoder = iconv.getDecoder("cp949");
  let offset = 0;
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    checkCp949Text(text, file, offset, chunk);
    offset += chunk.length;
    if (text !== "") {
      yield text;
    }
  }
  const rest = decoder.end() ?? "";
  checkCp949Text(rest, file, offset);
  if (rest !== "") {
    yield rest;
  }
}

/**
 * CP949 has no code for U+FFFD, so finding it means that a byte sequence
 * was invalid. When the chunk of bytes is valid UTF-8 with characters
 * beyond ASCII, the error message names UTF-8 as the likely encoding.
 */
function checkCp949Text(
  text: string,
  file: string,
  offset: number,
  chunk?: Buffer,
): void {
  if (!text.includes(REPLACEMENT_CHARACTER)) {
    return;
  }
  if (chunk !== undefined && looksLikeUtf8(chunk)) {
    throw new ProviderFileError(
      `${file} is not valid CP949 (invalid bytes after offset ${offset}), but it looks like UTF-8. Import it with --encoding utf-8 or --encoding auto.`,
      file,
      "invalid_encoding",
    );
  }
  throw new ProviderFileError(
    `${file} is neither valid UTF-8 nor valid CP949 (invalid bytes after offset ${offset}). Save it as UTF-8 and import it again.`,
    file,
    "invalid_encoding",
  );
}

/**
 * Decodes a whole file held in memory, detecting the encoding when `choice`
 * is `auto`. Returns the text without any byte order mark and the encoding
 * used.
 */
export function decodeBuffer(
  bytes: Buffer,
  choice: EncodingChoice,
  file: string,
): { text: string; encoding: TextEncoding } {
  rejectUnsupportedBom(bytes, file);
  const encoding = choice === "auto" ? detectEncoding(bytes) : choice;
  if (choice === "cp949" && isUtf8(bytes) && !isAscii(bytes)) {
    throw utf8DeclaredAsCp949Error(file);
  }
  if (encoding === "cp949") {
    const text = iconv.decode(bytes, "cp949");
    checkCp949Text(text, file, 0);
    return { text, encoding };
  }

  const body = startsWithUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  if (!isUtf8(body)) {
    throw new ProviderFileError(
      `${file} is not valid UTF-8. Declare --encoding cp949 if it is Korean Windows text, or --encoding auto to detect it.`,
      file,
      "invalid_encoding",
    );
  }
  return { text: body.toString("utf8"), encoding };
}

function startsWithUtf8Bom(bytes: Buffer): boolean {
  return bytes.subarray(0, 3).equals(UTF8_BOM);
}
