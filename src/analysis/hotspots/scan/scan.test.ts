import path from "node:path";
import { fileURLToPath } from "node:url";

import type { FeatureCollection, Point } from "geojson";
import { describe, expect, it } from "vitest";

import { deepFreeze } from "../../route/testing.js";
import {
  UPDATE_GOLDEN,
  goldenPair,
  pointFeature,
  pointOf,
  readJsonFixture,
  writeJsonFixture,
} from "../../stays/testing.js";
import { seededRandom } from "../statistics/random.js";
import {
  epochDayOf,
  logLikelihoodRatio,
  runSpaceTimeScan,
  type ScanCaseCount,
  type ScanInput,
  type ScanLocation,
  type ScanOptions,
  type ScanPopulation,
  type ScanResult,
} from "./index.js";
import {
  readSampleDailyCases,
  readSampleLocations,
  readSamplePopulations,
  readSampleYearlyCases,
} from "./testing.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, "../../../..");
const SATSCAN_DATA = path.resolve(
  REPO_ROOT,
  "../shared/data/hotspot/satscan_rsatscan",
);
const FIXTURES_FOLDER = path.join(HERE, "fixtures");

describe("logLikelihoodRatio", () => {
  it("is zero without excess", () => {
    expect(logLikelihoodRatio(2, 2, 10)).toBe(0);
    expect(logLikelihoodRatio(1, 2, 10)).toBe(0);
  });

  it("follows the Poisson formula", () => {
    const expected = 6 * Math.log(6 / 2) + 4 * Math.log(4 / 8);
    expect(logLikelihoodRatio(6, 2, 10)).toBeCloseTo(expected, 12);
  });

  it("handles every case inside", () => {
    expect(logLikelihoodRatio(10, 4, 10)).toBeCloseTo(
      10 * Math.log(10 / 4),
      12,
    );
  });
});

describe("runSpaceTimeScan against enumeration", () => {
  const settings: [string, ScanOptions, boolean?][] = [
    [
      "permutation, retrospective",
      { model: "space-time-permutation", metric: "planar", maxDuration: 4 },
    ],
    [
      "permutation, prospective",
      {
        model: "space-time-permutation",
        metric: "planar",
        analysis: "prospective",
        maxDuration: 3,
      },
    ],
    [
      "poisson, retrospective",
      {
        model: "poisson",
        metric: "planar",
        maxDuration: 5,
        maxRadiusPlanar: 4,
      },
    ],
    [
      "poisson, prospective",
      {
        model: "poisson",
        metric: "planar",
        analysis: "prospective",
        maxDuration: 2,
      },
    ],
    [
      "poisson with strata, retrospective",
      { model: "poisson", metric: "planar", maxDuration: 4 },
      true,
    ],
    [
      "poisson with strata, prospective",
      {
        model: "poisson",
        metric: "planar",
        analysis: "prospective",
        maxDuration: 3,
      },
      true,
    ],
  ];
  for (const [name, options, hasStrata] of settings) {
    for (const seed of [3, 4]) {
      it(`finds the maximum cylinder, ${name}, seed ${seed}`, () => {
        const generated = generateInput(seed);
        const input =
          hasStrata === true ? stratify(generated, seed) : generated;
        const result = runSpaceTimeScan(input, {
          ...options,
          replications: 19,
          seed,
        });
        const expected = enumerateCylinders(input, options);

        const top = result.clusters[0]!;
        expect(top.logLikelihoodRatio).toBeCloseTo(
          expected.logLikelihoodRatio,
          9,
        );
        expect(top.observed).toBe(expected.observed);
        expect(top.expected).toBeCloseTo(expected.expected, 9);
        expect(new Set(top.locationIds)).toEqual(new Set(expected.locationIds));
        expect([top.startTime, top.endTime]).toEqual([
          expected.startTime,
          expected.endTime,
        ]);
        if (options.analysis === "prospective") {
          expect(
            result.clusters.every((c) => c.endTime === input.endTime),
          ).toBe(true);
        }
      });
    }
  }
});

