import type { Polygon, Position } from "geojson";

import { haversineMeters } from "../geo/index.js";

/** A latitude and longitude box in decimal degrees, edges included. */
export interface PolygonBounds {
  readonly minLatitude: number;
  readonly maxLatitude: number;
  readonly minLongitude: number;
  readonly maxLongitude: number;
}

/**
 * Checks that a value is a GeoJSON Polygon (RFC 7946, section 3.1.6) in
 * WGS 84 and returns it. Every ring must have at least 4 positions, end at
 * its first position, and hold longitudes in [-180, 180] and latitudes in
 * [-90, 90]. The first ring is the outer boundary and any others are holes.
 * Ring orientation is not checked, because point-in-polygon tests do not
 * depend on it. Throws a RangeError that names the ring and position.
 */
export function checkPolygon(value: unknown): Polygon {
  if (!isRecord(value) || value.type !== "Polygon") {
    throw new RangeError(
      'Invalid polygon: expected a GeoJSON object with "type": "Polygon".',
    );
  }
  const rings = value.coordinates;
  if (!Array.isArray(rings) || rings.length === 0) {
    throw new RangeError(
      "Invalid polygon: coordinates must be a non-empty list of rings, each a list of [longitude, latitude] positions.",
    );
  }
  rings.forEach(checkRing);
  return value as unknown as Polygon;
}

/** Returns the box around the polygon's outer ring. */
export function polygonBounds(polygon: Polygon): PolygonBounds {
  const outer = polygon.coordinates[0] ?? [];
  const longitudes = outer.map((position) => position[0]!);
  const latitudes = outer.map((position) => position[1]!);
  return {
    minLatitude: Math.min(...latitudes),
    maxLatitude: Math.max(...latitudes),
    minLongitude: Math.min(...longitudes),
    maxLongitude: Math.max(...longitudes),
  };
}

/**
 * Returns the east-west and north-south extent in metres of a box, by the
 * haversine distance across its middle latitude and along a meridian.
 */
export function boundsExtentMeters(bounds: PolygonBounds): {
  widthMeters: number;
  heightMeters: number;
} {
  const middle = (bounds.minLatitude + bounds.maxLatitude) / 2;
  return {
    widthMeters: haversineMeters(
      { latitude: middle, longitude: bounds.minLongitude },
      { latitude: middle, longitude: bounds.maxLongitude },
    ),
    heightMeters: haversineMeters(
      { latitude: bounds.minLatitude, longitude: bounds.minLongitude },
      { latitude: bounds.maxLatitude, longitude: bounds.minLongitude },
    ),
  };
}

function checkRing(ring: unknown, ringIndex: number): void {
  if (!Array.isArray(ring) || ring.length < 4) {
    const count = Array.isArray(ring) ? ring.length : 0;
    throw new RangeError(
      `Invalid polygon: ring ${ringIndex} has ${count} positions, but a closed ring needs at least 4, the last equal to the first.`,
    );
  }
  ring.forEach((position, index) => checkPosition(position, ringIndex, index));

  const first = ring[0] as Position;
  const last = ring[ring.length - 1] as Position;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    throw new RangeError(
      `Invalid polygon: ring ${ringIndex} is not closed. Its last position [${last.join(", ")}] must equal its first [${first.join(", ")}].`,
    );
  }
}

function checkPosition(
  position: unknown,
  ringIndex: number,
  index: number,
): void {
  const where = `position ${index} of ring ${ringIndex}`;
  if (
    !Array.isArray(position) ||
    position.length < 2 ||
    !position.every((number) => typeof number === "number")
  ) {
    throw new RangeError(
      `Invalid polygon: ${where} must be [longitude, latitude] in decimal degrees.`,
    );
  }
  const [longitude, latitude] = position as number[];
  if (!(Math.abs(longitude!) <= 180)) {
    throw new RangeError(
      `Invalid polygon: longitude ${longitude} at ${where} is outside [-180, 180]. GeoJSON puts the longitude first.`,
    );
  }
  if (!(Math.abs(latitude!) <= 90)) {
    throw new RangeError(
      `Invalid polygon: latitude ${latitude} at ${where} is outside [-90, 90]. GeoJSON puts the longitude first.`,
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
