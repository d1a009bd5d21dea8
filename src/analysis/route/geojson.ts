import type {
  Feature,
  FeatureCollection,
  GeoJsonProperties,
  Geometry,
} from "geojson";

import type { Route, RouteMove, RouteStay } from "./fuse/types.js";
import type { TimeSlot } from "./time-slots.js";
import type { SourceStay } from "./types.js";

/** Decimals of written coordinates: 9 decimals of a degree are about 0.1 mm. */
const COORDINATE_DECIMALS = 9;
/** Decimals of written metres, minutes and shares. */
const VALUE_DECIMALS = 3;

/** Fields written as the geometry, not as properties. */
const POSITION_FIELDS = new Set(["latitude", "longitude"]);

/**
 * Converts the stays of one source to GeoJSON points. Instants become UTC
 * ISO 8601 text, field names become snake case, and numbers are rounded
 * to 3 decimals.
 */
export function sourceStaysToGeoJson(
  stays: readonly SourceStay[],
): FeatureCollection {
  return {
    type: "FeatureCollection",
    features: stays.map((stay) => pointFeature(stay, { type: "stay" })),
  };
}

/**
 * Converts a route to GeoJSON: a point per stay (timed ones first, then
 * date-only ones) and a line from stay to stay per move, each with a
 * `type` of `stay` or `move`.
 */
export function routeToGeoJson(route: Route): FeatureCollection {
  const staysById = new Map<string, RouteStay>(
    route.stays.map((stay) => [stay.id, stay]),
  );
  const features: Feature[] = [
    ...route.stays.map((stay) => pointFeature(stay, { type: "stay" })),
    ...route.dateOnlyStays.map((stay) => pointFeature(stay, { type: "stay" })),
    ...route.moves.map((move) => moveFeature(move, staysById)),
  ];
  return { type: "FeatureCollection", features };
}

/** Converts time slots to GeoJSON points; a slot without a place has a null geometry. */
export function timeSlotsToGeoJson(
  slots: readonly TimeSlot[],
): FeatureCollection {
  return {
    type: "FeatureCollection",
    features: slots.map((slot) => {
      const { latitude, longitude, ...rest } = slot;
      const geometry: Geometry | null =
        latitude === null || longitude === null
          ? null
          : pointGeometry(latitude, longitude);
      return feature(geometry, { type: "slot", ...properties(rest) });
    }),
  };
}

function pointFeature(
  item: object & { latitude: number; longitude: number },
  leading: Record<string, unknown>,
): Feature {
  return feature(pointGeometry(item.latitude, item.longitude), {
    ...leading,
    ...properties(item),
  });
}

function moveFeature(
  move: RouteMove,
  staysById: ReadonlyMap<string, RouteStay>,
): Feature {
  const from = staysById.get(move.fromStayId);
  const to = staysById.get(move.toStayId);
  const geometry: Geometry | null =
    from === undefined || to === undefined
      ? null
      : {
          type: "LineString",
          coordinates: [
            [
              round(from.longitude, COORDINATE_DECIMALS),
              round(from.latitude, COORDINATE_DECIMALS),
            ],
            [
              round(to.longitude, COORDINATE_DECIMALS),
              round(to.latitude, COORDINATE_DECIMALS),
            ],
          ],
        };
  return feature(geometry, { type: "move", ...properties(move) });
}

function feature(
  geometry: Geometry | null,
  featureProperties: GeoJsonProperties,
): Feature {
  // GeoJSON (RFC 7946, section 3.2) allows a null geometry for an unlocated feature.
  return {
    type: "Feature",
    geometry: geometry as Geometry,
    properties: featureProperties,
  };
}

function pointGeometry(latitude: number, longitude: number): Geometry {
  return {
    type: "Point",
    coordinates: [
      round(longitude, COORDINATE_DECIMALS),
      round(latitude, COORDINATE_DECIMALS),
    ],
  };
}

/** Returns the fields of a value as GeoJSON properties, without the position. */
function properties(item: object): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (!POSITION_FIELDS.has(key)) {
      result[snakeCase(key)] = propertyValue(key, value);
    }
  }
  return result;
}

function propertyValue(key: string, value: unknown): unknown {
  if (typeof value === "number" && isInstantField(key)) {
    return new Date(value).toISOString();
  }
  if (typeof value === "number") {
    return round(value, VALUE_DECIMALS);
  }
  return value;
}

/** Tells whether a field contains epoch milliseconds: `startedAt`, `observedFrom` and the like. */
function isInstantField(key: string): boolean {
  return /At$|^observed(From|To)$/.test(key);
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // Adding 0 turns -0 into 0, which deep equality in tests distinguishes from 0.
  return Math.round(value * factor) / factor + 0;
}
