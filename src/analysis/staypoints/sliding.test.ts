import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Feature, FeatureCollection, Point } from "geojson";
import { format } from "prettier";
import { describe, expect, it } from "vitest";

import {
  EARTH_RADIUS_METERS,
  haversineMeters,
  meanPosition,
} from "../geo/index.js";
import {
  generateStaypoints,
  generateStaypointsByPerson,
  type PositionFix,
  type Staypoint,
  type StaypointOptions,
} from "./index.js";

const FIXTURES_FOLDER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "fixtures",
);
const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";

const BASE_LATITUDE = 47.3769;
const BASE_LONGITUDE = 8.5417;
const BASE_TIME = Date.UTC(2024, 2, 4, 8, 0, 0);
const METERS_PER_DEGREE = (EARTH_RADIUS_METERS * Math.PI) / 180;
const MINUTE = 60_000;

interface ElevatedFix extends PositionFix {
  readonly elevation: number;
}

/** Builds a fix `minutes` after the base time, offset in metres from the base. */
function fixAt(
  minutes: number,
  eastMeters = 0,
  northMeters = 0,
  elevation = 410,
): ElevatedFix {
  const cosLatitude = Math.cos((BASE_LATITUDE * Math.PI) / 180);
  return {
    trackedAt: BASE_TIME + minutes * MINUTE,
    latitude: BASE_LATITUDE + northMeters / METERS_PER_DEGREE,
    longitude: BASE_LONGITUDE + eastMeters / (METERS_PER_DEGREE * cosLatitude),
    elevation,
  };
}

function minutesOf(epochMilliseconds: number): number {
  return (epochMilliseconds - BASE_TIME) / MINUTE;
}

describe("haversineMeters", () => {
  it("matches trackintel's documented example", () => {
    const from = { latitude: 47.3, longitude: 8.5 };
    const to = { latitude: 47.2, longitude: 8.7 };
    expect(haversineMeters(from, to)).toBeCloseTo(18749.056277719905, 6);
  });

  it("returns zero for one position", () => {
    const position = { latitude: 39.98, longitude: 116.31 };
    expect(haversineMeters(position, position)).toBe(0);
  });

  it("returns half the circumference for antipodes", () => {
    const from = { latitude: 0, longitude: 0 };
    const to = { latitude: 0, longitude: 180 };
    expect(haversineMeters(from, to)).toBeCloseTo(
      Math.PI * EARTH_RADIUS_METERS,
      3,
    );
  });
});

describe("meanPosition", () => {
  it("averages longitudes across the antimeridian", () => {
    const centre = meanPosition([
      { latitude: 10, longitude: 179 },
      { latitude: 20, longitude: -179 },
    ]);
    expect(Math.abs(centre.longitude)).toBeCloseTo(180, 9);
    expect(centre.latitude).toBeCloseTo(15, 12);
  });

  it("averages nearby longitudes like a plain mean", () => {
    const centre = meanPosition([
      { latitude: 0, longitude: 8.5 },
      { latitude: 0, longitude: 8.6 },
    ]);
    expect(centre.longitude).toBeCloseTo(8.55, 12);
  });

  it("rejects an empty list", () => {
    expect(() => meanPosition([])).toThrow(RangeError);
  });
});

