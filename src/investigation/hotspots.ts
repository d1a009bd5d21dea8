import { cellToBoundary, cellToLatLng, latLngToCell } from "h3-js";

import { withPersonalDataSearch, type AccessContext } from "../access/index.js";
import {
  DEFAULT_H3_GI_STAR_OPTIONS,
  computeH3GiStar,
} from "../analysis/hotspots/gi-star/index.js";
import type { Stay } from "../analysis/stays/index.js";
import { seoulDateOf } from "../domain/index.js";
import { AppError } from "../errors.js";
import {
  findCaseCoLocations,
  type CoLocationPlace,
} from "./co-location-places.js";
import {
  computeAreaGiStar,
  DEFAULT_AREA_WEIGHTS,
  type AreaWeights,
  type HotspotArea,
} from "./area-gi-star.js";
import {
  checkWindowDates,
  dateRangeOf,
  touches,
  windowOf,
  type DataRange,
} from "./day-window.js";
import { countCasesByLocation } from "./location-counts.js";
import {
  DEFAULT_HOTSPOT_AREA_LEVEL,
  checkUnitOptions,
  loadCaseStays,
  type HotspotAreaLevel,
} from "./study-areas.js";

/** Adjusted p-value up to which a cell without stays is still listed, as a significant neighbour of busy cells. */
export const SIGNIFICANCE_LEVEL = 0.05;

export type HotspotMethod = "gi-star" | "co-location";

/** Spatial unit that Gi* counts stays in: H3 cells or stored administrative areas. */
export type HotspotUnit = "h3" | "area";

/** The method, window and grid of a hotspot search. */
export interface HotspotQuery {
  method: HotspotMethod;
  /** First Seoul day of the window, `YYYY-MM-DD`; default the first day with a stay. */
  from?: string;
  /** Last Seoul day of the window, inclusive; default the last day with a stay. */
  to?: string;
  /** H3 resolution of the Gi* cells, 0 to 15. Default 8. */
  resolution?: number;
  /** Whether Gi* counts stays on the H3 grid or per administrative area. Default `h3`. */
  unit?: HotspotUnit;
  /** Level of the areas for `unit: "area"`. Default `DEFAULT_HOTSPOT_AREA_LEVEL`. */
  areaLevel?: HotspotAreaLevel;
  /** Neighbours of an area for `unit: "area"`. Default `DEFAULT_AREA_WEIGHTS`. */
  weights?: AreaWeights;
  /** Whether co-location counts persons who share only a Seoul day with a case at a place. Default true, as DS4C visits are known only to the day. */
  includeDayLevel?: boolean;
}

/** The Gi* statistic of one H3 cell, with counts and no persons. */
export interface HotspotCell {
  cell: string;
  latitude: number;
  longitude: number;
  /** The cell's outline as GeoJSON positions, [longitude, latitude], first position repeated last. */
  boundary: [number, number][];
  /** Cases with at least one stay in the cell during the window: the value that Gi* tests. */
  caseCount: number;
  stayCount: number;
  zScore: number;
  pValue: number;
  /** Benjamini-Hochberg adjusted p-value over every cell of the study area. */
  qValue: number;
}

/** A hotspot search result: cells or places with counts, never persons. */
export interface AreaHotspots {
  method: HotspotMethod;
  /** The window searched, as Seoul days; null when there are no stays at all. */
  from: string | null;
  to: string | null;
  /** First and last Seoul day with a stay of a case in scope, for choosing a window. */
  dataRange: DataRange;
  resolution: number;
  unit: HotspotUnit;
  /** Level of the areas, or null on the H3 grid. */
  areaLevel: HotspotAreaLevel | null;
  /** Neighbours of an area, or null on the H3 grid. */
  weights: AreaWeights | null;
  /** Cases in scope with a stay in the window. */
  caseCount: number;
  /** Stays of those cases in the window. */
  stayCount: number;
  /** Gi* cells with a stay, or significant at `SIGNIFICANCE_LEVEL`; empty for co-location. */
  cells: HotspotCell[];
  /** Cells of the Gi* study area, the empty ring around busy cells included. */
  studyCellCount: number;
  /** Gi* areas with a stay, or significant at `SIGNIFICANCE_LEVEL`; empty unless `unit` is `area`. */
  areas: HotspotArea[];
  /** Areas of the Gi* study area: every stored area of the level in the provinces with a stay. */
  studyAreaCount: number;
  /** Stays in the window that lie in no stored area of the level, left out of the area counts. */
  staysOutsideAreas: number;
  /** Co-location places, most persons first; empty for Gi*. */
  places: CoLocationPlace[];
  /** Cases left out of the co-location search because their dates fix no infectious period. */
  casesWithoutPeriod: number;
  /** Number of cells, areas or places returned. */
  total: number;
}

/**
 * Finds hotspots over the stays and visits of the cases of the caller's
 * jurisdiction (every case for the national agency) during a window of
 * Seoul days, by Gi* on H3 cells or administrative areas, or by
 * co-location. Writes one audit event with the query and the number of
 * cells, areas or places.
 */
