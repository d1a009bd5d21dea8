import { seededRandom, shuffleInPlace } from "../statistics/random.js";
import { buildCircles, type CentreCircles } from "./circles.js";
import {
  scanCylinders,
  type CircleBest,
  type IntervalLimits,
  type ScanGrid,
} from "./cylinders.js";
import {
  countCases,
  indexLocations,
  permutationExpected,
  populationGrids,
  type ObservedGrid,
} from "./grid.js";
import { relativeRisk } from "./likelihood.js";
import type {
  ScanCluster,
  ScanInput,
  ScanOptions,
  ScanResult,
} from "./types.js";

/** Defaults of the scan options other than `model`. */
export const DEFAULT_SCAN_OPTIONS = {
  analysis: "retrospective",
  metric: "haversine",
  maxPopulationShare: 0.5,
  replications: 999,
  seed: 1,
  maxClusters: 10,
} as const;

type ResolvedScanOptions = Required<
  Omit<ScanOptions, "maxRadiusKm" | "maxRadiusPlanar">
> & {
  readonly maxRadius: number;
};

/**
 * Runs Kulldorff's space-time scan statistic over cylinders: circles of
 * locations around each location, over intervals of time units. The
 * space-time permutation model (Kulldorff et al. 2005) needs cases only and
 * expects each cell to have its location's share of its time's cases. The
 * Poisson model (Kulldorff 2001) expects cases in proportion to the
 * population-time. P-values come from Monte Carlo replications with a
 * seeded generator: times shuffled among cases for the permutation model,
 * cases drawn from the expectations for Poisson.
 *
 * Throws a RangeError for invalid input or options.
 */
export function runSpaceTimeScan(
  input: ScanInput,
  options: ScanOptions,
): ScanResult {
  const resolved = resolveScanOptions(input, options);
  const indexOfLocation = indexLocations(input.locations);
  const observed = countCases(input, indexOfLocation);
  if (observed.total === 0) {
    throw new RangeError("Cannot scan: no case lies in the study period.");
  }

  const expectations = expectationsOf(
    input,
    resolved,
    observed,
    indexOfLocation,
  );
  const { expected, populationWeights } = expectations;
  const grid: ScanGrid = {
    locationCount: observed.locationCount,
    timeCount: observed.timeCount,
    expected,
    total: observed.total,
  };
  const circles = buildCircles(
    input.locations,
    populationWeights,
    resolved.metric,
    resolved.maxRadius,
    resolved.maxPopulationShare,
  );
  const limits: IntervalLimits = {
    maxDuration: resolved.maxDuration,
    isProspective: resolved.analysis === "prospective",
  };

  const bests: CircleBest[] = [];
  scanCylinders(grid, observed.observed, circles, limits, bests);
  const maxima = simulateMaxima(
    grid,
    observed,
    expectations,
    circles,
    limits,
    resolved,
  );
  const clusters = selectClusters(
    bests,
    circles,
    input,
    grid,
    maxima,
    resolved.maxClusters,
  );

  return {
    model: resolved.model,
    analysis: resolved.analysis,
    totalCases: observed.total,
    replications: resolved.replications,
    clusters,
  };
}

function resolveScanOptions(
  input: ScanInput,
  options: ScanOptions,
): ResolvedScanOptions {
  const timeCount = input.endTime - input.startTime + 1;
  if (
    !Number.isInteger(input.startTime) ||
    !Number.isInteger(input.endTime) ||
    timeCount < 1
  ) {
    throw new RangeError(
      `Invalid study period ${input.startTime} to ${input.endTime}: expected integer time units, start <= end.`,
    );
  }
  const metric = options.metric ?? DEFAULT_SCAN_OPTIONS.metric;
  if (metric === "haversine" && options.maxRadiusPlanar !== undefined) {
    throw new RangeError(
      "Invalid option maxRadiusPlanar: it applies to the planar metric; use maxRadiusKm.",
    );
  }
  if (metric === "planar" && options.maxRadiusKm !== undefined) {
    throw new RangeError(
      "Invalid option maxRadiusKm: it applies to the haversine metric; use maxRadiusPlanar.",
    );
  }
  const resolved: ResolvedScanOptions = {
    ...DEFAULT_SCAN_OPTIONS,
    maxDuration: Math.max(1, Math.floor(timeCount / 2)),
    ...withoutRadius(options),
    metric,
    maxRadius:
      options.maxRadiusKm ??
      options.maxRadiusPlanar ??
      Number.POSITIVE_INFINITY,
  };

  if (!(resolved.maxRadius >= 0)) {
    throw new RangeError(
      `Invalid maximum radius ${resolved.maxRadius}: expected a number >= 0.`,
    );
  }
  if (!(resolved.maxPopulationShare > 0 && resolved.maxPopulationShare <= 1)) {
    throw new RangeError(
      `Invalid maxPopulationShare ${resolved.maxPopulationShare}: expected a number in (0, 1].`,
    );
  }
  if (!Number.isInteger(resolved.maxDuration) || resolved.maxDuration < 1) {
    throw new RangeError(
      `Invalid maxDuration ${resolved.maxDuration}: expected an integer >= 1.`,
    );
  }
  if (!Number.isInteger(resolved.replications) || resolved.replications < 0) {
    throw new RangeError(
      `Invalid replications ${resolved.replications}: expected an integer >= 0.`,
    );
  }
  if (!Number.isInteger(resolved.maxClusters) || resolved.maxClusters < 1) {
    throw new RangeError(
      `Invalid maxClusters ${resolved.maxClusters}: expected an integer >= 1.`,
    );
  }
  return resolved;
}

