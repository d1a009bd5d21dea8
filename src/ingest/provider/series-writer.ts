import type SqliteDatabase from "better-sqlite3";

import { SEGMENTS_PER_SERIES } from "../../store/migrations/0012-cell-series.js";
import { RECORDS_PER_BLOCK } from "../../store/migrations/0013-series-blocks.js";
import type { SourceKind } from "../../store/index.js";
import {
  SeriesEncoder,
  type SeriesOutput,
  type SeriesSummary,
  type SeriesTotals,
  type SiteRow,
} from "./series-encoder.js";
import type { StagedRecord } from "./staging.js";

export type { SeriesTotals } from "./series-encoder.js";

/** Area codes of a position: province, municipality, submunicipality. */
export type AreaColumns = readonly [
  string | null,
  string | null,
  string | null,
];

export interface SeriesStoreOptions {
  /** The store's connection, inside the import's open transaction. */
  sqlite: SqliteDatabase.Database;
  importId: string;
  caseId: string | null;
  sourceKind: SourceKind;
  now: number;
  /** Area codes of a site's position. */
  label: (latitude: number, longitude: number) => AreaColumns;
}

/**
 * Records held in open blocks over all series, and open blocks, above
 * which every open block is written as it is. Series whose records
 * interleave, as in a file sorted by time over all phones, then write
 * shorter blocks, and memory stays bounded.
 */
const MAX_BUFFERED_RECORDS = 131_072;
const MAX_OPEN_BLOCKS = 4_096;

/** The records of a series not yet written, as the ASCII text of a block. */
interface OpenBlock {
  seriesId: number;
  firstSeq: number;
  firstInstant: number;
  lastInstant: number;
  count: number;
  /** The text so far, without its closing bracket, in `bytes` up to `length`. */
  bytes: Buffer;
  length: number;
  /** Distinct flag lists (JSON) of the block's records, by the index its records give. */
  flagLists: Map<string, number>;
}

/** Bytes of a new block's buffer, which doubles as it fills. */
const FIRST_BLOCK_BYTES = 256;

/** Room for one record but its source rows: `,[offset,site,row,flags,end,` at most. */
const MAX_NUMBERS_BYTES = 96;

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const MINUS = 0x2d;
const ZERO = 0x30;

/**
 * Writes the rows of series into the store with prepared statements on
 * its connection: records in blocks of up to `RECORDS_PER_BLOCK`
 * (migration 0013-series-blocks describes the layout), sites and R*Tree
 * entries one by one, and the series rows at the end.
 */
export class SeriesStore implements SeriesOutput {
  /** First free ids of series and sites, for the encoder. */
  readonly firstIds: { series: number; site: number };
  readonly #options: SeriesStoreOptions;
  readonly #blocks = new Map<number, OpenBlock>();
  #lastBlock: OpenBlock | undefined;
  #bufferedRecords = 0;
  readonly #insertBlock: SqliteDatabase.Statement;
  readonly #insertSite: SqliteDatabase.Statement;
  readonly #insertSegment: SqliteDatabase.Statement | undefined;

