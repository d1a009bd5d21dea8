import type { Polygon, Position } from "geojson";

/** A polygon place being drawn: the outer ring's vertices, without the closing position, and any holes. */
export interface DrawnPolygon {
  vertices: [number, number][];
  /** Closed rings of a pasted polygon after its outer ring. */
  holes: Position[][];
}

export const EMPTY_DRAWING: DrawnPolygon = { vertices: [], holes: [] };

/** Returns the GeoJSON Polygon of a drawing, or null while it has fewer than 3 vertices. */
export function polygonOf(drawing: DrawnPolygon): Polygon | null {
  const first = drawing.vertices[0];
  if (first === undefined || drawing.vertices.length < 3) {
    return null;
  }
  return {
    type: "Polygon",
    coordinates: [[...drawing.vertices, first], ...drawing.holes],
  };
}

/** Formats a drawing as the GeoJSON text the form shows, or "" while it is no polygon. */
export function polygonTextOf(drawing: DrawnPolygon): string {
  const polygon = polygonOf(drawing);
  return polygon === null ? "" : JSON.stringify(polygon);
}

/** The fault in pasted GeoJSON, as a key of the message catalogue under `exposure.polygonError.`. */
export type PolygonTextError =
  "notJson" | "notPolygon" | "tooFew" | "notClosed";

/**
 * Parses pasted GeoJSON: a Polygon, or a Feature of one. Returns the
 * drawing, or what is wrong with it. The server checks the polygon again
 * (coordinate ranges and every ring) and rejects what this lets through.
 */
export function parsePolygonText(
  text: string,
): { drawing: DrawnPolygon } | { error: PolygonTextError } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: "notJson" };
  }
  const geometry = isFeature(value) ? value.geometry : value;
  if (!isPolygon(geometry)) {
    return { error: "notPolygon" };
  }
  const [outer, ...holes] = geometry.coordinates;
  if (outer === undefined || outer.length < 4) {
    return { error: "tooFew" };
  }
  const first = outer[0]!;
  const last = outer[outer.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return { error: "notClosed" };
  }
  const vertices = outer
    .slice(0, -1)
    .map((position) => [position[0]!, position[1]!] as [number, number]);
  return { drawing: { vertices, holes } };
}

function isFeature(value: unknown): value is { geometry: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "Feature"
  );
}

function isPolygon(value: unknown): value is Polygon {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const candidate = value as { type?: unknown; coordinates?: unknown };
  return (
    candidate.type === "Polygon" &&
    Array.isArray(candidate.coordinates) &&
    candidate.coordinates.every(
      (ring) =>
        Array.isArray(ring) &&
        ring.every(
          (position) =>
            Array.isArray(position) &&
            position.length >= 2 &&
            position.every((number) => typeof number === "number"),
        ),
    )
  );
}
