import { describe, expect, it } from "vitest";

import type { Movement } from "../cases/index.js";
import { movementsToCsv, movementsToGeoJson } from "./formats.js";

function movement(overrides: Partial<Movement>): Movement {
  return {
    id: "record-1",
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
    ...overrides,
  };
}

describe("movements as CSV", () => {
  it("writes Seoul times and quotes commas", () => {
    const csv = movementsToCsv("C-1", [
      movement({
        startedAt: Date.parse("2020-02-01T00:30:00Z"),
        placeName: "Bakery, Mapo",
        latitude: 37.5,
        longitude: 127,
      }),
    ]);
    const [header, row] = csv.replace(/^\uFEFF/, "").split("\r\n");

    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(header?.split(",")[5]).toBe("started_at");
    expect(row?.split(",")[5]).toBe("2020-02-01T09:30:00+09:00");
    expect(row).toContain('"Bakery, Mapo"');
  });

  it("defuses cells read as formulas", () => {
    const csv = movementsToCsv("=1+1", [
      movement({ placeName: "@SUM(A1)", address: "-2" }),
    ]);
    const row = csv.split("\r\n")[1] ?? "";

    expect(row.startsWith("'=1+1,1,")).toBe(true);
    expect(row).toContain(",'@SUM(A1),");
    expect(row).toContain(",'-2,");
  });

  it("writes only the header without movements", () => {
    expect(movementsToCsv("C-1", []).split("\r\n")).toHaveLength(2);
  });
});

describe("movements as GeoJSON", () => {
  it("keeps a movement without position in order", () => {
    const collection = JSON.parse(
      movementsToGeoJson("C-1", [
        movement({ id: "a", latitude: 37.5, longitude: 127 }),
        movement({ id: "b", visitDate: "2020-02-02" }),
      ]),
    ) as {
      features: {
        id: string;
        geometry: unknown;
        properties: { ordinal: number };
      }[];
    };

    expect(collection.features.map((feature) => feature.id)).toEqual([
      "a",
      "b",
    ]);
    expect(collection.features[0]?.geometry).toEqual({
      type: "Point",
      coordinates: [127, 37.5],
    });
    expect(collection.features[1]?.geometry).toBeNull();
    expect(collection.features[1]?.properties.ordinal).toBe(2);
  });
});
