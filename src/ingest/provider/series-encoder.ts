import { SEGMENTS_PER_SERIES } from "../../store/migrations/0012-cell-series.js";
import { cachedValue } from "./bounded-cache.js";
import type { StagedRecord } from "./staging.js";

/** A place that records name, with the columns its records share. */
export interface SiteRow {
  id: number;
  latitude: number;
  longitude: number;
  radiusMeters: number | null;
  altitudeMeters: number | null;
  placeName: string | null;
  placeTypesJson: string;
  address: string | null;
  note: string | null;
  detailsJson: string;
}

/** Where an encoder puts the rows it makes, in the order it makes them. */
export interface SeriesOutput {
  site(site: SiteRow): void;
  /** One record; `endedAt` null when it equals `instant`, `sourceRows` and `flags` null when trivial. */
  record(
    seriesId: number,
    seq: number,
    instant: number,
    endedAt: number | null,
    siteId: number,
    sourceRow: number,
    sourceRows: string | null,
    flags: string | null,
  ): void;
  /** One R*Tree entry: id, minutes from and to, latitudes and longitudes from and to, series. */
  segment(
    id: number,
    minMinute: number,
    maxMinute: number,
    minLatitude: number,
    maxLatitude: number,
    minLongitude: number,
    maxLongitude: number,
    seriesId: number,
  ): void;
}

/** What a series holds once its records are in, for its `record_series` row. */
export interface SeriesSummary {
  key: number;
  id: number;
  /** JSON of the details every record of the series has, or null. */
  details: string | null;
  firstInstant: number;
  lastInstant: number;
  count: number;
  segments: number;
}

/** Counts of what an encoder made. */
export interface SeriesTotals {
  series: number;
  records: number;
  /** Source rows behind the records, merged duplicates included. */
  rows: number;
  sites: number;
  segments: number;
}

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
 * Minutes an entry reaches before the record preceding its first one and
 * after the record that follows its last: the fusion joins stays at one
 * place up to 15 minutes apart.
 */
const SEGMENT_MARGIN_MINUTES = 15;

/**
 * Distinct details texts whose split is kept. Each text names one cell
 * and the last digits of one phone, so a file has about as many as
 * phones times cells. At 65,536 the cache held about 25 MiB.
 */
const MAX_CACHED_SPLITS = 4_096;

/** Radius of a cell without one, and how far a stay's centre may lie from one of its cells, in metres. */
const DEFAULT_REACH_RADIUS_METERS = 1_000;
const STAY_CENTRE_REACH_METERS = 1_000;

/** Metres per degree of latitude on the haversine sphere (radius 6,371,008.8 m). */
const METERS_PER_DEGREE = 111_195.08;

/**
 * Turns located, timed records into the rows of series: a series per
 * key, each record a narrow row naming its site, each distinct site once,
 * and R*Tree entries over runs of nearby records, each reaching from the
 * record before the run to the record after it. The records of a key must
 * come in time order; keys may interleave. Ids count up from the first
 * free ones that the caller gives.
 */
export class SeriesEncoder {
  readonly #output: SeriesOutput;
  readonly #sites = new Map<
    string,
    Map<string | null, Map<number, Map<number, SiteRow[]>>>
  >();
  #siteCount = 0;
  readonly #series = new Map<number, SeriesState>();
  #nextSeriesId: number;
  #nextSiteId: number;
  readonly #splits = new Map<string, SplitDetails>();
  #lastSite: LastSite | undefined;
  readonly #sharedPlaces = new WeakMap<object, SharedPlaceState>();
  #records = 0;
  #rows = 0;
  #segments = 0;

  constructor(
    output: SeriesOutput,
    firstIds: { series: number; site: number },
  ) {
    this.#output = output;
    this.#nextSeriesId = firstIds.series;
    this.#nextSiteId = firstIds.site;
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
      series = newSeries(key, this.#nextSeriesId++);
      this.#series.set(key, series);
    }
    const instant = record.startedAt!;
    const shared = this.#sharedStateOf(record);
    const details = shared?.split ?? this.#splitDetails(record.detailsJson);
    if (series.count === 0) {
      series.firstInstant = instant;
      series.details = details.series;
    } else if (details.series !== series.details) {
      throw new RangeError(
        `The records of one series name different phone numbers (${details.series ?? "none"} after ${series.details ?? "none"}); import them as separate subjects.`,
      );
    }
    const siteId = this.#siteOfShared(record, details, shared);
    this.#output.record(
      series.id,
      series.count,
      instant,
      record.endedAt === instant ? null : record.endedAt,
      siteId,
      record.rows[0]!,
      record.rows.length === 1 ? null : `[${record.rows.join(",")}]`,
      record.flagsJson === "[]" ? null : record.flagsJson,
    );
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