describe("generateStaypoints", () => {
  it("returns no stays for an empty track", () => {
    expect(generateStaypoints([])).toEqual([]);
  });

  it("ends a stay at a fix exactly at the distance", () => {
    const track = [fixAt(0), fixAt(3), fixAt(6, 0, 60), fixAt(8, 0, 500)];
    const distance = haversineMeters(track[0]!, track[2]!);

    const [atDistance] = generateStaypoints(track, {
      distThresholdMeters: distance,
    });
    expect(atDistance?.fixCount).toBe(2);
    expect(minutesOf(atDistance!.finishedAt)).toBe(6);

    const [beyond] = generateStaypoints(track, {
      distThresholdMeters: distance + 0.001,
    });
    expect(beyond?.fixCount).toBe(3);
    expect(minutesOf(beyond!.finishedAt)).toBe(8);
  });

  it("accepts a run of exactly the time threshold", () => {
    const exact = [fixAt(0), fixAt(2), fixAt(5, 500)];
    expect(generateStaypoints(exact)).toHaveLength(1);

    const shorter = [fixAt(0), fixAt(2), fixAt(4.99, 500)];
    expect(generateStaypoints(shorter)).toHaveLength(0);
  });

  it("reports start, finish, last fix and count", () => {
    const track = [fixAt(0), fixAt(2), fixAt(4, 5), fixAt(9, 300)];
    const [stay] = generateStaypoints(track);

    expect(minutesOf(stay!.startedAt)).toBe(0);
    expect(minutesOf(stay!.finishedAt)).toBe(9);
    expect(minutesOf(stay!.lastFixAt)).toBe(4);
    expect(stay!.fixCount).toBe(3);
  });

  it("starts the next run at the ending fix", () => {
    const track = [
      fixAt(0),
      fixAt(6),
      fixAt(7, 500),
      fixAt(13, 500),
      fixAt(14, 1000),
    ];
    const stays = generateStaypoints(track);

    expect(stays).toHaveLength(2);
    expect(stays[1]!.startedAt).toBe(stays[0]!.finishedAt);
    expect(minutesOf(stays[1]!.startedAt)).toBe(7);
  });

  it("discards the run at a gap over the threshold", () => {
    const track = [
      fixAt(0),
      fixAt(5),
      fixAt(10),
      fixAt(26),
      fixAt(30),
      fixAt(32, 500),
    ];
    const stays = generateStaypoints(track);

    expect(stays).toHaveLength(1);
    expect(minutesOf(stays[0]!.startedAt)).toBe(26);
    expect(stays[0]!.fixCount).toBe(2);
  });

  it("keeps the run at a gap equal to the threshold", () => {
    const track = [fixAt(0), fixAt(15), fixAt(20, 500)];
    const stays = generateStaypoints(track);

    expect(stays).toHaveLength(1);
    expect(minutesOf(stays[0]!.startedAt)).toBe(0);
  });

  it("discards a long run when the leaving fix follows a gap", () => {
    const track = [fixAt(0), fixAt(10), fixAt(30, 500)];
    expect(generateStaypoints(track)).toHaveLength(0);
  });

  it("centres the stay on its distinct positions", () => {
    const track = [
      fixAt(0),
      fixAt(1),
      fixAt(2),
      fixAt(6, 0, 20),
      fixAt(8, 500),
    ];
    const [stay] = generateStaypoints(track);
    const midpoint = fixAt(0, 0, 10);

    expect(stay!.fixCount).toBe(4);
    expect(stay!.latitude).toBeCloseTo(midpoint.latitude, 10);
    expect(stay!.longitude).toBeCloseTo(midpoint.longitude, 10);
    expect(stay!.radiusMeters).toBeCloseTo(10, 6);
  });

  it("reports the largest distance from the centre", () => {
    const track = [fixAt(0, -30), fixAt(3, 10), fixAt(6, 20), fixAt(9, 500)];
    const [stay] = generateStaypoints(track);
    const centre = { latitude: stay!.latitude, longitude: stay!.longitude };
    const distances = track
      .slice(0, 3)
      .map((fix) => haversineMeters(centre, fix));

    expect(stay!.radiusMeters).toBe(Math.max(...distances));
    expect(stay!.radiusMeters).toBeCloseTo(30, 3);
  });

  it("drops fixes identical in every field", () => {
    const track = [fixAt(0), fixAt(0), fixAt(3), fixAt(6, 500)];
    expect(generateStaypoints(track)[0]!.fixCount).toBe(2);
  });

  it("keeps fixes that differ in an extra field", () => {
    const track = [fixAt(0), fixAt(0, 0, 0, 999), fixAt(3), fixAt(6, 500)];
    expect(generateStaypoints(track)[0]!.fixCount).toBe(3);
  });

  it("sorts the fixes by time", () => {
    const sorted = [fixAt(0), fixAt(2, 5), fixAt(4, 0, 5), fixAt(9, 300)];
    const shuffled = [sorted[2]!, sorted[0]!, sorted[3]!, sorted[1]!];
    expect(generateStaypoints(shuffled)).toEqual(generateStaypoints(sorted));
  });

  it("drops the open run by default", () => {
    const track = [fixAt(0), fixAt(6), fixAt(10, 500), fixAt(20, 505)];
    expect(generateStaypoints(track)).toHaveLength(1);
  });

  it("reports the open run with includeLast", () => {
    const track = [fixAt(0), fixAt(6), fixAt(10, 500), fixAt(20, 505)];
    const stays = generateStaypoints(track, { includeLast: true });
    const last = stays[1]!;

    expect(stays).toHaveLength(2);
    expect(minutesOf(last.startedAt)).toBe(10);
    expect(minutesOf(last.finishedAt)).toBe(20);
    expect(last.lastFixAt).toBe(last.finishedAt);
    expect(last.fixCount).toBe(2);
  });

  it("applies the time threshold to the open run", () => {
    const track = [fixAt(0), fixAt(6), fixAt(10, 500), fixAt(14, 505)];
    const stays = generateStaypoints(track, { includeLast: true });
    expect(stays).toHaveLength(1);
  });

  it("reports one fix with includeLast and no time threshold", () => {
    const stays = generateStaypoints([fixAt(0)], {
      includeLast: true,
      timeThresholdMinutes: 0,
    });
    expect(stays).toHaveLength(1);
    expect(stays[0]!.fixCount).toBe(1);
    expect(stays[0]!.radiusMeters).toBe(0);
  });

  it("rejects invalid options", () => {
    const track = [fixAt(0)];
    const invalid: StaypointOptions[] = [
      { distThresholdMeters: -1 },
      { timeThresholdMinutes: Number.NaN },
      { gapThresholdMinutes: -0.5 },
    ];
    for (const options of invalid) {
      expect(() => generateStaypoints(track, options)).toThrow(RangeError);
    }
  });

  it("names the option in the error", () => {
    expect(() => generateStaypoints([], { distThresholdMeters: -1 })).toThrow(
      /distThresholdMeters -1/,
    );
  });

  it("rejects fixes with invalid values", () => {
    const base = fixAt(0);
    const invalid: PositionFix[] = [
      { ...base, latitude: 91 },
      { ...base, longitude: -180.5 },
      { ...base, trackedAt: Number.NaN },
    ];
    for (const fix of invalid) {
      expect(() => generateStaypoints([base, fix])).toThrow(/at index 1/);
    }
  });

  it("leaves the input unchanged", () => {
    const track = deepFreeze([fixAt(3), fixAt(0), fixAt(0), fixAt(9, 500)]);
    const before = structuredClone(track);

    expect(() => generateStaypoints(track)).not.toThrow();
    expect(track).toEqual(before);
  });
});

