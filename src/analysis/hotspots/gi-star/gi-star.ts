import {
  benjaminiHochberg,
  twoSidedNormalPValue,
} from "../statistics/normal.js";
import type { GiStarArea, GiStarResult, GiStarWeights } from "./types.js";
import { buildNeighborLists } from "./weights.js";

/**
 * Computes the Getis-Ord Gi* statistic of every area with binary weights,
 * each area its own neighbour (Ord and Getis 1995):
 *
 *   z_i = (sum_j w_ij x_j - mean * W_i) / (S * sqrt((n * W_i - W_i^2) / (n - 1)))
 *
 * with W_i the number of neighbours, mean and S the mean and the standard
 * deviation (divisor n) of all values. The p-values are two-sided normal, and
 * q-values Benjamini-Hochberg adjusted over all areas. When all values are
 * equal, or an area neighbours every area, the variance of Gi* is 0, and
 * the area gets z = 0, p = 1.
 *
 * Throws a RangeError for a non-finite value or invalid weights.
 */
export function computeGiStar(
  areas: readonly GiStarArea[],
  weights: GiStarWeights,
): GiStarResult[] {
  for (const area of areas) {
    if (
      !Number.isFinite(area.value) ||
      !Number.isFinite(area.x) ||
      !Number.isFinite(area.y)
    ) {
      throw new RangeError(
        `Invalid area ${JSON.stringify(area.id)}: x, y and value must be finite numbers.`,
      );
    }
  }
  const neighbors = buildNeighborLists(areas, weights);
  const values = Float64Array.from(areas, (area) => area.value);
  return giStarFromNeighbors(areas, values, neighbors);
}

/** Computes Gi* for given values and neighbour lists that hold each area itself. */
export function giStarFromNeighbors(
  areas: readonly { readonly id: string }[],
  values: Float64Array,
  neighbors: readonly (readonly number[])[],
): GiStarResult[] {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i]!;
  }
  const mean = sum / n;
  // Two passes keep the variance exactly 0 when all values are equal.
  let squaredDeviations = 0;
  for (let i = 0; i < n; i++) {
    squaredDeviations += (values[i]! - mean) ** 2;
  }
  const standardDeviation = Math.sqrt(squaredDeviations / n);

  const zScores = new Float64Array(n);
  const neighborSums = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const list = neighbors[i]!;
    let neighborSum = 0;
    for (const j of list) {
      neighborSum += values[j]!;
    }
    neighborSums[i] = neighborSum;

    const weightSum = list.length;
    const spread =
      standardDeviation *
      Math.sqrt((n * weightSum - weightSum * weightSum) / (n - 1));
    zScores[i] = spread > 0 ? (neighborSum - mean * weightSum) / spread : 0;
  }

  const pValues = Array.from(zScores, (z) => twoSidedNormalPValue(z));
  const qValues = benjaminiHochberg(pValues);
  return areas.map((area, i) => ({
    id: area.id,
    value: values[i]!,
    neighborCount: neighbors[i]!.length,
    neighborSum: neighborSums[i]!,
    zScore: zScores[i]!,
    pValue: pValues[i]!,
    qValue: qValues[i]!,
  }));
}
