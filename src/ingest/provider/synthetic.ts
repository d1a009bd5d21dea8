import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** Size of a synthetic base-station response file. */
export interface SyntheticAnswerOptions {
  /** Distinct phone numbers. */
  phones: number;
  /** Rows per phone, spread evenly over `days`. */
  rowsPerPhone: number;
  /** Days the rows cover, from 2024-03-01 in Asia/Seoul. */
  days: number;
  /** Seed of the pseudo-random cells. Default 1. */
  seed?: number;
}

/** Counts of a written file. */
export interface SyntheticAnswer {
  rows: number;
  bytes: number;
}

const HEADER =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator,address\n";

/** Cells on a 40 × 40 grid over Seoul, 37.45–37.70 N and 126.80–127.18 E. */
const GRID = 40;
const SOUTH = 37.45;
const NORTH = 37.7;
const WEST = 126.8;
const EAST = 127.18;

const OPERATORS = ["SKT", "KT", "LGU+"];

/** Addresses that one row in four carries, so that rows average about 100 bytes. */
const ADDRESSES = [
  "서울특별시 중구 세종대로 110",
  "서울특별시 종로구 종로 1",
  "서울특별시 강남구 테헤란로 152",
  "서울특별시 마포구 월드컵로 240",
];
const START_MS = Date.UTC(2024, 1, 29, 15); // 2024-03-01T00:00 in Asia/Seoul
const SEOUL_OFFSET_MS = 9 * 3_600_000;

/**
 * Writes a base-station file as a telecom operator sends one: the rows
 * of each phone together and in time order, each phone moving between
 * nearby cells. The writer streams, so files of any size take little
 * memory. Rows average about 95 bytes.
 */
export async function writeSyntheticAnswer(
  file: string,
  options: SyntheticAnswerOptions,
): Promise<SyntheticAnswer> {
  const stream = createWriteStream(file);
  const random = seededRandom(options.seed ?? 1);
  const stepMs = Math.floor(
    (options.days * 86_400_000) / Math.max(options.rowsPerPhone, 1),
  );
  let bytes = 0;
  let rows = 0;
  let chunk = HEADER;

  for (let phone = 0; phone < options.phones; phone++) {
    const number = phoneNumberOf(phone);
    const operator = OPERATORS[phone % OPERATORS.length]!;
    let cellX = Math.floor(random() * GRID);
    let cellY = Math.floor(random() * GRID);
    for (let index = 0; index < options.rowsPerPhone; index++) {
      if (random() < 0.2) {
        cellX = clampCell(cellX + Math.round(random() * 2 - 1));
        cellY = clampCell(cellY + Math.round(random() * 2 - 1));
      }
      const instant = START_MS + index * stepMs + Math.floor(random() * 1000);
      chunk += rowOf(number, instant, cellX, cellY, operator);
      rows++;
      if (chunk.length >= 1 << 16) {
        bytes += Buffer.byteLength(chunk);
        if (!stream.write(chunk)) {
          await once(stream, "drain");
        }
        chunk = "";
      }
    }
  }
  bytes += Buffer.byteLength(chunk);
  stream.end(chunk);
  await once(stream, "finish");
  return { rows, bytes };
}

function rowOf(
  number: string,
  instant: number,
  cellX: number,
  cellY: number,
  operator: string,
): string {
  const latitude = SOUTH + ((cellY + 0.5) * (NORTH - SOUTH)) / GRID;
  const longitude = WEST + ((cellX + 0.5) * (EAST - WEST)) / GRID;
  const cell = cellY * GRID + cellX;
  const cellId = `45008-${String(100_000 + cell).padStart(7, "0")}`;
  // A cell keeps its type and address from row to row: one in five is a
  // micro cell, and one in four has its address in the file.
  const cellType = cellHash(cell) % 5 === 0 ? "micro" : "macro";
  const accuracy = cellType === "macro" ? "" : "250";
  const address =
    cellHash(cell + 7_919) % 4 === 0
      ? ADDRESSES[(cellX + cellY) % ADDRESSES.length]!
      : "";
  return `${number},${seoulTimeOf(instant)},${cellId},${cellType},${latitude.toFixed(5)},${longitude.toFixed(5)},${accuracy},${operator},${address}\n`;
}

/** Formats an instant as Seoul local time with its offset, such as 2024-03-01T09:30:00+09:00. */
function seoulTimeOf(instant: number): string {
  return `${new Date(instant + SEOUL_OFFSET_MS).toISOString().slice(0, 19)}+09:00`;
}

/** Returns the phone number of the n-th phone, such as 010-1000-0042. */
function phoneNumberOf(index: number): string {
  const digits = String(10_000_000 + index).slice(-8);
  return `010-${digits.slice(0, 4)}-${digits.slice(4)}`;
}

/** Hashes a cell number, so that cell attributes look random but stay fixed. */
function cellHash(cell: number): number {
  return Math.imul(cell ^ (cell >>> 7), 0x9e3779b1) >>> 16;
}

function clampCell(value: number): number {
  return Math.min(GRID - 1, Math.max(0, value));
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
