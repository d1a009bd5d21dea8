import { describe, expect, it } from "vitest";

import {
  EMPTY_DRAWING,
  parsePolygonText,
  polygonOf,
  polygonTextOf,
} from "./exposure-polygon.js";

const RING = [
  [126.9775, 37.5662],
  [126.9785, 37.5662],
  [126.9785, 37.5668],
  [126.9775, 37.5662],
];

describe("polygonOf", () => {
  it("closes the ring from 3 corners", () => {
    const drawing = {
      vertices: [
        [1, 2],
        [3, 4],
        [5, 6],
      ] as [number, number][],
      holes: [],
    };

    expect(polygonOf(drawing)).toEqual({
      type: "Polygon",
      coordinates: [
        [
          [1, 2],
          [3, 4],
          [5, 6],
          [1, 2],
        ],
      ],
    });
  });

  it("returns null below 3 corners", () => {
    const drawing = { vertices: [[1, 2]] as [number, number][], holes: [] };

    expect(polygonOf(drawing)).toBeNull();
    expect(polygonTextOf(drawing)).toBe("");
    expect(polygonOf(EMPTY_DRAWING)).toBeNull();
  });
});

describe("parsePolygonText", () => {
  it("reads a polygon and a feature", () => {
    const polygon = { type: "Polygon", coordinates: [RING] };
    const feature = { type: "Feature", properties: {}, geometry: polygon };

    for (const value of [polygon, feature]) {
      const parsed = parsePolygonText(JSON.stringify(value));
      expect(parsed).toEqual({
        drawing: { vertices: RING.slice(0, 3), holes: [] },
      });
    }
  });

  it("keeps holes after the outer ring", () => {
    const hole = [
      [126.978, 37.5663],
      [126.9781, 37.5663],
      [126.978, 37.5664],
      [126.978, 37.5663],
    ];
    const parsed = parsePolygonText(
      JSON.stringify({ type: "Polygon", coordinates: [RING, hole] }),
    );

    expect("drawing" in parsed).toBe(true);
    if ("drawing" in parsed) {
      expect(parsed.drawing.holes).toEqual([hole]);
    }
  });

  it("names what is wrong", () => {
    const cases: [string, string][] = [
      ["{", "notJson"],
      [JSON.stringify({ type: "Point", coordinates: [1, 2] }), "notPolygon"],
      [
        JSON.stringify({ type: "Polygon", coordinates: [[[1, "2"]]] }),
        "notPolygon",
      ],
      [
        JSON.stringify({ type: "Polygon", coordinates: [RING.slice(0, 3)] }),
        "tooFew",
      ],
      [
        JSON.stringify({
          type: "Polygon",
          coordinates: [[...RING.slice(0, 3), [0, 0]]],
        }),
        "notClosed",
      ],
    ];
    for (const [text, error] of cases) {
      expect(parsePolygonText(text), text).toEqual({ error });
    }
  });
});
