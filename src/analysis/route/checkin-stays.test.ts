import { describe, expect, it } from "vitest";

import {
  detectCheckinStays,
  type CheckIn,
  type CheckinStayOptions,
} from "./checkin-stays.js";
import { sourceStaysToGeoJson } from "./geojson.js";
import {
  at,
  deepFreeze,
  expectGolden,
  checkInOf,
  minute,
  minutesOf,
  readGolden,
} from "./testing.js";

function checkIn(
  inMinutes: number,
  outMinutes: number | null,
  extra: Partial<CheckIn> = {},
): CheckIn {
  return {
    id: `qr-${inMinutes}`,
    checkedInAt: minute(inMinutes),
    checkedOutAt: outMinutes === null ? null : minute(outMinutes),
    venueName: "이태원 클럽 A",
    ...at(50),
    ...extra,
  };
}

function stays(checkIns: readonly CheckIn[], options: CheckinStayOptions = {}) {
  return detectCheckinStays("P1", checkIns, options).stays;
}

describe("detectCheckinStays", () => {
  it("spans check-in to check-out", () => {
    const [stay] = stays([checkIn(600, 690)]);

    expect(minutesOf(stay!.startedAt)).toBe(600);
    expect(minutesOf(stay!.lastFixAt)).toBe(690);
    expect(minutesOf(stay!.finishedAt)).toBe(690);
    expect(stay!.timing).toBe("observed");
    expect(stay!.hasCheckOut).toBe(true);
  });

  it("assumes the default dwell without a check-out", () => {
    const [stay] = stays([checkIn(600, null)]);

    expect(stay!.lastFixAt).toBe(stay!.startedAt);
    expect(stay!.observedTo).toBe(minute(600));
    expect(minutesOf(stay!.finishedAt)).toBe(660);
    expect(stay!.timing).toBe("estimated");
    expect(stay!.hasCheckOut).toBe(false);
  });

  it("takes the dwell from the options", () => {
    const [stay] = stays([checkIn(600, null)], { defaultDwellMinutes: 120 });
    expect(minutesOf(stay!.finishedAt)).toBe(720);
  });

  it("names the stay after the venue", () => {
    const [stay] = stays([checkIn(600, 610)]);
    expect(stay!.placeName).toBe("이태원 클럽 A");
  });

  it("uses the default radius", () => {
    const [withDefault, withOwn] = stays([
      checkIn(600, 610),
      checkIn(700, 710, { radiusMeters: 5 }),
    ]);
    expect(withDefault!.radiusMeters).toBe(30);
    expect(withOwn!.radiusMeters).toBe(5);
  });

  it("rejects a check-out before the check-in", () => {
    expect(() => stays([checkIn(600, 590)])).toThrow(
      /checkedOutAt .* check-in at index 0/,
    );
  });

  it("rejects invalid options", () => {
    expect(() => stays([], { defaultDwellMinutes: -1 })).toThrow(RangeError);
    expect(() => stays([], { radiusMeters: Number.NaN })).toThrow(RangeError);
  });
});

describe("check-in golden fixtures", () => {
  it("matches checkin/expected.geojson", async () => {
    const input = readGolden("checkin/input.geojson");
    const checkIns = deepFreeze(input.features.map(checkInOf));
    const before = structuredClone(checkIns);

    const result = detectCheckinStays("P1", checkIns);
    await expectGolden(
      "checkin/expected.geojson",
      sourceStaysToGeoJson(result.stays),
      (actual, expected) => expect(actual).toEqual(expected),
    );
    expect(checkIns).toEqual(before);
  });
});
