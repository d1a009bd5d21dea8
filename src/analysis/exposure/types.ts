import type { MultiPolygon, Polygon } from "geojson";

import type { TimeInterval } from "../contacts/index.js";

/** A circular place: a centre and, optionally, a radius. */
export interface CirclePlace {
  readonly latitude: number;
  readonly longitude: number;
  /** Radius in metres; the `radiusMeters` option applies when it is left out. */
  readonly radiusMeters?: number;
}

/** The place of an exposure query: a circle, or a GeoJSON polygon in WGS 84. */
export type ExposurePlace = CirclePlace | Polygon | MultiPolygon;

/** A place and the time window of an exposure query. */
export interface ExposureQuery {
  readonly place: ExposurePlace;
  /**
   * The exposure window in epoch milliseconds, start inclusive, end
   * exclusive, or several windows, such as midnight to 5 am on each night
   * of two weeks. Overlapping windows are merged.
   */
  readonly window: TimeInterval | readonly TimeInterval[];
}

/** Settings of an exposure query. Every field is optional. */
export interface ExposureOptions {
  /** Radius in metres of a circular place that gives none. Default 50. */
  readonly radiusMeters?: number;
  /** Minimum minutes inside the place within the window. Default 30. */
  readonly minimumDwellMinutes?: number;
  /** Radius factors of the looser settings reported beside the result. Default [2, 4]. */
  readonly looserRadiusFactors?: readonly number[];
  /** Dwell minimums of the looser settings reported beside the result. Default [15, 0]. */
  readonly looserDwellMinutes?: readonly number[];
}

/** One stay of a person inside the place during the window. */
export interface ExposureStay {
  readonly stayId: string;
  readonly source: string;
  /** Minutes of the stay's certain part inside the window. */
  readonly minutes: number;
  /** Further minutes when the stay's possible end counts. */
  readonly possibleMinutes: number;
  /** Distance in metres from the centre of a circular place; null for a polygon. */
  readonly distanceMeters: number | null;
}

/** A person found inside the place during the window. */
export interface ExposedPerson {
  readonly personId: string;
  /** Minutes of the union of the stays' certain parts inside the window. */
  readonly minutes: number;
  /** Further minutes of the union when the possible ends count. */
  readonly possibleMinutes: number;
  /** First instant inside the window, in epoch milliseconds. */
  readonly firstSeenAt: number;
  /** Last instant inside the window, possible ends included, in epoch milliseconds. */
  readonly lastSeenAt: number;
  readonly stays: readonly ExposureStay[];
}

/** A person whose stay inside the place is known only to a Seoul day in the window. */
export interface DayLevelExposure {
  readonly personId: string;
  readonly dates: readonly string[];
  readonly stayIds: readonly string[];
}

/** How many persons a looser setting of the same query would find. */
export interface LooserSetting {
  /** Radius in metres, or null for a polygon place. */
  readonly radiusMeters: number | null;
  readonly minimumDwellMinutes: number;
  /** Persons found with this setting. */
  readonly personCount: number;
  /** Persons found with this setting but not with the query's own. */
  readonly addedCount: number;
}

/** Result of an exposure query. */
export interface ExposureResult {
  /** Radius in metres that the query used, or null for a polygon place. */
  readonly radiusMeters: number | null;
  readonly minimumDwellMinutes: number;
  /** Persons who dwelt at least the minimum, most minutes first. */
  readonly persons: readonly ExposedPerson[];
  /** Persons with a date-only stay inside the place on a day of the window. */
  readonly dayLevelPersons: readonly DayLevelExposure[];
  /** Counts of looser settings: each radius factor, then each dwell minimum. */
  readonly looserSettings: readonly LooserSetting[];
}
