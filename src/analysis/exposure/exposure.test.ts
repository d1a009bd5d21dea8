import path from "node:path";
import { fileURLToPath } from "node:url";

import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import type {
  Feature,
  FeatureCollection,
  MultiPoint,
  Point,
  Polygon,
} from "geojson";
import { describe, expect, it } from "vitest";

import { seoulDayEnd, seoulDayStart } from "../../domain/seoul-time.js";
import { haversineMeters } from "../geo/index.js";
import { isDateOnlyStay, type Stay } from "../stays/index.js";
import {
  TEST_ORIGIN,
  UPDATE_GOLDEN,
  dateOnlyStay,
  goldenPair,
  offsetPosition,
  pointFeature,
  readJsonFixture,
  seededRandom,
  stayOfFeature,
  staysToFeatureCollection,
  timedStay,
  type TimedStaySpec,
  writeJsonFixture,
} from "../stays/testing.js";
import type { TimeInterval } from "../contacts/index.js";
import { deepFreeze } from "../route/testing.js";
import {
  findExposures,
  type CirclePlace,
  type ExposureQuery,
  type ExposureResult,
} from "./index.js";

const FIXTURES_FOLDER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "fixtures",
);

const MINUTE_MS = 60_000;
const DAY_START = seoulDayStart("2020-05-02");

/** From midnight to 5 am on 2020-05-02, Seoul time. */
const NIGHT_WINDOW = {
  startsAt: DAY_START,
  endsAt: DAY_START + 300 * MINUTE_MS,
};
const NIGHT: ExposureQuery & { place: CirclePlace } = {
  place: { ...TEST_ORIGIN },
  window: NIGHT_WINDOW,
};
const DAY_MS = 86_400_000;

function stay(spec: TimedStaySpec): Stay {
  return timedStay(DAY_START, spec);
}

