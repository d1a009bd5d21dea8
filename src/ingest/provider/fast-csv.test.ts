import { readFile } from "node:fs/promises";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { gunzipSync } from "node:zlib";

import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readCsvRows, type CsvReadOptions } from "./csv.js";
import { decodeText, decodeUtf8 } from "./encoding.js";
import {
  readNormalisedCsv,
  readNormalisedCsvBatches,
  type ScanItem,
  recordOfHit,
  type NormalisedItem,
} from "./fast-csv.js";
import {
  readCsvBytesWithHits,
  readNormalisedCsvBytes,
} from "./fast-csv-bytes.js";
import { KIND_SPECS, type ProviderKind } from "./kinds.js";
import { normaliseRow } from "./normalise.js";
import type { SourceRow } from "./row-reader.js";
import { resolveNormaliseOptions } from "./scan.js";
import { inspectFile, readText } from "./source.js";
import { writeSyntheticAnswer } from "./synthetic.js";
import { REPO_ROOT, TemporaryFolder } from "./test-support.js";
import { templateFileName } from "./templates.js";

const DATA = path.resolve(REPO_ROOT, "../shared/data");
const TEMPLATES = path.join(REPO_ROOT, "src/ingest/provider/templates");

const HEADER =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator,address";

/** How one differential run reads its text. */
interface ReadCase {
  kind?: ProviderKind;
  csv?: CsvReadOptions;
  zone?: string;
  dateFormat?: string;
  year?: number;
}

type TextSource = () => AsyncIterable<string>;

/** Items and the file error of one reading, in a form that compares by value. */
interface Reading {
  items: unknown[];
  error: unknown;
  /** Records whose source is not a plain object, so the fast path made them. */
  fastRecords: number;
}

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let start = 0; start < text.length; start += size) {
    yield text.slice(start, start + size);
  }
}

function plainSource(source: SourceRow): SourceRow {
  return {
    file: source.file,
    row: source.row,
    values: { ...source.values },
    ...(source.columnNames === undefined
      ? {}
      : { columnNames: source.columnNames }),
  };
}

/**
 * Returns an item as plain values. The shared place of a record made from
 * a template is left out, because it marks which records share their place
 * and is not a value of the record.
 */
function plainItem(item: NormalisedItem): unknown {
  if (item.type === "record") {
    const { sharedPlace: _token, ...record } = item.record;
    return { ...item, record, source: plainSource(item.source) };
  }
  if (item.type === "invalid") {
    return { ...item, source: plainSource(item.source) };
  }
  return item;
}

function errorOf(error: unknown): unknown {
  if (!(error instanceof Error)) {
    return error;
  }
  return {
    name: error.name,
    message: error.message,
    rule: (error as { rule?: unknown }).rule,
    file: (error as { file?: unknown }).file,
  };
}

/** Reads with readCsvRows and normaliseRow on each row, the reference for the fast reader. */
async function readOldWay(
  text: AsyncIterable<string>,
  readCase: ReadCase,
): Promise<Reading> {
  const kind = readCase.kind ?? "base-station";
  const options = normaliseOptionsOf(readCase);
  const items: unknown[] = [];
  try {
    for await (const item of readCsvRows(
      text,
      "t.csv",
      KIND_SPECS[kind],
      readCase.csv,
    )) {
      if (item.type !== "row") {
        items.push(item);
        continue;
      }
      const result = normaliseRow(item.row, options);
      items.push(
        plainItem(
          result.ok
            ? { type: "record", record: result.record, source: item.row }
            : {
                type: "invalid",
                source: item.row,
                rejections: result.rejections,
              },
        ),
      );
    }
  } catch (error) {
    return { items, error: errorOf(error), fastRecords: 0 };
  }
  return { items, error: undefined, fastRecords: 0 };
}

async function readNewWay(
  text: AsyncIterable<string>,
  readCase: ReadCase,
): Promise<Reading> {
  return collectReading(
    readNormalisedCsvBatches(
      text,
      "t.csv",
      KIND_SPECS[readCase.kind ?? "base-station"],
      normaliseOptionsOf(readCase),
      readCase.csv,
    ),
  );
}

/**
 * Collects the items of a fast reader, a template hit turned into its
 * record by recordOfHit as a scan does, and counts the records that the
 * fast path made (their source is no plain object).
 */
async function collectReading(
  batches: AsyncIterable<readonly ScanItem[]>,
): Promise<Reading> {
  const items: unknown[] = [];
  let fastRecords = 0;
  try {
    for await (const batch of batches) {
      for (const scanned of batch) {
        const item: NormalisedItem =
          scanned.type === "hit"
            ? { type: "record", ...recordOfHit(scanned) }
            : scanned;
        if (
          item.type === "record" &&
          Object.getPrototypeOf(item.source) !== Object.prototype
        ) {
          fastRecords++;
        }
        items.push(plainItem(item));
      }
    }
  } catch (error) {
    return { items, error: errorOf(error), fastRecords };
  }
  return { items, error: undefined, fastRecords };
}

function normaliseOptionsOf(readCase: ReadCase) {
  return resolveNormaliseOptions({
    kind: readCase.kind ?? "base-station",
    zone: readCase.zone,
    dateFormat: readCase.dateFormat,
    year: readCase.year,
  });
}

/** Returns the index of the first item that differs, by value or by JSON text, or -1. */
function firstDifference(actual: unknown[], expected: unknown[]): number {
  const length = Math.max(actual.length, expected.length);
  for (let index = 0; index < length; index++) {
    const a = actual[index];
    const b = expected[index];
    if (!isDeepStrictEqual(a, b) || JSON.stringify(a) !== JSON.stringify(b)) {
      return index;
    }
  }
  return -1;
}

/**
 * Reads with the byte reader. With `withHits`, the reader gives template
 * hits, each turned into its record by recordOfHit as a scan does.
 */
function readBytesWay(
  bytes: AsyncIterable<Buffer>,
  readCase: ReadCase,
  withHits = false,
): Promise<Reading> {
  const read = withHits ? readCsvBytesWithHits : readNormalisedCsvBytes;
  return collectReading(
    read(
      bytes,
      "t.csv",
      KIND_SPECS[readCase.kind ?? "base-station"],
      normaliseOptionsOf(readCase),
      readCase.csv,
    ),
  );
}

function expectSameItems(actual: Reading, expected: Reading): void {
  const index = firstDifference(actual.items, expected.items);
  if (index !== -1) {
    expect(actual.items[index]).toEqual(expected.items[index]);
  }
  expect(index).toBe(-1);
  expect(actual.items).toHaveLength(expected.items.length);
  expect(actual.error).toEqual(expected.error);
}

