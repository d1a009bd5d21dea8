import type SqliteDatabase from "better-sqlite3";

import { SEGMENTS_PER_SERIES } from "../../store/migrations/0012-cell-series.js";
import type { SourceKind } from "../../store/index.js";
import type { StagedRecord } from "./staging.js";

/** Area codes of a position: province, municipality, submunicipality. */
export type AreaColumns = readonly [
  string | null,
  string | null,
  string | null,
];

export interface SeriesWriterOptions {
  /** The store's connection, inside the import's open transaction. */
  sqlite: SqliteDatabase.Database;
  importId: string;
  caseId: string | null;
  sourceKind: SourceKind;
  now: number;
  /** Area codes of a site's position. */
  label: (latitude: number, longitude: number) => AreaColumns;
}

/** Records per INSERT statement: 8 columns each, well under SQLite's parameter limit. */
const ROWS_PER_INSERT = 200;
const RECORD_COLUMNS = 8;

/**
 * Largest extent of one R*Tree entry of a series, in degrees of latitude
 * (about 2.2 km) and of longitude (about 2.0 km in Seoul), and in time.
 * Larger entries mean fewer rows to write and more persons for the
 * contact search to look at.
 */
const SEGMENT_MAX_LATITUDE_SPAN = 0.02;
const SEGMENT_MAX_LONGITUDE_SPAN = 0.022;
const SEGMENT_MAX_MS = 6 * 3_600_000;

/**
 * Minutes an entry reaches before its first record and after the record
 * that follows its last: the fusion joins stays at one place up to 15
 * minutes apart.
 */
const SEGMENT_MARGIN_MINUTES = 15;

/** Radius of a cell without one, and how far a stay's centre may lie from one of its cells, in metres. */
const DEFAULT_REACH_RADIUS_METERS = 1_000;
const STAY_CENTRE_REACH_METERS = 1_000;

/** Metres per degree of latitude on the haversine sphere (radius 6,371,008.8 m). */
const METERS_PER_DEGREE = 111_195.08;

/** Counts of what a writer stored. */
export interface SeriesTotals {
  series: number;
  records: number;
  /** Source rows behind the records, merged duplicates included. */
  rows: number;
  sites: number;
  segments: number;
}

/**
 * Writes located, timed records of an import as series: one
 * `record_series` row per subject, each record as a narrow
 * `series_records` row that names its site, each distinct site once in
 * `record_sites`, and R*Tree entries over runs of nearby records. The
 * records of a subject must come in time order; subjects may interleave.
 * The series rows are written by `finish`, once the persons of the
 * subjects are known.
 */
export class SeriesWriter {
  readonly #options: SeriesWriterOptions;
  readonly #sites = new Map<string, number>();
  readonly #series = new Map<number, SeriesState>();
  readonly #pending: unknown[] = [];
  readonly #insertMany: SqliteDatabase.Statement;
  readonly #insertOne: SqliteDatabase.Statement;
  readonly #insertSite: SqliteDatabase.Statement;
  readonly #insertSegment: SqliteDatabase.Statement | undefined;
  #nextSeriesId: number;
  #nextSiteId: number;
  #lastDetailsJson: string | undefined;
  #lastDetails: SplitDetails = { site: "{}", series: null };
  #lastSite: LastSite | undefined;
  #records = 0;
  #rows = 0;
  #segments = 0;