describe("findExposures", () => {
  it("finds a person who dwelt 40 minutes", () => {
    const stays = [
      stay({
        id: "a1",
        personId: "a",
        startMinute: 60,
        lastFixMinute: 100,
        eastMeters: 30,
      }),
    ];
    const result = findExposures(NIGHT, stays);
    expect(result.radiusMeters).toBe(50);
    expect(result.persons).toHaveLength(1);
    expect(result.persons[0]!.minutes).toBe(40);
    expect(result.persons[0]!.stays[0]!.distanceMeters).toBeCloseTo(30, 3);
  });

  it("leaves out a short dwell", () => {
    const stays = [
      stay({ id: "a1", personId: "a", startMinute: 60, lastFixMinute: 80 }),
    ];
    expect(findExposures(NIGHT, stays).persons).toEqual([]);
  });

  it("clips stays to the window", () => {
    const stays = [
      stay({ id: "a1", personId: "a", startMinute: -60, lastFixMinute: 20 }),
      stay({ id: "a2", personId: "a", startMinute: 290, lastFixMinute: 400 }),
    ];
    const result = findExposures(NIGHT, stays, { minimumDwellMinutes: 0 });
    expect(result.persons[0]!.minutes).toBe(30);
    expect(result.persons[0]!.firstSeenAt).toBe(DAY_START);
  });

  it("counts overlapping sources once", () => {
    const stays = [
      stay({
        id: "a1",
        personId: "a",
        source: "checkin",
        startMinute: 60,
        lastFixMinute: 100,
      }),
      stay({
        id: "a2",
        personId: "a",
        source: "base_station",
        startMinute: 80,
        lastFixMinute: 120,
      }),
    ];
    const person = findExposures(NIGHT, stays).persons[0]!;
    expect(person.minutes).toBe(60);
    expect(person.stays).toHaveLength(2);
  });

  it("reports possible ends beside the minutes", () => {
    const stays = [
      stay({
        id: "a1",
        personId: "a",
        startMinute: 60,
        lastFixMinute: 80,
        finishMinute: 110,
      }),
    ];
    const result = findExposures(NIGHT, stays, { minimumDwellMinutes: 15 });
    expect(result.persons[0]!.minutes).toBe(20);
    expect(result.persons[0]!.possibleMinutes).toBe(30);
  });

  it("counts looser settings", () => {
    const stays = [
      stay({
        id: "a1",
        personId: "a",
        startMinute: 0,
        lastFixMinute: 60,
        eastMeters: 10,
      }),
      stay({
        id: "b1",
        personId: "b",
        startMinute: 0,
        lastFixMinute: 60,
        eastMeters: 90,
      }),
      stay({
        id: "c1",
        personId: "c",
        startMinute: 0,
        lastFixMinute: 60,
        eastMeters: 180,
      }),
      stay({
        id: "d1",
        personId: "d",
        startMinute: 0,
        lastFixMinute: 20,
        eastMeters: 10,
      }),
      stay({
        id: "e1",
        personId: "e",
        startMinute: 0,
        lastFixMinute: 5,
        eastMeters: 10,
      }),
      stay({
        id: "f1",
        personId: "f",
        startMinute: 0,
        lastFixMinute: 60,
        eastMeters: 250,
      }),
    ];
    const result = findExposures(NIGHT, stays);
    expect(result.persons.map((p) => p.personId)).toEqual(["a"]);
    expect(result.looserSettings).toEqual([
      {
        radiusMeters: 100,
        minimumDwellMinutes: 30,
        personCount: 2,
        addedCount: 1,
      },
      {
        radiusMeters: 200,
        minimumDwellMinutes: 30,
        personCount: 3,
        addedCount: 2,
      },
      {
        radiusMeters: 50,
        minimumDwellMinutes: 15,
        personCount: 2,
        addedCount: 1,
      },
      {
        radiusMeters: 50,
        minimumDwellMinutes: 0,
        personCount: 3,
        addedCount: 2,
      },
    ]);
  });

  it("accepts a polygon", () => {
    const corners = [
      offsetPosition(-100, -100),
      offsetPosition(100, -100),
      offsetPosition(100, 100),
      offsetPosition(-100, 100),
      offsetPosition(-100, -100),
    ];
    const polygon: Polygon = {
      type: "Polygon",
      coordinates: [corners.map((c) => [c.longitude, c.latitude])],
    };
    const stays = [
      stay({
        id: "a1",
        personId: "a",
        startMinute: 0,
        lastFixMinute: 60,
        eastMeters: 90,
        northMeters: 90,
      }),
      stay({
        id: "b1",
        personId: "b",
        startMinute: 0,
        lastFixMinute: 60,
        eastMeters: 110,
      }),
    ];
    const result = findExposures({ ...NIGHT, place: polygon }, stays);
    expect(result.radiusMeters).toBeNull();
    expect(result.persons.map((p) => p.personId)).toEqual(["a"]);
    expect(result.persons[0]!.stays[0]!.distanceMeters).toBeNull();
    expect(result.looserSettings.map((s) => s.minimumDwellMinutes)).toEqual([
      15, 0,
    ]);
  });

  it("lists date-only stays apart", () => {
    const stays = [
      dateOnlyStay({ id: "a1", personId: "a", visitDate: "2020-05-02" }),
      dateOnlyStay({ id: "b1", personId: "b", visitDate: "2020-05-03" }),
      dateOnlyStay({
        id: "c1",
        personId: "c",
        visitDate: "2020-05-02",
        eastMeters: 80,
      }),
    ];
    const result = findExposures(NIGHT, stays);
    expect(result.persons).toEqual([]);
    expect(result.dayLevelPersons).toEqual([
      { personId: "a", dates: ["2020-05-02"], stayIds: ["a1"] },
    ]);
  });

  it("finds zero-length stays only without a dwell minimum", () => {
    const stays = [
      stay({ id: "a1", personId: "a", startMinute: 60, lastFixMinute: 60 }),
      stay({ id: "b1", personId: "b", startMinute: 300, lastFixMinute: 300 }),
    ];
    const result = findExposures(NIGHT, stays);
    expect(result.persons).toEqual([]);
    expect(result.looserSettings.at(-1)!.personCount).toBe(1);
  });

  it("adds up several windows", () => {
    const nextNight = {
      startsAt: NIGHT_WINDOW.startsAt + DAY_MS,
      endsAt: NIGHT_WINDOW.endsAt + DAY_MS,
    };
    const stays = [
      stay({ id: "a1", personId: "a", startMinute: 240, lastFixMinute: 1560 }),
    ];
    const query = { ...NIGHT, window: [nextNight, NIGHT_WINDOW] };
    const person = findExposures(query, stays).persons[0]!;
    // 4 to 5 am on the first night, midnight to 2 am on the second.
    expect(person.minutes).toBe(60 + 120);
    expect(person.stays[0]!.minutes).toBe(180);
  });

  it("merges overlapping windows", () => {
    const stays = [
      stay({ id: "a1", personId: "a", startMinute: 0, lastFixMinute: 300 }),
    ];
    const half = {
      startsAt: DAY_START + 60 * MINUTE_MS,
      endsAt: DAY_START + 120 * MINUTE_MS,
    };
    const query = { ...NIGHT, window: [NIGHT_WINDOW, half] };
    expect(findExposures(query, stays).persons[0]!.minutes).toBe(300);
  });

  it("rejects an empty window list", () => {
    expect(() => findExposures({ ...NIGHT, window: [] }, [])).toThrow(
      /the list of windows is empty/,
    );
  });

  it("rejects an empty window", () => {
    const query = {
      ...NIGHT,
      window: { startsAt: DAY_START, endsAt: DAY_START },
    };
    expect(() => findExposures(query, [])).toThrow(/Invalid exposure window/);
  });

  it("leaves the input unchanged", () => {
    const stays = generateStays(3);
    const before = structuredClone(stays);
    findExposures(NIGHT, stays);
    expect(stays).toEqual(before);
  });
});

