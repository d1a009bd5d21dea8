import { describe, expect, it } from "vitest";

import { haversineMeters } from "../geo/index.js";
import { sourceStaysToGeoJson } from "./geojson.js";
import {
  detectGpsStays,
  type GpsFix,
  type GpsStayOptions,
} from "./gps-stays.js";
import {
  at,
  deepFreeze,
  expectGolden,
  gpsFixOf,
  minute,
  minutesOf,
  readGolden,
} from "./testing.js";

/** Builds a fix `minutes` after midnight of the test day, in metres from the origin. */
function fix(
  minutes: number,
  eastMeters = 0,
  northMeters = 0,
  accuracyMeters?: number,
): GpsFix {
  return {
    id: `fix-${minutes}`,
    trackedAt: minute(minutes),
    ...at(eastMeters, northMeters),
    ...(accuracyMeters === undefined ? {} : { accuracyMeters }),
  };
}

function stays(fixes: readonly GpsFix[], options: GpsStayOptions = {}) {
  return detectGpsStays("P1", fixes, options).stays;
}

describe("detectGpsStays", () => {
  it("returns no stays for an empty track", () => {
    expect(stays([])).toEqual([]);
  });

  it("keeps jitter inside the radius as one stay", () => {
    const track = [
      fix(0, 0, 0),
      fix(1, 30, -20),
      fix(2, -25, 15),
      fix(3, 10, 35),
      fix(4, -30, -30),
      fix(5, 20, 10),
      fix(6, 600),
    ];
    const [stay, ...others] = stays(track);

    expect(others).toHaveLength(0);
    expect(stay!.fixCount).toBe(6);
    expect(stay!.jitterFixCount).toBe(0);
    expect(minutesOf(stay!.startedAt)).toBe(0);
    expect(minutesOf(stay!.lastFixAt)).toBe(5);
  });

  it("ends the certain part at the last fix inside", () => {
    const [stay] = stays([fix(0), fix(4), fix(8), fix(11, 500)]);

    expect(minutesOf(stay!.lastFixAt)).toBe(8);
    expect(minutesOf(stay!.observedTo)).toBe(8);
    expect(minutesOf(stay!.finishedAt)).toBe(11);
    expect(stay!.endedBy).toBe("leaving_fix");
  });

  it("closes the stay at a gap", () => {
    const track = [fix(0), fix(5), fix(10), fix(40), fix(44), fix(47, 500)];
    const [beforeGap, afterGap, ...others] = stays(track);

    expect(others).toHaveLength(0);
    expect(minutesOf(beforeGap!.startedAt)).toBe(0);
    expect(minutesOf(beforeGap!.lastFixAt)).toBe(10);
    expect(minutesOf(beforeGap!.finishedAt)).toBe(10);
    expect(beforeGap!.endedBy).toBe("gap");
    expect(minutesOf(afterGap!.startedAt)).toBe(40);
    expect(minutesOf(afterGap!.finishedAt)).toBe(47);
  });

  it("keeps a stay whose leaving fix follows a gap", () => {
    const [stay, ...others] = stays([fix(0), fix(10), fix(30, 500)]);

    expect(others).toHaveLength(0);
    expect(minutesOf(stay!.lastFixAt)).toBe(10);
    expect(stay!.endedBy).toBe("gap");
  });

  it("drops a stay shorter than the threshold before a gap", () => {
    expect(stays([fix(0), fix(4), fix(30, 500)])).toHaveLength(0);
  });

  it("closes at a gap right after the first fix", () => {
    const track = [fix(0), fix(20), fix(21), fix(27), fix(28, 500)];
    const withThreshold = stays(track);
    const withoutThreshold = stays(track, { timeThresholdMinutes: 0 });

    expect(withThreshold.map((stay) => minutesOf(stay.startedAt))).toEqual([
      20,
    ]);
    expect(withoutThreshold.map((stay) => minutesOf(stay.startedAt))).toEqual([
      0, 20, 28,
    ]);
    expect(withoutThreshold[0]!.fixCount).toBe(1);
    expect(withoutThreshold[0]!.finishedAt).toBe(minute(0));
    expect(withoutThreshold[0]!.endedBy).toBe("gap");
  });

  it("keeps the last stay of the track", () => {
    const [first, last, ...others] = stays([
      fix(0),
      fix(6),
      fix(7, 500),
      fix(12, 505),
      fix(14, 500),
    ]);

    expect(others).toHaveLength(0);
    expect(minutesOf(first!.finishedAt)).toBe(7);
    expect(minutesOf(last!.startedAt)).toBe(7);
    expect(minutesOf(last!.lastFixAt)).toBe(14);
    expect(last!.finishedAt).toBe(last!.lastFixAt);
    expect(last!.endedBy).toBe("track_end");
  });

  it("drops a last stay shorter than the threshold", () => {
    expect(stays([fix(0), fix(6), fix(7, 500), fix(11, 505)])).toHaveLength(1);
  });

  it("joins two stays around one jitter fix", () => {
    const track = [
      fix(0),
      fix(1),
      fix(2),
      fix(3, 400),
      fix(4, 5),
      fix(5),
      fix(10, 5),
      fix(11, 800),
    ];
    const [stay, ...others] = stays(track, { timeThresholdMinutes: 2 });

    expect(others).toHaveLength(0);
    expect(stay!.jitterFixCount).toBe(1);
    expect(stay!.fixCount).toBe(6);
    expect(stay!.recordIds).not.toContain("fix-3");
    expect(minutesOf(stay!.startedAt)).toBe(0);
    expect(minutesOf(stay!.finishedAt)).toBe(11);
  });

  it("drops a jitter fix that formed a stay of its own", () => {
    const track = [
      fix(0),
      fix(5),
      fix(10),
      fix(15, 2000),
      fix(20, 5),
      fix(25),
      fix(30, 800),
    ];
    const [stay, ...others] = stays(track);

    expect(others).toHaveLength(0);
    expect(stay!.jitterFixCount).toBe(1);
    expect(stay!.fixCount).toBe(5);
  });

  it("keeps an excursion of two fixes", () => {
    const track = [
      fix(0),
      fix(5),
      fix(10),
      fix(15, 400),
      fix(20, 400),
      fix(25),
      fix(30),
      fix(35, 800),
    ];
    expect(stays(track)).toHaveLength(3);
  });

  it("adds the median accuracy to the spread", () => {
    const track = [
      fix(0, -20, 0, 5),
      fix(3, 20, 0, 8),
      fix(6, 0, 0, 100),
      fix(9, 500),
    ];
    const [stay] = stays(track);

    expect(stay!.spreadMeters).toBeCloseTo(20, 3);
    expect(stay!.accuracyMeters).toBe(8);
    expect(stay!.radiusMeters).toBeCloseTo(28, 3);
  });

  it("assumes the default accuracy", () => {
    const [stay] = stays([fix(0), fix(6), fix(7, 500)], {
      defaultAccuracyMeters: 25,
    });
    expect(stay!.accuracyMeters).toBe(25);
    expect(stay!.radiusMeters).toBe(25);
  });

  it("counts a repeated fix once", () => {
    const [stay] = stays([fix(0), fix(0), fix(3), fix(6, 500)]);
    expect(stay!.fixCount).toBe(2);
  });

  it("sorts the fixes by time", () => {
    const sorted = [fix(0), fix(2, 5), fix(4, 0, 5), fix(9, 300)];
    const shuffled = [sorted[2]!, sorted[0]!, sorted[3]!, sorted[1]!];
    expect(stays(shuffled)).toEqual(stays(sorted));
  });

  it("matches the stay centre to the fixes", () => {
    const [stay] = stays([fix(0, 0, 0), fix(5, 0, 40), fix(9, 500)]);
    const centre = { latitude: stay!.latitude, longitude: stay!.longitude };
    expect(haversineMeters(centre, at(0, 20))).toBeLessThan(0.01);
  });

  it("rejects invalid options", () => {
    const invalid: GpsStayOptions[] = [
      { distThresholdMeters: -1 },
      { timeThresholdMinutes: Number.NaN },
      { gapThresholdMinutes: Number.POSITIVE_INFINITY },
      { defaultAccuracyMeters: -2 },
    ];
    for (const options of invalid) {
      expect(() => stays([fix(0)], options)).toThrow(RangeError);
    }
  });

  it("rejects invalid fixes", () => {
    const base = fix(0);
    const invalid: GpsFix[] = [
      { ...base, latitude: 91 },
      { ...base, longitude: -181 },
      { ...base, trackedAt: Number.NaN },
      { ...base, accuracyMeters: -1 },
    ];
    for (const bad of invalid) {
      expect(() => stays([base, bad])).toThrow(/GPS fix at index 1/);
    }
  });

  it("leaves the input unchanged", () => {
    const track = deepFreeze([fix(3), fix(0), fix(0), fix(9, 500)]);
    const before = structuredClone(track);

    expect(() => stays(track)).not.toThrow();
    expect(track).toEqual(before);
  });
});

describe("GPS golden fixtures", () => {
  // The track starts with a lone fix 20 minutes before the next one, a gap
  // longer than the 15-minute gap threshold right after the first fix.
  const cases: [string, GpsStayOptions][] = [
    ["gps/expected.geojson", {}],
    ["gps/expected-no-time-threshold.geojson", { timeThresholdMinutes: 0 }],
  ];
  for (const [name, options] of cases) {
    it(`matches ${name}`, async () => {
      const input = readGolden("gps/input.geojson");
      const fixes = deepFreeze(input.features.map(gpsFixOf));
      const before = structuredClone(fixes);

      const result = detectGpsStays("P1", fixes, options);
      await expectGolden(
        name,
        sourceStaysToGeoJson(result.stays),
        (actual, expected) => expect(actual).toEqual(expected),
      );
      expect(fixes).toEqual(before);
    });
  }
});