export function findAreaHotspots(
  context: AccessContext,
  query: HotspotQuery,
): Promise<AreaHotspots> {
  checkQuery(query);
  return withPersonalDataSearch(
    context,
    "hotspot.view",
    async (organisationId) => {
      const unit = query.method === "gi-star" ? (query.unit ?? "h3") : "h3";
      const areaLevel = query.areaLevel ?? DEFAULT_HOTSPOT_AREA_LEVEL;
      const { cases, stays, areaIndex } = await loadCaseStays(
        context.db,
        organisationId,
        unit === "area" ? areaLevel : null,
      );
      const dataRange = dateRangeOf(stays);
      const window = windowOf(query, dataRange);
      const inWindow =
        window === null ? [] : stays.filter((stay) => touches(stay, window));
      const casePersons = new Set(inWindow.map((stay) => stay.personId));
      const base = {
        method: query.method,
        from: window === null ? null : seoulDateOf(window.startsAt),
        to: window === null ? null : seoulDateOf(window.endsAt - 1),
        dataRange,
        resolution: query.resolution ?? DEFAULT_H3_GI_STAR_OPTIONS.resolution,
        unit,
        areaLevel: areaIndex === null ? null : areaLevel,
        weights:
          areaIndex === null ? null : (query.weights ?? DEFAULT_AREA_WEIGHTS),
        caseCount: casePersons.size,
        stayCount: inWindow.length,
      };
      const noAreas = { areas: [], studyAreaCount: 0, staysOutsideAreas: 0 };

      if (areaIndex !== null) {
        const result = computeAreaGiStar(inWindow, areaIndex, {
          level: areaLevel,
          weights: base.weights ?? DEFAULT_AREA_WEIGHTS,
          significanceLevel: SIGNIFICANCE_LEVEL,
        });
        return {
          ...base,
          cells: [],
          studyCellCount: 0,
          ...result,
          places: [],
          casesWithoutPeriod: 0,
          total: result.areas.length,
        };
      }

      if (query.method === "gi-star") {
        const { cells, studyCellCount } = giStarCells(
          inWindow,
          base.resolution,
        );
        return {
          ...base,
          cells,
          studyCellCount,
          ...noAreas,
          places: [],
          casesWithoutPeriod: 0,
          total: cells.length,
        };
      }

      const coLocation =
        window === null
          ? { places: [], casesWithoutPeriod: 0 }
          : await findCaseCoLocations(context.db, {
              cases: cases.filter((kase) => casePersons.has(kase.person_id)),
              window,
              includeDayLevel: query.includeDayLevel ?? true,
            });
      return {
        ...base,
        cells: [],
        studyCellCount: 0,
        ...noAreas,
        places: coLocation.places,
        casesWithoutPeriod: coLocation.casesWithoutPeriod,
        total: coLocation.places.length,
      };
    },
    {
      method: query.method,
      from: query.from ?? null,
      to: query.to ?? null,
      resolution: query.resolution ?? null,
      unit: query.unit ?? null,
      areaLevel: query.areaLevel ?? null,
      weights: query.weights ?? null,
    },
  );
}

function checkQuery(query: HotspotQuery): void {
  if (query.method === "co-location" && query.unit === "area") {
    throw new AppError(
      "validation_failed",
      "Invalid unit area for method co-location: areas apply to gi-star; leave unit out.",
    );
  }
  if (query.unit !== "area" && query.weights !== undefined) {
    throw new AppError(
      "validation_failed",
      "Invalid weights without unit=area: the weights apply to administrative areas; give unit=area.",
    );
  }
  checkUnitOptions(query);
  checkWindowDates(query);
}

/**
 * Computes Gi* over the number of distinct cases per H3 cell, so that one
 * case with many stays in a cell counts once there.
 */
function giStarCells(
  stays: readonly Stay[],
  resolution: number,
): { cells: HotspotCell[]; studyCellCount: number } {
  const counts = countCasesByLocation(stays, (stay) =>
    latLngToCell(stay.latitude, stay.longitude, resolution),
  ).byLocation;

  // One point per case and cell, placed on the cell itself, so each case adds 1 to the cell's count.
  const points = [...counts].flatMap(([cell, count]) => {
    const [latitude, longitude] = cellToLatLng(cell);
    return Array.from({ length: count.caseCount }, () => ({
      latitude,
      longitude,
    }));
  });
  const results = computeH3GiStar(points, { resolution });
  const cells = results
    .filter(
      (result) => counts.has(result.id) || result.qValue <= SIGNIFICANCE_LEVEL,
    )
    .map((result) => ({
      cell: result.id,
      latitude: result.latitude,
      longitude: result.longitude,
      boundary: closedBoundary(result.id),
      caseCount: counts.get(result.id)?.caseCount ?? 0,
      stayCount: counts.get(result.id)?.stayCount ?? 0,
      zScore: result.zScore,
      pValue: result.pValue,
      qValue: result.qValue,
    }))
    .sort((a, b) => b.zScore - a.zScore || compareText(a.cell, b.cell));
  return { cells, studyCellCount: results.length };
}

/** Returns the cell's outline in GeoJSON order; h3-js closes the ring itself. */
function closedBoundary(cell: string): [number, number][] {
  return cellToBoundary(cell, true) as [number, number][];
}

function compareText(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}
