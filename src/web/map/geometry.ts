import type { Polygon, Position } from "geojson";

// The sphere the server measures stay radii on, so a circle shows the radius it reported.
import { EARTH_RADIUS_METERS } from "../../analysis/geo/haversine.js";

const toRadians = (degrees: number) => (degrees * Math.PI) / 180;
const toDegrees = (radians: number) => (radians * 180) / Math.PI;

/**
 * Returns a polygon approximating the circle of a radius in metres around a
 * point, with `steps` vertices on the great-circle destination of each bearing.
 */
export function circlePolygon(
  longitude: number,
  latitude: number,
  radiusMeters: number,
  steps = 64,
): Polygon {
  if (!(radiusMeters > 0) || steps < 3) {
    throw new RangeError(
      `Invalid circle: the radius must be positive and steps at least 3, got ${radiusMeters} m and ${steps} steps.`,
    );
  }

  const angularDistance = radiusMeters / EARTH_RADIUS_METERS;
  const lat1 = toRadians(latitude);
  const lon1 = toRadians(longitude);
  const ring: Position[] = [];

  for (let step = 0; step < steps; step += 1) {
    const bearing = (2 * Math.PI * step) / steps;
    const lat2 = Math.asin(
      Math.sin(lat1) * Math.cos(angularDistance) +
        Math.cos(lat1) * Math.sin(angularDistance) * Math.cos(bearing),
    );
    const lon2 =
      lon1 +
      Math.atan2(
        Math.sin(bearing) * Math.sin(angularDistance) * Math.cos(lat1),
        Math.cos(angularDistance) - Math.sin(lat1) * Math.sin(lat2),
      );
    ring.push([toDegrees(lon2), toDegrees(lat2)]);
  }

  const first = ring[0] as Position;
  ring.push([first[0] as number, first[1] as number]);
  return { type: "Polygon", coordinates: [ring] };
}

/** A [west, south, east, north] box in degrees. */
export type Bounds = [number, number, number, number];

/** Returns the box around the points, or null when there are none. */
export function boundsOf(
  points: readonly (readonly [number, number])[],
): Bounds | null {
  if (points.length === 0) {
    return null;
  }
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const [longitude, latitude] of points) {
    west = Math.min(west, longitude);
    east = Math.max(east, longitude);
    south = Math.min(south, latitude);
    north = Math.max(north, latitude);
  }
  return [west, south, east, north];
}
