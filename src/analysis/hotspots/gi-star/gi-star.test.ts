import path from "node:path";
import { fileURLToPath } from "node:url";

import type { FeatureCollection, Point } from "geojson";
import { getHexagonAreaAvg, gridDisk, gridDistance, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";

import { deepFreeze } from "../../route/testing.js";
import {
  UPDATE_GOLDEN,
  goldenPair,
  offsetPosition,
  pointFeature,
  pointOf,
  readJsonFixture,
  seededRandom,
  writeJsonFixture,
} from "../../stays/testing.js";
import {
  areaDistance,
  benjaminiHochberg,
  buildNeighborLists,
  computeGiStar,
  computeH3GiStar,
  erfc,
  twoSidedNormalPValue,
  type GiStarArea,
  type GiStarResult,
  type GiStarWeights,
  type GridPoint,
  type H3GiStarResult,
} from "./index.js";

const FIXTURES_FOLDER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "fixtures",
);

/** The six points and values of the esda (PySAL) Getis-Ord test suite. */
const ESDA_AREAS: GiStarArea[] = [
  [10, 10, 2],
  [20, 10, 3],
  [40, 10, 3.2],
  [15, 20, 5],
  [30, 20, 8],
  [30, 30, 7],
].map(([x, y, value], i) => ({ id: `a${i}`, x: x!, y: y!, value: value! }));

