import { describe, expect, it } from "vitest";

import { seededRandom } from "../../stays/testing.js";
import { at, deepFreeze, minute, minutesOf } from "../testing.js";
import type {
  DateOnlySourceStay,
  RouteSource,
  SourceStay,
  TimedSourceStay,
} from "../types.js";
import { combineConfidence, DEFAULT_SOURCE_CONFIDENCE } from "./confidence.js";
import { fuseStays } from "./fuse.js";
import { spansOverlap, subtractSpans } from "./spans.js";
import type { FuseOptions, Route, RouteStay } from "./types.js";

interface StaySpec {
  readonly id: string;
  readonly source: RouteSource;
  /** Minutes after midnight of the test day. */
  readonly start: number;
  readonly lastFix: number;
  readonly finish?: number;
  /** First observed minute; the start by default. */
  readonly observedFrom?: number;
  readonly east?: number;
  readonly north?: number;
  readonly radius: number;
  readonly placeName?: string;
}

function timed(spec: StaySpec): TimedSourceStay {
  return {
    id: spec.id,
    personId: "P1",
    source: spec.source,
    ...at(spec.east ?? 0, spec.north ?? 0),
    radiusMeters: spec.radius,
    startedAt: minute(spec.start),
    lastFixAt: minute(spec.lastFix),
    finishedAt: minute(spec.finish ?? spec.lastFix),
    observedFrom: minute(spec.observedFrom ?? spec.start),
    observedTo: minute(spec.lastFix),
    timing: spec.observedFrom === undefined ? "observed" : "estimated",
    placeName: spec.placeName ?? null,
    address: null,
    recordIds: [spec.id],
  };
}

/** Builds a card payment at `paid`, estimated from `paid - before` to `paid + after`. */
function card(
  id: string,
  paid: number,
  east: number,
  north = 0,
  before = 10,
  after = 5,
): TimedSourceStay {
  return timed({
    id,
    source: "card",
    start: paid - before,
    lastFix: paid,
    finish: paid + after,
    observedFrom: paid,
    east,
    north,
    radius: 30,
    placeName: `merchant ${id}`,
  });
}

function dateOnly(
  id: string,
  source: RouteSource,
  visitDate: string,
  east: number,
  radius = 100,
): DateOnlySourceStay {
  return {
    id,
    personId: "P1",
    source,
    visitDate,
    ...at(east),
    radiusMeters: radius,
    placeName: `place ${id}`,
    address: null,
    recordIds: [id],
  };
}

function fuse(stays: readonly SourceStay[], options: FuseOptions = {}): Route {
  return fuseStays("P1", stays, options);
}

function summary(stay: RouteStay) {
  return {
    start: minutesOf(stay.startedAt),
    lastFix: minutesOf(stay.lastFixAt),
    finish: minutesOf(stay.finishedAt),
    source: stay.source,
    sources: stay.sources,
  };
}

describe("spans", () => {
  it("does not count touching spans as overlapping", () => {
    expect(spansOverlap({ start: 0, end: 10 }, { start: 10, end: 20 })).toBe(
      false,
    );
    expect(spansOverlap({ start: 10, end: 10 }, { start: 0, end: 10 })).toBe(
      false,
    );
  });

  it("counts an instant inside a span", () => {
    expect(spansOverlap({ start: 5, end: 5 }, { start: 0, end: 10 })).toBe(
      true,
    );
  });

  it("subtracts covered parts", () => {
    const pieces = subtractSpans({ start: 0, end: 100 }, [
      { start: 20, end: 30 },
      { start: 25, end: 40 },
      { start: 90, end: 120 },
    ]);
    expect(pieces).toEqual([
      { start: 0, end: 20 },
      { start: 40, end: 90 },
    ]);
  });
});

describe("combineConfidence", () => {
  it("combines sources as independent witnesses", () => {
    const table = DEFAULT_SOURCE_CONFIDENCE;
    expect(combineConfidence(["base_station"], table, null)).toBe(0.4);
    expect(combineConfidence(["base_station", "card"], table, null)).toBe(0.76);
    expect(combineConfidence(["gps", "gps"], table, null)).toBe(0.8);
    expect(combineConfidence(["gps"], table, 0.5)).toBe(0.4);
  });
});