  constructor(options: SeriesStoreOptions) {
    this.#options = options;
    const { sqlite } = options;
    this.#insertBlock = sqlite.prepare(
      `INSERT INTO series_blocks (series_id, first_seq, record_count,
        first_instant, last_instant, records, flag_lists) VALUES (?,?,?,?,?,?,?)`,
    );
    this.#insertSite = sqlite.prepare(
      `INSERT INTO record_sites (id, import_id, latitude, longitude, radius_meters,
        altitude_meters, place_name, place_types, address, province_code,
        municipality_code, submunicipality_code, note, details)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    const hasIndex =
      sqlite
        .prepare(
          "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'series_space_time'",
        )
        .get() !== undefined;
    this.#insertSegment = hasIndex
      ? sqlite.prepare("INSERT INTO series_space_time VALUES (?,?,?,?,?,?,?,?)")
      : undefined;
    this.firstIds = {
      series: nextId(sqlite, "record_series"),
      site: nextId(sqlite, "record_sites"),
    };
  }

  site(site: SiteRow): void {
    const area = this.#options.label(site.latitude, site.longitude);
    this.#insertSite.run(
      site.id,
      this.#options.importId,
      site.latitude,
      site.longitude,
      site.radiusMeters,
      site.altitudeMeters,
      site.placeName,
      site.placeTypesJson,
      site.address,
      area[0],
      area[1],
      area[2],
      site.note,
      site.detailsJson,
    );
  }

  record(
    seriesId: number,
    seq: number,
    instant: number,
    endedAt: number | null,
    siteId: number,
    sourceRow: number,
    sourceRows: string | null,
    flags: string | null,
  ): void {
    const block = this.#openBlock(seriesId);
    if (block.count === 0) {
      block.firstSeq = seq;
      block.firstInstant = instant;
      block.lastInstant = instant;
    }
    const flagIndex = flags === null ? -1 : flagIndexOf(block, flags);
    const rows = sourceRows ?? "null";
    const isPlain = endedAt === null && sourceRows === null;
    let bytes = block.bytes;
    if (block.length + MAX_NUMBERS_BYTES + rows.length > bytes.length) {
      bytes = Buffer.allocUnsafe(
        Math.max(bytes.length * 2, block.length + rows.length + 1_024),
      );
      block.bytes.copy(bytes, 0, 0, block.length);
      block.bytes = bytes;
    }
    let at = block.length;
    bytes[at++] = block.count === 0 ? OPEN_BRACKET : COMMA;
    bytes[at++] = OPEN_BRACKET;
    at = writeInteger(bytes, at, instant - block.firstInstant);
    bytes[at++] = COMMA;
    at = writeInteger(bytes, at, siteId);
    bytes[at++] = COMMA;
    at = writeInteger(bytes, at, sourceRow);
    if (flagIndex >= 0 || !isPlain) {
      bytes[at++] = COMMA;
      at =
        flagIndex < 0
          ? at + bytes.write("null", at, "latin1")
          : writeInteger(bytes, at, flagIndex);
    }
    if (!isPlain) {
      bytes[at++] = COMMA;
      at =
        endedAt === null
          ? at + bytes.write("null", at, "latin1")
          : writeInteger(bytes, at, endedAt - block.firstInstant);
      bytes[at++] = COMMA;
      at += bytes.write(rows, at, "latin1");
    }
    bytes[at++] = CLOSE_BRACKET;
    block.length = at;
    block.lastInstant = Math.max(block.lastInstant, endedAt ?? instant);
    block.count++;
    this.#bufferedRecords++;
    if (block.count === RECORDS_PER_BLOCK) {
      this.#writeBlock(block);
    }
    if (this.#bufferedRecords >= MAX_BUFFERED_RECORDS) {
      this.#writeOpenBlocks();
    }
  }

  segment(
    id: number,
    minMinute: number,
    maxMinute: number,
    minLatitude: number,
    maxLatitude: number,
    minLongitude: number,
    maxLongitude: number,
    seriesId: number,
  ): void {
    this.#insertSegment?.run(
      id,
      minMinute,
      maxMinute,
      minLatitude,
      maxLatitude,
      minLongitude,
      maxLongitude,
      seriesId,
    );
  }

  /**
   * Writes the records still pending and a `record_series` row for each
   * series, with the person that `personOf` gives for its key.
   */
  finish(
    series: readonly SeriesSummary[],
    personOf: (key: number) => string,
  ): void {
    this.#writeOpenBlocks();
    const insertSeries = this.#options.sqlite.prepare(
      `INSERT INTO record_series (id, person_id, case_id, import_id, source_kind,
        started_at, ended_at, record_count, details, first_segment_id, segment_count, created_at)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    for (const summary of series) {
      insertSeries.run(
        summary.id,
        personOf(summary.key),
        this.#options.caseId,
        this.#options.importId,
        this.#options.sourceKind,
        summary.firstInstant,
        summary.lastInstant,
        summary.count,
        summary.details,
        summary.id * SEGMENTS_PER_SERIES,
        summary.segments,
        this.#options.now,
      );
    }
  }

  /** Returns the open block of a series, made empty when it has none. */
  #openBlock(seriesId: number): OpenBlock {
    const last = this.#lastBlock;
    if (last?.seriesId === seriesId) {
      return last;
    }
    let block = this.#blocks.get(seriesId);
    if (block === undefined) {
      if (this.#blocks.size >= MAX_OPEN_BLOCKS) {
        this.#writeOpenBlocks();
      }
      block = {
        seriesId,
        firstSeq: 0,
        firstInstant: 0,
        lastInstant: 0,
        count: 0,
        bytes: Buffer.allocUnsafe(FIRST_BLOCK_BYTES),
        length: 0,
        flagLists: new Map(),
      };
      this.#blocks.set(seriesId, block);
    }
    this.#lastBlock = block;
    return block;
  }

  /** Writes a block and leaves it empty for the next records of its series. */
  #writeBlock(block: OpenBlock): void {
    if (block.count === 0) {
      return;
    }
    block.bytes[block.length] = CLOSE_BRACKET;
    this.#insertBlock.run(
      block.seriesId,
      block.firstSeq,
      block.count,
      block.firstInstant,
      block.lastInstant,
      block.bytes.toString("latin1", 0, block.length + 1),
      block.flagLists.size === 0
        ? null
        : `[${[...block.flagLists.keys()].join(",")}]`,
    );
    this.#bufferedRecords -= block.count;
    block.count = 0;
    block.length = 0;
    block.flagLists.clear();
  }

  #writeOpenBlocks(): void {
    for (const block of this.#blocks.values()) {
      this.#writeBlock(block);
    }
    this.#blocks.clear();
    this.#lastBlock = undefined;
  }
}