/**
 * Reads the text both ways and expects the same items and the same error.
 * Then reads its UTF-8 bytes, cut where the text's chunks end, with the
 * byte reader, and expects what the old way reads from their decoded text.
 * Returns the new reading of the text.
 */
async function expectSameReading(
  text: TextSource,
  readCase: ReadCase = {},
): Promise<Reading> {
  const expected = await readOldWay(text(), readCase);
  const actual = await readNewWay(text(), readCase);
  expectSameItems(actual, expected);

  const chunks = await bytesOf(text());
  const bytes = () => listChunks(chunks);
  const fromBytes = await readBytesWay(bytes(), readCase);
  expectSameItems(
    fromBytes,
    await readOldWay(decodeUtf8(bytes(), "t.csv"), readCase),
  );
  return actual;
}

/** Returns the UTF-8 bytes of a text's chunks, cut at the ends of the chunks. */
async function bytesOf(text: AsyncIterable<string>): Promise<Buffer[]> {
  const parts: string[] = [];
  for await (const part of text) {
    parts.push(part);
  }
  const bytes = Buffer.from(parts.join(""));
  const chunks: Buffer[] = [];
  let start = 0;
  for (const part of parts) {
    const end = Math.min(bytes.length, start + Buffer.byteLength(part));
    chunks.push(bytes.subarray(start, end));
    start = end;
  }
  return chunks;
}

async function* listChunks(chunks: readonly Buffer[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) {
    yield chunk;
  }
}

/** Expects the same reading of `text` in chunks of each size. */
async function expectSameInChunks(
  text: string,
  readCase: ReadCase = {},
  sizes: readonly number[] = [1, 7, 64, 65_536],
): Promise<void> {
  for (const size of sizes) {
    await expectSameReading(() => chunksOf(text, size), readCase);
  }
}

function row(...values: string[]): string {
  const defaults = [
    "010-1234-5678",
    "2024-03-05T14:30:00+09:00",
    "45008-1234567",
    "macro",
    "37.56650",
    "126.97800",
    "",
    "SKT",
    "",
  ];
  return defaults.map((value, index) => values[index] ?? value).join(",");
}

function lines(...content: string[]): string {
  return `${content.join("\n")}\n`;
}

/** Returns a pseudo-random generator in [0, 1) (mulberry32), the same for the same seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const folder = new TemporaryFolder();
beforeAll(() => folder.create());
afterAll(() => folder.remove());

describe("readNormalisedCsv on generated files", () => {
  it("matches the old path on a synthetic answer", async () => {
    const file = await folder.write("answer.csv", "");
    const written = await writeSyntheticAnswer(file, {
      phones: 12,
      rowsPerPhone: 3_000,
      days: 13,
    });
    const inspected = await inspectFile(file, "auto");

    const reading = await expectSameReading(() => readText(inspected));

    expect(written.rows).toBe(36_000);
    expect(reading.items).toHaveLength(36_001);
    expect(reading.error).toBeUndefined();
    expect(reading.fastRecords).toBeGreaterThan(30_000);
  });

  it("shares frozen details between records of a cell", async () => {
    const text = lines(
      HEADER,
      row("010-1234-5678", "2024-03-05T14:30:00+09:00"),
      row("010-1234-5678", "2024-03-05T14:31:00+09:00"),
      row("010-1234-5678", "2024-03-05T14:32:00+09:00"),
    );
    const records = [];
    for await (const item of readNormalisedCsv(
      chunksOf(text, 1000),
      "t.csv",
      KIND_SPECS["base-station"],
      normaliseOptionsOf({}),
    )) {
      if (item.type === "record") {
        records.push(item.record);
      }
    }

    expect(records).toHaveLength(3);
    expect(records[1]!.details).toBe(records[2]!.details);
    expect(Object.isFrozen(records[1]!.details)).toBe(true);
    expect(Object.isFrozen(records[1]!.flags)).toBe(true);
    expect(records[1]!.rows).not.toBe(records[2]!.rows);
    expect(records[0]!.details).not.toBe(records[1]!.details);
  });

  it("matches on random rows with bad values", async () => {
    for (const seed of [1, 2, 3]) {
      const text = randomFile(seed, 3_000, false);
      await expectSameInChunks(
        text,
        { csv: { maxLineLength: 200 } },
        [13, 4_096],
      );
    }
  });

  it("matches on random rows with quotes", async () => {
    for (const seed of [4, 5]) {
      const text = randomFile(seed, 2_000, true);
      await expectSameInChunks(
        text,
        { csv: { maxLineLength: 200 } },
        [13, 4_096],
      );
    }
  });
});

const PHONES = [
  "010-1000-0001",
  "010-1000-0002",
  "01010000003",
  "+82 10 1000 0004",
  "(010) 1000-0005",
  " 010-1000-0001 ",
  "",
  "12345",
  "010-1000-000x",
];
const BAD_TIMES = [
  "",
  "2024-03-01T09:30:00",
  "2024-03-01 09:30",
  "2024년 3월 1일 오후 2시 30분",
  "20240301093000",
  "2024-02-30T09:00:00+09:00",
  "2024-03-01T24:00:00+09:00",
  "2024-03-01T23:60:00+09:00",
  "2024-03-01T23:59:60+09:00",
  "2024-03-01T0a:30:00+09:00",
  "2024-03-01T09-30-00+09:00",
  "2024-03-01",
  " 2024-03-01T09:30:00+09:00 ",
  "2024-03-01T09:30:00+19:00",
  "0999-03-01T09:30:00+09:00",
  "2024-03-01T09:30:00.5+09:00",
  "2024-03-01T09:30:00+0900",
  "2024-03-01T09:30:00Z",
  "2024-03-01 09:30:00+09:00",
  "yesterday",
];
const CELLS = ["45008-0100001", "45008-0100002", "45008-0100003", ""];
const CELL_TYPES = ["macro", "micro", "", "매크로", "Pico", "huge"];
const POSITIONS: readonly [string, string][] = [
  ["37.56650", "126.97800"],
  ["37.57010", "126.98270"],
  ["126.97800", "37.56650"],
  ["200", "126.9"],
  ["37.5", "200"],
  ["abc", "126.9"],
  ["", ""],
  ["37.5", ""],
  ["1e1", "Infinity"],
];
const ACCURACIES = ["", "", "250", "-5", "x", "0"];
const OPERATORS = ["SKT", "KT", "", "LGU+"];
const ADDRESSES = ["", "", "서울특별시 중구 세종대로 110", " 강남구 "];
const QUOTED = [
  '"서울특별시 중구, 세종대로 110"',
  '"line one\nline two"',
  '"say ""hi"""',
];

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

/** Returns a valid ISO time near the previous one, mostly changing only its clock. */
function nextTime(random: () => number, previous: number): number {
  const step = random() < 0.9 ? Math.floor(random() * 600_000) : 86_400_000;
  return previous + step;
}

