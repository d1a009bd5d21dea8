import { describe, expect, it } from "vitest";

import { buildRoute } from "../analysis/route/index.js";
import type { Stay } from "../store/index.js";
import { routeInputOfStored, type RouteRecordRow } from "./route-records.js";

const MINUTE = 60_000;
const NINE_AM = Date.parse("2024-03-05T09:00:00+09:00");

function storedStay(id: number, startedAt: number, longitude: number): Stay {
  return {
    id,
    person_id: "p1",
    source_kind: "gps",
    method: "{}",
    started_at: startedAt,
    finished_at: startedAt + 60 * MINUTE,
    last_fix_at: startedAt + 60 * MINUTE,
    latitude: 37.5665,
    longitude,
    radius_meters: 30,
    fix_count: 12,
    province_code: null,
    municipality_code: null,
    submunicipality_code: null,
    created_at: 0,
  };
}

function gpsFix(
  id: number,
  trackedAt: number,
  longitude: number,
): RouteRecordRow {
  return {
    id,
    person_id: "p1",
    source_kind: "gps",
    started_at: trackedAt,
    ended_at: trackedAt,
    visit_date: null,
    latitude: 37.5665,
    longitude,
    radius_meters: 10,
    place_name: null,
    place_types: "[]",
    address: null,
    flags: "[]",
    details: "{}",
  };
}

describe("routeInputOfStored", () => {
  // Stays 09:00-10:00 and 18:00-19:00 that an import stored, 8 hours apart.
  const stays = [
    storedStay(1, NINE_AM, 126.97),
    storedStay(2, NINE_AM + 9 * 60 * MINUTE, 127.05),
  ];

  it("keeps fixes behind stored stays as record times", () => {
    const fixes = [0, 1, 2, 3].map((index) =>
      gpsFix(
        index + 1,
        NINE_AM + (120 + index * 120) * MINUTE,
        126.98 + index * 0.02,
      ),
    );

    const input = routeInputOfStored("p1", fixes, stays);
    const route = buildRoute(input);

    expect(input.gpsFixes).toEqual([]);
    expect(input.otherRecordTimes).toEqual(fixes.map((fix) => fix.started_at));
    expect(route.moves).toHaveLength(1);
    expect(route.moves[0]!.noData).toBe(false);
  });

  it("marks the interval no data without fixes", () => {
    const route = buildRoute(routeInputOfStored("p1", [], stays));

    expect(route.moves).toHaveLength(1);
    expect(route.moves[0]!.noData).toBe(true);
  });
});
