import { describe, expect, it } from "vitest";

import { sourceStaysToGeoJson } from "./geojson.js";
import {
  at,
  deepFreeze,
  expectGolden,
  visitEntryOf,
  minute,
  readGolden,
} from "./testing.js";
import { detectVisitStays, type VisitEntry } from "./visit-stays.js";

function entry(extra: Partial<VisitEntry>): VisitEntry {
  return { placeName: "명동 약국", ...at(0), ...extra };
}

describe("detectVisitStays", () => {
  it("spans arrival to departure", () => {
    const { timed } = detectVisitStays("P1", [
      entry({ startedAt: minute(600), endedAt: minute(630) }),
    ]);

    expect(timed[0]!.startedAt).toBe(minute(600));
    expect(timed[0]!.lastFixAt).toBe(minute(630));
    expect(timed[0]!.finishedAt).toBe(minute(630));
    expect(timed[0]!.source).toBe("interview");
  });

  it("invents no dwell without a departure", () => {
    const { timed } = detectVisitStays("P1", [
      entry({ startedAt: minute(600) }),
    ]);
    expect(timed[0]!.finishedAt).toBe(timed[0]!.startedAt);
  });

  it("keeps a date alone as date-only", () => {
    const { timed, dateOnly } = detectVisitStays("P1", [
      entry({ visitDate: "2024-03-05", source: "disclosed_visit" }),
    ]);

    expect(timed).toHaveLength(0);
    expect(dateOnly[0]!.visitDate).toBe("2024-03-05");
    expect(dateOnly[0]!.id).toBe("disclosed_visit-1");
    expect(dateOnly[0]!.startedAt).toBeUndefined();
  });

  it("uses the default radius", () => {
    const { stays } = detectVisitStays(
      "P1",
      [
        entry({ visitDate: "2024-03-05" }),
        entry({ visitDate: "2024-03-05", radiusMeters: 10 }),
      ],
      {},
    );
    expect(stays.map((stay) => stay.radiusMeters)).toEqual([100, 10]);
  });

  it("takes the default radius from the options", () => {
    const { stays } = detectVisitStays(
      "P1",
      [entry({ visitDate: "2024-03-05" })],
      { defaultRadiusMeters: 250 },
    );
    expect(stays[0]!.radiusMeters).toBe(250);
  });

  it("counts ids per source", () => {
    const { stays } = detectVisitStays("P1", [
      entry({ visitDate: "2024-03-05" }),
      entry({ visitDate: "2024-03-05", source: "disclosed_visit" }),
      entry({ visitDate: "2024-03-06" }),
    ]);
    expect(stays.map((stay) => stay.id)).toEqual([
      "interview-1",
      "disclosed_visit-1",
      "interview-2",
    ]);
  });

  it("rejects entries without a usable time", () => {
    const invalid: VisitEntry[] = [
      entry({}),
      entry({ visitDate: "2024-02-30" }),
      entry({ endedAt: minute(10) }),
      entry({ startedAt: minute(10), endedAt: minute(5) }),
      entry({ startedAt: Number.NaN }),
    ];
    for (const bad of invalid) {
      expect(() => detectVisitStays("P1", [bad])).toThrow(
        /visit entry at index 0/,
      );
    }
  });
});

describe("visit golden fixtures", () => {
  it("matches visit/expected.geojson", async () => {
    const input = readGolden("visit/input.geojson");
    const entries = deepFreeze(input.features.map(visitEntryOf));
    const before = structuredClone(entries);

    const result = detectVisitStays("P1", entries);
    await expectGolden(
      "visit/expected.geojson",
      sourceStaysToGeoJson(result.stays),
      (actual, expected) => expect(actual).toEqual(expected),
    );
    expect(entries).toEqual(before);
  });
});