  constructor(options: SeriesWriterOptions) {
    this.#options = options;
    const { sqlite } = options;
    const row = `(${new Array(RECORD_COLUMNS).fill("?").join(",")})`;
    const insert =
      "INSERT INTO series_records (series_id, seq, instant, ended_at, site_id, source_row, source_rows, flags) VALUES ";
    this.#insertMany = sqlite.prepare(
      insert + new Array(ROWS_PER_INSERT).fill(row).join(","),
    );
    this.#insertOne = sqlite.prepare(insert + row);
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
    this.#nextSeriesId = nextId(sqlite, "record_series");
    this.#nextSiteId = nextId(sqlite, "record_sites");
  }

  /** True when a record can be kept in a series: it has a start, an end and a position. */
  static accepts(record: StagedRecord): boolean {
    return (
      record.startedAt !== null &&
      record.endedAt !== null &&
      record.visitDate === null &&
      record.latitude !== null &&
      record.longitude !== null
    );
  }

  /** Adds a record that `accepts` takes, of the series of `key`. */
  add(key: number, record: StagedRecord): void {
    let series = this.#series.get(key);
    if (series === undefined) {
      series = newSeries(this.#nextSeriesId++);
      this.#series.set(key, series);
    }
    const instant = record.startedAt!;
    const details = this.#splitDetails(record.detailsJson);
    if (series.count === 0) {
      series.firstInstant = instant;
      series.details = details.series;
    } else if (details.series !== series.details) {
      throw new RangeError(
        `The records of one series name different phone numbers (${details.series ?? "none"} after ${series.details ?? "none"}); import them as separate subjects.`,
      );
    }
    const siteId = this.#siteOf(record, details.site);
    this.#pending.push(
      series.id,
      series.count,
      instant,
      record.endedAt === instant ? null : record.endedAt,
      siteId,
      record.rows[0],
      record.rows.length === 1 ? null : `[${record.rows.join(",")}]`,
      record.flagsJson === "[]" ? null : record.flagsJson,
    );
    if (this.#pending.length === ROWS_PER_INSERT * RECORD_COLUMNS) {
      this.#insertMany.run(this.#pending);
      this.#pending.length = 0;
    }
    this.#extendSegment(series, record, instant);
    series.count++;
    series.previousInstant = instant;
    series.lastInstant = Math.max(
      series.lastInstant,
      record.endedAt ?? instant,
    );
    this.#records++;
    this.#rows += record.rows.length;
  }

  /**
   * Writes what is pending and the series rows, each with the person that
   * `personOf` gives for its key.
   */
  finish(personOf: (key: number) => string): SeriesTotals {
    for (let start = 0; start < this.#pending.length; start += RECORD_COLUMNS) {
      this.#insertOne.run(this.#pending.slice(start, start + RECORD_COLUMNS));
    }
    this.#pending.length = 0;
    const insertSeries = this.#options.sqlite.prepare(
      `INSERT INTO record_series (id, person_id, case_id, import_id, source_kind,
        started_at, ended_at, record_count, details, first_segment_id, segment_count, created_at)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    for (const [key, series] of this.#series) {
      this.#closeSegment(series, series.lastInstant);
      insertSeries.run(
        series.id,
        personOf(key),
        this.#options.caseId,
        this.#options.importId,
        this.#options.sourceKind,
        series.firstInstant,
        series.lastInstant,
        series.count,
        series.details,
        series.id * SEGMENTS_PER_SERIES,
        series.segments,
        this.#options.now,
      );
    }
    return {
      series: this.#series.size,
      records: this.#records,
      rows: this.#rows,
      sites: this.#sites.size,
      segments: this.#segments,
    };
  }

  /** Splits the details of a record, reusing the split of the previous record's equal text. */
  #splitDetails(detailsJson: string): SplitDetails {
    if (detailsJson !== this.#lastDetailsJson) {
      this.#lastDetailsJson = detailsJson;
      this.#lastDetails = splitSeriesDetails(detailsJson);
    }
    return this.#lastDetails;
  }

  #siteOf(record: StagedRecord, detailsJson: string): number {
    const last = this.#lastSite;
    if (
      last !== undefined &&
      last.detailsJson === detailsJson &&
      last.latitude === record.latitude &&
      last.longitude === record.longitude &&
      last.radiusMeters === record.radiusMeters &&
      last.altitudeMeters === record.altitudeMeters &&
      last.placeName === record.placeName &&
      last.address === record.address &&
      last.note === record.note &&
      last.placeTypesJson === record.placeTypesJson
    ) {
      return last.id;
    }
    const id = this.#lookUpSite(record, detailsJson);
    this.#lastSite = {
      id,
      detailsJson,
      latitude: record.latitude,
      longitude: record.longitude,
      radiusMeters: record.radiusMeters,
      altitudeMeters: record.altitudeMeters,
      placeName: record.placeName,
      address: record.address,
      note: record.note,
      placeTypesJson: record.placeTypesJson,
    };
    return id;
  }

  #lookUpSite(record: StagedRecord, detailsJson: string): number {
    const key = siteKey(record, detailsJson);
    let id = this.#sites.get(key);
    if (id === undefined) {
      id = this.#nextSiteId++;
      const area = this.#options.label(record.latitude!, record.longitude!);
      this.#insertSite.run(
        id,
        this.#options.importId,
        record.latitude,
        record.longitude,
        record.radiusMeters,
        record.altitudeMeters,
        record.placeName,
        record.placeTypesJson,
        record.address,
        area[0],
        area[1],
        area[2],
        record.note,
        detailsJson,
      );
      this.#sites.set(key, id);
    }
    return id;
  }

  /**
   * Grows the series' current R*Tree entry by the record, or closes it at
   * the record's instant and starts a new one when the record lies too far
   * away or too late.
   */
  #extendSegment(
    series: SeriesState,
    record: StagedRecord,
    instant: number,
  ): void {
    const latitude = record.latitude!;
    const longitude = record.longitude!;
    const segment = series.segment;
    if (segment !== undefined) {
      const fits =
        Math.max(segment.maxLatitude, latitude) -
          Math.min(segment.minLatitude, latitude) <=
          SEGMENT_MAX_LATITUDE_SPAN &&
        Math.max(segment.maxLongitude, longitude) -
          Math.min(segment.minLongitude, longitude) <=
          SEGMENT_MAX_LONGITUDE_SPAN &&
        instant - segment.startedAt <= SEGMENT_MAX_MS;
      if (fits) {
        segment.minLatitude = Math.min(segment.minLatitude, latitude);
        segment.maxLatitude = Math.max(segment.maxLatitude, latitude);
        segment.minLongitude = Math.min(segment.minLongitude, longitude);
        segment.maxLongitude = Math.max(segment.maxLongitude, longitude);
        segment.reachMeters = Math.max(
          segment.reachMeters,
          reachOf(record.radiusMeters),
        );
        return;
      }
      this.#closeSegment(series, instant);
    }
    series.segment = {
      startedAt: series.count === 0 ? instant : series.previousInstant,
      minLatitude: latitude,
      maxLatitude: latitude,
      minLongitude: longitude,
      maxLongitude: longitude,
      reachMeters: reachOf(record.radiusMeters),
    };
  }

  /** Writes the series' current entry, which reaches in time up to `endsAt`. */
  #closeSegment(series: SeriesState, endsAt: number): void {
    const segment = series.segment;
    if (segment === undefined) {
      return;
    }
    series.segment = undefined;
    if (series.segments === SEGMENTS_PER_SERIES) {
      throw new RangeError(
        "A series has more entries than its id range holds; import the file in parts.",
      );
    }
    const id = series.id * SEGMENTS_PER_SERIES + series.segments;
    series.segments++;
    this.#segments++;
    const latitudeDegrees = segment.reachMeters / METERS_PER_DEGREE;
    const middle = (segment.minLatitude + segment.maxLatitude) / 2;
    const longitudeDegrees =
      latitudeDegrees / Math.max(Math.cos((middle * Math.PI) / 180), 0.01);
    this.#insertSegment?.run(
      id,
      segment.startedAt / 60_000 - SEGMENT_MARGIN_MINUTES,
      endsAt / 60_000 + SEGMENT_MARGIN_MINUTES,
      segment.minLatitude - latitudeDegrees,
      segment.maxLatitude + latitudeDegrees,
      segment.minLongitude - longitudeDegrees,
      segment.maxLongitude + longitudeDegrees,
      series.id,
    );
  }
}

/** A record's details split into those of its site and those of its series. */
interface SplitDetails {
  site: string;
  series: string | null;
}

/** The site of the previous record, with the columns that made it. */
type LastSite = { id: number; detailsJson: string } & Pick<
  StagedRecord,
  | "latitude"
  | "longitude"
  | "radiusMeters"
  | "altitudeMeters"
  | "placeName"
  | "address"
  | "note"
  | "placeTypesJson"
>;

interface SeriesState {
  id: number;
  count: number;
  /** JSON of the details every record of the series has, or null. */
  details: string | null;
  firstInstant: number;
  lastInstant: number;
  segments: number;
  /** Instant of the latest record, where the next entry starts. */
  previousInstant: number;
  segment: OpenSegment | undefined;
}

interface OpenSegment {
  startedAt: number;
  minLatitude: number;
  maxLatitude: number;
  minLongitude: number;
  maxLongitude: number;
  reachMeters: number;
}

function newSeries(id: number): SeriesState {
  return {
    id,
    count: 0,
    details: null,
    firstInstant: Number.NaN,
    lastInstant: -Infinity,
    segments: 0,
    previousInstant: Number.NaN,
    segment: undefined,
  };
}

function reachOf(radiusMeters: number | null): number {
  return (
    (radiusMeters ?? DEFAULT_REACH_RADIUS_METERS) + STAY_CENTRE_REACH_METERS
  );
}

function siteKey(record: StagedRecord, detailsJson: string): string {
  return `${record.latitude}\u0001${record.longitude}\u0001${record.radiusMeters}\u0001${record.altitudeMeters}\u0001${record.placeName}\u0001${record.address}\u0001${record.note}\u0001${record.placeTypesJson}\u0001${detailsJson}`;
}

/** The last member of a base-station record's details, which names the subject, not the cell. */
const SERIES_DETAIL = /^(\{.*?),?("phoneLast4":"\d{4}")\}$/;

/**
 * Splits a details object into what belongs to the site and the
 * `phoneLast4` member, which is the same for every record of a series
 * and would otherwise make a site of every cell for every phone. The
 * view adds it back at the end, where it was.
 */
function splitSeriesDetails(detailsJson: string): SplitDetails {
  const match = SERIES_DETAIL.exec(detailsJson);
  if (match === null) {
    return { site: detailsJson, series: null };
  }
  return { site: `${match[1]}}`, series: `{${match[2]}}` };
}

function nextId(sqlite: SqliteDatabase.Database, table: string): number {
  return (
    (sqlite
      .prepare(`SELECT coalesce(max(id), 0) FROM ${table}`)
      .pluck()
      .get() as number) + 1
  );
}