function seoulText(instant: number): string {
  return `${new Date(instant + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
}

/**
 * Returns a base-station file of mostly valid rows that repeat cells, with
 * bad values, blank lines, wrong field counts and over-long lines mixed in.
 * With `withQuotes`, some values are quoted too.
 */
function randomFile(seed: number, rows: number, withQuotes: boolean): string {
  const random = seededRandom(seed);
  const content = [HEADER];
  let instant = Date.UTC(2024, 1, 29, 15);
  for (let index = 0; index < rows; index++) {
    const roll = random();
    if (roll < 0.02) {
      content.push(pick(random, ["", "   ", ",,,,,,,,", " , ,"]));
      continue;
    }
    if (roll < 0.03) {
      content.push(
        pick(random, ["010-1000-0001,x", `${row()},extra`, `${row()},,`]),
      );
      continue;
    }
    if (roll < 0.035) {
      content.push(`${row()},${"x".repeat(300)}`);
      continue;
    }
    instant = nextTime(random, instant);
    const good = random() < 0.8;
    const position = good ? POSITIONS[0]! : pick(random, POSITIONS);
    let address = good ? "" : pick(random, ADDRESSES);
    if (withQuotes && random() < 0.01) {
      address = pick(random, QUOTED);
    }
    content.push(
      [
        good ? PHONES[index % 2]! : pick(random, PHONES),
        good
          ? seoulText(instant)
          : pick(random, [...BAD_TIMES, seoulText(instant)]),
        good ? CELLS[index % 3]! : pick(random, CELLS),
        good ? "macro" : pick(random, CELL_TYPES),
        position[0],
        position[1],
        good ? "" : pick(random, ACCURACIES),
        good ? "SKT" : pick(random, OPERATORS),
        address,
      ].join(","),
    );
  }
  return lines(...content);
}

describe("readNormalisedCsv on written files", () => {
  it("matches on times of every form", async () => {
    const content = [HEADER];
    for (const time of BAD_TIMES) {
      content.push(row("010-1234-5678", "2024-03-01T23:59:59+09:00"));
      content.push(row("010-1234-5678", time));
      content.push(row("010-1234-5678", "2024-03-01T23:59:58+09:00"));
    }
    await expectSameInChunks(lines(...content));
    await expectSameInChunks(lines(...content), { zone: "UTC" }, [64]);
    await expectSameInChunks(lines(...content), { year: 2023 }, [64]);
  });

  it("matches on phone numbers of every form", async () => {
    const content = [HEADER];
    for (const phone of PHONES) {
      content.push(row(phone), row(phone, "2024-03-05T14:31:00+09:00"));
    }
    content.push(row("010-1234-5678"), row("010-1234-5678"));
    await expectSameInChunks(lines(...content));
  });

  it("matches on coordinates, cell types and accuracy", async () => {
    const content = [HEADER];
    for (const [latitude, longitude] of POSITIONS) {
      for (const cellType of CELL_TYPES) {
        for (const accuracy of ACCURACIES) {
          content.push(
            row(
              "010-1234-5678",
              "2024-03-05T14:30:00+09:00",
              "45008-1",
              cellType,
              latitude,
              longitude,
              accuracy,
            ),
          );
        }
      }
    }
    await expectSameInChunks(lines(...content), {}, [7, 4_096]);
  });

  it("matches on duplicate and blank rows", async () => {
    const text = lines(
      HEADER,
      row(),
      row(),
      "",
      "   ",
      ",,,,,,,,",
      " , , ",
      row(),
      row("", "2024-03-05T14:30:00+09:00"),
      row(" ", "2024-03-05T14:30:00+09:00"),
      row(),
    );
    await expectSameInChunks(text);
  });

  it("matches on rows of the wrong width", async () => {
    const text = lines(
      HEADER,
      row(),
      "010-1234-5678,2024-03-05T14:30:00+09:00",
      `${row()},`,
      `${row()},,,`,
      `${row()},extra`,
      `${row()},,extra`,
      row(),
    );
    await expectSameInChunks(text);
  });

  it("matches on quoted values", async () => {
    const text = lines(
      HEADER,
      row(),
      row(),
      row(
        "010-1234-5678",
        "2024-03-05T14:32:00+09:00",
        "45008-1234567",
        "macro",
        "37.56650",
        "126.97800",
        "",
        "SKT",
        '"중구, 세종대로 110"',
      ),
      row(),
      row("010-1234-5678", '"2024-03-05T14:33:00+09:00"'),
      row(),
    );
    await expectSameInChunks(text);
  });

  it("matches on a value spanning lines", async () => {
    const text = lines(
      HEADER,
      row(),
      row(
        "010-1234-5678",
        "2024-03-05T14:31:00+09:00",
        "45008-1",
        "macro",
        "37.5",
        "126.9",
        "",
        "SKT",
        '"first line',
      ),
      'second line"',
      row(),
    );
    await expectSameInChunks(text);
  });

  it("matches on a quote in the first data row", async () => {
    await expectSameInChunks(lines(HEADER, row('"010-1234-5678"'), row()));
  });

  it("matches on a quote that is never closed", async () => {
    await expectSameInChunks(lines(HEADER, row(), row('"010-1234-5678')));
    const after = Array.from({ length: 120 }, () => row());
    await expectSameInChunks(
      lines(HEADER, row(), row('"010-1234-5678'), row(), ...after),
    );
    const long = `"${row()}${"x".repeat(120)}`;
    await expectSameInChunks(lines(HEADER, row(), long, row()), {
      csv: { maxLineLength: 100 },
    });
  });

  it("matches on CRLF and mixed line endings", async () => {
    const body = [
      HEADER,
      row(),
      row(),
      "",
      row("010-1234-5678", "2024-03-05T14:31:00+09:00"),
    ];
    await expectSameInChunks(`${body.join("\r\n")}\r\n`);
    await expectSameInChunks(`${body.join("\r\n")}`);
    await expectSameInChunks(`${HEADER}\r\n${row()}\r\n${row()}\n${row()}\r\n`);
    await expectSameInChunks(`${HEADER}\n${row()}\n${row()}\r\n${row()}\n`);
    await expectSameInChunks(`${HEADER}\n${row()}\n${row()}\r${row()}\n`);
    await expectSameInChunks(`${HEADER}\n${row()}\n${row()}\r`);
    await expectSameInChunks(`${HEADER}\n${row()}\n${row()}`);
  });

  it("matches on over-long lines", async () => {
    const long = `${row()}${"x".repeat(120)}`;
    const csv = { maxLineLength: 100 };
    const cases = [
      lines(HEADER, row(), long, row()),
      lines(HEADER, row(), long),
      `${HEADER}\n${row()}\n${long}`,
      `${HEADER}\n${row()}\n${long}\r`,
      `${HEADER}\n${row()}\n${long}\r\n${row()}\n`,
      `${HEADER}\r\n${row()}\r\n${long}\r\n${row()}\r\n`,
      `${HEADER}\r\n${row()}\r\n${long}\n${row()}\r\n`,
      lines(HEADER, row(), `"${long}`, row()),
      lines(
        HEADER,
        row(),
        "x".repeat(101),
        "x".repeat(100),
        `${"x".repeat(100)}\r`,
      ),
    ];
    for (const text of cases) {
      await expectSameInChunks(text, { csv: { maxLineLength: 130 } }, [7, 64]);
      await expectSameInChunks(text, { csv }, [1, 7, 64, 4_096]);
    }
  });

  it("matches with marker characters as delimiter", async () => {
    const header = HEADER.replaceAll(",", "-").replace(
      "phone-number",
      "phone_number",
    );
    const text = lines(header, "x".repeat(200), row().replaceAll(",", "|"));
    await expectSameInChunks(
      text,
      { csv: { maxLineLength: 150, delimiter: "-" } },
      [7, 64],
    );
    await expectSameInChunks(
      text,
      { csv: { maxLineLength: 150, delimiter: ":" } },
      [64],
    );
  });

  it("matches on each delimiter", async () => {
    for (const delimiter of [";", "\t", "|"]) {
      const text = lines(
        HEADER,
        row(),
        row(),
        row("010-1234-5678", "2024-03-05T14:31:00+09:00"),
      ).replaceAll(",", delimiter);
      await expectSameInChunks(text, {}, [7, 4_096]);
      await expectSameInChunks(text, { csv: { delimiter } }, [4_096]);
      await expectSameInChunks(text, { csv: { delimiter: "," } }, [4_096]);
    }
    const text = lines(HEADER, row(), row());
    await expectSameInChunks(text, { csv: { delimiter: ", " } }, [64]);
    await expectSameInChunks(text, { csv: { delimiter: '"' } }, [64]);
  });

  it("matches on Korean, reordered and extra columns", async () => {
    const korean = lines(
      "전화번호,일시,기지국id,기지국유형,위도,경도,정확도,통신사,주소",
      row(),
      row("010-1234-5678", "2024-03-05T14:31:00+09:00"),
      row("010-1234-5678", "bad"),
    );
    await expectSameInChunks(korean, {}, [7, 4_096]);

    const reordered = lines(
      "cell_id,observed_at,latitude,note,longitude,phone_number,operator",
      "45008-1,2024-03-05T14:30:00+09:00,37.5,a,126.9,010-1234-5678,SKT",
      "45008-1,2024-03-05T14:31:00+09:00,37.5,b,126.9,010-1234-5678,SKT",
      "45008-1,2024-03-05T14:32:00+09:00,37.5,c,126.9,010-1234-5679,SKT",
      "45008-1,2024-03-05T14:33:00+09:00,37.5,c,126.9,010-1234-5678,KT",
    );
    await expectSameInChunks(reordered, {}, [7, 4_096]);

    const timeLast = lines(
      "phone_number,cell_id,latitude,longitude,observed_at",
      "010-1234-5678,45008-1,37.5,126.9,2024-03-05T14:30:00+09:00",
      "010-1234-5678,45008-1,37.5,126.9,2024-03-05T14:31:00+09:00",
      "010-1234-5678,45008-1,37.5,126.9,2024-03-05T14:31:00",
    );
    await expectSameInChunks(timeLast, {}, [7, 4_096]);
  });

  it("matches on cells that differ in one character", async () => {
    const content = [HEADER];
    for (const cell of ["145008", "245008", "145009", "14500", "1450080"]) {
      for (const minute of ["30", "31"]) {
        content.push(
          row("010-1234-5678", `2024-03-05T14:${minute}:00+09:00`, cell),
        );
      }
    }
    await expectSameInChunks(lines(...content), {}, [7, 4_096]);
  });

  it("matches with ignored columns around cells", async () => {
    const content = [
      "phone_number,observed_at,note,cell_id,latitude,longitude,row_id",
    ];
    for (let index = 0; index < 200; index++) {
      const time = seoulText(Date.UTC(2024, 2, 1) + index * 60_000);
      content.push(
        `010-1234-5678,${time},n${index % 7},45008-1,37.5,126.9,${index % 3}`,
      );
    }
    const reading = await expectSameReading(() =>
      chunksOf(lines(...content), 512),
    );
    expect(reading.fastRecords).toBeGreaterThan(150);
  });

  it("stops caching when rows rarely repeat", async () => {
    const content = [
      "phone_number,observed_at,cell_id,latitude,longitude,row_id",
    ];
    for (let index = 0; index < 20_000; index++) {
      const time = seoulText(Date.UTC(2024, 2, 1) + index * 60_000);
      content.push(`010-1234-5678,${time},45008-1,37.5,126.9,${index}`);
    }
    const reading = await expectSameReading(() =>
      chunksOf(lines(...content), 65_536),
    );
    expect(reading.fastRecords).toBe(0);
    expect(reading.items).toHaveLength(20_001);
  });

  it("matches on a byte order mark", async () => {
    const text = lines(HEADER, row(), row());
    await expectSameInChunks(`\uFEFF${text}`, {}, [1, 64]);
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(text),
    ]);
    await expectSameReading(() =>
      decodeText(bufferChunks(bytes, 5), "utf-8", "t.csv"),
    );
  });

  it("matches on CP949 text", async () => {
    const text = lines(
      "전화번호,접속일시,기지국번호,셀유형,위도,경도,반경,통신사,소재지",
      row(
        "010-1234-5678",
        "2024-03-05T14:30:00+09:00",
        "45008-1",
        "매크로",
        "37.5",
        "126.9",
        "",
        "SKT",
        "서울특별시 중구",
      ),
      row(
        "010-1234-5678",
        "2024-03-05T14:31:00+09:00",
        "45008-1",
        "매크로",
        "37.5",
        "126.9",
        "",
        "SKT",
        "서울특별시 중구",
      ),
      row(
        "010-1234-5678",
        "2024년 3월 5일 오후 2시 32분",
        "45008-1",
        "매크로",
        "37.5",
        "126.9",
        "",
        "SKT",
        "서울특별시 중구",
      ),
    );
    const bytes = iconv.encode(text, "cp949");
    for (const size of [3, 4_096]) {
      await expectSameReading(() =>
        decodeText(bufferChunks(bytes, size), "cp949", "t.csv"),
      );
    }
  });

  it("matches on files that cannot be read", async () => {
    const cases = [
      "",
      "\n\n",
      `\n${HEADER}\n${row()}\n`,
      `   \n${HEADER}\n${row()}\n`,
      `${HEADER}\n`,
      HEADER,
      `${HEADER}\n\n\n`,
      `${HEADER}\n,,,,,,,,\n`,
      `${HEADER}\n""\n`,
      "phone_number,cell_id\n010-1234-5678,1\n",
      `${HEADER},phone\n${row()}\n`,
      `"phone_number",observed_at,cell_id,latitude,longitude\n${row()}\n`,
      `${HEADER}\n${row()}\n"a"b,c\n`,
    ];
    for (const text of cases) {
      await expectSameInChunks(text, {}, [1, 64]);
    }
    await expectSameInChunks(
      `${HEADER}${"x".repeat(200)}\n${row()}\n`,
      { csv: { maxLineLength: 100 } },
      [7, 64],
    );
  });
});

