import { describe, expect, it } from "vitest";

import { seoulDayEnd, seoulDayStart } from "../../domain/seoul-time.js";
import { buildRoute } from "./build-route.js";
import { fuseStays } from "./fuse/fuse.js";
import type { Route } from "./fuse/types.js";
import { timeSlotsToGeoJson } from "./geojson.js";
import {
  at,
  deepFreeze,
  expectGolden,
  minute,
  minutesOf,
  readGolden,
  routeInputOf,
} from "./testing.js";
import { routeTimeSlots } from "./time-slots.js";
import type { RouteSource, SourceStay } from "./types.js";

function stay(
  id: string,
  source: RouteSource,
  start: number,
  lastFix: number,
  finish: number,
  east: number,
  radiusMeters: number,
): SourceStay {
  return {
    id,
    personId: "P1",
    source,
    ...at(east),
    radiusMeters,
    startedAt: minute(start),
    lastFixAt: minute(lastFix),
    finishedAt: minute(finish),
    observedFrom: minute(start),
    observedTo: minute(lastFix),
    timing: "observed",
    placeName: id,
    address: null,
    recordIds: [id],
  };
}

function route(stays: readonly SourceStay[]): Route {
  return fuseStays("P1", stays);
}

const DAY = {
  startsAt: seoulDayStart("2024-03-05"),
  endsAt: seoulDayEnd("2024-03-05"),
};

describe("routeTimeSlots", () => {
  it("divides a Seoul day into 24 hours", () => {
    const slots = routeTimeSlots(route([]), DAY);

    expect(slots).toHaveLength(24);
    expect(slots[0]!.startsAt).toBe(DAY.startsAt);
    expect(slots[23]!.endsAt).toBe(DAY.endsAt);
    expect(slots.every((slot) => slot.status === "unknown")).toBe(true);
  });

  it("widens the period to whole hours", () => {
    const slots = routeTimeSlots(route([]), {
      startsAt: minute(610),
      endsAt: minute(671),
    });
    expect(slots.map((slot) => minutesOf(slot.startsAt))).toEqual([600, 660]);
  });

  it("picks the stay with most weighted minutes", () => {
    const slots = routeTimeSlots(
      route([
        stay("home", "gps", 0, 620, 625, 0, 20),
        stay("office", "base_station", 625, 700, 700, 5000, 500),
      ]),
      { startsAt: minute(600), endsAt: minute(660) },
    );

    expect(slots[0]!.status).toBe("stay");
    expect(slots[0]!.placeLabel).toBe("home");
    expect(slots[0]!.certainMinutes).toBe(20);
    expect(slots[0]!.possibleMinutes).toBe(5);
    expect(slots[0]!.candidateCount).toBe(2);
  });

  it("prefers a confident source over longer minutes", () => {
    const slots = routeTimeSlots(
      route([
        stay("cell", "base_station", 600, 630, 630, 0, 500),
        stay("cafe", "gps", 630, 655, 660, 5000, 20),
      ]),
      { startsAt: minute(600), endsAt: minute(660) },
    );
    expect(slots[0]!.placeLabel).toBe("cafe");
    expect(slots[0]!.source).toBe("gps");
  });

  it("reports a move between stays", () => {
    const result = route([
      stay("home", "gps", 0, 600, 600, 0, 20),
      stay("office", "gps", 720, 800, 800, 5000, 20),
    ]);
    const slots = routeTimeSlots(result, {
      startsAt: minute(600),
      endsAt: minute(720),
    });

    expect(slots.map((slot) => slot.status)).toEqual(["move", "move"]);
    expect(slots[0]!.moveId).toBe(result.moves[0]!.id);
  });

  it("falls back to a date-only stay of the day", () => {
    const result = fuseStays("P1", [
      {
        id: "visit",
        personId: "P1",
        source: "interview",
        visitDate: "2024-03-05",
        ...at(0),
        radiusMeters: 100,
        placeName: "직장",
        address: null,
        recordIds: ["visit"],
      },
    ]);
    const slots = routeTimeSlots(result, DAY);

    expect(slots.every((slot) => slot.status === "date_only")).toBe(true);
    expect(slots[0]!.placeLabel).toBe("직장");
  });

  it("counts an instant inside the slot", () => {
    const slots = routeTimeSlots(
      route([stay("pharmacy", "interview", 610, 610, 610, 0, 30)]),
      {
        startsAt: minute(600),
        endsAt: minute(660),
      },
    );
    expect(slots[0]!.status).toBe("stay");
    expect(slots[0]!.certainMinutes).toBe(0);
  });

  it("takes the slot length from the options", () => {
    const slots = routeTimeSlots(route([]), DAY, { slotMinutes: 30 });
    expect(slots).toHaveLength(48);
  });

  it("rejects invalid periods and options", () => {
    const empty = route([]);
    expect(() =>
      routeTimeSlots(empty, { startsAt: minute(10), endsAt: minute(10) }),
    ).toThrow(RangeError);
    expect(() =>
      routeTimeSlots(empty, { startsAt: Number.NaN, endsAt: minute(10) }),
    ).toThrow(RangeError);
    expect(() => routeTimeSlots(empty, DAY, { slotMinutes: 7 })).toThrow(
      /slotMinutes 7/,
    );
    expect(() => routeTimeSlots(empty, DAY, { possibleWeight: 2 })).toThrow(
      RangeError,
    );
    expect(() =>
      routeTimeSlots(empty, { startsAt: 0, endsAt: DAY.endsAt }),
    ).toThrow(/maxSlots/);
  });
});

describe("time-slot golden fixtures", () => {
  it("matches time-slots/expected.geojson", async () => {
    const input = deepFreeze(
      routeInputOf(readGolden("route/input.geojson"), "P1"),
    );
    const fused = deepFreeze(buildRoute(input));
    const before = structuredClone(fused);

    const slots = routeTimeSlots(fused, DAY);
    await expectGolden(
      "time-slots/expected.geojson",
      timeSlotsToGeoJson(slots),
      (actual, expected) => expect(actual).toEqual(expected),
    );
    expect(fused).toEqual(before);
  });
});