describe("generateStaypointsByPerson", () => {
  const alice = [fixAt(0), fixAt(6), fixAt(7, 500)];
  const bob = [fixAt(1, 900), fixAt(8, 900), fixAt(9, 1500)];
  const interleaved = [bob[0]!, alice[0]!, alice[1]!, bob[1]!];
  const fixes = [
    ...interleaved.map((fix) => ({
      ...fix,
      person: alice.includes(fix) ? "alice" : "bob",
    })),
    { ...alice[2]!, person: "alice" },
    { ...bob[2]!, person: "bob" },
  ];

  it("lists persons in order of first fix", () => {
    const stays = generateStaypointsByPerson(fixes, (fix) => fix.person);
    expect(stays.map((stay) => stay.personKey)).toEqual(["bob", "alice"]);
  });

  it("matches per-person detection", () => {
    const stays = generateStaypointsByPerson(fixes, (fix) => fix.person);
    const { personKey: _bobKey, ...bobStay } = stays[0]!;
    const { personKey: _aliceKey, ...aliceStay } = stays[1]!;

    expect(bobStay).toEqual(generateStaypoints(bob)[0]);
    expect(aliceStay).toEqual(generateStaypoints(alice)[0]);
  });
});

describe("golden fixtures", () => {
  const input = readFixture("input.geojson") as FeatureCollection<Point>;
  const fixes = deepFreeze(input.features.map(toFix));
  const cases: { name: string; options: StaypointOptions; count: number }[] = [
    { name: "expected.geojson", options: {}, count: 3 },
    {
      name: "expected-include-last.geojson",
      options: { includeLast: true },
      count: 4,
    },
  ];

  for (const { name, options, count } of cases) {
    it(`matches ${name}`, async () => {
      const before = structuredClone(fixes);
      const actual = toFeatureCollection(generateStaypoints(fixes, options));

      if (UPDATE_GOLDEN) {
        await writeFixture(name, actual);
      }
      expect(actual.features).toHaveLength(count);
      expectSameStaypoints(actual, readFixture(name));
      expect(fixes).toEqual(before);
    });
  }
});