describe("readNormalisedCsvBytes", () => {
  /** Reads `bytes` in chunks of `size` with the byte reader and, decoded, the old way, and expects the same. */
  async function expectSameFromBytes(
    bytes: Buffer,
    size: number,
    readCase: ReadCase = {},
  ): Promise<Reading> {
    const actual = await readBytesWay(bufferChunks(bytes, size), readCase);
    const expected = await readOldWay(
      decodeUtf8(bufferChunks(bytes, size), "t.csv"),
      readCase,
    );
    expectSameItems(actual, expected);
    const hits = await readBytesWay(bufferChunks(bytes, size), readCase, true);
    expectSameItems(hits, expected);
    return actual;
  }

  function koreanRows(count: number): string[] {
    const content: string[] = [];
    for (let index = 0; index < count; index++) {
      const minute = String(index % 60).padStart(2, "0");
      content.push(
        row(
          `010-1234-567${index % 3}`,
          `2024-03-05T14:${minute}:00+09:00`,
          `45008-${index % 4}`,
          "매크로",
          "37.5",
          "126.9",
          "",
          "SKT",
          `서울특별시 중구 세종대로 ${index % 4}`,
        ),
      );
    }
    return content;
  }

  it("matches with characters cut between chunks", async () => {
    const bytes = Buffer.from(lines(HEADER, ...koreanRows(40)));
    for (const size of [1, 2, 3, 5, 11, 64]) {
      const reading = await expectSameFromBytes(bytes, size);
      expect(reading.items).toHaveLength(41);
      expect(reading.fastRecords).toBeGreaterThan(30);
    }
  });

  it("matches on chunks larger than its slices", async () => {
    const bytes = Buffer.from(lines(HEADER, ...koreanRows(3_000)));
    expect(bytes.length).toBeGreaterThan(200_000);
    for (const size of [100_003, 1 << 20]) {
      const reading = await expectSameFromBytes(bytes, size);
      expect(reading.items).toHaveLength(3_001);
      expect(reading.fastRecords).toBeGreaterThan(2_900);
    }
  });

  it("fails as decoding does on invalid bytes after valid rows", async () => {
    // Which rows come before the error depends on where each reader waits
    // for more text. The offset of a character cut by the end of the file
    // depends on the chunk it started in. The file is dropped either way.
    const valid = Buffer.from(lines(HEADER, ...koreanRows(30)));
    const invalid = Buffer.concat([
      valid,
      Buffer.from([0xff, 0x2c, 0x0a]),
      Buffer.from(lines(...koreanRows(5))),
    ]);
    const cut = Buffer.concat([valid, Buffer.from([0xec, 0x84])]);
    for (const bytes of [invalid, cut]) {
      for (const size of [7, 64, 65_536]) {
        const actual = await readBytesWay(bufferChunks(bytes, size), {});
        const expected = await readOldWay(
          decodeUtf8(bufferChunks(bytes, size), "t.csv"),
          {},
        );
        expect(actual.error).toMatchObject({ rule: "invalid_encoding" });
        if (bytes === invalid) {
          expect(actual.error).toEqual(expected.error);
        }
      }
    }
  });

  it("keeps a byte order mark that starts a later line", async () => {
    const rows = koreanRows(6);
    rows[3] = `\uFEFF${rows[3]!}`;
    const bytes = Buffer.from(lines(HEADER, ...rows));
    for (const size of [5, 4_096]) {
      const reading = await expectSameFromBytes(bytes, size);
      expect(reading.items).toHaveLength(7);
    }
  });

  it("matches on lines longer than the maximum across chunks", async () => {
    const rows = koreanRows(20);
    rows[10] = row(
      "010-1234-5670",
      "2024-03-05T15:00:00+09:00",
      "45008-1",
      "매크로",
      "37.5",
      "126.9",
      "",
      "SKT",
      "가".repeat(400),
    );
    const bytes = Buffer.from(lines(HEADER, ...rows));
    for (const size of [7, 64, 256]) {
      await expectSameFromBytes(bytes, size, { csv: { maxLineLength: 150 } });
    }
  });

  /** Reads `chunks` with the byte reader, with and without hits, and decoded the old way, and expects the same. */
  async function expectSameFromChunks(
    chunks: readonly Buffer[],
    readCase: ReadCase,
  ): Promise<void> {
    const expected = await readOldWay(
      decodeUtf8(listChunks(chunks), "t.csv"),
      readCase,
    );
    expectSameItems(await readBytesWay(listChunks(chunks), readCase), expected);
    const hits = await readBytesWay(listChunks(chunks), readCase, true);
    expectSameItems(hits, expected);
  }

  /** Expects the same reading with the bytes cut once, at each position. */
  async function expectSameAtEveryCut(
    bytes: Buffer,
    readCase: ReadCase = {},
  ): Promise<void> {
    for (let cut = 1; cut < bytes.length; cut++) {
      const chunks = [bytes.subarray(0, cut), bytes.subarray(cut)];
      await expectSameFromChunks(chunks, readCase);
    }
  }

  /** Rows of one phone at one Korean cell, a minute apart. */
  function cellRows(count: number, phone = "010-1234-5670"): string[] {
    return Array.from({ length: count }, (_, index) =>
      row(
        phone,
        `2024-03-05T14:${String(index % 60).padStart(2, "0")}:00+09:00`,
        "45008-1",
        "매크로",
        "37.5",
        "126.9",
        "",
        "SKT",
        "서울특별시 중구",
      ),
    );
  }

  it("matches with the bytes cut at every position", async () => {
    const rows = cellRows(4);
    for (const ending of ["\n", "\r\n"]) {
      const text = `\uFEFF${[HEADER, ...rows, "", rows[1]!].join(ending)}${ending}`;
      await expectSameAtEveryCut(Buffer.from(text));
    }
    await expectSameAtEveryCut(
      Buffer.from(`${HEADER}\n${rows[0]!}\r\n${rows[1]!}\n${rows[2]!}`),
    );
  });

  it("matches on blank lines and spaces around values", async () => {
    const rows = cellRows(3);
    const text = lines(
      HEADER,
      ...rows,
      "",
      "   ",
      "\t",
      ",,,,,,,,",
      rows[0]!.replace("010-1234-5670", " 010-1234-5670"),
      rows[0]!.replace("010-1234-5670", "010-1234-5670 "),
      rows[0]!.replace("+09:00", "+09:00 "),
      rows[0]!.replace("2024", " 2024"),
      `${rows[1]!} `,
      `${rows[1]!},`,
      rows[1]!.replace("45008-1", " 45008-1"),
      ...rows,
    );
    for (const size of [1, 5, 64, 4_096]) {
      await expectSameFromBytes(Buffer.from(text), size);
    }

    // Runs of blank lines longer than a slice, between fast rows.
    for (const ending of ["\n", "\r\n"]) {
      const blank = ending.repeat(70_000);
      const spaced = `${HEADER}${ending}${rows.join(blank)}${ending}`;
      const reading = await expectSameFromBytes(Buffer.from(spaced), 1 << 20);
      expect(reading.items).toHaveLength(4);
      expect(reading.fastRecords).toBe(2);
    }
  });

  it("matches on phone spellings at one cell", async () => {
    const spellings = [
      "010-1234-5670",
      "01012345670",
      "+82-10-1234-5670",
      "+821012345670",
      "+82 10 1234 5670",
      "010.1234.5670",
      "010-123-5670",
      "011-234-5670",
      "010-9999-5670",
      "010-1234-5671",
      "123",
      "010",
      "+82",
      "010-1234-567０",
    ];
    const content = [HEADER];
    for (const phone of spellings) {
      content.push(...cellRows(2, phone), ...cellRows(2, "010-1234-5670"));
    }
    const bytes = Buffer.from(lines(...content));
    for (const size of [7, 4_096]) {
      await expectSameFromBytes(bytes, size);
    }
  });

  it("matches on times of one cell in every form", async () => {
    const times = [
      "2024-03-05T23:59:59+09:00",
      "2024-03-06T00:00:00+09:00",
      "2024-03-05T23:59:59.5+09:00",
      "2024-03-05T23:59:58.5+09:00",
      "2024-03-05T23:59:58.50+09:00",
      "2024-03-05T14:30:00Z",
      "2024-03-05T14:31:00Z",
      "2024-03-05T14:31:00z",
      "2024-03-05T14:31:00+0900",
      "2024-03-05T14:32:00+0900",
      "2024-03-05T14:32:00-0900",
      "2024-03-05 14:32:00+09:00",
      "2024-03-05 14:33:00+09:00",
      "2024-03-05t14:33:00+09:00",
      "2024-03-05T14:33:00",
      "2024-03-05T14:34:00",
      "2024-03-05T14:34:60+09:00",
      "2024-03-05T24:00:00+09:00",
      "2024-03-05T14:3５:00+09:00",
      "2024-02-29T23:59:59+09:00",
      "2023-02-29T23:59:59+09:00",
      "2024-12-31T23:59:59-12:00",
      "2025-01-01T00:00:00-12:00",
      "2024-03-05T14:30:00+09",
      "2024-03-05T14:30:00.123+09:00",
      "2024-03-05T14:30:00.1234+09:00",
    ];
    const content = [HEADER];
    for (const time of times) {
      content.push(
        row("010-1234-5670", time),
        row("010-1234-5670", "2024-03-05T14:30:00+09:00"),
        row("010-1234-5670", time),
      );
    }
    const bytes = Buffer.from(lines(...content));
    for (const size of [7, 4_096]) {
      await expectSameFromBytes(bytes, size);
      await expectSameFromBytes(bytes, size, { zone: "UTC" });
    }
  });

  it("matches on keys that differ in one byte", async () => {
    const addresses = [
      "서울 중구 가",
      "서울 중구 각",
      "서울 중구 갂",
      "서울 중구 가 ",
      "서울 중구",
    ];
    const content = [HEADER];
    for (let index = 0; index < 40; index++) {
      content.push(
        row(
          `010-1234-567${index % 2}`,
          `2024-03-05T14:${String(index).padStart(2, "0")}:00+09:00`,
          index % 3 === 0 ? "45008-1" : "45008-2",
          "macro",
          "37.5",
          "126.9",
          "",
          "SKT",
          addresses[index % addresses.length]!,
        ),
      );
    }
    await expectSameAtEveryCut(Buffer.from(lines(...content.slice(0, 8))));
    for (const size of [3, 64]) {
      await expectSameFromBytes(Buffer.from(lines(...content)), size);
    }
  });

  it("matches on exact duplicate lines", async () => {
    const rows = cellRows(2);
    const text = lines(
      HEADER,
      rows[0]!,
      rows[0]!,
      rows[0]!,
      rows[1]!,
      rows[1]!,
    );
    await expectSameAtEveryCut(Buffer.from(text));
  });

  it("matches on a quote after many fast rows", async () => {
    const rows = cellRows(3_000);
    rows[2_500] = rows[2_500]!.replace("서울특별시 중구", '"서울, 중구"');
    const bytes = Buffer.from(lines(HEADER, ...rows));
    for (const size of [1_000, 65_536, 1 << 20]) {
      const reading = await expectSameFromBytes(bytes, size);
      expect(reading.fastRecords).toBeGreaterThan(2_000);
    }
  });

  it("matches on an over-long line after fast rows", async () => {
    const rows = cellRows(3_000);
    rows[2_500] = `${rows[2_500]!}${"가".repeat(200)}`;
    rows[2_600] = `${rows[2_600]!}${"x".repeat(2_000)}`;
    const bytes = Buffer.from(lines(HEADER, ...rows));
    for (const size of [1_000, 65_536]) {
      await expectSameFromBytes(bytes, size, { csv: { maxLineLength: 150 } });
    }
  });

  it("matches at the maximum line length", async () => {
    const rows = [row(), row("010-1234-5678", "2024-03-05T14:31:00+09:00")];
    const korean = cellRows(2);
    for (const ending of ["\n", "\r\n"]) {
      for (const content of [rows, korean]) {
        const text = `${[HEADER, ...content, ...content].join(ending)}${ending}`;
        const length = content[0]!.length;
        for (const maxLineLength of [length - 1, length, length + 1]) {
          const readCase = { csv: { maxLineLength } };
          await expectSameFromBytes(Buffer.from(text), 7, readCase);
          await expectSameFromBytes(Buffer.from(text), 4_096, readCase);
        }
      }
    }
  });

  it("matches with columns in other orders", async () => {
    const header =
      "cell_id,phone_number,observed_at,latitude,longitude,operator";
    const text = lines(
      header,
      "45008-1,010-1234-5678,2024-03-05T14:30:00+09:00,37.5,126.9,SKT",
      "45008-1,010-1234-5678,2024-03-05T14:31:00+09:00,37.5,126.9,SKT",
      "45008-1,010-1234-5679,2024-03-05T14:31:00+09:00,37.5,126.9,SKT",
    );
    await expectSameAtEveryCut(Buffer.from(text));
    const tail = lines(
      "observed_at,row_id,phone_number,cell_id,latitude,longitude",
      "2024-03-05T14:30:00+09:00,1,010-1234-5678,45008-1,37.5,126.9",
      "2024-03-05T14:31:00+09:00,2,010-1234-5678,45008-1,37.5,126.9",
      '2024-03-05T14:32:00+09:00,"3",010-1234-5678,45008-1,37.5,126.9',
    );
    await expectSameAtEveryCut(Buffer.from(tail));
  });

  it("matches with non-ASCII delimiters", async () => {
    for (const delimiter of ["·", "；", "\u00a0"]) {
      const text = lines(HEADER, ...cellRows(3)).replaceAll(",", delimiter);
      await expectSameFromBytes(Buffer.from(text), 5, { csv: { delimiter } });
      await expectSameFromBytes(Buffer.from(text), 5);
    }
  });

  it("matches beyond the template and phone limits", async () => {
    // More distinct cells, and more distinct phones, than the reader keeps
    // templates and phone numbers for, each line twice so that caching pays.
    const cellsAndPhones = 70_000;
    const content = [HEADER];
    for (let index = 0; index < cellsAndPhones; index++) {
      const phone = `010-${String(2000 + (index % 7_000)).padStart(4, "0")}-${String(index).padStart(5, "0").slice(-4)}`;
      const line = row(phone, "2024-03-05T14:30:00+09:00", `45008-${index}`);
      content.push(line, line.replace("14:30:00", "14:31:00"));
    }
    const bytes = Buffer.from(`${content.join("\n")}\n`);
    const reading = await expectSameFromBytes(bytes, 1 << 20);
    expect(reading.items).toHaveLength(2 * cellsAndPhones + 1);
    expect(reading.fastRecords).toBeGreaterThan(cellsAndPhones / 2);
  });

  it("caches no long keys or phone texts", async () => {
    // Each line twice: a long address, then a long spelling of a phone
    // number, then short lines. Only the short lines' key and phone text
    // are kept, so only the last two lines are made from a template.
    const address = "가".repeat(300);
    const phone = `010${" ".repeat(300)}1234-5678`;
    const long = row("010-1234-5678", "2024-03-05T14:30:00+09:00")
      .split(",")
      .with(8, address)
      .join(",");
    const content = [HEADER];
    for (const [index, line] of [long, row(phone), row()].entries()) {
      for (const minute of ["30", "31"]) {
        content.push(line.replace("14:30:00", `14:${minute}:0${index}`));
      }
    }
    const bytes = Buffer.from(lines(...content));
    for (const size of [64, 4_096]) {
      const reading = await expectSameFromBytes(bytes, size);
      expect(reading.items).toHaveLength(7);
      expect(reading.fastRecords).toBe(2);
    }
  });

  it("matches when caching stops within a run of hits", async () => {
    // Distinct cells first, so that the hit rate falls below its minimum
    // at a line that a template matches, then lines of one cell.
    const content = [HEADER];
    for (let index = 0; index < 16_383; index++) {
      content.push(
        row("010-1234-5678", "2024-03-05T14:30:00+09:00", `45008-${index}`),
      );
    }
    for (let index = 0; index < 200; index++) {
      content.push(
        row(
          "010-1234-5678",
          seoulText(Date.UTC(2024, 2, 5) + index * 1_000),
          "45008-0",
        ),
      );
    }
    const bytes = Buffer.from(lines(...content));
    for (const size of [4_096, 1 << 20]) {
      const reading = await expectSameFromBytes(bytes, size);
      expect(reading.items).toHaveLength(content.length);
    }
  });

  it("matches on random lines cut at random bytes", async () => {
    const random = seededRandom(20240305);
    const pieces = [
      () =>
        row(
          pick(random, [
            "010-1234-5670",
            "01012345670",
            "+82 10 1234 5670",
            "010-9999-5670",
            "123",
          ]),
          pick(random, [
            "2024-03-05T14:30:00+09:00",
            "2024-03-05T14:31:07+09:00",
            "2024-03-05T23:59:59Z",
            "2024-03-06T00:00:00+0900",
            "2024-03-05T14:30:00",
            "2024-03-05T14:30:00.25+09:00",
          ]),
          pick(random, ["45008-1", "45008-2", "45008-1 "]),
          pick(random, ["macro", "매크로"]),
          "37.5",
          "126.9",
          pick(random, ["", "250"]),
          "SKT",
          pick(random, ["", "서울 중구", "서울 중구 가"]),
        ),
      () => "",
      () => " ",
      () => "\uFEFF" + row(),
      () => `${row()},`,
      () => row("010-1234-5670", "2024-03-05T14:30:00+09:00", '"45008-1"'),
      () => `${row()}\r`,
      () => "x".repeat(160),
    ];
    for (let file = 0; file < 150; file++) {
      const content = [HEADER];
      const count = 2 + Math.floor(random() * 12);
      for (let index = 0; index < count; index++) {
        content.push(random() < 0.75 ? pieces[0]!() : pick(random, pieces)());
      }
      const ending = random() < 0.5 ? "\n" : "\r\n";
      const tail = random() < 0.8 ? ending : "";
      const bytes = Buffer.from(content.join(ending) + tail);
      const cuts = [0, 0, 0]
        .map(() => Math.floor(random() * bytes.length))
        .sort((a, b) => a - b);
      const chunks = [0, ...cuts].map((start, index) =>
        bytes.subarray(start, [...cuts, bytes.length][index]),
      );
      const readCase = { csv: { maxLineLength: 150 } };
      await expectSameFromChunks(chunks, readCase);
    }
  });

  it("matches on invalid bytes late in a file", async () => {
    // After fast rows, after a quote hands the file to the CSV parser, and
    // after rows that repeat too rarely turn caching off.
    const quoted = cellRows(3_000);
    quoted[2_000] = quoted[2_000]!.replace("서울특별시 중구", '"서울, 중구"');
    const distinct = Array.from({ length: 17_000 }, (_, index) =>
      row("010-1234-5678", "2024-03-05T14:30:00+09:00", `45008-${index}`),
    );
    for (const content of [cellRows(3_000), quoted, distinct]) {
      const valid = Buffer.from(`${[HEADER, ...content].join("\n")}\n`);
      const bytes = Buffer.concat([
        valid,
        Buffer.from([0xc0, 0x80, 0x0a]),
        Buffer.from(lines(...cellRows(3))),
      ]);
      for (const size of [1_000, 65_536, 1 << 20]) {
        const actual = await readBytesWay(bufferChunks(bytes, size), {});
        expect(actual.error).toMatchObject({ rule: "invalid_encoding" });
        const expected = await readOldWay(
          decodeUtf8(bufferChunks(bytes, size), "t.csv"),
          {},
        );
        expect(actual.error).toEqual(expected.error);
      }
    }
  });
});

