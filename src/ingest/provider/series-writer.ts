import type SqliteDatabase from "better-sqlite3";

import { SEGMENTS_PER_SERIES } from "../../store/migrations/0012-cell-series.js";
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

/** Records per INSERT statement: 5 parameters each, well under SQLite's parameter limit. */
const ROWS_PER_INSERT = 1_000;

/**
 * Parameters of a plain record: one whose end equals its instant, that
 * comes from one source row and has no flags. Its other three columns
 * are NULL in the statement's text, since binding them cost about a
 * fifth of the time of its INSERT.
 */
const PLAIN_RECORD_PARAMETERS = 5;

/**
 * Writes the rows of series into the store with prepared statements on
 * its connection: plain records many to a statement, other records,
 * sites and R*Tree entries one by one, and the series rows at the end.
 */
export class SeriesStore implements SeriesOutput {
  /** First free ids of series and sites, for the encoder. */
  readonly firstIds: { series: number; site: number };
  readonly #options: SeriesStoreOptions;
  readonly #pending: unknown[] = [];
  readonly #insertMany: SqliteDatabase.Statement;
  readonly #insertPlain: SqliteDatabase.Statement;
  readonly #insertOne: SqliteDatabase.Statement;
  readonly #insertSite: SqliteDatabase.Statement;
  readonly #insertSegment: SqliteDatabase.Statement | undefined;

  constructor(options: SeriesStoreOptions) {
    this.#options = options;
    const { sqlite } = options;
    const insert =
      "INSERT INTO series_records (series_id, seq, instant, site_id, source_row, ended_at, source_rows, flags) VALUES ";
    this.#insertMany = sqlite.prepare(
      insert +
        new Array(ROWS_PER_INSERT).fill("(?,?,?,?,?,NULL,NULL,NULL)").join(","),
    );
    this.#insertPlain = sqlite.prepare(`${insert}(?,?,?,?,?,NULL,NULL,NULL)`);
    this.#insertOne = sqlite.prepare(`${insert}(?,?,?,?,?,?,?,?)`);
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
    if (endedAt !== null || sourceRows !== null || flags !== null) {
      this.#insertOne.run(
        seriesId,
        seq,
        instant,
        siteId,
        sourceRow,
        endedAt,
        sourceRows,
        flags,
      );
      return;
    }
    const pending = this.#pending;
    pending.push(seriesId, seq, instant, siteId, sourceRow);
    if (pending.length === ROWS_PER_INSERT * PLAIN_RECORD_PARAMETERS) {
      this.#insertMany.run(pending);
      pending.length = 0;
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
    const pending = this.#pending;
    for (
      let start = 0;
      start < pending.length;
      start += PLAIN_RECORD_PARAMETERS
    ) {
      this.#insertPlain.run(
        pending.slice(start, start + PLAIN_RECORD_PARAMETERS),
      );
    }
    pending.length = 0;
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
