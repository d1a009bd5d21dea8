/// <reference types="vite/client" />

declare module "virtual:korea-outline" {
  import type { FeatureCollection, MultiPolygon, Polygon } from "geojson";

  /** South Korea's land outline from world-atlas, reduced at build time. */
  const outline: FeatureCollection<Polygon | MultiPolygon>;
  export default outline;
}
