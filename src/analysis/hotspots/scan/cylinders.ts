import type { CentreCircles } from "./circles.js";
import { logLikelihoodRatio } from "./likelihood.js";

/** Counts and expectations on a location-by-time grid, row-major by location. */
export interface ScanGrid {
  readonly locationCount: number;
  readonly timeCount: number;
  /** Expected cases per cell under the null hypothesis. */
  readonly expected: Float64Array;
  readonly total: number;
}

/** The best time interval of one circle. */
export interface CircleBest {
  readonly centre: number;
  /** Number of locations of the circle: the first `size` of its centre's order. */
  readonly size: number;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly observed: number;
  readonly expected: number;
  readonly logLikelihoodRatio: number;
}

/** Limits on the time intervals that the scan tries. */
export interface IntervalLimits {
  readonly maxDuration: number;
  /** Only intervals that end at the last time unit. */
  readonly isProspective: boolean;
}

/**
 * Scans every cylinder: every circle of every centre over every allowed
 * interval. Returns the maximum log-likelihood ratio, and when `bests` is
 * given also pushes each circle's best interval into it. The work per
 * circle is one pass over the time units to add the new locations and one
 * over the intervals, all in typed arrays, because the Monte Carlo
 * replications run this loop hundreds of times. A prospective scan only
 * reads the last `maxDuration` time units, the only ones its intervals
 * can cover.
 */
export function scanCylinders(
  grid: ScanGrid,
  observed: Float64Array,
  circles: readonly CentreCircles[],
  limits: IntervalLimits,
  bests?: CircleBest[],
): number {
  const { timeCount, expected, total } = grid;
  const timeFrom = limits.isProspective
    ? Math.max(0, timeCount - limits.maxDuration)
    : 0;
  const span = timeCount - timeFrom;
  const circleObserved = new Float64Array(span);
  const circleExpected = new Float64Array(span);
  // prefix[k] sums the time units timeFrom to timeFrom + k - 1.
  const prefixObserved = new Float64Array(span + 1);
  const prefixExpected = new Float64Array(span + 1);
  const firstEnd = limits.isProspective ? timeCount - 1 : 0;
  // Without `bests` only the maximum counts, so a cylinder whose bound
  // cannot beat it needs no logarithm.
  const prunes = bests === undefined;
  let maximum = 0;

  for (const circle of circles) {
    circleObserved.fill(0);
    circleExpected.fill(0);
    let added = 0;
    for (const end of circle.ends) {
      for (; added < end; added++) {
        const row = circle.order[added]! * timeCount + timeFrom;
        for (let t = 0; t < span; t++) {
          circleObserved[t]! += observed[row + t]!;
          circleExpected[t]! += expected[row + t]!;
        }
      }
      for (let t = 0; t < span; t++) {
        prefixObserved[t + 1] = prefixObserved[t]! + circleObserved[t]!;
        prefixExpected[t + 1] = prefixExpected[t]! + circleExpected[t]!;
      }

      let best = 0;
      let bestStart = -1;
      let bestEnd = -1;
      for (let last = firstEnd; last < timeCount; last++) {
        const earliest = Math.max(timeFrom, last - limits.maxDuration + 1);
        const lastIndex = last + 1 - timeFrom;
        for (let first = earliest; first <= last; first++) {
          const firstIndex = first - timeFrom;
          const c = prefixObserved[lastIndex]! - prefixObserved[firstIndex]!;
          const mu = prefixExpected[lastIndex]! - prefixExpected[firstIndex]!;
          if (c > mu) {
            if (prunes && !mayExceed(c, mu, total, Math.max(best, maximum))) {
              continue;
            }
            const ratio = logLikelihoodRatio(c, mu, total);
            if (ratio > best) {
              best = ratio;
              bestStart = first;
              bestEnd = last;
            }
          }
        }
      }

      if (best > maximum) {
        maximum = best;
      }
      if (bests !== undefined && bestStart >= 0) {
        const startIndex = bestStart - timeFrom;
        const endIndex = bestEnd + 1 - timeFrom;
        bests.push({
          centre: circle.centre,
          size: end,
          startIndex: bestStart,
          endIndex: bestEnd,
          observed: prefixObserved[endIndex]! - prefixObserved[startIndex]!,
          expected: prefixExpected[endIndex]! - prefixExpected[startIndex]!,
          logLikelihoodRatio: best,
        });
      }
    }
  }
  return maximum;
}

/**
 * Tells whether the log-likelihood ratio of `c` cases against `mu`
 * expected (c > mu) may exceed `threshold`. From ln x <= x - 1 on both
 * terms, the ratio is at most C (c - mu)^2 / (mu (C - mu)), which needs no
 * logarithm.
 */
function mayExceed(
  c: number,
  mu: number,
  total: number,
  threshold: number,
): boolean {
  const difference = c - mu;
  return total * difference * difference > threshold * mu * (total - mu);
}