function bufferChunks(bytes: Buffer, size: number): AsyncIterable<Buffer> {
  return (async function* () {
    for (let start = 0; start < bytes.length; start += size) {
      yield bytes.subarray(start, start + size);
    }
  })();
}

describe("readNormalisedCsv on other kinds", () => {
  const KINDS: readonly ProviderKind[] = [
    "gps",
    "card",
    "checkin",
    "interview",
  ];
  for (const kind of KINDS) {
    it(`matches the old path on the ${kind} template`, async () => {
      const text = await readFile(
        path.join(TEMPLATES, templateFileName(kind, "sample.csv")),
        "utf8",
      );
      await expectSameInChunks(text, { kind }, [7, 4_096]);
    });
  }

  it("matches the old path on the base-station template", async () => {
    const text = await readFile(
      path.join(TEMPLATES, templateFileName("base-station", "sample.csv")),
      "utf8",
    );
    await expectSameInChunks(text, {}, [7, 4_096]);
  });
});

describe("readNormalisedCsv on real data", () => {
  const MOBILITY = path.join(DATA, "mobility");
  const DS4C_EARLY = path.join(DATA, "korea-covid/ds4c-early-20200319");
  const FILES: readonly [string, ReadCase][] = [
    ["scikit-mobility/geolife_sample.txt.gz", { kind: "gps", zone: "UTC" }],
    ["movingpandas/demodata_geolife.csv", { kind: "gps" }],
    ["trackintel/positionfixes.csv", { kind: "gps" }],
    [
      "trackintel/trips/staypoints_gaps.csv",
      { kind: "gps", dateFormat: "DD.MM.YYYY" },
    ],
  ];

  for (const [name, readCase] of FILES) {
    it(`matches on ${name}`, async () => {
      const inspected = await inspectFile(path.join(MOBILITY, name), "auto");
      await expectSameReading(() => readText(inspected), readCase);
      await expectSameReading(() => readText(inspected), {
        ...readCase,
        kind: "base-station",
      });
    });
  }

  for (const name of ["routes.csv", "seoul_routes.csv"]) {
    it(`matches on ${name} as interview`, async () => {
      const inspected = await inspectFile(path.join(DS4C_EARLY, name), "auto");
      await expectSameReading(() => readText(inspected), {
        kind: "interview",
        dateFormat: "M/D/YY",
      });
      await expectSameReading(() => readText(inspected), { kind: "interview" });
    });
  }

  it("matches on GeoLife fixes written as base-station rows", async () => {
    const gzip = await readFile(
      path.join(MOBILITY, "scikit-mobility/geolife_sample.txt.gz"),
    );
    const fixes = gunzipSync(gzip)
      .toString("utf8")
      .split("\n")
      .slice(1, 40_001);
    const withOffset = [HEADER];
    const withoutOffset = [HEADER];
    for (const fix of fixes) {
      const [latitude, longitude, time, user] = fix.split(",");
      if (time === undefined || user === undefined) {
        continue;
      }
      // Cells of about 1 km, so fixes of a stay share their cell.
      const cell = `${latitude!.slice(0, 5)}:${longitude!.slice(0, 6)}`;
      const fields = [
        `010-0000-0${user}`,
        "",
        `45008-${cell}`,
        "macro",
        latitude!.slice(0, 5),
        longitude!.slice(0, 6),
        "",
        "SKT",
        "",
      ];
      fields[1] = `${time.replace(" ", "T")}+08:00`;
      withOffset.push(fields.join(","));
      fields[1] = time;
      withoutOffset.push(fields.join(","));
    }
    const fast = await expectSameReading(() =>
      chunksOf(lines(...withOffset), 65_536),
    );
    expect(fast.fastRecords).toBeGreaterThan(30_000);
    await expectSameReading(() => chunksOf(lines(...withoutOffset), 65_536), {
      zone: "Asia/Shanghai",
    });
  });

  it("matches on movingpandas fixes written as base-station rows", async () => {
    const text = await readFile(
      path.join(MOBILITY, "movingpandas/demodata_geolife.csv"),
      "utf8",
    );
    const content = [HEADER];
    for (const fix of text.split("\n").slice(1)) {
      const [longitude, latitude, , , , trajectory, , time] = fix.split(";");
      if (time === undefined) {
        continue;
      }
      content.push(
        [
          `010-2000-000${trajectory}`,
          time.trim(),
          "45008-1",
          "micro",
          latitude,
          longitude,
          "",
          "KT",
          "",
        ].join(","),
      );
    }
    await expectSameReading(() => chunksOf(lines(...content), 65_536));
  });
});