/**
 * Writes located, timed records of an import as series in the store: a
 * series encoder whose rows go straight into the tables. The records of a
 * key must come in time order; keys may interleave. The series rows are
 * written by `finish`, once the persons of the keys are known.
 */
export class SeriesWriter {
  readonly #store: SeriesStore;
  readonly #encoder: SeriesEncoder;

  constructor(options: SeriesStoreOptions) {
    this.#store = new SeriesStore(options);
    this.#encoder = new SeriesEncoder(this.#store, this.#store.firstIds);
  }

  /** True when a record can be kept in a series: it has a start, an end and a position. */
  static accepts(record: StagedRecord): boolean {
    return SeriesEncoder.accepts(record);
  }

  /** Adds a record that `accepts` takes, of the series of `key`. */
  add(key: number, record: StagedRecord): void {
    this.#encoder.add(key, record);
  }

  /** Writes what is pending and the series rows, each with the person of its key. */
  finish(personOf: (key: number) => string): SeriesTotals {
    const { series, totals } = this.#encoder.finish();
    this.#store.finish(series, personOf);
    return totals;
  }
}

function nextId(sqlite: SqliteDatabase.Database, table: string): number {
  return (
    (sqlite
      .prepare(`SELECT coalesce(max(id), 0) FROM ${table}`)
      .pluck()
      .get() as number) + 1
  );
}

/** Returns the index of a flag list among those of the block, adding it when new. */
function flagIndexOf(block: OpenBlock, flags: string): number {
  let index = block.flagLists.get(flags);
  if (index === undefined) {
    index = block.flagLists.size;
    block.flagLists.set(flags, index);
  }
  return index;
}

/**
 * Writes the decimal digits of a safe integer into `bytes` at `at`, as
 * `String(value)` would, and returns the position after them.
 */
function writeInteger(bytes: Buffer, at: number, value: number): number {
  let position = at;
  let rest = value;
  if (rest < 0) {
    bytes[position++] = MINUS;
    rest = -rest;
  }
  let divisor = 1;
  while (divisor * 10 <= rest) {
    divisor *= 10;
  }
  while (divisor >= 1) {
    const digit = Math.floor(rest / divisor);
    bytes[position++] = ZERO + digit;
    rest -= digit * divisor;
    divisor /= 10;
  }
  return position;
}
