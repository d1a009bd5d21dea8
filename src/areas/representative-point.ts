import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import type { MultiPolygon, Polygon, Position } from "geojson";

/** A latitude and longitude in decimal degrees. */
export interface AreaPoint {
  readonly latitude: number;
  readonly longitude: number;
}

/**
 * Returns a position for an area: the centroid of its largest polygon when
 * that centroid lies inside the area. Otherwise it returns the middle of
 * the widest inside run of the east-west line through the centroid, so a
 * crescent-shaped area still gets a point inside it. The centroid treats
 * longitude and latitude as plane coordinates, which is close enough for
 * an area of a few kilometres.
 */
export function representativePoint(
  geometry: Polygon | MultiPolygon,
): AreaPoint {
  const polygon = largestPolygon(geometry);
  const outer = polygon[0] ?? [];
  const [x, y] = ringCentroid(outer);
  if (
    booleanPointInPolygon([x, y], { type: "Polygon", coordinates: polygon })
  ) {
    return { latitude: y, longitude: x };
  }
  const middle = widestRunMiddle(polygon, y);
  return middle === null
    ? { latitude: outer[0]?.[1] ?? y, longitude: outer[0]?.[0] ?? x }
    : { latitude: y, longitude: middle };
}

function largestPolygon(geometry: Polygon | MultiPolygon): Position[][] {
  if (geometry.type === "Polygon") {
    return geometry.coordinates;
  }
  let largest: Position[][] = [];
  let largestArea = -1;
  for (const polygon of geometry.coordinates) {
    const area = Math.abs(signedArea(polygon[0] ?? []));
    if (area > largestArea) {
      largest = polygon;
      largestArea = area;
    }
  }
  return largest;
}

/**
 * Returns the ring's vertices relative to its first vertex, and that
 * vertex. The small relative coordinates keep the products of the shoelace
 * formula free of cancellation at longitudes near 127.
 */
function relativeRing(ring: readonly Position[]): {
  origin: [number, number];
  points: [number, number][];
} {
  const [originX = 0, originY = 0] = ring[0] ?? [];
  const points = ring.map((position): [number, number] => [
    (position[0] ?? 0) - originX,
    (position[1] ?? 0) - originY,
  ]);
  return { origin: [originX, originY], points };
}

/** Returns the shoelace area of a ring in squared degrees, positive when counter-clockwise. */
function signedArea(ring: readonly Position[]): number {
  const { points } = relativeRing(ring);
  let twiceArea = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[i + 1]!;
    twiceArea += x1 * y2 - x2 * y1;
  }
  return twiceArea / 2;
}

/** Returns the centroid of a closed ring, or the mean of its vertices when it has no area. */
function ringCentroid(ring: readonly Position[]): [number, number] {
  const area = signedArea(ring);
  if (area === 0) {
    const count = Math.max(1, ring.length);
    const sumX = ring.reduce((sum, position) => sum + (position[0] ?? 0), 0);
    const sumY = ring.reduce((sum, position) => sum + (position[1] ?? 0), 0);
    return [sumX / count, sumY / count];
  }
  const { origin, points } = relativeRing(ring);
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[i + 1]!;
    const cross = x1 * y2 - x2 * y1;
    sumX += (x1 + x2) * cross;
    sumY += (y1 + y2) * cross;
  }
  return [origin[0] + sumX / (6 * area), origin[1] + sumY / (6 * area)];
}

/**
 * Returns the longitude in the middle of the widest stretch of the line of
 * latitude `y` that lies inside the polygon, holes included in the count of
 * crossings, or null when the line misses the polygon.
 */
function widestRunMiddle(
  polygon: readonly Position[][],
  y: number,
): number | null {
  const crossings: number[] = [];
  for (const ring of polygon) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1 = 0, y1 = 0] = ring[i]!;
      const [x2 = 0, y2 = 0] = ring[i + 1]!;
      // Half-open on y, so a line through a vertex counts one crossing there.
      if (y1 <= y !== y2 <= y) {
        crossings.push(x1 + ((y - y1) / (y2 - y1)) * (x2 - x1));
      }
    }
  }
  crossings.sort((a, b) => a - b);
  let middle: number | null = null;
  let widest = -1;
  for (let i = 0; i + 1 < crossings.length; i += 2) {
    const width = crossings[i + 1]! - crossings[i]!;
    if (width > widest) {
      widest = width;
      middle = (crossings[i]! + crossings[i + 1]!) / 2;
    }
  }
  return middle;
}