function withoutRadius(
  options: ScanOptions,
): Omit<ScanOptions, "maxRadiusKm" | "maxRadiusPlanar"> {
  const { maxRadiusKm: _km, maxRadiusPlanar: _planar, ...rest } = options;
  return rest;
}

/** Expected cases per cell, and the population weight of each location for circle sizes. */
interface Expectations {
  readonly expected: Float64Array;
  readonly populationWeights: Float64Array;
  /** Expected cases per cell of each covariate stratum, for the Poisson model. */
  readonly stratumExpected?: ReadonlyMap<string, Float64Array>;
}

/** Computes the expected cases per cell and the population weight of each location. */
function expectationsOf(
  input: ScanInput,
  options: ResolvedScanOptions,
  observed: ObservedGrid,
  indexOfLocation: ReadonlyMap<string, number>,
): Expectations {
  const { locationCount, timeCount } = observed;
  if (options.model === "space-time-permutation") {
    return {
      expected: permutationExpected(observed),
      populationWeights: rowSums(observed.observed, locationCount, timeCount),
    };
  }

  if (input.populations === undefined || input.populations.length === 0) {
    throw new RangeError(
      "Missing populations: the Poisson model needs a population for each location.",
    );
  }
  const grids = populationGrids(input, input.populations, indexOfLocation);
  const cellCount = locationCount * timeCount;
  const expected = new Float64Array(cellCount);
  const populationWeights = new Float64Array(locationCount);
  const stratumExpected = new Map<string, Float64Array>();
  for (const [stratum, cases] of observed.stratumTotals) {
    const population = grids.get(stratum);
    const totalPopulation = population === undefined ? 0 : sumOf(population);
    if (population === undefined || !(totalPopulation > 0)) {
      throw new RangeError(
        `Missing population for stratum ${JSON.stringify(stratum)}: it has ${cases} cases but no population.`,
      );
    }
    const share = new Float64Array(cellCount);
    for (let cell = 0; cell < cellCount; cell++) {
      share[cell] = (cases * population[cell]!) / totalPopulation;
      expected[cell]! += share[cell]!;
    }
    stratumExpected.set(stratum, share);
  }
  for (const population of grids.values()) {
    const weights = rowSums(population, locationCount, timeCount);
    for (let z = 0; z < locationCount; z++) {
      populationWeights[z]! += weights[z]!;
    }
  }

  for (let cell = 0; cell < cellCount; cell++) {
    if (observed.observed[cell]! > 0 && !(expected[cell]! > 0)) {
      const location = input.locations[Math.floor(cell / timeCount)]!;
      throw new RangeError(
        `Missing population at location ${JSON.stringify(location.id)}, time ${input.startTime + (cell % timeCount)}: it has cases but no population.`,
      );
    }
  }
  return { expected, populationWeights, stratumExpected };
}

function sumOf(values: Float64Array): number {
  let sum = 0;
  for (const value of values) {
    sum += value;
  }
  return sum;
}

function rowSums(
  grid: Float64Array,
  rows: number,
  columns: number,
): Float64Array {
  const sums = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      sums[row]! += grid[row * columns + column]!;
    }
  }
  return sums;
}

