import { describe, expect, it } from "vitest";

import type { Movement } from "../api/types.js";
import {
  formatDate,
  formatInstant,
  formatMovementTime,
  movementDays,
  seoulDateOf,
  seoulLocalToInstant,
} from "./format.js";

function movement(fields: Partial<Movement>): Movement {
  return {
    id: "1",
    type: "visit",
    sourceKind: "interview",
    visitDate: null,
    startedAt: null,
    endedAt: null,
    dwellMinutes: null,
    latitude: null,
    longitude: null,
    radiusMeters: null,
    placeName: null,
    placeTypes: [],
    address: null,
    area: null,
    flags: [],
    ...fields,
  };
}

describe("Seoul time formatting", () => {
  it("takes the Seoul day of an instant", () => {
    expect(seoulDateOf("2020-02-07T14:59:00Z")).toBe("2020-02-07");
    expect(seoulDateOf("2020-02-07T15:00:00Z")).toBe("2020-02-08");
  });

  it("formats a date with its weekday", () => {
    expect(formatDate("2020-02-16", "ko")).toBe("2020-02-16 (일)");
    expect(formatDate("2020-02-16", "en")).toBe("2020-02-16 (Sun)");
  });

  it("formats an instant in Seoul time", () => {
    expect(formatInstant("2020-02-07T23:30:00Z", "ko")).toBe(
      "2020-02-08 (토) 08:30",
    );
  });

  it("shows only the date of a date-only visit", () => {
    const visit = movement({ visitDate: "2020-02-05" });
    expect(formatMovementTime(visit, "ko")).toBe("2020-02-05 (수)");
  });

  it("shows a same-day range once dated", () => {
    const visit = movement({
      startedAt: "2020-02-08T01:00:00.000Z",
      endedAt: "2020-02-08T02:30:00.000Z",
    });
    expect(formatMovementTime(visit, "en")).toBe(
      "2020-02-08 (Sat) 10:00–11:30",
    );
  });

  it("shows both dates of a range over midnight", () => {
    const stay = movement({
      startedAt: "2020-02-08T13:00:00Z",
      endedAt: "2020-02-08T16:15:00Z",
    });
    expect(formatMovementTime(stay, "ko")).toBe(
      "2020-02-08 (토) 22:00 – 2020-02-09 (일) 01:15",
    );
  });

  it("shows a position fix as one instant", () => {
    const fix = movement({
      startedAt: "2020-02-08T01:00:00Z",
      endedAt: "2020-02-08T01:00:00Z",
    });
    expect(formatMovementTime(fix, "ko")).toBe("2020-02-08 (토) 10:00");
  });
});

describe("movementDays", () => {
  it("lists the visit date of a date-only visit", () => {
    expect(movementDays(movement({ visitDate: "2020-02-05" }))).toEqual([
      "2020-02-05",
    ]);
  });

  it("lists every Seoul day a stay covers", () => {
    const stay = movement({
      startedAt: "2020-02-28T13:00:00Z",
      endedAt: "2020-03-01T01:00:00Z",
    });
    expect(movementDays(stay)).toEqual([
      "2020-02-28",
      "2020-02-29",
      "2020-03-01",
    ]);
  });

  it("lists nothing for a movement without time", () => {
    expect(movementDays(movement({}))).toEqual([]);
  });
});

describe("seoulLocalToInstant", () => {
  it("adds the Seoul offset to a datetime-local value", () => {
    expect(seoulLocalToInstant("2020-02-08T10:00")).toBe(
      "2020-02-08T10:00:00+09:00",
    );
    expect(seoulLocalToInstant("2020-02-08T10:00:30")).toBe(
      "2020-02-08T10:00:30+09:00",
    );
    expect(seoulLocalToInstant("2020-02-08T10:00:30.5")).toBe(
      "2020-02-08T10:00:30.5+09:00",
    );
  });

  it("rejects a malformed value", () => {
    expect(seoulLocalToInstant("")).toBeNull();
    expect(seoulLocalToInstant("2020-02-08 10:00")).toBeNull();
  });
});