describe("fuseStays agreement", () => {
  it("sharpens a base-station stay with a card payment", () => {
    const cell = timed({
      id: "cell",
      source: "base_station",
      start: 600,
      lastFix: 620,
      finish: 625,
      radius: 800,
    });
    const payment = card("c1", 615, 300);
    const route = fuse([cell, payment]);

    expect(route.stays).toHaveLength(1);
    const [stay] = route.stays;
    expect(summary(stay!)).toEqual({
      start: 600,
      lastFix: 620,
      finish: 625,
      source: "card",
      sources: ["base_station", "card"],
    });
    expect(stay!.latitude).toBe(payment.latitude);
    expect(stay!.radiusMeters).toBe(30);
    expect(stay!.placeName).toBe("merchant c1");
    expect(stay!.placeLabel).toBe("merchant c1");
    expect(stay!.confidence).toBe(0.76);
    expect(stay!.confidenceLevel).toBe("high");
    expect(stay!.memberIds).toEqual(["c1", "cell"]);
  });

  it("splits a long coarse stay around finer ones", () => {
    const cell = timed({
      id: "cell",
      source: "base_station",
      start: 480,
      lastFix: 1080,
      radius: 1500,
    });
    const lunch = card("lunch", 720, 600, 0, 50, 10);
    const coffee = card("coffee", 900, -600, 0, 5, 30);
    const route = fuse([cell, lunch, coffee]);

    expect(route.stays.map(summary)).toEqual([
      {
        start: 480,
        lastFix: 670,
        finish: 670,
        source: "base_station",
        sources: ["base_station"],
      },
      {
        start: 670,
        lastFix: 730,
        finish: 730,
        source: "card",
        sources: ["base_station", "card"],
      },
      {
        start: 730,
        lastFix: 895,
        finish: 895,
        source: "base_station",
        sources: ["base_station"],
      },
      {
        start: 895,
        lastFix: 930,
        finish: 930,
        source: "card",
        sources: ["base_station", "card"],
      },
      {
        start: 930,
        lastFix: 1080,
        finish: 1080,
        source: "base_station",
        sources: ["base_station"],
      },
    ]);
    expect(route.moves).toHaveLength(4);
    expect(route.stays.every((stay) => stay.conflictsWith.length === 0)).toBe(
      true,
    );
  });

  it("joins a short leftover to the finer stay", () => {
    const cell = timed({
      id: "cell",
      source: "base_station",
      start: 600,
      lastFix: 700,
      radius: 1000,
    });
    const payment = card("c1", 690, 100, 0, 30, 5);
    const route = fuse([cell, payment], { absorbPieceMinutes: 15 });

    expect(route.stays.map(summary)).toEqual([
      {
        start: 600,
        lastFix: 660,
        finish: 660,
        source: "base_station",
        sources: ["base_station"],
      },
      {
        start: 660,
        lastFix: 700,
        finish: 700,
        source: "card",
        sources: ["base_station", "card"],
      },
    ]);
  });

  it("merges agreeing GPS and check-in stays", () => {
    const gps = timed({
      id: "g",
      source: "gps",
      start: 600,
      lastFix: 660,
      finish: 665,
      radius: 20,
    });
    const checkin = timed({
      id: "q",
      source: "checkin",
      start: 605,
      lastFix: 650,
      east: 25,
      radius: 30,
      placeName: "카페 온",
    });
    const [stay, ...others] = fuse([checkin, gps]).stays;

    expect(others).toHaveLength(0);
    expect(stay!.source).toBe("gps");
    expect(stay!.placeName).toBe("카페 온");
    expect(stay!.sources).toEqual(["gps", "checkin"]);
    expect(minutesOf(stay!.startedAt)).toBe(600);
    expect(minutesOf(stay!.finishedAt)).toBe(665);
  });

  it("drops an estimated part that a finer stay covers", () => {
    const gps = timed({
      id: "g",
      source: "gps",
      start: 690,
      lastFix: 760,
      finish: 765,
      radius: 20,
    });
    const payment = card("lunch", 740, 10, 0, 60, 10);
    const [stay, ...others] = fuse([gps, payment]).stays;

    expect(others).toHaveLength(0);
    expect(minutesOf(stay!.startedAt)).toBe(690);
    expect(stay!.sources).toEqual(["gps", "card"]);
  });
});

