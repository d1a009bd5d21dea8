import type {
  ScanCaseCount,
  ScanInput,
  ScanLocation,
  ScanPopulation,
} from "./types.js";

/** Observed cases on the location-by-time grid of the study period. */
export interface ObservedGrid {
  readonly locationCount: number;
  readonly timeCount: number;
  /** Cases per cell, row-major by location. */
  readonly observed: Float64Array;
  readonly total: number;
  /** Cases in the study period by covariate stratum; "" for cases without one. */
  readonly stratumTotals: ReadonlyMap<string, number>;
  /** Cases dropped because their time lies outside the study period. */
  readonly outsidePeriod: number;
}

/**
 * Counts the cases on the grid. Throws a RangeError for a case at an
 * unknown location, a non-integer time or a count that is not a
 * non-negative integer.
 */
export function countCases(
  input: ScanInput,
  indexOfLocation: ReadonlyMap<string, number>,
): ObservedGrid {
  const timeCount = input.endTime - input.startTime + 1;
  const observed = new Float64Array(input.locations.length * timeCount);
  let total = 0;
  let outsidePeriod = 0;
  const stratumTotals = new Map<string, number>();
  for (const entry of input.cases) {
    const location = locationIndexOf(indexOfLocation, entry);
    if (!Number.isInteger(entry.time)) {
      throw new RangeError(
        `Invalid case time ${entry.time} at location ${JSON.stringify(entry.locationId)}: expected an integer time unit.`,
      );
    }
    if (!Number.isInteger(entry.count) || entry.count < 0) {
      throw new RangeError(
        `Invalid case count ${entry.count} at location ${JSON.stringify(entry.locationId)}: expected an integer >= 0.`,
      );
    }
    if (entry.time < input.startTime || entry.time > input.endTime) {
      outsidePeriod += entry.count;
      continue;
    }
    observed[location * timeCount + entry.time - input.startTime]! +=
      entry.count;
    total += entry.count;
    const stratum = entry.stratum ?? "";
    stratumTotals.set(stratum, (stratumTotals.get(stratum) ?? 0) + entry.count);
  }
  return {
    locationCount: input.locations.length,
    timeCount,
    observed,
    total,
    stratumTotals,
    outsidePeriod,
  };
}

/**
 * Computes the expected cases of the space-time permutation model: the
 * location's total times the time unit's total over the grand total.
 */
export function permutationExpected(grid: ObservedGrid): Float64Array {
  const { locationCount, timeCount, observed, total } = grid;
  const locationTotals = new Float64Array(locationCount);
  const timeTotals = new Float64Array(timeCount);
  for (let z = 0; z < locationCount; z++) {
    for (let t = 0; t < timeCount; t++) {
      locationTotals[z]! += observed[z * timeCount + t]!;
      timeTotals[t]! += observed[z * timeCount + t]!;
    }
  }
  const expected = new Float64Array(locationCount * timeCount);
  for (let z = 0; z < locationCount; z++) {
    for (let t = 0; t < timeCount; t++) {
      expected[z * timeCount + t] =
        (locationTotals[z]! * timeTotals[t]!) / total;
    }
  }
  return expected;
}

/**
 * Computes the population of every cell for each covariate stratum:
 * linear interpolation between the given times of each location, constant
 * before the first and after the last. Throws a RangeError for an unknown
 * location or a negative or non-finite population.
 */
export function populationGrids(
  input: ScanInput,
  populations: readonly ScanPopulation[],
  indexOfLocation: ReadonlyMap<string, number>,
): Map<string, Float64Array> {
  const timeCount = input.endTime - input.startTime + 1;
  const pointsByStratum = new Map<
    string,
    { time: number; population: number }[][]
  >();
  for (const entry of populations) {
    const location = locationIndexOf(indexOfLocation, entry);
    if (
      !(entry.population >= 0) ||
      !Number.isFinite(entry.population) ||
      !Number.isFinite(entry.time)
    ) {
      throw new RangeError(
        `Invalid population ${entry.population} at location ${JSON.stringify(entry.locationId)}, time ${entry.time}: expected a finite number >= 0.`,
      );
    }
    const stratum = entry.stratum ?? "";
    let byLocation = pointsByStratum.get(stratum);
    if (byLocation === undefined) {
      byLocation = input.locations.map(() => []);
      pointsByStratum.set(stratum, byLocation);
    }
    byLocation[location]!.push({
      time: entry.time,
      population: entry.population,
    });
  }

  const grids = new Map<string, Float64Array>();
  for (const [stratum, byLocation] of pointsByStratum) {
    const grid = new Float64Array(input.locations.length * timeCount);
    byLocation.forEach((points, z) => {
      const merged = mergeSameTimes(points);
      for (let t = 0; t < timeCount; t++) {
        grid[z * timeCount + t] = interpolate(merged, input.startTime + t);
      }
    });
    grids.set(stratum, grid);
  }
  return grids;
}

/** Adds up populations given more than once for one time and stratum. */
function mergeSameTimes(
  points: readonly { time: number; population: number }[],
): { time: number; population: number }[] {
  const sums = new Map<number, number>();
  for (const { time, population } of points) {
    sums.set(time, (sums.get(time) ?? 0) + population);
  }
  return [...sums]
    .map(([time, population]) => ({ time, population }))
    .sort((a, b) => a.time - b.time);
}

function interpolate(
  points: readonly { time: number; population: number }[],
  time: number,
): number {
  if (points.length === 0) {
    return 0;
  }
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (time <= first.time) {
    return first.population;
  }
  if (time >= last.time) {
    return last.population;
  }
  let k = 1;
  while (points[k]!.time < time) {
    k++;
  }
  const after = points[k]!;
  const before = points[k - 1]!;
  const fraction = (time - before.time) / (after.time - before.time);
  return before.population + fraction * (after.population - before.population);
}

function locationIndexOf(
  indexOfLocation: ReadonlyMap<string, number>,
  entry: ScanCaseCount | ScanPopulation,
): number {
  const index = indexOfLocation.get(entry.locationId);
  if (index === undefined) {
    throw new RangeError(
      `Unknown location ${JSON.stringify(entry.locationId)}: it is not in the coordinates.`,
    );
  }
  return index;
}

/** Maps location ids to indexes; throws a RangeError for a repeated id or a non-finite coordinate. */
export function indexLocations(
  locations: readonly ScanLocation[],
): Map<string, number> {
  const index = new Map<string, number>();
  locations.forEach((location, i) => {
    if (index.has(location.id)) {
      throw new RangeError(
        `Duplicate location ${JSON.stringify(location.id)} in the coordinates.`,
      );
    }
    if (!Number.isFinite(location.x) || !Number.isFinite(location.y)) {
      throw new RangeError(
        `Invalid coordinates of location ${JSON.stringify(location.id)}: expected finite numbers.`,
      );
    }
    index.set(location.id, i);
  });
  return index;
}
