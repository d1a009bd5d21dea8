import { describe, expect, it } from "vitest";

import { haversineMeters } from "../geo/index.js";
import { speedMetersPerSecond } from "./base-station-clean.js";
import {
  detectBaseStationStays,
  type BaseStationStayOptions,
  type CellRecord,
} from "./base-station-stays.js";
import { sourceStaysToGeoJson } from "./geojson.js";
import {
  at,
  deepFreeze,
  expectGolden,
  cellRecordOf,
  minute,
  minutesOf,
  readGolden,
} from "./testing.js";

/** Builds a record of cell `cellId` at `eastMeters` east of the origin. */
function cell(
  minutes: number,
  cellId: string,
  eastMeters: number,
  radiusMeters = 300,
  northMeters = 0,
): CellRecord {
  return {
    id: `${cellId}@${minutes}`,
    observedAt: minute(minutes),
    cellId,
    ...at(eastMeters, northMeters),
    radiusMeters,
  };
}

function detect(
  records: readonly CellRecord[],
  options: BaseStationStayOptions = {},
) {
  return detectBaseStationStays("P1", records, options);
}

const CHECK = { maxSpeedMetersPerSecond: 200 / 3.6, timeResolutionSeconds: 1 };

describe("speedMetersPerSecond", () => {
  it("stays finite at one instant", () => {
    const speed = speedMetersPerSecond(
      cell(0, "A", 0, 100),
      cell(0, "B", 5000, 100),
      CHECK,
    );
    expect(Number.isFinite(speed)).toBe(true);
    expect(speed).toBeCloseTo(4800, 0);
  });

  it("returns zero for overlapping cells at one instant", () => {
    const speed = speedMetersPerSecond(
      cell(0, "A", 0, 300),
      cell(0, "B", 500, 300),
      CHECK,
    );
    expect(speed).toBe(0);
  });

  it("subtracts both radii", () => {
    const speed = speedMetersPerSecond(
      cell(0, "A", 0, 1000),
      cell(1, "B", 3000, 500),
      CHECK,
    );
    expect(speed).toBeCloseTo(1500 / 60, 3);
  });
});

describe("detectBaseStationStays cleaning", () => {
  it("leaves out a record too fast from both neighbours", () => {
    const records = [
      cell(0, "A", 0),
      cell(10, "A", 0),
      cell(11, "FAR", 30_000),
      cell(12, "A", 0),
      cell(30, "A", 0),
    ];
    const { stays, excluded } = detect(records);

    expect(excluded.map((record) => record.recordId)).toEqual(["FAR@11"]);
    expect(excluded[0]!.reason).toBe("speed_outlier");
    expect(excluded[0]!.detail).toMatch(/km\/h from the previous record/);
    expect(stays).toHaveLength(1);
    expect(stays[0]!.recordIds).not.toContain("FAR@11");
  });

  it("keeps a record too fast from one neighbour only", () => {
    const records = [
      cell(0, "A", 0),
      cell(10, "A", 0),
      cell(20, "B", 60_000),
      cell(40, "B", 60_000),
    ];
    expect(detect(records).excluded).toHaveLength(0);
  });

  it("never computes NaN speeds at one instant", () => {
    const records = [
      cell(0, "A", 0),
      cell(0, "A", 0),
      cell(0, "FAR", 40_000),
      cell(0, "A", 0),
      cell(10, "A", 0),
    ];
    const { stays, excluded } = detect(records);

    expect(excluded.map((record) => record.recordId)).toEqual(["FAR@0"]);
    expect(excluded[0]!.detail).not.toMatch(/NaN|Infinity/);
    expect(stays).toHaveLength(1);
    expect(stays[0]!.recordCount).toBe(4);
  });

  it("leaves out a first record off the track", () => {
    const records = [cell(0, "FAR", 50_000), cell(1, "A", 0), cell(10, "A", 0)];
    expect(detect(records).excluded.map((record) => record.recordId)).toEqual([
      "FAR@0",
    ]);
  });

  it("leaves out a last record off the track", () => {
    const records = [
      cell(0, "A", 0),
      cell(10, "A", 0),
      cell(11, "FAR", 50_000),
    ];
    expect(detect(records).excluded.map((record) => record.recordId)).toEqual([
      "FAR@11",
    ]);
  });

  it("keeps both records of a pair", () => {
    const records = [cell(0, "A", 0), cell(1, "FAR", 50_000)];
    expect(detect(records).excluded).toHaveLength(0);
  });
});