describe("computeGiStar", () => {
  it("matches the esda star binary test", () => {
    // esda/tests/test_getisord.py, test_star_binary: G_Local(y, DistanceBand(points,
    // threshold=15), transform="B", star=True).Zs[0] == -1.39727626.
    const results = computeGiStar(ESDA_AREAS, {
      kind: "distance-band",
      bandDistance: 15,
      metric: "planar",
    });
    expect(results[0]!.zScore).toBeCloseTo(-1.39727626, 8);
    expect(results[0]!.neighborCount).toBe(3);
    expect(results[0]!.neighborSum).toBe(10);
  });

  it("keeps the band limit inclusive", () => {
    const areas = [
      { id: "a", x: 0, y: 0, value: 1 },
      { id: "b", x: 3, y: 4, value: 2 },
      { id: "c", x: 10, y: 0, value: 3 },
    ];
    const results = computeGiStar(areas, {
      kind: "distance-band",
      bandDistance: 5,
      metric: "planar",
    });
    expect(results.map((r) => r.neighborCount)).toEqual([2, 2, 1]);
  });

  it("uses haversine metres by default", () => {
    const areas = [0, 90, 200].map((east, i) => {
      const position = offsetPosition(east, 0);
      return {
        id: `a${i}`,
        x: position.longitude,
        y: position.latitude,
        value: i,
      };
    });
    const results = computeGiStar(areas, {
      kind: "distance-band",
      bandDistance: 100,
    });
    expect(results.map((r) => r.neighborCount)).toEqual([2, 2, 1]);
  });

  it("finds k nearest neighbours", () => {
    const results = computeGiStar(ESDA_AREAS, {
      kind: "k-nearest",
      k: 2,
      metric: "planar",
    });
    expect(results.every((r) => r.neighborCount === 3)).toBe(true);
    // a0's nearest are a1 (10) and a3 (11.2): 2 + 3 + 5.
    expect(results[0]!.neighborSum).toBe(10);
  });

  it("returns zero for equal values", () => {
    const areas = ESDA_AREAS.map((area) => ({ ...area, value: 4 }));
    const results = computeGiStar(areas, {
      kind: "k-nearest",
      k: 2,
      metric: "planar",
    });
    expect(results.map((r) => r.zScore)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(results.map((r) => r.pValue)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("rejects a non-finite value", () => {
    const areas = [{ id: "a", x: 0, y: 0, value: Number.NaN }];
    expect(() => computeGiStar(areas, { kind: "k-nearest", k: 1 })).toThrow(
      /Invalid area "a"/,
    );
  });

  it("rejects a neighbour index out of range", () => {
    expect(() =>
      computeGiStar(ESDA_AREAS.slice(0, 2), {
        kind: "neighbor-lists",
        neighbors: [[1], [2]],
      }),
    ).toThrow(/Invalid neighbour index 2 of area 1/);
  });

  it("leaves the input unchanged", () => {
    const areas = generateAreas(5, 50);
    const before = structuredClone(areas);
    computeGiStar(areas, { kind: "distance-band", bandDistance: 300 });
    expect(areas).toEqual(before);
  });
});

describe("computeGiStar against brute force", () => {
  const cases: [string, GiStarWeights][] = [
    ["band, haversine", { kind: "distance-band", bandDistance: 250 }],
    [
      "band, planar",
      { kind: "distance-band", bandDistance: 0.003, metric: "planar" },
    ],
    ["k nearest", { kind: "k-nearest", k: 5 }],
  ];
  for (const [name, weights] of cases) {
    it(`matches the weight-matrix formula, ${name}`, () => {
      const areas = generateAreas(17, 120);
      const results = computeGiStar(areas, weights);
      const expected = bruteForceGiStar(areas, weights);
      results.forEach((result, i) => {
        expect(result.zScore).toBeCloseTo(expected[i]!, 10);
      });
    });
  }
});

describe("normal p-values", () => {
  it("gives the usual two-sided levels", () => {
    expect(twoSidedNormalPValue(1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedNormalPValue(-2.5758293035489004)).toBeCloseTo(0.01, 14);
    expect(twoSidedNormalPValue(0)).toBe(1);
  });

  it("matches numerical integration", () => {
    for (const x of [0.3, 1, 1.99, 2, 2.01, 3.5, 5]) {
      const relativeError =
        Math.abs(erfc(x) - integrateErfc(x)) / integrateErfc(x);
      expect(relativeError).toBeLessThan(1e-10);
    }
  });

  it("stays accurate far in the tail", () => {
    // erfc(x) ~ exp(-x^2) / (x sqrt(pi)) * (1 - 1/(2x^2) + 3/(4x^4) - 15/(8x^6)) for large x.
    const x = 10;
    const asymptotic =
      (Math.exp(-x * x) / (x * Math.sqrt(Math.PI))) *
      (1 - 1 / (2 * x * x) + 3 / (4 * x ** 4) - 15 / (8 * x ** 6));
    expect(erfc(x) / asymptotic).toBeCloseTo(1, 6);
  });
});

describe("benjaminiHochberg", () => {
  it("adjusts a small example", () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    expect(q[0]).toBeCloseTo(0.02, 15);
    expect(q[1]).toBeCloseTo(0.04, 15);
    expect(q[2]).toBeCloseTo(0.04, 15);
    expect(q[3]).toBeCloseTo(0.02, 15);
  });

  it("caps q-values at 1", () => {
    expect(benjaminiHochberg([0.9, 1, 0.95])).toEqual([1, 1, 1]);
  });
});

describe("computeH3GiStar", () => {
  it("compares a busy cell with empty rings", () => {
    const points = Array.from({ length: 20 }, () => offsetPosition(0, 0));
    for (let k = 1; k <= 10; k++) {
      points.push(offsetPosition(k * 5_000, 0));
    }
    const results = computeH3GiStar(points);
    const busy = latLngToCell(points[0]!.latitude, points[0]!.longitude, 8);
    expect(results).toHaveLength(11 * 7);
    const busyResult = results.find((r) => r.id === busy)!;
    expect(busyResult.value).toBe(20);
    expect(busyResult.neighborCount).toBe(7);
    expect(busyResult.zScore).toBeGreaterThan(2.5);
    expect(busyResult.pValue).toBeLessThan(0.01);
    const ring = new Set(gridDisk(busy, 1));
    for (const result of results.filter(
      (r) => ring.has(r.id) && r.id !== busy,
    )) {
      expect(result.value).toBe(0);
    }
  });

  it("uses cells of about 0.74 km2 at resolution 8", () => {
    expect(getHexagonAreaAvg(8, "km2")).toBeCloseTo(0.737, 3);
  });

  it("matches h3-expected.geojson", async () => {
    const inputFile = path.join(FIXTURES_FOLDER, "h3-input.geojson");
    if (UPDATE_GOLDEN) {
      await writeJsonFixture(inputFile, gridPointsToGeoJson(generatePoints(8)));
    }
    const points = deepFreeze(
      readJsonFixture<FeatureCollection>(inputFile).features.map(pointOf),
    );
    const before = structuredClone(points);

    const results = computeH3GiStar(points);
    const { actual, expected } = await goldenPair(
      path.join(FIXTURES_FOLDER, "h3-expected.geojson"),
      h3ResultsToGeoJson(results),
    );
    expect(actual).toEqual(expected);
    expect(points).toEqual(before);
  });
});

describe("computeH3GiStar against brute force", () => {
  for (const ringSize of [1, 2]) {
    it(`matches the ring weights, ring size ${ringSize}`, () => {
      const points = generatePoints(31).map((point, i) => ({
        ...point,
        weight: 1 + (i % 3),
      }));
      const results = computeH3GiStar(points, { ringSize });
      const expected = bruteForceH3GiStar(points, ringSize);

      expect(results.map((result) => result.id)).toEqual([...expected.keys()]);
      for (const result of results) {
        const cell = expected.get(result.id)!;
        expect(result.value, result.id).toBe(cell.value);
        expect(result.neighborCount, result.id).toBe(cell.neighborCount);
        expect(result.zScore, result.id).toBeCloseTo(cell.zScore, 10);
      }
    });
  }
});

describe("computeGiStar golden output", () => {
  const cases: [string, () => GiStarInputCollection][] = [
    ["band-haversine", bandHaversineInput],
    ["band-planar", bandPlanarInput],
    ["k-nearest", nearestInput],
  ];
  for (const [name, build] of cases) {
    it(`matches ${name}-expected.geojson`, async () => {
      const inputFile = path.join(FIXTURES_FOLDER, `${name}-input.geojson`);
      if (UPDATE_GOLDEN) {
        await writeJsonFixture(inputFile, build());
      }
      const input = readJsonFixture<GiStarInputCollection>(inputFile);
      const areas = deepFreeze(input.features.map(areaOf));
      const weights = deepFreeze(input.weights);
      const before = structuredClone({ areas, weights });

      const results = computeGiStar(areas, weights);
      const { actual, expected } = await goldenPair(
        path.join(FIXTURES_FOLDER, `${name}-expected.geojson`),
        areaResultsToGeoJson(areas, results),
      );
      expect(actual).toEqual(expected);
      expect({ areas, weights }).toEqual(before);
    });
  }

  it("keeps the band limit inclusive in the band goldens", () => {
    for (const name of ["band-haversine", "band-planar"]) {
      const input = readJsonFixture<GiStarInputCollection>(
        path.join(FIXTURES_FOLDER, `${name}-input.geojson`),
      );
      const areas = input.features.map(areaOf);
      const neighbors = buildNeighborLists(areas, input.weights);
      const ids = (i: number) => neighbors[i]!.map((j) => areas[j]!.id);
      const origin = areas.findIndex((area) => area.id === "band-origin");
      const atLimit = areas.findIndex((area) => area.id === "at-band-limit");

      expect(ids(origin), name).toContain("at-band-limit");
      expect(ids(origin), name).not.toContain("beyond-band-limit");
      expect(ids(atLimit), name).toContain("band-origin");
    }
  });
});

/** Gi* input as GeoJSON: the areas as points, and the weights as a member of the collection. */
type GiStarInputCollection = FeatureCollection<Point> & {
  weights: GiStarWeights;
};

function areasToGeoJson(
  areas: readonly GiStarArea[],
  weights: GiStarWeights,
): GiStarInputCollection {
  return {
    type: "FeatureCollection",
    weights,
    features: areas.map((area) =>
      pointFeature(area.x, area.y, { id: area.id, value: area.value }),
    ),
  };
}

function areaOf(feature: GiStarInputCollection["features"][number]) {
  const { longitude, latitude } = pointOf(feature);
  const properties = feature.properties as { id: string; value: number };
  return {
    id: properties.id,
    x: longitude,
    y: latitude,
    value: properties.value,
  };
}

/** Converts Gi* results to points at their areas, with z, p and q in the properties. */
function areaResultsToGeoJson(
  areas: readonly GiStarArea[],
  results: readonly GiStarResult[],
): FeatureCollection<Point> {
  return {
    type: "FeatureCollection",
    features: results.map((result, i) =>
      pointFeature(areas[i]!.x, areas[i]!.y, { ...result }),
    ),
  };
}

function gridPointsToGeoJson(points: readonly GridPoint[]): FeatureCollection {
  return {
    type: "FeatureCollection",
    features: points.map((point) =>
      pointFeature(point.longitude, point.latitude, {}),
    ),
  };
}

/** Converts H3 Gi* results to points at the cell centres. */
function h3ResultsToGeoJson(
  results: readonly H3GiStarResult[],
): FeatureCollection<Point> {
  return {
    type: "FeatureCollection",
    features: results.map(({ latitude, longitude, ...properties }) =>
      pointFeature(longitude, latitude, properties),
    ),
  };
}

/** Generates 300 points over 6 km, three in ten within 400 m of the origin. */
function generatePoints(seed: number): GridPoint[] {
  const random = seededRandom(seed);
  return Array.from({ length: 300 }, () => {
    const hot = random() < 0.3;
    const spread = hot ? 400 : 6_000;
    return offsetPosition((random() - 0.5) * spread, (random() - 0.5) * spread);
  });
}

/**
 * Generated areas with `band-origin`, `at-band-limit` exactly one band
 * away from it, and `beyond-band-limit` a millimetre farther, in haversine
 * metres.
 */
function bandHaversineInput(): GiStarInputCollection {
  const origin = offsetPosition(1_000, 1_000);
  const atLimit = offsetPosition(1_300, 1_000);
  const originArea = {
    id: "band-origin",
    x: origin.longitude,
    y: origin.latitude,
    value: 9,
  };
  const atLimitArea = {
    id: "at-band-limit",
    x: atLimit.longitude,
    y: atLimit.latitude,
    value: 2,
  };
  const bandDistance = areaDistance(originArea, atLimitArea, "haversine");
  const beyond = offsetPosition(1_000, 1_000 + bandDistance + 0.001);
  const beyondArea = {
    id: "beyond-band-limit",
    x: beyond.longitude,
    y: beyond.latitude,
    value: 7,
  };
  return areasToGeoJson(
    [...generateAreas(23, 40), originArea, atLimitArea, beyondArea],
    { kind: "distance-band", bandDistance },
  );
}

/** Builds the esda areas and a 3-4-5 triangle, so that `at-band-limit` lies exactly 5 units from `band-origin`. */
function bandPlanarInput(): GiStarInputCollection {
  const edges: GiStarArea[] = [
    { id: "band-origin", x: 50, y: 50, value: 1 },
    { id: "at-band-limit", x: 53, y: 54, value: 6 },
    { id: "beyond-band-limit", x: 50, y: 55.000001, value: 4 },
  ];
  return areasToGeoJson([...ESDA_AREAS, ...edges], {
    kind: "distance-band",
    bandDistance: 5,
    metric: "planar",
  });
}

/** Builds a 5 x 5 lattice of unit spacing, where ties at the k-th distance go by input order. */
function nearestInput(): GiStarInputCollection {
  const random = seededRandom(37);
  const areas: GiStarArea[] = [];
  for (let row = 0; row < 5; row++) {
    for (let column = 0; column < 5; column++) {
      areas.push({
        id: `r${row}c${column}`,
        x: column,
        y: row,
        value: Math.floor(random() * 6) + (row < 2 && column < 2 ? 6 : 0),
      });
    }
  }
  return areasToGeoJson(areas, { kind: "k-nearest", k: 3, metric: "planar" });
}

/** Generates areas scattered over about 2 km, with a hot corner. */
function generateAreas(seed: number, count: number): GiStarArea[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const east = random() * 2_000;
    const north = random() * 2_000;
    const position = offsetPosition(east, north);
    const hot = east < 500 && north < 500 ? 5 : 0;
    return {
      id: `area-${i}`,
      x: position.longitude,
      y: position.latitude,
      value: Math.floor(random() * 4) + hot,
    };
  });
}

/**
 * Evaluates Ord and Getis's Gi* from a full weight matrix, in its general
 * form with sums of weights and of squared weights.
 */
function bruteForceGiStar(
  areas: readonly GiStarArea[],
  weights: GiStarWeights,
): number[] {
  const metric =
    weights.kind === "neighbor-lists"
      ? "planar"
      : (weights.metric ?? "haversine");

  const rows = areas.map((area, i) => {
    const distances = areas.map((other) => areaDistance(area, other, metric));
    if (weights.kind === "distance-band") {
      return distances.map((d) => (d <= weights.bandDistance ? 1 : 0));
    }
    if (weights.kind === "k-nearest") {
      const order = distances
        .map((d, j) => ({ d, j }))
        .filter(({ j }) => j !== i)
        .sort((a, b) => a.d - b.d || a.j - b.j)
        .slice(0, weights.k)
        .map(({ j }) => j);
      return areas.map((_, j) => (j === i || order.includes(j) ? 1 : 0));
    }
    throw new Error(
      "bruteForceGiStar covers distance-band and k-nearest weights only",
    );
  });
  return giStarOfMatrix(
    areas.map((area) => area.value),
    rows,
  );
}

/**
 * Recomputes H3 Gi* from its definition: the study cells are every cell
 * within `ringSize` grid steps of a cell with points, and a cell's weight
 * row is 1 for each study cell at a grid distance of at most `ringSize`.
 */
function bruteForceH3GiStar(
  points: readonly GridPoint[],
  ringSize: number,
): Map<string, { value: number; neighborCount: number; zScore: number }> {
  const counts = new Map<string, number>();
  for (const point of points) {
    const cell = latLngToCell(point.latitude, point.longitude, 8);
    counts.set(cell, (counts.get(cell) ?? 0) + (point.weight ?? 1));
  }
  const study = [
    ...new Set([...counts.keys()].flatMap((cell) => gridDisk(cell, ringSize))),
  ].sort();
  const rows = study.map((cell) =>
    study.map((other): number =>
      gridDistance(cell, other) <= ringSize ? 1 : 0,
    ),
  );
  const values = study.map((cell) => counts.get(cell) ?? 0);
  const zScores = giStarOfMatrix(values, rows);
  return new Map(
    study.map((cell, i) => [
      cell,
      {
        value: values[i]!,
        neighborCount: rows[i]!.reduce((acc, w) => acc + w, 0),
        zScore: zScores[i]!,
      },
    ]),
  );
}

/**
 * Returns Gi* of every area from its values and weight matrix, as
 * (sum_j w_ij x_j - mean W_i) / (S sqrt((n S1_i - W_i^2) / (n - 1))).
 * W_i and S1_i are the sums of the weights and squared weights of row i,
 * and S is the standard deviation with divisor n.
 */
function giStarOfMatrix(
  values: readonly number[],
  rows: readonly (readonly number[])[],
): number[] {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const s = Math.sqrt(
    values.reduce((acc, v) => acc + v * v, 0) / n - mean * mean,
  );
  return rows.map((row) => {
    const sumW = row.reduce((acc, w) => acc + w, 0);
    const sumW2 = row.reduce((acc, w) => acc + w * w, 0);
    const weighted = row.reduce((acc, w, j) => acc + w * values[j]!, 0);
    return (
      (weighted - mean * sumW) /
      (s * Math.sqrt((n * sumW2 - sumW * sumW) / (n - 1)))
    );
  });
}

/** Integrates 2/sqrt(pi) exp(-t^2) from x to x + 12 by Simpson's rule. */
function integrateErfc(x: number): number {
  const steps = 200_000;
  const h = 12 / steps;
  let sum = 0;
  for (let k = 0; k <= steps; k++) {
    const t = x + k * h;
    let weight = k % 2 === 1 ? 4 : 2;
    if (k === 0 || k === steps) {
      weight = 1;
    }
    sum += weight * Math.exp(-t * t);
  }
  return ((2 / Math.sqrt(Math.PI)) * sum * h) / 3;
}
