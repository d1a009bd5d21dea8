import { describe, expect, it } from "vitest";

import { buildRoute, type RouteInput } from "./build-route.js";
import type { Route, RouteStay } from "./fuse/types.js";
import { routeToGeoJson } from "./geojson.js";
import {
  deepFreeze,
  expectGolden,
  minute,
  readGolden,
  routeInputOf,
} from "./testing.js";

function loadInput(): RouteInput {
  return deepFreeze(routeInputOf(readGolden("route/input.geojson"), "P1"));
}

function stayNamed(route: Route, placeName: string): RouteStay {
  const stay = route.stays.find(
    (candidate) => candidate.placeName === placeName,
  );
  if (stay === undefined) {
    throw new Error(`No stay named ${placeName} in the route`);
  }
  return stay;
}

describe("buildRoute on a day of all sources", () => {
  const input = loadInput();
  const route = buildRoute(input);

  it("merges the lunch records into one stay", () => {
    const lunch = stayNamed(route, "명동칼국수");

    expect(lunch.sources).toEqual([
      "base_station",
      "card",
      "checkin",
      "interview",
    ]);
    expect(lunch.source).toBe("card");
    expect(lunch.confidenceLevel).toBe("high");
    expect(lunch.startedAt).toBe(minute(12 * 60));
  });

  it("names the cafe from the check-in and the card", () => {
    const cafe = stayNamed(route, "카페 온");
    expect(cafe.sources).toEqual(["gps", "card", "checkin"]);
  });

  it("flags the card used far from the office", () => {
    const store = stayNamed(route, "신세계백화점 본점");
    const office = route.stays.find(
      (stay) => stay.id === store.conflictsWith[0],
    );

    expect(store.conflictsWith).toHaveLength(1);
    expect(office?.sources).toContain("base_station");
    expect(office?.conflictsWith).toEqual([store.id]);
  });

  it("confirms the office from the interview date", () => {
    const confirmed = route.stays.filter((stay) =>
      stay.sources.includes("interview"),
    );
    expect(confirmed.some((stay) => stay.placeName === "직장")).toBe(true);
    expect(route.dateOnlyStays.map((stay) => stay.placeName)).toEqual([
      "종로 PC방",
    ]);
  });

  it("lists the outlier and the cancellation", () => {
    expect(route.excluded.map((record) => record.reason)).toEqual([
      "speed_outlier",
      "cancellation",
    ]);
  });

  it("orders stays and moves in time", () => {
    for (const move of route.moves) {
      expect(move.startedAt).toBeLessThanOrEqual(move.endedAt);
    }
    const starts = route.stays.map((stay) => stay.startedAt);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it("matches route/expected.geojson", async () => {
    await expectGolden(
      "route/expected.geojson",
      routeToGeoJson(route),
      (actual, expected) => expect(actual).toEqual(expected),
    );
  });

  it("leaves the input unchanged", () => {
    expect(input).toEqual(structuredClone(loadInput()));
  });
});

describe("buildRoute", () => {
  it("returns an empty route without records", () => {
    const route = buildRoute({ personId: "P1" });
    expect(route.stays).toEqual([]);
    expect(route.moves).toEqual([]);
    expect(route.dateOnlyStays).toEqual([]);
  });

  it("passes options to each source", () => {
    const input: RouteInput = {
      personId: "P1",
      checkIns: [{ checkedInAt: minute(600), latitude: 37.5, longitude: 127 }],
    };
    const route = buildRoute(input, { checkin: { defaultDwellMinutes: 5 } });
    expect(route.stays[0]!.finishedAt).toBe(minute(605));
  });
});
