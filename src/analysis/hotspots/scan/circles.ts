import { areaDistance } from "../gi-star/weights.js";
import type { ScanLocation } from "./types.js";

/**
 * The circles around one centre: the locations by distance, and the
 * prefix lengths at which a circle ends. Locations at the same distance
 * enter one circle together.
 */
export interface CentreCircles {
  readonly centre: number;
  readonly order: Int32Array;
  readonly distances: Float64Array;
  /** Each circle contains `order[0 .. ends[k] - 1]`. */
  readonly ends: Int32Array;
}

/**
 * Builds the circles around every location that stay within `maxRadius`
 * and whose share of `populationWeights` is at most `maxPopulationShare`.
 * Distances are kilometres for `haversine` and coordinate units for `planar`.
 */
export function buildCircles(
  locations: readonly ScanLocation[],
  populationWeights: Float64Array,
  metric: "haversine" | "planar",
  maxRadius: number,
  maxPopulationShare: number,
): CentreCircles[] {
  let totalWeight = 0;
  for (const weight of populationWeights) {
    totalWeight += weight;
  }
  const maxWeight = totalWeight * maxPopulationShare;
  const toUnits = metric === "haversine" ? 1 / 1000 : 1;

  return locations.map((centreLocation, centre) => {
    const byDistance = locations
      .map((location, index) => ({
        index,
        distance: areaDistance(centreLocation, location, metric) * toUnits,
      }))
      .filter(({ distance }) => distance <= maxRadius)
      .sort((a, b) => a.distance - b.distance || a.index - b.index);

    const ends: number[] = [];
    let weight = 0;
    for (let k = 0; k < byDistance.length; k++) {
      weight += populationWeights[byDistance[k]!.index]!;
      const next = byDistance[k + 1];
      const isGroupEnd =
        next === undefined || next.distance !== byDistance[k]!.distance;
      if (!isGroupEnd) {
        continue;
      }
      if (weight > maxWeight) {
        break;
      }
      ends.push(k + 1);
    }

    const length = ends.at(-1) ?? 0;
    return {
      centre,
      order: Int32Array.from(
        byDistance.slice(0, length),
        (entry) => entry.index,
      ),
      distances: Float64Array.from(
        byDistance.slice(0, length),
        (entry) => entry.distance,
      ),
      ends: Int32Array.from(ends),
    };
  });
}
