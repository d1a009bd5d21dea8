import { describe, expect, it } from "vitest";

import { boundsExtentMeters, checkPolygon, polygonBounds } from "./index.js";

/** A square of about 90 m by 110 m near Seoul City Hall. */
const SQUARE = {
  type: "Polygon",
  coordinates: [
    [
      [126.978, 37.566],
      [126.979, 37.566],
      [126.979, 37.567],
      [126.978, 37.567],
      [126.978, 37.566],
    ],
  ],
};

describe("checkPolygon", () => {
  it("returns a valid polygon", () => {
    expect(checkPolygon(SQUARE)).toBe(SQUARE);
  });

  it("rejects invalid polygons", () => {
    const cases: [unknown, RegExp][] = [
      [{ type: "Point", coordinates: [126.9, 37.5] }, /"type": "Polygon"/],
      [null, /"type": "Polygon"/],
      [{ type: "Polygon", coordinates: [] }, /non-empty list of rings/],
      [
        { type: "Polygon", coordinates: [SQUARE.coordinates[0]!.slice(1)] },
        /ring 0 is not closed/,
      ],
      [
        {
          type: "Polygon",
          coordinates: [
            [
              [126.978, 37.566],
              [126.979, 37.566],
              [126.978, 37.566],
            ],
          ],
        },
        /ring 0 has 3 positions, but a closed ring needs at least 4/,
      ],
      [
        {
          type: "Polygon",
          coordinates: [
            [
              [37.566, 126.978],
              [37.566, 126.979],
              [37.567, 126.979],
              [37.566, 126.978],
            ],
          ],
        },
        /latitude 126.978 at position 0 of ring 0 is outside \[-90, 90\]/,
      ],
      [
        {
          type: "Polygon",
          coordinates: [
            [
              [200, 37.566],
              [126.979, 37.566],
              [126.979, 37.567],
              [200, 37.566],
            ],
          ],
        },
        /longitude 200 at position 0 of ring 0 is outside \[-180, 180\]/,
      ],
      [
        {
          type: "Polygon",
          coordinates: [
            [
              [126.978, "37.566"],
              [126.979, 37.566],
              [126.979, 37.567],
              [126.978, "37.566"],
            ],
          ],
        },
        /position 0 of ring 0 must be \[longitude, latitude\]/,
      ],
    ];
    for (const [value, message] of cases) {
      expect(() => checkPolygon(value)).toThrow(message);
    }
  });
});

describe("polygonBounds", () => {
  it("measures the box of the outer ring", () => {
    const bounds = polygonBounds(checkPolygon(SQUARE));
    const extent = boundsExtentMeters(bounds);

    expect(bounds).toEqual({
      minLatitude: 37.566,
      maxLatitude: 37.567,
      minLongitude: 126.978,
      maxLongitude: 126.979,
    });
    expect(extent.widthMeters).toBeCloseTo(88.2, 0);
    expect(extent.heightMeters).toBeCloseTo(111.2, 0);
  });
});