  /** Closes the last entry of every series and returns the series. */
  finish(): { series: SeriesSummary[]; totals: SeriesTotals } {
    const summaries: SeriesSummary[] = [];
    for (const series of this.#series.values()) {
      this.#closeSegment(series, series.lastInstant);
      summaries.push({
        key: series.key,
        id: series.id,
        details: series.details,
        firstInstant: series.firstInstant,
        lastInstant: series.lastInstant,
        count: series.count,
        segments: series.segments,
      });
    }
    return {
      series: summaries,
      totals: {
        series: summaries.length,
        records: this.#records,
        rows: this.#rows,
        sites: this.#siteCount,
        segments: this.#segments,
      },
    };
  }
  /**
   * Returns the state of a record's shared place, with the split of the
   * record's details, or undefined for a record without a shared place.
   */
  #sharedStateOf(record: StagedRecord): SharedPlaceState | undefined {
    const place = record.sharedPlace;
    if (place === undefined) {
      return undefined;
    }
    let state = this.#sharedPlaces.get(place);
    if (state === undefined) {
      state = {
        json: record.detailsJson,
        split: this.#splitDetails(record.detailsJson),
        siteId: undefined,
      };
      this.#sharedPlaces.set(place, state);
    } else if (state.json !== record.detailsJson) {
      state.json = record.detailsJson;
      state.split = this.#splitDetails(record.detailsJson);
    }
    return state;
  }

  /**
   * Splits the details of a record, once for each distinct text among
   * the recent ones. The split keeps returning the same site text, which
   * then finds its site quickly.
   */
  #splitDetails(detailsJson: string): SplitDetails {
    return cachedValue(
      this.#splits,
      detailsJson,
      MAX_CACHED_SPLITS,
      splitSeriesDetails,
    );
  }

  /**
   * Returns the site of a record, found once for all the records that
   * share its place token. Those have the same site columns, and the same
   * site details once the phone's digits are split off. Without that split
   * the site details differ by phone, so the site is looked up as usual.
   */
  #siteOfShared(
    record: StagedRecord,
    details: SplitDetails,
    shared: SharedPlaceState | undefined,
  ): number {
    if (shared === undefined || details.series === null) {
      return this.#siteOf(record, details.site);
    }
    shared.siteId ??= this.#siteOf(record, details.site);
    return shared.siteId;
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

  /**
   * Finds the site of a record's columns, or makes a new one. Sites are
   * found by details, address and position through nested maps, and the
   * few sites that share those are told apart by their other columns.
   */
  #lookUpSite(record: StagedRecord, detailsJson: string): number {
    const address = record.address;
    let byAddress = this.#sites.get(detailsJson);
    if (byAddress === undefined) {
      byAddress = new Map();
      this.#sites.set(detailsJson, byAddress);
    }
    let byLatitude = byAddress.get(address);
    if (byLatitude === undefined) {
      byLatitude = new Map();
      byAddress.set(ownText(address), byLatitude);
    }
    let byLongitude = byLatitude.get(record.latitude!);
    if (byLongitude === undefined) {
      byLongitude = new Map();
      byLatitude.set(record.latitude!, byLongitude);
    }
    let candidates = byLongitude.get(record.longitude!);
    if (candidates === undefined) {
      candidates = [];
      byLongitude.set(record.longitude!, candidates);
    }
    for (const site of candidates) {
      if (
        site.radiusMeters === record.radiusMeters &&
        site.altitudeMeters === record.altitudeMeters &&
        site.placeName === record.placeName &&
        site.note === record.note &&
        site.placeTypesJson === record.placeTypesJson
      ) {
        return site.id;
      }
    }
    const site: SiteRow = {
      id: this.#nextSiteId++,
      latitude: record.latitude!,
      longitude: record.longitude!,
      radiusMeters: record.radiusMeters,
      altitudeMeters: record.altitudeMeters,
      placeName: ownText(record.placeName),
      placeTypesJson: record.placeTypesJson,
      address: ownText(address),
      note: ownText(record.note),
      detailsJson,
    };
    candidates.push(site);
    this.#siteCount++;
    this.#output.site(site);
    return site.id;
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
    this.#output.segment(
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

/**
 * The state the encoder keeps for the records of one shared place: the details
 * text of the latest, its split, and the place's site once found.
 */
interface SharedPlaceState {
  json: string;
  split: SplitDetails;
  siteId: number | undefined;
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
  key: number;
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

function newSeries(key: number, id: number): SeriesState {
  return {
    key,
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

/** The last member of a base-station record's details, which names the subject, not the cell. */
const SERIES_DETAIL = /^(\{.*?),?("phoneLast4":"\d{4}")\}$/;

/**
 * Splits a details object into what belongs to the site and the
 * `phoneLast4` member, which is the same for every record of a series
 * and would otherwise make a site of every cell for every phone. The
 * view adds it back at the end, where it was.
 */
/**
 * A copy of a text that does not keep alive the decoded chunk of the file
 * it may have been sliced from. V8 keeps a long slice as a view of its
 * parent string, and sites live until the import ends.
 */
function ownText(text: string | null): string | null {
  return text === null ? null : ` ${text}`.slice(1);
}

function splitSeriesDetails(detailsJson: string): SplitDetails {
  const match = SERIES_DETAIL.exec(detailsJson);
  if (match === null) {
    return { site: detailsJson, series: null };
  }
  return { site: `${match[1]}}`, series: `{${match[2]}}` };
}