describe("findExposures against brute force", () => {
  /** Three windows: the night, an overlapping hour before it and a later one. */
  const WINDOW_SETS: [string, TimeInterval[]][] = [
    ["one window", [NIGHT_WINDOW]],
    [
      "three windows",
      [
        NIGHT_WINDOW,
        {
          startsAt: DAY_START - 60 * MINUTE_MS,
          endsAt: DAY_START + 30 * MINUTE_MS,
        },
        {
          startsAt: DAY_START + 360 * MINUTE_MS,
          endsAt: DAY_START + 400 * MINUTE_MS,
        },
      ],
    ],
  ];
  for (const [name, windows] of WINDOW_SETS) {
    for (const seed of [11, 12, 13]) {
      it(`matches per-minute totals, ${name}, seed ${seed}`, () => {
        const stays = generateStays(seed);
        const result = findExposures({ ...NIGHT, window: windows }, stays);
        const insideCircle = (radius: number) => (stay: Stay) =>
          haversineMeters(TEST_ORIGIN, stay) <= radius;

        const expected = bruteForceExposures(
          stays,
          windows,
          insideCircle(50),
          30,
        );
        expect(minutesOf(result)).toEqual(expected.minutes);
        expect(possibleMinutesOf(result)).toEqual(expected.possibleMinutes);
        expect(result.dayLevelPersons).toEqual(expected.dayLevelPersons);

        for (const setting of result.looserSettings) {
          const looser = bruteForceExposures(
            stays,
            windows,
            insideCircle(setting.radiusMeters!),
            setting.minimumDwellMinutes,
          );
          expect(setting.personCount).toBe(Object.keys(looser.minutes).length);
        }
      });

      it(`matches per-minute totals in a polygon, ${name}, seed ${seed}`, () => {
        const stays = generateStays(seed);
        // A triangle of about 400 m a side around the origin, so that some
        // stays lie outside it.
        const corners = [
          offsetPosition(-200, -150),
          offsetPosition(220, -120),
          offsetPosition(0, 210),
          offsetPosition(-200, -150),
        ];
        const polygon: Polygon = {
          type: "Polygon",
          coordinates: [corners.map((c) => [c.longitude, c.latitude])],
        };
        const result = findExposures(
          { place: polygon, window: windows },
          stays,
        );
        const insidePolygon = (stay: Stay) =>
          booleanPointInPolygon([stay.longitude, stay.latitude], polygon);

        const expected = bruteForceExposures(stays, windows, insidePolygon, 30);
        expect(Object.keys(expected.minutes).length).toBeGreaterThan(0);
        expect(minutesOf(result)).toEqual(expected.minutes);
        expect(possibleMinutesOf(result)).toEqual(expected.possibleMinutes);
        expect(result.dayLevelPersons).toEqual(expected.dayLevelPersons);

        for (const setting of result.looserSettings) {
          const looser = bruteForceExposures(
            stays,
            windows,
            insidePolygon,
            setting.minimumDwellMinutes,
          );
          expect(setting.personCount).toBe(Object.keys(looser.minutes).length);
        }
      });
    }
  }
});

describe("findExposures golden output", () => {
  it("matches expected.geojson", async () => {
    const inputFile = path.join(FIXTURES_FOLDER, "input.geojson");
    if (UPDATE_GOLDEN) {
      const stays = [...generateStays(21).slice(0, 120), ...edgeStays()];
      await writeJsonFixture(inputFile, exposureInputToGeoJson(NIGHT, stays));
    }
    const input = readJsonFixture<ExposureInputCollection>(inputFile);
    const { query, stays } = exposureInputOf(input);
    const before = structuredClone({ query, stays });

    const result = findExposures(query, stays);
    const { actual, expected } = await goldenPair(
      path.join(FIXTURES_FOLDER, "expected.geojson"),
      exposureResultToGeoJson(result, query, stays),
    );
    expect(actual).toEqual(expected);
    expect({ query, stays }).toEqual(before);
  });
});