describe("fuseStays disagreement", () => {
  it("flags stays seen at once far apart", () => {
    const gps = timed({
      id: "g",
      source: "gps",
      start: 600,
      lastFix: 660,
      finish: 665,
      radius: 20,
    });
    const payment = card("far", 630, 5000);
    const route = fuse([gps, payment]);
    const [home, away] = route.stays;

    expect(route.stays).toHaveLength(2);
    expect(home!.conflictsWith).toEqual([away!.id]);
    expect(away!.conflictsWith).toEqual([home!.id]);
    expect(home!.confidence).toBe(0.4);
    expect(away!.confidence).toBe(0.3);
    expect(route.moves).toHaveLength(0);
  });

  it("cuts estimated time at a boundary", () => {
    const gps = timed({
      id: "g",
      source: "gps",
      start: 480,
      lastFix: 540,
      finish: 580,
      radius: 20,
    });
    const payment = card("cafe", 570, 3000, 0, 51, 9);
    const route = fuse([gps, payment]);
    const [home, cafe] = route.stays;

    expect(home!.conflictsWith).toHaveLength(0);
    expect(minutesOf(home!.lastFixAt)).toBe(540);
    expect(minutesOf(home!.finishedAt)).toBe(555);
    expect(minutesOf(cafe!.startedAt)).toBe(555);
    expect(minutesOf(cafe!.lastFixAt)).toBe(570);
  });

  it("keeps observed time when cutting", () => {
    const earlier = timed({
      id: "a",
      source: "gps",
      start: 0,
      lastFix: 100,
      finish: 200,
      radius: 20,
    });
    const later = timed({
      id: "b",
      source: "card",
      start: 150,
      lastFix: 300,
      observedFrom: 180,
      east: 900,
      radius: 20,
    });
    const observedLater = { ...later, id: "c", observedFrom: later.startedAt };
    const [first, second] = fuse([earlier, later]).stays;
    const [keptFirst, keptSecond] = fuse([earlier, observedLater]).stays;

    expect(minutesOf(first!.finishedAt)).toBe(165);
    expect(minutesOf(second!.startedAt)).toBe(165);
    expect(minutesOf(keptFirst!.finishedAt)).toBe(150);
    expect(minutesOf(keptSecond!.startedAt)).toBe(150);
  });
});

describe("fuseStays date-only stays", () => {
  const office = timed({
    id: "cell",
    source: "base_station",
    start: seoulMinutes(9),
    lastFix: seoulMinutes(18),
    east: 5000,
    radius: 600,
  });

  it("confirms a timed stay on the same day", () => {
    const route = fuse([
      office,
      dateOnly("i1", "interview", "2024-03-05", 5100),
    ]);

    expect(route.dateOnlyStays).toHaveLength(0);
    expect(route.stays[0]!.sources).toEqual(["base_station", "interview"]);
    expect(route.stays[0]!.placeName).toBe("place i1");
  });

  it("lists a stay of another day apart", () => {
    const route = fuse([
      office,
      dateOnly("i1", "interview", "2024-03-04", 5100),
    ]);

    expect(route.stays[0]!.sources).toEqual(["base_station"]);
    expect(route.dateOnlyStays).toHaveLength(1);
    expect(route.dateOnlyStays[0]!.visitDate).toBe("2024-03-04");
  });

  it("groups agreeing date-only stays of one day", () => {
    const route = fuse([
      dateOnly("i1", "interview", "2024-03-04", 0),
      dateOnly("d1", "disclosed_visit", "2024-03-04", 40, 30),
      dateOnly("i2", "interview", "2024-03-04", 3000),
    ]);

    expect(route.dateOnlyStays.map((stay) => stay.memberIds)).toEqual([
      ["d1", "i1"],
      ["i2"],
    ]);
    expect(route.dateOnlyStays[0]!.sources).toEqual([
      "interview",
      "disclosed_visit",
    ]);
  });
});

