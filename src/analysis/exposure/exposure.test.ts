import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Polygon } from "geojson";
import { describe, expect, it } from "vitest";

import { seoulDayStart } from "../../domain/seoul-time.js";
import { haversineMeters } from "../geo/index.js";
import { isDateOnlyStay, type Stay } from "../stays/index.js";
import {
  TEST_ORIGIN,
  dateOnlyStay,
  offsetPosition,
  seededRandom,
  timedStay,
  type TimedStaySpec,
  writeJsonFixture,
} from "../stays/testing.js";
import type { TimeInterval } from "../contacts/index.js";
import {
  findExposures,
  type ExposureQuery,
  type ExposureResult,
} from "./index.js";

const FIXTURES_FOLDER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "fixtures",
);
const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";

const MINUTE_MS = 60_000;
const DAY_START = seoulDayStart("2020-05-02");

/** From midnight to 5 am on 2020-05-02, Seoul time. */
const NIGHT_WINDOW = {
  startsAt: DAY_START,
  endsAt: DAY_START + 300 * MINUTE_MS,
};
const NIGHT: ExposureQuery = {
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

        const expected = bruteForceExposures(stays, windows, 50, 30);
        const actual = Object.fromEntries(
          result.persons.map((p) => [p.personId, p.minutes]),
        );
        expect(actual).toEqual(expected);

        for (const setting of result.looserSettings) {
          const looser = bruteForceExposures(
            stays,
            windows,
            setting.radiusMeters!,
            setting.minimumDwellMinutes,
          );
          expect(setting.personCount).toBe(Object.keys(looser).length);
        }
      });
    }
  }
});

describe("findExposures golden output", () => {
  it("matches the stored fixture", async () => {
    const stays = generateStays(21).slice(0, 120);
    const before = structuredClone(stays);
    const actual = findExposures(NIGHT, stays);

    const inputFile = path.join(FIXTURES_FOLDER, "input.json");
    const expectedFile = path.join(FIXTURES_FOLDER, "expected.json");
    if (UPDATE_GOLDEN) {
      await writeJsonFixture(inputFile, { query: NIGHT, stays });
      await writeJsonFixture(expectedFile, actual);
    }
    const input = JSON.parse(readFileSync(inputFile, "utf8")) as {
      query: ExposureQuery;
      stays: Stay[];
    };
    const expected = JSON.parse(
      readFileSync(expectedFile, "utf8"),
    ) as ExposureResult;
    expect(
      JSON.parse(JSON.stringify(findExposures(input.query, input.stays))),
    ).toEqual(expected);
    expect(stays).toEqual(before);
  });
});

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

/** Counts each person's minutes inside the circle one minute at a time. */
function bruteForceExposures(
  stays: readonly Stay[],
  windows: readonly TimeInterval[],
  radius: number,
  dwell: number,
): Record<string, number> {
  const inWindow = (t: number) =>
    windows.some((w) => t >= w.startsAt && t < w.endsAt);
  const byPerson = new Map<string, { minutes: number }>();
  for (const s of stays) {
    if (isDateOnlyStay(s) || haversineMeters(TEST_ORIGIN, s) > radius) {
      continue;
    }
    const present = windows.some((w) =>
      s.startedAt === s.finishedAt
        ? s.startedAt >= w.startsAt && s.startedAt < w.endsAt
        : s.startedAt < w.endsAt && s.finishedAt > w.startsAt,
    );
    if (present) {
      byPerson.set(s.personId, { minutes: 0 });
    }
  }

  const first = Math.min(...windows.map((w) => w.startsAt));
  const last = Math.max(...windows.map((w) => w.endsAt));
  for (const [personId, person] of byPerson) {
    const mine = stays.filter(
      (s) =>
        s.personId === personId &&
        !isDateOnlyStay(s) &&
        haversineMeters(TEST_ORIGIN, s) <= radius,
    );
    for (let t = first; t < last; t += MINUTE_MS) {
      const inside =
        inWindow(t) &&
        mine.some(
          (s) =>
            !isDateOnlyStay(s) &&
            s.startedAt <= t &&
            t + MINUTE_MS <= s.lastFixAt,
        );
      person.minutes += inside ? 1 : 0;
    }
  }

  const result: Record<string, number> = {};
  for (const [personId, person] of byPerson) {
    if (person.minutes >= dwell) {
      result[personId] = person.minutes;
    }
  }
  return result;
}
