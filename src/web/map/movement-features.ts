import type { Feature, FeatureCollection, LineString, Polygon } from "geojson";

import type { Movement } from "../api/types.js";
import { circlePolygon } from "./geometry.js";

/** A movement with a known position. */
export type PositionedMovement = Movement & {
  latitude: number;
  longitude: number;
};

export function hasPosition(
  movement: Movement,
): movement is PositionedMovement {
  return movement.latitude !== null && movement.longitude !== null;
}

export function isDateOnly(movement: Movement): boolean {
  return movement.startedAt === null;
}

/** Marker size of a visit known only to the day, which has no dwell time. */
export const DATE_ONLY_MARKER_PX = 16;
const MIN_MARKER_PX = 14;
const MAX_MARKER_PX = 44;

/**
 * Returns the marker diameter in CSS pixels. It grows with the square root
 * of the dwell time, so the area grows with it: 30 min 22 px, 2 h 30 px, and
 * 44 px from about 7 h. Movements without a dwell time, such as visits known
 * only to the day, get a fixed size.
 */
export function markerDiameterPx(movement: Movement): number {
  if (isDateOnly(movement) || movement.dwellMinutes === null) {
    return DATE_ONLY_MARKER_PX;
  }
  const diameter =
    MIN_MARKER_PX + 8 * Math.sqrt(Math.max(0, movement.dwellMinutes) / 30);
  return Math.round(Math.min(MAX_MARKER_PX, diameter));
}

/** Returns the route through the positioned movements in the given (time) order. */
export function routeLine(
  movements: readonly PositionedMovement[],
): FeatureCollection<LineString> {
  if (movements.length < 2) {
    return { type: "FeatureCollection", features: [] };
  }
  const line: Feature<LineString> = {
    type: "Feature",
    properties: {},
    geometry: {
      type: "LineString",
      coordinates: movements.map((movement) => [
        movement.longitude,
        movement.latitude,
      ]),
    },
  };
  return { type: "FeatureCollection", features: [line] };
}

/** Returns a circle polygon for every movement whose position radius is known. */
export function uncertaintyCircles(
  movements: readonly PositionedMovement[],
): FeatureCollection<Polygon, { id: string }> {
  const features = movements.flatMap((movement) => {
    if (movement.radiusMeters === null || !(movement.radiusMeters > 0)) {
      return [];
    }
    return [
      {
        type: "Feature" as const,
        properties: { id: movement.id },
        geometry: circlePolygon(
          movement.longitude,
          movement.latitude,
          movement.radiusMeters,
        ),
      },
    ];
  });
  return { type: "FeatureCollection", features };
}

/**
 * Returns a pixel offset for each movement, so that markers at the same
 * position fan out on a small ring instead of hiding one another. A marker
 * alone at its position gets [0, 0], and the positions themselves stay put.
 */
export function stackedMarkerOffsets(
  movements: readonly PositionedMovement[],
): Map<string, [number, number]> {
  const groups = new Map<string, string[]>();
  for (const movement of movements) {
    const key = `${movement.longitude},${movement.latitude}`;
    const group = groups.get(key) ?? [];
    group.push(movement.id);
    groups.set(key, group);
  }

  const offsets = new Map<string, [number, number]>();
  for (const ids of groups.values()) {
    if (ids.length === 1) {
      offsets.set(ids[0] as string, [0, 0]);
      continue;
    }
    const radiusPx = 8 + 3 * ids.length;
    ids.forEach((id, index) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * index) / ids.length;
      offsets.set(id, [
        Math.round(radiusPx * Math.cos(angle)),
        Math.round(radiusPx * Math.sin(angle)),
      ]);
    });
  }
  return offsets;
}