/** Returns the maximum log-likelihood ratio of each Monte Carlo replication. */
function simulateMaxima(
  grid: ScanGrid,
  observed: ObservedGrid,
  expectations: Expectations,
  circles: readonly CentreCircles[],
  limits: IntervalLimits,
  options: ResolvedScanOptions,
): Float64Array {
  const random = seededRandom(options.seed);
  const maxima = new Float64Array(options.replications);
  const simulated = new Float64Array(grid.locationCount * grid.timeCount);
  const draw =
    options.model === "space-time-permutation"
      ? permutationSampler(observed, random)
      : poissonSampler(
          expectations.stratumExpected!,
          observed.stratumTotals,
          random,
        );
  for (let r = 0; r < options.replications; r++) {
    draw(simulated);
    maxima[r] = scanCylinders(grid, simulated, circles, limits);
  }
  return maxima;
}

/** Shuffles the time units among the cases, keeping each case's location. */
function permutationSampler(
  observed: ObservedGrid,
  random: () => number,
): (into: Float64Array) => void {
  const { timeCount, total } = observed;
  const caseLocations = new Int32Array(total);
  const caseTimes = new Int32Array(total);
  let k = 0;
  for (let cell = 0; cell < observed.observed.length; cell++) {
    for (let c = 0; c < observed.observed[cell]!; c++) {
      caseLocations[k] = Math.floor(cell / timeCount);
      caseTimes[k] = cell % timeCount;
      k++;
    }
  }
  return (into) => {
    into.fill(0);
    shuffleInPlace(caseTimes, random);
    for (let i = 0; i < total; i++) {
      into[caseLocations[i]! * timeCount + caseTimes[i]!]! += 1;
    }
  };
}

/**
 * Draws each stratum's cases over the cells in proportion to the
 * stratum's expectations, so that the replications keep the stratum totals.
 */
function poissonSampler(
  stratumExpected: ReadonlyMap<string, Float64Array>,
  stratumTotals: ReadonlyMap<string, number>,
  random: () => number,
): (into: Float64Array) => void {
  const strata = [...stratumExpected].map(([stratum, expected]) => ({
    cumulative: cumulativeOf(expected),
    cases: stratumTotals.get(stratum) ?? 0,
  }));
  return (into) => {
    into.fill(0);
    for (const { cumulative, cases } of strata) {
      const sum = cumulative[cumulative.length - 1]!;
      for (let i = 0; i < cases; i++) {
        into[firstAbove(cumulative, random() * sum)]! += 1;
      }
    }
  };
}

function cumulativeOf(values: Float64Array): Float64Array {
  const cumulative = new Float64Array(values.length);
  let running = 0;
  for (let i = 0; i < values.length; i++) {
    running += values[i]!;
    cumulative[i] = running;
  }
  return cumulative;
}

/** Returns the first index whose cumulative value exceeds `target`. */
function firstAbove(cumulative: Float64Array, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle]! <= target) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

/**
 * Picks the most likely cluster and then, by decreasing log-likelihood
 * ratio, each circle that shares no location with a cluster already
 * picked, so that no two reported clusters overlap geographically.
 */
function selectClusters(
  bests: CircleBest[],
  circles: readonly CentreCircles[],
  input: ScanInput,
  grid: ScanGrid,
  maxima: Float64Array,
  maxClusters: number,
): ScanCluster[] {
  bests.sort(
    (a, b) =>
      b.logLikelihoodRatio - a.logLikelihoodRatio ||
      a.centre - b.centre ||
      a.size - b.size,
  );
  const used = new Uint8Array(grid.locationCount);
  const clusters: ScanCluster[] = [];
  for (const best of bests) {
    if (clusters.length >= maxClusters) {
      break;
    }
    const circle = circles[best.centre]!;
    const members = Array.from(circle.order.subarray(0, best.size));
    if (members.some((location) => used[location] === 1)) {
      continue;
    }
    for (const location of members) {
      used[location] = 1;
    }
    clusters.push(clusterOf(best, circle, members, input, grid, maxima));
  }
  return clusters;
}

function clusterOf(
  best: CircleBest,
  circle: CentreCircles,
  members: readonly number[],
  input: ScanInput,
  grid: ScanGrid,
  maxima: Float64Array,
): ScanCluster {
  let reached = 0;
  for (const maximum of maxima) {
    if (maximum >= best.logLikelihoodRatio) {
      reached++;
    }
  }
  return {
    centerId: input.locations[best.centre]!.id,
    locationIds: members.map((location) => input.locations[location]!.id),
    radius: circle.distances[best.size - 1]!,
    startTime: input.startTime + best.startIndex,
    endTime: input.startTime + best.endIndex,
    observed: best.observed,
    expected: best.expected,
    relativeRisk: relativeRisk(best.observed, best.expected, grid.total),
    logLikelihoodRatio: best.logLikelihoodRatio,
    pValue: (reached + 1) / (maxima.length + 1),
  };
}
