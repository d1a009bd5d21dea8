import { describe, expect, it } from "vitest";

import { buildMoves, NO_DATA_GAP_MINUTES } from "./finish.js";
import type { RouteStay } from "./types.js";

const HOUR = 3_600_000;
const GAP = NO_DATA_GAP_MINUTES * 60_000;
const START = Date.UTC(2020, 2, 1, 0, 0);

/** Builds a one-hour GPS stay from `startedAt`. */
function stayAt(id: string, startedAt: number, longitude: number): RouteStay {
  return {
    id,
    personId: "p1",
    source: "gps",
    latitude: 37.5665,
    longitude,
    radiusMeters: 50,
    startedAt,
    lastFixAt: startedAt + HOUR,
    finishedAt: startedAt + HOUR,
    observedFrom: startedAt,
    observedTo: startedAt + HOUR,
    timing: "observed",
    sources: ["gps"],
    memberIds: [id],
    placeName: null,
    placeLabel: "GPS stay",
    address: null,
    area: null,
    confidence: 0.9,
    confidenceLevel: "high",
    conflictsWith: [],
  };
}

/** Builds two stays with `gapMilliseconds` between them. */
function staysApart(gapMilliseconds: number): RouteStay[] {
  return [
    stayAt("stay-1", START, 126.97),
    stayAt("stay-2", START + HOUR + gapMilliseconds, 127.02),
  ];
}

describe("buildMoves", () => {
  it("keeps a short interval a move", () => {
    const [move] = buildMoves(staysApart(30 * 60_000));

    expect(move?.noData).toBe(false);
    expect(move?.distanceMeters).toBeGreaterThan(4000);
  });

  it("keeps exactly the threshold a move", () => {
    const [move] = buildMoves(staysApart(GAP));

    expect(NO_DATA_GAP_MINUTES).toBe(180);
    expect(move?.endedAt).toBe(START + HOUR + GAP);
    expect(move?.startedAt).toBe(START + HOUR);
    expect(move?.noData).toBe(false);
  });

  it("marks a longer empty interval as no data", () => {
    const [move] = buildMoves(staysApart(GAP + 1));

    expect(move?.noData).toBe(true);
    expect(move?.fromStayId).toBe("stay-1");
    expect(move?.toStayId).toBe("stay-2");
    expect(move?.startedAt).toBe(START + HOUR);
    expect(move?.distanceMeters).toBeGreaterThan(4000);
  });

  it("keeps a long interval with records a move", () => {
    const stays = staysApart(10 * HOUR);
    const [move] = buildMoves(stays, [START + 6 * HOUR, START]);

    expect(move?.noData).toBe(false);
  });

  it("ignores records at the interval's ends", () => {
    const stays = staysApart(10 * HOUR);
    const [move] = buildMoves(stays, [START + HOUR, START + 11 * HOUR]);

    expect(move?.noData).toBe(true);
  });
});