/** The input of an exposure query as GeoJSON: the place as a feature, then the stays. */
type ExposureInputCollection = FeatureCollection & {
  window: ExposureQuery["window"];
};

/** Returns the place of a circle query as a point feature with `role: "place"`. */
function placeFeature(place: CirclePlace): Feature<Point> {
  return pointFeature(place.longitude, place.latitude, {
    role: "place",
    ...(place.radiusMeters === undefined
      ? {}
      : { radiusMeters: place.radiusMeters }),
  });
}

function exposureInputToGeoJson(
  query: ExposureQuery & { place: CirclePlace },
  stays: readonly Stay[],
): ExposureInputCollection {
  return {
    type: "FeatureCollection",
    window: query.window,
    features: [
      placeFeature(query.place),
      ...staysToFeatureCollection(stays).features,
    ],
  };
}

function exposureInputOf(input: ExposureInputCollection): {
  query: ExposureQuery & { place: CirclePlace };
  stays: readonly Stay[];
} {
  const [place, ...stayFeatures] = input.features;
  const [longitude, latitude] = (place!.geometry as Point).coordinates;
  const radius = place!.properties?.radiusMeters as number | undefined;
  return {
    query: deepFreeze({
      place: {
        latitude: latitude!,
        longitude: longitude!,
        ...(radius === undefined ? {} : { radiusMeters: radius }),
      },
      window: input.window,
    }),
    stays: deepFreeze(stayFeatures.map(stayOfFeature)),
  };
}

/**
 * Converts an exposure result to GeoJSON: the place, then one feature per
 * person with the centres of the person's stays inside it. The properties
 * hold the person's fields and `list`, the result list it is in.
 */
function exposureResultToGeoJson(
  result: ExposureResult,
  query: ExposureQuery & { place: CirclePlace },
  stays: readonly Stay[],
): FeatureCollection & Omit<ExposureResult, "persons" | "dayLevelPersons"> {
  const byId = new Map(stays.map((stay) => [stay.id, stay]));
  const personFeature = (
    list: string,
    stayIds: readonly string[],
    properties: object,
  ): Feature<MultiPoint> => ({
    type: "Feature",
    geometry: {
      type: "MultiPoint",
      coordinates: stayIds.map((id) => {
        const stay = byId.get(id)!;
        return [stay.longitude, stay.latitude];
      }),
    },
    properties: { list, ...properties },
  });
  return {
    type: "FeatureCollection",
    radiusMeters: result.radiusMeters,
    minimumDwellMinutes: result.minimumDwellMinutes,
    looserSettings: result.looserSettings,
    features: [
      placeFeature(query.place),
      ...result.persons.map((person) =>
        personFeature(
          "persons",
          person.stays.map((stay) => stay.stayId),
          person,
        ),
      ),
      ...result.dayLevelPersons.map((person) =>
        personFeature("dayLevelPersons", person.stayIds, person),
      ),
    ],
  };
}

function minutesOf(result: ExposureResult): Record<string, number> {
  return Object.fromEntries(
    result.persons.map((person) => [person.personId, person.minutes]),
  );
}

function possibleMinutesOf(result: ExposureResult): Record<string, number> {
  return Object.fromEntries(
    result.persons.map((person) => [person.personId, person.possibleMinutes]),
  );
}

/** Builds stays at the edges of the query: the radius, the window and the dwell. */
function edgeStays(): Stay[] {
  return [
    // Just inside and just outside the 50 m radius, for an hour.
    stay({
      id: "inside-edge",
      personId: "edge-in",
      startMinute: 60,
      lastFixMinute: 120,
      northMeters: 49.9,
    }),
    stay({
      id: "outside-edge",
      personId: "edge-out",
      startMinute: 60,
      lastFixMinute: 120,
      northMeters: 50.1,
    }),
    // From an hour before the window to 40 minutes into it, then a
    // possible end 20 minutes later.
    stay({
      id: "across-start",
      personId: "early",
      startMinute: -60,
      lastFixMinute: 40,
      finishMinute: 60,
      eastMeters: 10,
    }),
    // A check-in and base-station stay of one person that overlap.
    stay({
      id: "two-sources-checkin",
      personId: "two-sources",
      source: "checkin",
      startMinute: 200,
      lastFixMinute: 230,
      eastMeters: -5,
    }),
    stay({
      id: "two-sources-base-station",
      personId: "two-sources",
      source: "base_station",
      startMinute: 220,
      lastFixMinute: 260,
      eastMeters: 20,
      radiusMeters: 300,
    }),
    // Zero length inside the window, found only without a dwell minimum.
    stay({
      id: "instant",
      personId: "instant",
      startMinute: 100,
      lastFixMinute: 100,
    }),
    // Ending exactly at the end of the window.
    stay({
      id: "until-end",
      personId: "late",
      startMinute: 250,
      lastFixMinute: 300,
      finishMinute: 330,
    }),
    // Date-only on the day after the window.
    dateOnlyStay({
      id: "next-day",
      personId: "next-day",
      visitDate: "2020-05-03",
    }),
  ];
}

