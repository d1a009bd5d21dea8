import { describe, expect, it } from "vitest";

import {
  buildVisit,
  EMPTY_VISIT_DRAFT,
  type VisitDraft,
} from "./visit-input.js";

const draft = (fields: Partial<VisitDraft>): VisitDraft => ({
  ...EMPTY_VISIT_DRAFT,
  placeName: "Cafe",
  latitude: "37.57",
  longitude: "126.99",
  visitDate: "2020-02-08",
  ...fields,
});

describe("buildVisit", () => {
  it("builds a date-only visit", () => {
    expect(buildVisit(draft({ note: "  with a friend " }))).toEqual({
      visit: {
        placeName: "Cafe",
        latitude: 37.57,
        longitude: 126.99,
        visitDate: "2020-02-08",
        note: "with a friend",
      },
    });
  });

  it("sends arrival and departure with the Seoul offset", () => {
    const result = buildVisit(
      draft({
        mode: "interval",
        arrival: "2020-02-08T23:00",
        departure: "2020-02-09T00:30",
      }),
    );
    expect(result).toEqual({
      visit: {
        placeName: "Cafe",
        latitude: 37.57,
        longitude: 126.99,
        startedAt: "2020-02-08T23:00:00+09:00",
        endedAt: "2020-02-09T00:30:00+09:00",
      },
    });
  });

  it("accepts an address without a position", () => {
    const result = buildVisit(
      draft({ latitude: "", longitude: "", address: "Jongno-gu" }),
    );
    expect(result).toEqual({
      visit: {
        placeName: "Cafe",
        address: "Jongno-gu",
        visitDate: "2020-02-08",
      },
    });
  });

  it.each([
    [{ placeName: " " }, "visit.error.placeName"],
    [{ latitude: "", longitude: "" }, "visit.error.position"],
    [{ longitude: "" }, "visit.error.position"],
    [{ latitude: "91" }, "visit.error.latitude"],
    [{ longitude: "east" }, "visit.error.longitude"],
    [{ visitDate: "" }, "visit.error.date"],
    [{ mode: "interval", arrival: "2020-02-08T10:00" }, "visit.error.interval"],
    [
      {
        mode: "interval",
        arrival: "2020-02-08T10:00",
        departure: "2020-02-08T10:00",
      },
      "visit.error.order",
    ],
  ] as const)("rejects %o", (fields, error) => {
    expect(buildVisit(draft(fields))).toEqual({ error });
  });
});
