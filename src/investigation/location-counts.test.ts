import { describe, expect, it } from "vitest";

import { epochDayOf } from "../analysis/hotspots/scan/index.js";
import type { Stay } from "../analysis/stays/index.js";
import { countCaseDays, countCasesByLocation } from "./location-counts.js";

type AreaStay = Stay & { readonly area: string | null };

const JUNG_GU = "11020";
const JONGNO_GU = "11010";

let nextId = 1;

/** Builds a timed stay between two Seoul instants written as `YYYY-MM-DDTHH:MM`. */
function timedStay(
  personId: string,
  area: string | null,
  from: string,
  to: string,
): AreaStay {
  const startedAt = Date.parse(`${from}:00+09:00`);
  const finishedAt = Date.parse(`${to}:00+09:00`);
  return {
    id: `stay-${nextId++}`,
    personId,
    source: "gps",
    latitude: 37.5665,
    longitude: 126.978,
    radiusMeters: 10,
    startedAt,
    lastFixAt: finishedAt,
    finishedAt,
    area,
  };
}

function dateOnlyStay(
  personId: string,
  area: string | null,
  visitDate: string,
): AreaStay {
  return {
    id: `stay-${nextId++}`,
    personId,
    source: "disclosed_visit",
    latitude: 37.5665,
    longitude: 126.978,
    radiusMeters: 100,
    visitDate,
    area,
  };
}

const areaOf = (stay: AreaStay) => stay.area;

describe("countCasesByLocation", () => {
  it("counts each case once per area", () => {
    const stays = [
      timedStay("p1", JUNG_GU, "2020-03-02T10:00", "2020-03-02T11:00"),
      timedStay("p1", JUNG_GU, "2020-03-02T14:00", "2020-03-02T15:00"),
      timedStay("p2", JUNG_GU, "2020-03-02T10:30", "2020-03-02T11:30"),
      dateOnlyStay("p1", JONGNO_GU, "2020-03-04"),
      dateOnlyStay("p3", null, "2020-03-04"),
    ];

    const counts = countCasesByLocation(stays, areaOf);

    expect(counts.byLocation.get(JUNG_GU)).toEqual({
      caseCount: 2,
      stayCount: 3,
    });
    expect(counts.byLocation.get(JONGNO_GU)).toEqual({
      caseCount: 1,
      stayCount: 1,
    });
    expect(counts.byLocation.size).toBe(2);
    expect(counts.staysWithoutLocation).toBe(1);
  });

  it("returns nothing without stays", () => {
    const counts = countCasesByLocation([], areaOf);

    expect(counts.byLocation.size).toBe(0);
    expect(counts.staysWithoutLocation).toBe(0);
  });
});

describe("countCaseDays", () => {
  const period = { from: "2020-03-01", to: "2020-03-05" };
  const day = (date: string) => epochDayOf(date);

  it("counts a case once per area and day", () => {
    const stays = [
      timedStay("p1", JUNG_GU, "2020-03-02T10:00", "2020-03-02T11:00"),
      timedStay("p1", JUNG_GU, "2020-03-02T14:00", "2020-03-02T15:00"),
      timedStay("p2", JUNG_GU, "2020-03-02T10:30", "2020-03-02T11:30"),
      dateOnlyStay("p1", JONGNO_GU, "2020-03-04"),
      dateOnlyStay("p3", JONGNO_GU, "2020-03-04"),
      dateOnlyStay("p4", null, "2020-03-04"),
    ];

    expect(countCaseDays(stays, areaOf, period)).toEqual([
      { time: day("2020-03-02"), locationId: JUNG_GU, count: 2 },
      { time: day("2020-03-04"), locationId: JONGNO_GU, count: 2 },
    ]);
  });

  it("counts every Seoul day a stay covers", () => {
    const overnight = timedStay(
      "p1",
      JUNG_GU,
      "2020-03-02T22:00",
      "2020-03-03T02:00",
    );
    const untilMidnight = timedStay(
      "p2",
      JONGNO_GU,
      "2020-03-02T22:00",
      "2020-03-03T00:00",
    );

    expect(countCaseDays([overnight, untilMidnight], areaOf, period)).toEqual([
      { time: day("2020-03-02"), locationId: JONGNO_GU, count: 1 },
      { time: day("2020-03-02"), locationId: JUNG_GU, count: 1 },
      { time: day("2020-03-03"), locationId: JUNG_GU, count: 1 },
    ]);
  });

  it("leaves days outside the period out", () => {
    const stays = [
      timedStay("p1", JUNG_GU, "2020-02-29T22:00", "2020-03-01T01:00"),
      dateOnlyStay("p2", JUNG_GU, "2020-03-06"),
    ];

    expect(countCaseDays(stays, areaOf, period)).toEqual([
      { time: day("2020-03-01"), locationId: JUNG_GU, count: 1 },
    ]);
  });
});