function toFix(feature: Feature<Point>): ElevatedFix {
  const [longitude, latitude] = feature.geometry.coordinates as [
    number,
    number,
  ];
  const properties = feature.properties as {
    tracked_at: string;
    elevation: number;
  };
  return {
    trackedAt: Date.parse(properties.tracked_at),
    latitude,
    longitude,
    elevation: properties.elevation,
  };
}

/** Converts stays to GeoJSON, rounding coordinates to 9 decimals and radii to mm. */
function toFeatureCollection(
  staypoints: readonly Staypoint[],
): FeatureCollection<Point> {
  return {
    type: "FeatureCollection",
    features: staypoints.map((stay) => ({
      type: "Feature",
      geometry: {
        type: "Point",
        coordinates: [round(stay.longitude, 9), round(stay.latitude, 9)],
      },
      properties: {
        started_at: new Date(stay.startedAt).toISOString(),
        finished_at: new Date(stay.finishedAt).toISOString(),
        last_fix_at: new Date(stay.lastFixAt).toISOString(),
        fix_count: stay.fixCount,
        radius_meters: round(stay.radiusMeters, 3),
      },
    })),
  };
}

/**
 * Compares coordinates to 1e-8 degrees (about 1 mm) and the rest exactly.
 * Exact coordinates would fail on a change of summation order alone.
 */
function expectSameStaypoints(
  actual: FeatureCollection<Point>,
  expected: unknown,
): void {
  const expectedFeatures = (expected as FeatureCollection<Point>).features;
  expect(actual.features).toHaveLength(expectedFeatures.length);

  actual.features.forEach((feature, index) => {
    const expectedFeature = expectedFeatures[index]!;
    const [longitude, latitude] = feature.geometry.coordinates;
    const [expectedLongitude, expectedLatitude] =
      expectedFeature.geometry.coordinates;

    expect(longitude, `longitude of stay ${index}`).toBeCloseTo(
      expectedLongitude!,
      8,
    );
    expect(latitude, `latitude of stay ${index}`).toBeCloseTo(
      expectedLatitude!,
      8,
    );
    expect(feature.properties, `properties of stay ${index}`).toEqual(
      expectedFeature.properties,
    );
  });
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURES_FOLDER, name), "utf8"));
}

/** Writes the fixture in the repository's Prettier style. */
async function writeFixture(name: string, value: unknown): Promise<void> {
  const text = await format(JSON.stringify(value), { parser: "json" });
  writeFileSync(path.join(FIXTURES_FOLDER, name), text);
}

function deepFreeze<T extends object>(values: T[]): readonly T[] {
  for (const value of values) {
    Object.freeze(value);
  }
  return Object.freeze(values);
}
