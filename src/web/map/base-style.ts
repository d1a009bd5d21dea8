import type { FeatureCollection, MultiPolygon, Polygon } from "geojson";
import type { StyleSpecification } from "maplibre-gl";

import type { AreaCollection } from "../api/types.js";

export interface BaseLayers {
  koreaOutline: FeatureCollection<Polygon | MultiPolygon>;
  provinces: AreaCollection;
  municipalities: AreaCollection;
}

/**
 * Builds the offline base map: sea, South Korea's land and the imported
 * administrative boundaries. It has no glyphs, sprite or tile URL, so the map
 * loads nothing beyond the data given here.
 */
export function buildOfflineStyle(base: BaseLayers): StyleSpecification {
  return {
    version: 8,
    name: "epitrace offline",
    sources: {
      korea: { type: "geojson", data: base.koreaOutline },
      provinces: { type: "geojson", data: base.provinces },
      municipalities: { type: "geojson", data: base.municipalities },
    },
    layers: [
      {
        id: "sea",
        type: "background",
        paint: { "background-color": "#dce4ea" },
      },
      {
        id: "korea-land",
        type: "fill",
        source: "korea",
        paint: { "fill-color": "#f6f5f1" },
      },
      {
        id: "municipality-boundaries",
        type: "line",
        source: "municipalities",
        minzoom: 7,
        paint: { "line-color": "#c9c6bd", "line-width": 0.6 },
      },
      {
        id: "province-boundaries",
        type: "line",
        source: "provinces",
        paint: { "line-color": "#9c988c", "line-width": 1.1 },
      },
      {
        id: "korea-coast",
        type: "line",
        source: "korea",
        paint: { "line-color": "#8fa3b3", "line-width": 0.8 },
      },
    ],
  };
}
