import { readFileSync, writeFileSync } from "node:fs";

import type { Feature, FeatureCollection, Point, Position } from "geojson";
import { format } from "prettier";

import { EARTH_RADIUS_METERS } from "../geo/index.js";
import { isDateOnlyStay } from "./validate.js";
import type { DateOnlyStay, Stay, TimedStay } from "./types.js";

export { seededRandom } from "../hotspots/statistics/random.js";

/** Reference point of generated test stays: Seoul City Hall. */
export const TEST_ORIGIN = { latitude: 37.5665, longitude: 126.978 } as const;

const METERS_PER_DEGREE = (EARTH_RADIUS_METERS * Math.PI) / 180;
const MINUTE_MS = 60_000;

/** Position `eastMeters` east and `northMeters` north of the test origin. */
export function offsetPosition(
  eastMeters: number,
  northMeters: number,
): { latitude: number; longitude: number } {
  const cosLatitude = Math.cos((TEST_ORIGIN.latitude * Math.PI) / 180);
  return {
    latitude: TEST_ORIGIN.latitude + northMeters / METERS_PER_DEGREE,
    longitude:
      TEST_ORIGIN.longitude + eastMeters / (METERS_PER_DEGREE * cosLatitude),
  };
}

/** Fields of a generated timed stay; times are minutes after `baseMs`. */
export interface TimedStaySpec {
  readonly id: string;
  readonly personId: string;
  readonly source?: string;
  readonly startMinute: number;
  readonly lastFixMinute: number;
  readonly finishMinute?: number;
  readonly eastMeters?: number;
  readonly northMeters?: number;
  readonly radiusMeters?: number;
}

/** Builds a timed stay for tests, placed in metres from the test origin. */
export function timedStay(baseMs: number, spec: TimedStaySpec): TimedStay {
  return {
    id: spec.id,
    personId: spec.personId,
    source: spec.source ?? "gps",
    startedAt: baseMs + spec.startMinute * MINUTE_MS,
    lastFixAt: baseMs + spec.lastFixMinute * MINUTE_MS,
    finishedAt: baseMs + (spec.finishMinute ?? spec.lastFixMinute) * MINUTE_MS,
    ...offsetPosition(spec.eastMeters ?? 0, spec.northMeters ?? 0),
    radiusMeters: spec.radiusMeters ?? 0,
  };
}

/** Builds a date-only stay for tests, placed in metres from the test origin. */
export function dateOnlyStay(spec: {
  readonly id: string;
  readonly personId: string;
  readonly visitDate: string;
  readonly source?: string;
  readonly eastMeters?: number;
  readonly northMeters?: number;
  readonly radiusMeters?: number;
}): DateOnlyStay {
  return {
    id: spec.id,
    personId: spec.personId,
    source: spec.source ?? "disclosed_visit",
    visitDate: spec.visitDate,
    ...offsetPosition(spec.eastMeters ?? 0, spec.northMeters ?? 0),
    radiusMeters: spec.radiusMeters ?? 0,
  };
}

/**
 * Writes a golden JSON fixture formatted as Prettier formats it, so that
 * regenerated fixtures pass the format check unchanged.
 */
export async function writeJsonFixture(
  file: string,
  value: unknown,
): Promise<void> {
  writeFileSync(file, await format(JSON.stringify(value), { parser: "json" }));
}

/** Whether the golden tests rewrite their fixture files. */
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";

/** Reads a JSON or GeoJSON fixture file. */
export function readJsonFixture<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/**
 * Returns the stored golden file after rewriting it with `actual` when
 * `UPDATE_GOLDEN=1`, and `actual` round-tripped through JSON, so that the
 * two compare as the file does.
 */
export async function goldenPair<T>(
  file: string,
  actual: T,
): Promise<{ actual: unknown; expected: unknown }> {
  if (UPDATE_GOLDEN) {
    await writeJsonFixture(file, actual);
  }
  return {
    actual: JSON.parse(JSON.stringify(actual)) as unknown,
    expected: readJsonFixture(file),
  };
}

/** Builds a GeoJSON point feature at a longitude and latitude. */
export function pointFeature<P extends Record<string, unknown>>(
  longitude: number,
  latitude: number,
  properties: P,
): Feature<Point, P> {
  return {
    type: "Feature",
    geometry: { type: "Point", coordinates: [longitude, latitude] },
    properties,
  };
}

/** Returns the longitude and latitude of a point feature. */
export function pointOf(feature: Feature): {
  longitude: number;
  latitude: number;
} {
  if (feature.geometry?.type !== "Point") {
    throw new Error(
      `Invalid fixture feature ${JSON.stringify(feature.properties)}: expected a Point geometry.`,
    );
  }
  const [longitude, latitude] = feature.geometry.coordinates as Position;
  return { longitude: longitude!, latitude: latitude! };
}

/** Properties of a stay as a fixture point, with times as ISO 8601 instants. */
interface StayProperties extends Record<string, unknown> {
  readonly id: string;
  readonly personId: string;
  readonly source: string;
  readonly radiusMeters: number;
  readonly startedAt?: string;
  readonly lastFixAt?: string;
  readonly finishedAt?: string;
  readonly visitDate?: string;
}

/** Converts a stay to a point feature at its centre, with its radius and times. */
export function stayToFeature(stay: Stay): Feature<Point, StayProperties> {
  const base = {
    id: stay.id,
    personId: stay.personId,
    source: stay.source,
    radiusMeters: stay.radiusMeters,
  };
  const properties: StayProperties = isDateOnlyStay(stay)
    ? { ...base, visitDate: stay.visitDate }
    : {
        ...base,
        startedAt: new Date(stay.startedAt).toISOString(),
        lastFixAt: new Date(stay.lastFixAt).toISOString(),
        finishedAt: new Date(stay.finishedAt).toISOString(),
      };
  return pointFeature(stay.longitude, stay.latitude, properties);
}

/** Reads a stay from a point feature written by `stayToFeature`. */
export function stayOfFeature(feature: Feature): Stay {
  const properties = feature.properties as StayProperties;
  const base = {
    id: properties.id,
    personId: properties.personId,
    source: properties.source,
    ...pointOf(feature),
    radiusMeters: properties.radiusMeters,
  };
  if (properties.visitDate !== undefined) {
    return { ...base, visitDate: properties.visitDate };
  }
  return {
    ...base,
    startedAt: Date.parse(properties.startedAt!),
    lastFixAt: Date.parse(properties.lastFixAt!),
    finishedAt: Date.parse(properties.finishedAt!),
  };
}

/** Converts stays to a feature collection of their centres. */
export function staysToFeatureCollection(
  stays: readonly Stay[],
): FeatureCollection<Point, StayProperties> {
  return { type: "FeatureCollection", features: stays.map(stayToFeature) };
}