describe("detectBaseStationStays grouping", () => {
  it("merges cells within the merge distance", () => {
    const records = [
      cell(0, "A", 0, 200),
      cell(10, "B", 400, 100),
      cell(20, "A", 0, 200),
      cell(30, "B", 400, 100),
    ];
    const [stay, ...others] = detect(records).stays;

    expect(others).toHaveLength(0);
    expect(stay!.cellIds).toEqual(["A", "B"]);
    expect(haversineMeters(stay!, at(200))).toBeLessThan(0.5);
    expect(stay!.radiusMeters).toBeCloseTo(400, 0);
  });

  it("covers each cell's own radius", () => {
    const records = [cell(0, "A", 0, 1000), cell(10, "B", 300, 50)];
    const [stay] = detect(records).stays;
    expect(stay!.radiusMeters).toBeCloseTo(1150, 0);
  });

  it("starts a new stay beyond the merge distance of any cell", () => {
    const records = [
      cell(0, "A", 0),
      cell(10, "B", 300),
      cell(20, "C", 600),
      cell(30, "C", 600),
    ];
    const stays = detect(records).stays;

    expect(stays.map((stay) => stay.cellIds)).toEqual([["A", "B"], ["C"]]);
    expect(minutesOf(stays[0]!.finishedAt)).toBe(20);
  });

  it("keeps a handover back and forth in one stay", () => {
    const records = [
      cell(0, "A", 0, 1000),
      cell(5, "B", 1200, 1000),
      cell(6, "A", 0, 1000),
      cell(20, "B", 1200, 1000),
      cell(21, "A", 0, 1000),
      cell(40, "A", 0, 1000),
    ];
    const [stay, ...others] = detect(records).stays;

    expect(others).toHaveLength(0);
    expect(stay!.cellIds).toEqual(["A"]);
    expect(stay!.handoverCellIds).toEqual(["B"]);
    expect(stay!.recordCount).toBe(6);
    expect(minutesOf(stay!.lastFixAt)).toBe(40);
  });

  it("splits a long run on the other cell", () => {
    const records = [
      cell(0, "A", 0, 1000),
      cell(10, "B", 1200, 1000),
      cell(40, "B", 1200, 1000),
      cell(50, "A", 0, 1000),
      cell(70, "A", 0, 1000),
    ];
    expect(detect(records).stays.map((stay) => stay.cellIds)).toEqual([
      ["A"],
      ["B"],
      ["A"],
    ]);
  });

  it("splits at a cell whose coverage does not overlap", () => {
    const records = [
      cell(0, "A", 0, 200),
      cell(10, "A", 0, 200),
      cell(11, "B", 3000, 200),
      cell(12, "A", 0, 200),
      cell(30, "A", 0, 200),
    ];
    const stays = detect(records, { minimumDwellMinutes: 0 }).stays;
    expect(stays.map((stay) => stay.cellIds)).toEqual([["A"], ["B"], ["A"]]);
  });

  it("drops cells passed on the way", () => {
    const records = [
      cell(0, "A", 0),
      cell(20, "A", 0),
      cell(22, "T1", 2000),
      cell(24, "T2", 4000),
      cell(26, "C", 6000),
      cell(50, "C", 6000),
    ];
    const stays = detect(records).stays;

    expect(stays.map((stay) => stay.cellIds)).toEqual([["A"], ["C"]]);
    expect(minutesOf(stays[0]!.finishedAt)).toBe(22);
    expect(minutesOf(stays[1]!.startedAt)).toBe(26);
  });

  it("keeps the last stay to its last record", () => {
    const [stay] = detect([cell(0, "A", 0), cell(30, "A", 0)]).stays;
    expect(stay!.finishedAt).toBe(stay!.lastFixAt);
  });

  it("keeps a lone record followed by a long silence", () => {
    const records = [
      cell(0, "A", 0),
      cell(180, "B", 5000),
      cell(200, "B", 5000),
    ];
    const [home] = detect(records).stays;

    expect(home!.startedAt).toBe(home!.lastFixAt);
    expect(minutesOf(home!.finishedAt)).toBe(180);
  });

  it("rejects invalid options", () => {
    const invalid: BaseStationStayOptions[] = [
      { timeResolutionSeconds: 0 },
      { maxSpeedKilometersPerHour: -1 },
      { mergeDistanceMeters: Number.NaN },
    ];
    for (const options of invalid) {
      expect(() => detect([cell(0, "A", 0)], options)).toThrow(RangeError);
    }
  });

  it("rejects invalid records", () => {
    const base = cell(0, "A", 0);
    const invalid: CellRecord[] = [
      { ...base, latitude: -91 },
      { ...base, observedAt: Number.NaN },
      { ...base, radiusMeters: -5 },
    ];
    for (const bad of invalid) {
      expect(() => detect([base, bad])).toThrow(
        /base-station record at index 1/,
      );
    }
  });

  it("leaves the input unchanged", () => {
    const records = deepFreeze([
      cell(10, "A", 0),
      cell(0, "A", 0),
      cell(11, "FAR", 90_000),
      cell(20, "A", 0),
    ]);
    const before = structuredClone(records);

    expect(() => detect(records)).not.toThrow();
    expect(records).toEqual(before);
  });
});

describe("base-station golden fixtures", () => {
  it("matches base-station/expected.geojson", async () => {
    const input = readGolden("base-station/input.geojson");
    const records = deepFreeze(input.features.map(cellRecordOf));
    const before = structuredClone(records);

    const { stays, excluded } = detect(records);
    const outliers = excluded.map((record) => ({
      ...record,
      recordedAt: new Date(record.recordedAt).toISOString(),
    }));
    const actual = { ...sourceStaysToGeoJson(stays), excluded: outliers };
    await expectGolden(
      "base-station/expected.geojson",
      actual,
      (actual, golden) => expect(actual).toEqual(golden),
    );
    expect(records).toEqual(before);
  });
});
