import Flatbush from "flatbush";

import { EARTH_RADIUS_METERS, haversineMeters } from "../../geo/index.js";
import type { DistanceMetric, GiStarArea, GiStarWeights } from "./types.js";

const METERS_PER_DEGREE = (EARTH_RADIUS_METERS * Math.PI) / 180;

/**
 * Builds the neighbour lists of binary weights, each list sorted and
 * holding the area itself. Throws a RangeError for an invalid band, k or
 * neighbour index.
 */
export function buildNeighborLists(
  areas: readonly GiStarArea[],
  weights: GiStarWeights,
): number[][] {
  switch (weights.kind) {
    case "distance-band":
      return distanceBandNeighbors(
        areas,
        weights.bandDistance,
        weights.metric ?? "haversine",
      );
    case "k-nearest":
      return nearestNeighbors(areas, weights.k, weights.metric ?? "haversine");
    case "neighbor-lists":
      return givenNeighbors(areas.length, weights.neighbors);
  }
}

/** Returns the distance between two areas in metres or in coordinate units. */
export function areaDistance(
  a: { readonly x: number; readonly y: number },
  b: { readonly x: number; readonly y: number },
  metric: DistanceMetric,
): number {
  if (metric === "planar") {
    return Math.hypot(a.x - b.x, a.y - b.y);
  }
  return haversineMeters(
    { latitude: a.y, longitude: a.x },
    { latitude: b.y, longitude: b.x },
  );
}

function distanceBandNeighbors(
  areas: readonly GiStarArea[],
  band: number,
  metric: DistanceMetric,
): number[][] {
  if (!(band >= 0) || !Number.isFinite(band)) {
    throw new RangeError(
      `Invalid band distance ${band}: expected a finite number >= 0.`,
    );
  }
  if (areas.length === 0) {
    return [];
  }

  const index = new Flatbush(areas.length);
  for (const area of areas) {
    index.add(area.x, area.y, area.x, area.y);
  }
  index.finish();

  return areas.map((area, i) => {
    const [minX, minY, maxX, maxY] = searchBox(area, band, metric);
    const found = index.search(minX, minY, maxX, maxY, (j) => {
      return j === i || areaDistance(area, areas[j]!, metric) <= band;
    });
    return found.sort((a, b) => a - b);
  });
}

/**
 * Returns a box around an area that contains every point within `band`. For
 * haversine distances the box is in degrees and widens with latitude.
 */
function searchBox(
  area: GiStarArea,
  band: number,
  metric: DistanceMetric,
): [number, number, number, number] {
  if (metric === "planar") {
    return [area.x - band, area.y - band, area.x + band, area.y + band];
  }
  const latitudeDelta = band / METERS_PER_DEGREE;
  const highestLatitude = Math.abs(area.y) + latitudeDelta;
  if (highestLatitude >= 89) {
    return [-180, -90, 180, 90];
  }
  // NOTE: the box does not wrap across the antimeridian, so a neighbour on
  // the other side of longitude 180 is missed.
  const longitudeDelta =
    latitudeDelta / Math.cos((highestLatitude * Math.PI) / 180);
  return [
    area.x - longitudeDelta,
    area.y - latitudeDelta,
    area.x + longitudeDelta,
    area.y + latitudeDelta,
  ];
}

function nearestNeighbors(
  areas: readonly GiStarArea[],
  k: number,
  metric: DistanceMetric,
): number[][] {
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`Invalid k ${k}: expected an integer >= 0.`);
  }
  // Sorting all distances per area costs O(n^2 log n), fine for the
  // thousands of areas of a city grid.
  return areas.map((area, i) => {
    const others: { index: number; distance: number }[] = [];
    areas.forEach((other, j) => {
      if (j !== i) {
        others.push({ index: j, distance: areaDistance(area, other, metric) });
      }
    });
    others.sort((a, b) => a.distance - b.distance || a.index - b.index);
    const chosen = others.slice(0, k).map((entry) => entry.index);
    return [i, ...chosen].sort((a, b) => a - b);
  });
}

function givenNeighbors(
  count: number,
  neighbors: readonly (readonly number[])[],
): number[][] {
  if (neighbors.length !== count) {
    throw new RangeError(
      `Invalid neighbour lists: ${neighbors.length} lists for ${count} areas.`,
    );
  }
  return neighbors.map((list, i) => {
    const set = new Set([i]);
    for (const j of list) {
      if (!Number.isInteger(j) || j < 0 || j >= count) {
        throw new RangeError(
          `Invalid neighbour index ${j} of area ${i}: expected 0 to ${count - 1}.`,
        );
      }
      set.add(j);
    }
    return [...set].sort((a, b) => a - b);
  });
}
