import { describe, expect, it } from "vitest";

import type { Movement } from "../api/types.js";
import {
  DATE_ONLY_MARKER_PX,
  markerDiameterPx,
  routeLine,
  stackedMarkerOffsets,
  uncertaintyCircles,
  type PositionedMovement,
} from "./movement-features.js";

function positioned(
  id: string,
  fields: Partial<Movement> = {},
): PositionedMovement {
  return {
    id,
    type: "visit",
    sourceKind: "gps",
    visitDate: null,
    startedAt: "2020-02-08T01:00:00Z",
    endedAt: "2020-02-08T02:00:00Z",
    dwellMinutes: 60,
    latitude: 37.57,
    longitude: 127.01,
    radiusMeters: null,
    placeName: null,
    placeTypes: [],
    address: null,
    area: null,
    flags: [],
    ...fields,
  } as PositionedMovement;
}

describe("markerDiameterPx", () => {
  it("gives date-only visits the fixed size", () => {
    const visit = positioned("a", {
      startedAt: null,
      endedAt: null,
      visitDate: "2020-02-08",
    });
    expect(markerDiameterPx({ ...visit, dwellMinutes: 600 })).toBe(
      DATE_ONLY_MARKER_PX,
    );
  });

  it("grows with dwell time up to a limit", () => {
    const sizes = [0, 30, 120, 480, 10_000].map((dwellMinutes) =>
      markerDiameterPx(positioned("a", { dwellMinutes })),
    );
    expect(sizes).toEqual([14, 22, 30, 44, 44]);
  });
});

describe("routeLine", () => {
  it("joins the positions in the given order", () => {
    const line = routeLine([
      positioned("a", { longitude: 127.0, latitude: 37.5 }),
      positioned("b", { longitude: 127.1, latitude: 37.6 }),
    ]);
    expect(line.features[0]?.geometry.coordinates).toEqual([
      [127.0, 37.5],
      [127.1, 37.6],
    ]);
  });

  it("draws nothing for a single position", () => {
    expect(routeLine([positioned("a")]).features).toEqual([]);
  });
});

describe("uncertaintyCircles", () => {
  it("draws circles only where the radius is known", () => {
    const circles = uncertaintyCircles([
      positioned("a", { radiusMeters: 120 }),
      positioned("b"),
      positioned("c", { radiusMeters: 0 }),
    ]);
    expect(circles.features.map((feature) => feature.properties.id)).toEqual([
      "a",
    ]);
  });
});

describe("stackedMarkerOffsets", () => {
  it("leaves a marker alone at its position in place", () => {
    const offsets = stackedMarkerOffsets([
      positioned("a"),
      positioned("b", { latitude: 37.6 }),
    ]);
    expect(offsets.get("a")).toEqual([0, 0]);
    expect(offsets.get("b")).toEqual([0, 0]);
  });

  it("fans out markers that share a position", () => {
    const offsets = stackedMarkerOffsets([
      positioned("a"),
      positioned("b"),
      positioned("c"),
    ]);
    const values = ["a", "b", "c"].map((id) => offsets.get(id));
    expect(new Set(values.map((value) => JSON.stringify(value))).size).toBe(3);
    for (const value of values) {
      const [x, y] = value ?? [0, 0];
      expect(Math.hypot(x, y)).toBeGreaterThan(10);
    }
  });
});