describe("fuseStays output", () => {
  it("connects stays with moves", () => {
    const home = timed({
      id: "h",
      source: "gps",
      start: 0,
      lastFix: 60,
      finish: 70,
      radius: 20,
    });
    const work = timed({
      id: "w",
      source: "gps",
      start: 90,
      lastFix: 200,
      east: 2000,
      radius: 30,
    });
    const [move] = fuse([home, work]).moves;

    expect(move!.fromStayId).toBe("stay-1");
    expect(move!.toStayId).toBe("stay-2");
    expect(minutesOf(move!.startedAt)).toBe(60);
    expect(minutesOf(move!.endedAt)).toBe(90);
    expect(move!.distanceMeters).toBeCloseTo(2000, 0);
    expect(move!.minimumDistanceMeters).toBeCloseTo(1950, 0);
  });

  it("labels areas with the caller's function", () => {
    const positions: number[] = [];
    const route = fuse(
      [timed({ id: "h", source: "gps", start: 0, lastFix: 60, radius: 20 })],
      {
        labelArea: (position) => {
          positions.push(position.latitude);
          return "서울특별시 중구";
        },
      },
    );
    expect(route.stays[0]!.area).toBe("서울특별시 중구");
    expect(positions).toHaveLength(1);
  });

  it("describes an unnamed place by its source", () => {
    const route = fuse([
      timed({
        id: "c",
        source: "base_station",
        start: 0,
        lastFix: 60,
        radius: 500,
      }),
    ]);
    expect(route.stays[0]!.placeLabel).toBe("base-station area");
    expect(route.stays[0]!.area).toBeNull();
  });

  it("rejects two stays with one id", () => {
    const stay = timed({
      id: "x",
      source: "gps",
      start: 0,
      lastFix: 10,
      radius: 5,
    });
    expect(() => fuse([stay, stay])).toThrow(/occurs twice/);
  });

  it("rejects an observed span outside the certain part", () => {
    const stay = {
      ...timed({ id: "x", source: "gps", start: 0, lastFix: 10, radius: 5 }),
      observedTo: minute(20),
    };
    expect(() => fuse([stay])).toThrow(/observedFrom <= observedTo/);
  });

  it("rejects invalid options", () => {
    const invalid: FuseOptions[] = [
      { absorbPieceMinutes: -1 },
      { conflictFactor: 2 },
      { sourceConfidence: { ...DEFAULT_SOURCE_CONFIDENCE, gps: 1.5 } },
    ];
    for (const options of invalid) {
      expect(() => fuse([], options)).toThrow(RangeError);
    }
  });

  it("leaves the input unchanged", () => {
    const stays = deepFreeze([
      timed({
        id: "cell",
        source: "base_station",
        start: 480,
        lastFix: 1080,
        radius: 1500,
      }),
      card("lunch", 720, 600),
      card("far", 900, 9000),
      dateOnly("i1", "interview", "2024-03-05", 600),
    ]);
    const before = structuredClone(stays);

    expect(() => fuse(stays)).not.toThrow();
    expect(stays).toEqual(before);
  });
});

describe("fuseStays invariants", () => {
  const random = seededRandom(20240305);
  const sources: RouteSource[] = [
    "gps",
    "base_station",
    "card",
    "checkin",
    "interview",
  ];

  function randomStays(count: number): TimedSourceStay[] {
    return Array.from({ length: count }, (_unused, index) => {
      const start = Math.floor(random() * 1300);
      const lastFix = start + Math.floor(random() * 120);
      const observedFrom = random() < 0.3 ? lastFix : start;
      return timed({
        id: `s${index}`,
        source: sources[index % sources.length]!,
        start,
        lastFix,
        finish: lastFix + Math.floor(random() * 60),
        ...(observedFrom === start ? {} : { observedFrom }),
        east: Math.floor(random() * 4000),
        north: Math.floor(random() * 4000),
        radius: [20, 30, 100, 500, 1500][Math.floor(random() * 5)]!,
      });
    });
  }

  for (let round = 0; round < 20; round++) {
    it(`keeps the timeline consistent in round ${round}`, () => {
      const stays = randomStays(40);
      const route = fuse(stays);

      for (const stay of route.stays) {
        expect(stay.startedAt).toBeLessThanOrEqual(stay.observedFrom);
        expect(stay.observedFrom).toBeLessThanOrEqual(stay.observedTo);
        expect(stay.observedTo).toBeLessThanOrEqual(stay.lastFixAt);
        expect(stay.lastFixAt).toBeLessThanOrEqual(stay.finishedAt);
      }
      for (let i = 0; i < route.stays.length; i++) {
        for (let j = i + 1; j < route.stays.length; j++) {
          const a = route.stays[i]!;
          const b = route.stays[j]!;
          const overlap = spansOverlap(
            { start: a.startedAt, end: a.finishedAt },
            { start: b.startedAt, end: b.finishedAt },
          );
          expect(overlap, `${a.id} and ${b.id} overlap`).toBe(
            a.conflictsWith.includes(b.id),
          );
        }
      }
      const members = new Set(route.stays.flatMap((stay) => stay.memberIds));
      expect([...members].sort()).toEqual(stays.map((stay) => stay.id).sort());
      for (const move of route.moves) {
        expect(move.startedAt).toBeLessThanOrEqual(move.endedAt);
      }
    });
  }
});

/** Returns the minutes after midnight of the test day at a Seoul hour. */
function seoulMinutes(hour: number): number {
  return hour * 60;
}
