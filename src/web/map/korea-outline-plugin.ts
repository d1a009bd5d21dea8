import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

import type { FeatureCollection, MultiPolygon, Polygon } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import type { Plugin } from "vite";

const VIRTUAL_ID = "virtual:korea-outline";
const RESOLVED_ID = `\0${VIRTUAL_ID}`;

/** ISO 3166-1 numeric code of the Republic of Korea, the feature id in world-atlas. */
const SOUTH_KOREA_ID = "410";

/**
 * Serves `virtual:korea-outline`: South Korea's outline taken from
 * world-atlas at build time, so the browser loads one country (about 10 kB of GeoJSON)
 * and not the whole 50m world file (about 4 MB as GeoJSON).
 */
export function koreaOutlinePlugin(): Plugin {
  return {
    name: "epitrace-korea-outline",
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : null;
    },
    async load(id) {
      if (id !== RESOLVED_ID) {
        return null;
      }
      const require = createRequire(import.meta.url);
      const file = require.resolve("world-atlas/countries-50m.json");
      const topology = JSON.parse(await readFile(file, "utf8")) as Topology;
      return `export default ${JSON.stringify(extractKoreaOutline(topology))};`;
    },
  };
}

/** Converts the world-atlas countries topology to GeoJSON and keeps South Korea only. */
export function extractKoreaOutline(
  topology: Topology,
): FeatureCollection<Polygon | MultiPolygon> {
  const countries = topology.objects["countries"];
  if (countries === undefined || countries.type !== "GeometryCollection") {
    throw new Error(
      "world-atlas topology has no 'countries' GeometryCollection; check the world-atlas version.",
    );
  }

  const collection = feature(topology, countries as GeometryCollection);
  const features = collection.features.flatMap((item) => {
    const geometry = item.geometry;
    const isArea =
      geometry.type === "Polygon" || geometry.type === "MultiPolygon";
    if (String(item.id) !== SOUTH_KOREA_ID || !isArea) {
      return [];
    }
    return [
      {
        type: "Feature" as const,
        id: SOUTH_KOREA_ID,
        properties: {},
        geometry,
      },
    ];
  });

  if (features.length === 0) {
    throw new Error(
      `world-atlas has no country with id ${SOUTH_KOREA_ID} (South Korea).`,
    );
  }
  return { type: "FeatureCollection", features };
}
