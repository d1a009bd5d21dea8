import { createRequire } from "node:module";

import type { Topology } from "topojson-specification";
import { describe, expect, it } from "vitest";

import { boundsOf } from "./geometry.js";
import { extractKoreaOutline } from "./korea-outline-plugin.js";

const require = createRequire(import.meta.url);

describe("extractKoreaOutline", () => {
  it("keeps only South Korea", () => {
    const topology = require("world-atlas/countries-50m.json") as Topology;
    const outline = extractKoreaOutline(topology);

    expect(outline.features).toHaveLength(1);
    expect(outline.features[0]?.id).toBe("410");

    const geometry = outline.features[0]?.geometry;
    const polygons =
      geometry?.type === "MultiPolygon" ? geometry.coordinates : [];
    const points = polygons.flatMap((polygon) =>
      (polygon[0] ?? []).map(
        ([x, y]) => [x as number, y as number] as [number, number],
      ),
    );
    const [west, south, east, north] = boundsOf(points) ?? [0, 0, 0, 0];
    expect(west).toBeGreaterThan(124);
    expect(east).toBeLessThan(132);
    expect(south).toBeGreaterThan(33);
    expect(north).toBeLessThan(39);
  });
});
