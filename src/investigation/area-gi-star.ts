import type { MultiPolygon, Polygon } from "geojson";

import { computeGiStar } from "../analysis/hotspots/gi-star/index.js";
import type { StoredRouteStay } from "./store-stays.js";
import { countCasesByLocation } from "./location-counts.js";
import {
  studyAreasOf,
  type AreaLevelIndex,
  type HotspotAreaLevel,
} from "./study-areas.js";

/** Neighbours of an area in Gi*: within a distance of its position, or its k nearest areas. */
export type AreaWeights =
  | {
      readonly kind: "distance-band";
      /** Largest distance between two area positions, inclusive, in metres. */
      readonly bandMeters: number;
    }
  | {
      readonly kind: "k-nearest";
      readonly k: number;
    };

/**
 * Nearest areas of an area unless chosen: 6, as many as the adjacent cells
 * of an H3 cell, so that both units compare a place with a ring of
 * neighbours of about the same size.
 */
export const DEFAULT_AREA_K = 6;

/** Weights of the area searches unless chosen. */
export const DEFAULT_AREA_WEIGHTS: AreaWeights = {
  kind: "k-nearest",
  k: DEFAULT_AREA_K,
};

/** The Gi* statistic of one administrative area, with counts and no persons. */
export interface HotspotArea {
  /** KOSTAT census code. */
  code: string;
  name: string;
  level: HotspotAreaLevel;
  /** The area's position, the one that the weights measure distances from. */
  latitude: number;
  longitude: number;
  /** The area's stored boundary, GeoJSON in WGS 84. */
  geometry: Polygon | MultiPolygon;
  caseCount: number;
  stayCount: number;
  /** Neighbours of the area in the weights, the area itself included. */
  neighborCount: number;
  zScore: number;
  pValue: number;
  /** Benjamini-Hochberg adjusted p-value over every study area. */
  qValue: number;
}

/** Gi* over administrative areas. */
export interface AreaGiStarResult {
  /** Areas with a stay, or significant at `significanceLevel`, highest z-score first. */
  areas: HotspotArea[];
  studyAreaCount: number;
  /** Stays whose centre lies in no stored area of the level, left out of the counts. */
  staysOutsideAreas: number;
}

/**
 * Computes Gi* over the number of distinct cases per administrative area,
 * each stay counted in the area that its `area` label names.
 */
export function computeAreaGiStar(
  stays: readonly StoredRouteStay[],
  index: AreaLevelIndex,
  options: {
    readonly level: HotspotAreaLevel;
    readonly weights: AreaWeights;
    readonly significanceLevel: number;
  },
): AreaGiStarResult {
  const counts = countCasesByLocation(stays, (stay) => stay.area);
  const study = studyAreasOf(index, counts.byLocation.keys());
  if (study.length === 0) {
    return {
      areas: [],
      studyAreaCount: 0,
      staysOutsideAreas: counts.staysWithoutLocation,
    };
  }

  const results = computeGiStar(
    study.map((area) => ({
      id: area.code,
      x: area.longitude,
      y: area.latitude,
      value: counts.byLocation.get(area.code)?.caseCount ?? 0,
    })),
    options.weights.kind === "distance-band"
      ? { kind: "distance-band", bandDistance: options.weights.bandMeters }
      : { kind: "k-nearest", k: options.weights.k },
  );
  const areas = results.flatMap((result, i): HotspotArea[] => {
    const count = counts.byLocation.get(result.id);
    if (count === undefined && result.qValue > options.significanceLevel) {
      return [];
    }
    const area = study[i]!;
    return [
      {
        code: area.code,
        name: area.name,
        level: options.level,
        latitude: area.latitude,
        longitude: area.longitude,
        geometry: area.geometry,
        caseCount: count?.caseCount ?? 0,
        stayCount: count?.stayCount ?? 0,
        neighborCount: result.neighborCount,
        zScore: result.zScore,
        pValue: result.pValue,
        qValue: result.qValue,
      },
    ];
  });
  areas.sort((a, b) => b.zScore - a.zScore || a.code.localeCompare(b.code));
  return {
    areas,
    studyAreaCount: study.length,
    staysOutsideAreas: counts.staysWithoutLocation,
  };
}
