import { cellToBoundary, cellToLatLng, latLngToCell } from "h3-js";

import { withPersonalDataSearch, type AccessContext } from "../access/index.js";
import type { TimeInterval } from "../analysis/contacts/index.js";
import {
  DEFAULT_H3_GI_STAR_OPTIONS,
  computeH3GiStar,
} from "../analysis/hotspots/gi-star/index.js";
import { isDateOnlyStay, type Stay } from "../analysis/stays/index.js";
import {
  isCalendarDate,
  seoulDateOf,
  seoulDayEnd,
  seoulDayStart,
} from "../domain/index.js";
import { AppError } from "../errors.js";
import {
  findCaseCoLocations,
  type CoLocationPlace,
} from "./co-location-places.js";
import { loadCasesInScope } from "./scope.js";
import { loadStays } from "./store-stays.js";

/** Adjusted p-value up to which a cell without stays is still listed, as a significant neighbour of busy cells. */
export const SIGNIFICANCE_LEVEL = 0.05;

export type HotspotMethod = "gi-star" | "co-location";

/** The method, window and grid of a hotspot search. */
export interface HotspotQuery {
  method: HotspotMethod;
  /** First Seoul day of the window, `YYYY-MM-DD`; default the first day with a stay. */
  from?: string;
  /** Last Seoul day of the window, inclusive; default the last day with a stay. */
  to?: string;
  /** H3 resolution of the Gi* cells, 0 to 15. Default 8. */
  resolution?: number;
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
  dataRange: { firstDate: string; lastDate: string } | null;
  resolution: number;
  /** Cases in scope with a stay in the window. */
  caseCount: number;
  /** Stays of those cases in the window. */
  stayCount: number;
  /** Gi* cells with a stay, or significant at `SIGNIFICANCE_LEVEL`; empty for co-location. */
  cells: HotspotCell[];
  /** Cells of the Gi* study area, the empty ring around busy cells included. */
  studyCellCount: number;
  /** Co-location places, most persons first; empty for Gi*. */
  places: CoLocationPlace[];
  /** Cases left out of the co-location search because their dates fix no infectious period. */
  casesWithoutPeriod: number;
  /** Number of cells or places returned. */
  total: number;
}

/**
 * Finds hotspots over the stays and visits of the cases of the caller's
 * jurisdiction (every case for the national agency) during a window of
 * Seoul days, by Gi* on H3 cells or by co-location. Writes one audit event
 * with the query and the number of cells or places.
 */
export function findAreaHotspots(
  context: AccessContext,
  query: HotspotQuery,
): Promise<AreaHotspots> {
  checkWindowDates(query);
  return withPersonalDataSearch(
    context,
    "hotspot.view",
    async (organisationId) => {
      const cases = await loadCasesInScope(context.db, organisationId);
      const stays = await loadStays(context.db, {
        personIds: cases.map((kase) => kase.person_id),
      });
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
        caseCount: casePersons.size,
        stayCount: inWindow.length,
      };

      if (query.method === "gi-star") {
        const { cells, studyCellCount } = giStarCells(
          inWindow,
          base.resolution,
        );
        return {
          ...base,
          cells,
          studyCellCount,
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
    },
  );
}

function checkWindowDates(query: HotspotQuery): void {
  for (const [name, value] of [
    ["from", query.from],
    ["to", query.to],
  ] as const) {
    if (value !== undefined && !isCalendarDate(value)) {
      throw new AppError(
        "validation_failed",
        `Invalid ${name} ${JSON.stringify(value)}: expected a calendar date YYYY-MM-DD.`,
      );
    }
  }
  if (query.from !== undefined && query.to !== undefined) {
    if (query.from > query.to) {
      throw new AppError(
        "validation_failed",
        `Invalid window: from ${query.from} is after to ${query.to}.`,
      );
    }
  }
}

/** Returns the window of the query, filling a missing end from the data, or null without data. */
function windowOf(
  query: HotspotQuery,
  dataRange: AreaHotspots["dataRange"],
): TimeInterval | null {
  const from = query.from ?? dataRange?.firstDate;
  const to = query.to ?? dataRange?.lastDate;
  if (from === undefined || to === undefined || from > to) {
    return null;
  }
  return { startsAt: seoulDayStart(from), endsAt: seoulDayEnd(to) };
}

function dateRangeOf(stays: readonly Stay[]): AreaHotspots["dataRange"] {
  let first: string | undefined;
  let last: string | undefined;
  for (const stay of stays) {
    const start = isDateOnlyStay(stay)
      ? stay.visitDate
      : seoulDateOf(stay.startedAt);
    const end = isDateOnlyStay(stay)
      ? stay.visitDate
      : seoulDateOf(stay.finishedAt);
    first = first === undefined || start < first ? start : first;
    last = last === undefined || end > last ? end : last;
  }
  return first === undefined || last === undefined
    ? null
    : { firstDate: first, lastDate: last };
}

/** Tells whether a stay lies in the window: its day for a date-only stay, any instant of it for a timed one. */
function touches(stay: Stay, window: TimeInterval): boolean {
  if (isDateOnlyStay(stay)) {
    const dayStart = seoulDayStart(stay.visitDate);
    return dayStart >= window.startsAt && dayStart < window.endsAt;
  }
  return stay.startedAt < window.endsAt && stay.finishedAt >= window.startsAt;
}

/**
 * Computes Gi* over the number of distinct cases per H3 cell, so that one
 * case with many stays in a cell counts once there.
 */
function giStarCells(
  stays: readonly Stay[],
  resolution: number,
): { cells: HotspotCell[]; studyCellCount: number } {
  const personsByCell = new Map<string, Set<string>>();
  const staysByCell = new Map<string, number>();
  for (const stay of stays) {
    const cell = latLngToCell(stay.latitude, stay.longitude, resolution);
    const persons = personsByCell.get(cell) ?? new Set<string>();
    persons.add(stay.personId);
    personsByCell.set(cell, persons);
    staysByCell.set(cell, (staysByCell.get(cell) ?? 0) + 1);
  }

  // One point per case and cell, placed on the cell itself, so each case adds 1 to the cell's count.
  const points = [...personsByCell].flatMap(([cell, persons]) => {
    const [latitude, longitude] = cellToLatLng(cell);
    return [...persons].map(() => ({ latitude, longitude }));
  });
  const results = computeH3GiStar(points, { resolution });
  const cells = results
    .filter(
      (result) =>
        personsByCell.has(result.id) || result.qValue <= SIGNIFICANCE_LEVEL,
    )
    .map((result) => ({
      cell: result.id,
      latitude: result.latitude,
      longitude: result.longitude,
      boundary: closedBoundary(result.id),
      caseCount: personsByCell.get(result.id)?.size ?? 0,
      stayCount: staysByCell.get(result.id) ?? 0,
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
