import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import type { MultiPolygon, Polygon } from "geojson";
import { describe, expect, it } from "vitest";

import { representativePoint } from "./representative-point.js";

const square: Polygon = {
  type: "Polygon",
  coordinates: [
    [
      [127, 37],
      [127.02, 37],
      [127.02, 37.02],
      [127, 37.02],
      [127, 37],
    ],
  ],
};

/** A C opening to the east, whose centroid lies in the opening. */
const crescent: Polygon = {
  type: "Polygon",
  coordinates: [
    [
      [127, 37],
      [127.03, 37],
      [127.03, 37.01],
      [127.01, 37.01],
      [127.01, 37.02],
      [127.03, 37.02],
      [127.03, 37.03],
      [127, 37.03],
      [127, 37],
    ],
  ],
};

describe("representativePoint", () => {
  it("returns the centroid of a square", () => {
    const point = representativePoint(square);

    expect(point.longitude).toBeCloseTo(127.01, 10);
    expect(point.latitude).toBeCloseTo(37.01, 10);
  });

  it("stays inside a crescent", () => {
    const point = representativePoint(crescent);

    expect(
      booleanPointInPolygon([point.longitude, point.latitude], crescent),
    ).toBe(true);
  });

  it("uses the largest polygon", () => {
    const islands: MultiPolygon = {
      type: "MultiPolygon",
      coordinates: [
        [
          [
            [126, 35],
            [126.001, 35],
            [126.001, 35.001],
            [126, 35],
          ],
        ],
        square.coordinates,
      ],
    };

    const point = representativePoint(islands);

    expect(point.longitude).toBeCloseTo(127.01, 10);
    expect(point.latitude).toBeCloseTo(37.01, 10);
  });
});