describe("runSpaceTimeScan", () => {
  it("finds a planted outbreak", () => {
    const input = generateInput(9, {
      location: "l7",
      from: 12,
      to: 14,
      extra: 12,
    });
    const result = runSpaceTimeScan(input, {
      model: "space-time-permutation",
      metric: "planar",
      maxDuration: 5,
      replications: 99,
    });
    const top = result.clusters[0]!;
    expect(top.locationIds).toContain("l7");
    expect(top.startTime).toBeGreaterThanOrEqual(11);
    expect(top.endTime).toBeLessThanOrEqual(15);
    expect(top.pValue).toBeLessThanOrEqual(0.01);
  });

  it("reports secondary clusters without overlap", () => {
    const input = generateInput(5);
    const result = runSpaceTimeScan(input, {
      model: "poisson",
      metric: "planar",
      maxDuration: 4,
      replications: 9,
    });
    const seen = new Set<string>();
    for (const cluster of result.clusters) {
      for (const id of cluster.locationIds) {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
    }
    const ratios = result.clusters.map((c) => c.logLikelihoodRatio);
    expect(ratios).toEqual([...ratios].sort((a, b) => b - a));
  });

  it("repeats p-values for one seed", () => {
    const input = generateInput(6);
    const options: ScanOptions = {
      model: "poisson",
      metric: "planar",
      replications: 49,
      seed: 11,
    };
    expect(runSpaceTimeScan(input, options)).toEqual(
      runSpaceTimeScan(input, options),
    );
  });

  it("leaves the input unchanged", () => {
    const input = generateInput(7);
    const before = structuredClone(input);
    runSpaceTimeScan(input, {
      model: "poisson",
      metric: "planar",
      replications: 9,
    });
    expect(input).toEqual(before);
  });

  it("rejects a case at an unknown location", () => {
    const input = generateInput(8);
    const cases = [
      ...input.cases,
      { locationId: "nowhere", time: 10, count: 1 },
    ];
    expect(() =>
      runSpaceTimeScan(
        { ...input, cases },
        { model: "space-time-permutation", metric: "planar" },
      ),
    ).toThrow(/Unknown location "nowhere"/);
  });

  it("rejects Poisson without populations", () => {
    const { populations: _populations, ...input } = generateInput(8);
    expect(() =>
      runSpaceTimeScan(input, { model: "poisson", metric: "planar" }),
    ).toThrow(/Missing populations/);
  });

  it("rejects a radius of the other metric", () => {
    expect(() =>
      runSpaceTimeScan(generateInput(8), {
        model: "poisson",
        maxRadiusPlanar: 3,
      }),
    ).toThrow(/maxRadiusPlanar: it applies to the planar metric/);
  });

  it("matches expected.geojson", async () => {
    const inputFile = path.join(FIXTURES_FOLDER, "input.geojson");
    if (UPDATE_GOLDEN) {
      const generated = generateInput(12, {
        location: "l3",
        from: 15,
        to: 16,
        extra: 6,
      });
      await writeJsonFixture(inputFile, scanInputToGeoJson(generated));
    }
    const input = deepFreeze(
      scanInputOf(readJsonFixture<ScanInputCollection>(inputFile)),
    );
    const before = structuredClone(input);

    const result = runSpaceTimeScan(input, {
      model: "space-time-permutation",
      metric: "planar",
      maxDuration: 4,
      replications: 99,
      seed: 5,
    });
    const { actual, expected } = await goldenPair(
      path.join(FIXTURES_FOLDER, "expected.geojson"),
      scanResultToGeoJson(result, input),
    );
    expect(actual).toEqual(expected);
    expect(input).toEqual(before);
  });
});

describe("runSpaceTimeScan on the SaTScan samples", () => {
  it("scans NYC fever with the rsatscan vignette settings", () => {
    // Settings of the rsatscan vignette: prospective space-time permutation,
    // 2001/11/1 to 2001/11/24 in days, circles up to 3 km, clusters up to 7 days.
    const input: ScanInput = {
      locations: readSampleLocations(
        path.join(SATSCAN_DATA, "NYCfevergeo.csv"),
      ),
      cases: readSampleDailyCases(path.join(SATSCAN_DATA, "NYCfevercas.csv")),
      startTime: epochDayOf("2001/11/1"),
      endTime: epochDayOf("2001/11/24"),
    };
    const result = runSpaceTimeScan(input, {
      model: "space-time-permutation",
      analysis: "prospective",
      maxRadiusKm: 3,
      maxDuration: 7,
      replications: 99,
      seed: 1,
    });
    expect(result.totalCases).toBe(194);
    const top = result.clusters[0]!;
    // Regression values of this implementation; no published output for these
    // files was found to compare with.
    expect(top.centerId).toBe("11418");
    expect(top.locationIds).toHaveLength(9);
    expect(top.startTime).toBe(epochDayOf("2001/11/22"));
    expect(top.endTime).toBe(input.endTime);
    expect(top.observed).toBe(4);
    expect(top.expected).toBeCloseTo(0.6701, 4);
    expect(top.logLikelihoodRatio).toBeCloseTo(3.8454, 4);
  });

  it("finds the Los Alamos and Santa Fe cluster", () => {
    // Kulldorff et al. (1998) found excess brain cancer in Los Alamos and
    // Santa Fe in 1986-1989, not statistically significant, as the
    // scanstatistics vignette reports for these data.
    const input: ScanInput = {
      locations: readSampleLocations(path.join(SATSCAN_DATA, "NMgeo.csv")),
      cases: readSampleYearlyCases(path.join(SATSCAN_DATA, "NMcas.csv")),
      populations: readSamplePopulations(path.join(SATSCAN_DATA, "NMpop.csv")),
      startTime: 1973,
      endTime: 1991,
    };
    const result = runSpaceTimeScan(input, {
      model: "poisson",
      metric: "planar",
      maxPopulationShare: 0.25,
      maxDuration: 9,
      replications: 99,
      seed: 1,
    });
    const top = result.clusters[0]!;
    expect(result.totalCases).toBe(1175);
    expect([...top.locationIds].sort()).toEqual(["LosAlamos", "SantaFe"]);
    expect([top.startTime, top.endTime]).toEqual([1986, 1989]);
    expect(top.pValue).toBeGreaterThan(0.05);
  });
});

/**
 * Scan input as GeoJSON: each location a point with its case counts and
 * populations, and the study period as members of the collection.
 */
type ScanInputCollection = FeatureCollection<Point> & {
  startTime: number;
  endTime: number;
};

interface LocationProperties {
  id: string;
  cases: Omit<ScanCaseCount, "locationId">[];
  populations?: Omit<ScanPopulation, "locationId">[];
}

function scanInputToGeoJson(input: ScanInput): ScanInputCollection {
  const withoutLocation = <T extends { locationId: string }>(
    entries: readonly T[] | undefined,
    id: string,
  ): Omit<T, "locationId">[] =>
    (entries ?? [])
      .filter((entry) => entry.locationId === id)
      .map(({ locationId: _locationId, ...rest }) => rest);
  return {
    type: "FeatureCollection",
    startTime: input.startTime,
    endTime: input.endTime,
    features: input.locations.map((location) => {
      const properties: LocationProperties = {
        id: location.id,
        cases: withoutLocation(input.cases, location.id),
      };
      if (input.populations !== undefined) {
        properties.populations = withoutLocation(
          input.populations,
          location.id,
        );
      }
      return pointFeature(location.x, location.y, { ...properties });
    }),
  };
}

function scanInputOf(collection: ScanInputCollection): ScanInput {
  const locations: ScanLocation[] = [];
  const cases: ScanCaseCount[] = [];
  const populations: ScanPopulation[] = [];
  for (const feature of collection.features) {
    const properties = feature.properties as unknown as LocationProperties;
    const { longitude, latitude } = pointOf(feature);
    locations.push({ id: properties.id, x: longitude, y: latitude });
    for (const entry of properties.cases) {
      cases.push({ locationId: properties.id, ...entry });
    }
    for (const entry of properties.populations ?? []) {
      populations.push({ locationId: properties.id, ...entry });
    }
  }
  return {
    locations,
    cases,
    ...(populations.length === 0 ? {} : { populations }),
    startTime: collection.startTime,
    endTime: collection.endTime,
  };
}

/** Converts scan clusters to points at their centre locations, with the cluster statistics. */
function scanResultToGeoJson(
  result: ScanResult,
  input: ScanInput,
): FeatureCollection<Point> & Omit<ScanResult, "clusters"> {
  const byId = new Map(
    input.locations.map((location) => [location.id, location]),
  );
  return {
    type: "FeatureCollection",
    model: result.model,
    analysis: result.analysis,
    totalCases: result.totalCases,
    replications: result.replications,
    features: result.clusters.map((cluster) => {
      const centre = byId.get(cluster.centerId)!;
      return pointFeature(centre.x, centre.y, { ...cluster });
    }),
  };
}

/**
 * Splits every case count and population into the strata `young` and
 * `old`. The old are 20 % to 80 % of a location's population, which varies
 * by location so that the strata change the expectations, and each case is
 * old with probability 0.7.
 */
function stratify(input: ScanInput, seed: number): ScanInput {
  const random = seededRandom(seed + 1_000);
  const oldShare = new Map(
    input.locations.map((location) => [location.id, 0.2 + 0.6 * random()]),
  );
  const cases: ScanCaseCount[] = [];
  for (const entry of input.cases) {
    let old = 0;
    for (let k = 0; k < entry.count; k++) {
      old += random() < 0.7 ? 1 : 0;
    }
    cases.push({ ...entry, count: old, stratum: "old" });
    cases.push({ ...entry, count: entry.count - old, stratum: "young" });
  }
  const populations = input.populations!.flatMap((entry) => {
    const share = oldShare.get(entry.locationId)!;
    return [
      { ...entry, population: entry.population * share, stratum: "old" },
      {
        ...entry,
        population: entry.population * (1 - share),
        stratum: "young",
      },
    ];
  });
  return { ...input, cases, populations };
}

interface PlantedOutbreak {
  readonly location: string;
  readonly from: number;
  readonly to: number;
  readonly extra: number;
}

/** Generates 12 locations on a 10 x 10 plane over 20 time units, with Poisson-like counts. */
function generateInput(seed: number, outbreak?: PlantedOutbreak): ScanInput {
  const random = seededRandom(seed);
  const locations: ScanLocation[] = Array.from({ length: 12 }, (_, i) => ({
    id: `l${i}`,
    x: Math.round(random() * 100) / 10,
    y: Math.round(random() * 100) / 10,
  }));
  const cases: ScanCaseCount[] = [];
  const populations: ScanPopulation[] = [];
  for (const location of locations) {
    const size = 1_000 + Math.floor(random() * 9_000);
    populations.push({ locationId: location.id, time: 0, population: size });
    populations.push({
      locationId: location.id,
      time: 19,
      population: size * (0.8 + random() * 0.4),
    });
    for (let time = 0; time < 20; time++) {
      let count = Math.floor(random() * random() * 4 * (size / 5_000));
      if (
        outbreak?.location === location.id &&
        time >= outbreak.from &&
        time <= outbreak.to
      ) {
        count += Math.ceil(outbreak.extra / (outbreak.to - outbreak.from + 1));
      }
      if (count > 0) {
        cases.push({ locationId: location.id, time, count });
      }
    }
  }
  return { locations, cases, populations, startTime: 0, endTime: 19 };
}

interface EnumeratedBest {
  logLikelihoodRatio: number;
  observed: number;
  expected: number;
  locationIds: string[];
  startTime: number;
  endTime: number;
}

/**
 * Finds the most likely cylinder by summing cells afresh for every circle
 * and interval, straight from the model definitions.
 */
function enumerateCylinders(
  input: ScanInput,
  options: ScanOptions,
): EnumeratedBest {
  const times = Array.from(
    { length: input.endTime - input.startTime + 1 },
    (_, k) => input.startTime + k,
  );
  const count = memoised((id: string, time: number, stratum?: string) =>
    input.cases
      .filter(
        (c) =>
          c.locationId === id &&
          c.time === time &&
          (stratum === undefined || (c.stratum ?? "") === stratum),
      )
      .reduce((s, c) => s + c.count, 0),
  );
  const total = input.cases.reduce((s, c) => s + c.count, 0);
  const strata = [...new Set(input.cases.map((c) => c.stratum ?? ""))];
  const population = (id: string, time: number, stratum: string): number => {
    const points = input
      .populations!.filter(
        (p) => p.locationId === id && (p.stratum ?? "") === stratum,
      )
      .sort((a, b) => a.time - b.time);
    const [first, last] = [points[0]!, points[points.length - 1]!];
    if (time <= first.time) return first.population;
    if (time >= last.time) return last.population;
    return (
      first.population +
      ((time - first.time) / (last.time - first.time)) *
        (last.population - first.population)
    );
  };
  const totalPopulation = memoised((stratum: string) =>
    input.locations.reduce(
      (s, l) =>
        s + times.reduce((t, time) => t + population(l.id, time, stratum), 0),
      0,
    ),
  );
  const expectedCell = memoised((id: string, time: number): number => {
    if (options.model === "poisson") {
      // Each stratum's cases spread over the cells in proportion to the
      // stratum's population-time.
      return strata.reduce((s, stratum) => {
        const cases = input.cases
          .filter((c) => (c.stratum ?? "") === stratum)
          .reduce((n, c) => n + c.count, 0);
        return (
          s + (cases * population(id, time, stratum)) / totalPopulation(stratum)
        );
      }, 0);
    }
    const locationTotal = times.reduce((s, t) => s + count(id, t), 0);
    const timeTotal = input.locations.reduce(
      (s, l) => s + count(l.id, time),
      0,
    );
    return (locationTotal * timeTotal) / total;
  });
  const weightOf = (id: string): number =>
    options.model === "poisson"
      ? strata.reduce(
          (s, stratum) =>
            s + times.reduce((t, time) => t + population(id, time, stratum), 0),
          0,
        )
      : times.reduce((s, t) => s + count(id, t), 0);
  const totalWeight = input.locations.reduce((s, l) => s + weightOf(l.id), 0);
  const maxRadius = options.maxRadiusPlanar ?? Infinity;
  const maxDuration = options.maxDuration!;

  let best: EnumeratedBest = {
    logLikelihoodRatio: 0,
    observed: 0,
    expected: 0,
    locationIds: [],
    startTime: 0,
    endTime: 0,
  };
  for (const centre of input.locations) {
    const distance = (l: ScanLocation) =>
      Math.hypot(l.x - centre.x, l.y - centre.y);
    const radii = [...new Set(input.locations.map(distance))]
      .filter((r) => r <= maxRadius)
      .sort((a, b) => a - b);
    for (const radius of radii) {
      const members = input.locations.filter((l) => distance(l) <= radius);
      if (members.reduce((s, l) => s + weightOf(l.id), 0) > totalWeight * 0.5) {
        break;
      }
      for (const last of times) {
        if (options.analysis === "prospective" && last !== input.endTime)
          continue;
        for (const first of times.filter(
          (t) => t <= last && last - t < maxDuration,
        )) {
          const window = times.filter((t) => t >= first && t <= last);
          const c = members.reduce(
            (s, l) => s + window.reduce((w, t) => w + count(l.id, t), 0),
            0,
          );
          const mu = members.reduce(
            (s, l) => s + window.reduce((w, t) => w + expectedCell(l.id, t), 0),
            0,
          );
          const ratio = poissonLogLikelihoodRatio(c, mu, total);
          if (ratio > best.logLikelihoodRatio + 1e-9) {
            best = {
              logLikelihoodRatio: ratio,
              observed: c,
              expected: mu,
              locationIds: members.map((l) => l.id),
              startTime: first,
              endTime: last,
            };
          }
        }
      }
    }
  }
  return best;
}

/**
 * Kulldorff's log-likelihood ratio of a cylinder with c cases where mu
 * were expected, out of C in all, for a high-rate cluster:
 * c ln(c / mu) + (C - c) ln((C - c) / (C - mu)) when c > mu, else 0. The
 * second term is 0 when every case lies inside.
 */
function poissonLogLikelihoodRatio(c: number, mu: number, C: number): number {
  if (c <= mu) {
    return 0;
  }
  const inside = c * Math.log(c / mu);
  const outside = C - c === 0 ? 0 : (C - c) * Math.log((C - c) / (C - mu));
  return inside + outside;
}

/** Wraps a function of a cell so that each cell is computed once. */
function memoised<A extends (string | number | undefined)[]>(
  compute: (...args: A) => number,
): (...args: A) => number {
  const cache = new Map<string, number>();
  return (...args) => {
    const key = args.join("|");
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(...args);
      cache.set(key, value);
    }
    return value;
  };
}
