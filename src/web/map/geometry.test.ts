import { describe, expect, it } from "vitest";

import { haversineMeters } from "../../analysis/geo/index.js";
import { boundsOf, circlePolygon } from "./geometry.js";

describe("circlePolygon", () => {
  it("puts every vertex at the radius", () => {
    const center = { longitude: 126.978, latitude: 37.5665 };
    const polygon = circlePolygon(center.longitude, center.latitude, 250, 32);
    const ring = polygon.coordinates[0] ?? [];

    expect(ring).toHaveLength(33);
    expect(ring[32]).toEqual(ring[0]);
    for (const [longitude, latitude] of ring) {
      const distance = haversineMeters(center, {
        longitude: longitude as number,
        latitude: latitude as number,
      });
      expect(distance).toBeCloseTo(250, 3);
    }
  });

  it("rejects a radius that is not positive", () => {
    expect(() => circlePolygon(127, 37, 0)).toThrow(RangeError);
    expect(() => circlePolygon(127, 37, Number.NaN)).toThrow(RangeError);
  });
});

describe("boundsOf", () => {
  it("returns the box around the points", () => {
    const points: [number, number][] = [
      [127.01, 37.57],
      [126.99, 37.59],
      [127.06, 37.94],
    ];
    expect(boundsOf(points)).toEqual([126.99, 37.57, 127.06, 37.94]);
  });

  it("returns null without points", () => {
    expect(boundsOf([])).toBeNull();
  });
});