/** Generates 200 persons with stays on whole minutes within 300 m of the origin. */
function generateStays(seed: number): Stay[] {
  const random = seededRandom(seed);
  const stays: Stay[] = [];
  for (let p = 0; p < 200; p++) {
    const count = 1 + Math.floor(random() * 4);
    for (let i = 0; i < count; i++) {
      const id = `p${p}-${i}`;
      const position = {
        eastMeters: Math.round((random() - 0.5) * 600),
        northMeters: Math.round((random() - 0.5) * 600),
      };
      if (random() < 0.1) {
        stays.push(
          dateOnlyStay({
            id,
            personId: `p${p}`,
            visitDate: "2020-05-02",
            ...position,
          }),
        );
        continue;
      }
      const startMinute = Math.floor(random() * 500) - 100;
      const lastFixMinute = startMinute + Math.floor(random() * 90);
      stays.push(
        stay({
          id,
          personId: `p${p}`,
          startMinute,
          lastFixMinute,
          finishMinute: lastFixMinute + Math.floor(random() * 20),
          ...position,
          radiusMeters: 20,
        }),
      );
    }
  }
  return stays;
}

/** Minutes and date-only stays of the persons found by brute force. */
interface BruteForceExposures {
  /** Certain minutes of each person who dwelt at least the minimum. */
  minutes: Record<string, number>;
  /** Further minutes with the possible ends, of the same persons. */
  possibleMinutes: Record<string, number>;
  dayLevelPersons: { personId: string; dates: string[]; stayIds: string[] }[];
}

/**
 * Counts each person's minutes inside the place one minute at a time: a
 * minute is certain when a stay inside covers it up to its last fix, and
 * possible when it is covered up to the stay's possible end. Date-only
 * stays inside count when their Seoul day overlaps a window.
 */
function bruteForceExposures(
  stays: readonly Stay[],
  windows: readonly TimeInterval[],
  isInside: (stay: Stay) => boolean,
  dwell: number,
): BruteForceExposures {
  const inWindow = (t: number) =>
    windows.some((w) => t >= w.startsAt && t < w.endsAt);
  const inside = stays.filter(isInside);
  const timed = inside.filter((s) => !isDateOnlyStay(s));
  const present = new Set<string>();
  for (const s of timed) {
    const touches = windows.some((w) =>
      s.startedAt === s.finishedAt
        ? s.startedAt! >= w.startsAt && s.startedAt! < w.endsAt
        : s.startedAt! < w.endsAt && s.finishedAt! > w.startsAt,
    );
    if (touches) {
      present.add(s.personId);
    }
  }

  const result: BruteForceExposures = {
    minutes: {},
    possibleMinutes: {},
    dayLevelPersons: [],
  };
  const first = Math.min(...windows.map((w) => w.startsAt));
  const last = Math.max(...windows.map((w) => w.endsAt));
  for (const personId of present) {
    const mine = timed.filter((s) => s.personId === personId);
    let certain = 0;
    let possible = 0;
    for (let t = first; t < last; t += MINUTE_MS) {
      if (!inWindow(t)) {
        continue;
      }
      const covers = (end: (s: Stay) => number) =>
        mine.some((s) => s.startedAt! <= t && t + MINUTE_MS <= end(s));
      certain += covers((s) => s.lastFixAt!) ? 1 : 0;
      possible += covers((s) => s.finishedAt!) ? 1 : 0;
    }
    if (certain >= dwell) {
      result.minutes[personId] = certain;
      result.possibleMinutes[personId] = possible - certain;
    }
  }

  const dateOnly = inside
    .filter(isDateOnlyStay)
    .filter((s) =>
      windows.some(
        (w) =>
          Math.max(seoulDayStart(s.visitDate), w.startsAt) <
          Math.min(seoulDayEnd(s.visitDate), w.endsAt),
      ),
    );
  const personIds = [...new Set(dateOnly.map((s) => s.personId))].sort();
  for (const personId of personIds) {
    const mine = dateOnly.filter((s) => s.personId === personId);
    result.dayLevelPersons.push({
      personId,
      dates: [...new Set(mine.map((s) => s.visitDate))].sort(),
      stayIds: mine.map((s) => s.id).sort(),
    });
  }
  return result;
}
