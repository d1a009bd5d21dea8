import { cellToLatLng, latLngToCell } from "h3-js";

import { withPersonalDataSearch, type AccessContext } from "../access/index.js";
import {
  buildNeighborLists,
  DEFAULT_H3_GI_STAR_OPTIONS,
} from "../analysis/hotspots/gi-star/index.js";
import {
  DEFAULT_SCAN_OPTIONS,
  dateOfEpochDay,
  epochDayOf,
  runSpaceTimeScan,
  type ScanAnalysis,
  type ScanCaseCount,
  type ScanCluster,
  type ScanLocation,
} from "../analysis/hotspots/scan/index.js";
import { seoulDateOf } from "../domain/index.js";
import { AppError } from "../errors.js";
import {
  checkWindowDates,
  dateRangeOf,
  touches,
  windowOf,
  type DataRange,
} from "./day-window.js";
import type { HotspotUnit } from "./hotspots.js";
import { countCaseDays } from "./location-counts.js";
import { invalidAnalysisInput } from "./scope.js";
import type { StoredRouteStay } from "./store-stays.js";
import {
  DEFAULT_HOTSPOT_AREA_LEVEL,
  checkUnitOptions,
  loadCaseStays,
  type AreaLevelIndex,
  type HotspotAreaLevel,
} from "./study-areas.js";

/**
 * Most Monte Carlo replications a scan on the store runs. With 999, the
 * default of `runSpaceTimeScan`, the smallest p-value is 0.001. The bound
 * keeps a request to seconds rather than minutes.
 */
export const MAX_SCAN_REPLICATIONS = 999;

/** Most Seoul days in the study period of a scan on the store. */
export const MAX_SCAN_PERIOD_DAYS = 366;

/**
 * Most cylinders times (replications + 1) that a scan on the store may
 * try, counting one circle per location within the radius of each centre,
 * an upper bound. A national scan of the DS4C data over its last 28 days
 * (4.9e8 by this count, 999 replications) took 6 to 9 s through the API on
 * a shared 2-core machine.
 */
export const MAX_SCAN_WORK = 5e8;

/**
 * Seoul days of the study period unless `from` is given: the last four
 * weeks with stays, the period of a surveillance run rather than the
 * whole history.
 */
export const DEFAULT_SCAN_PERIOD_DAYS = 28;

/** Maximum circle radius unless chosen, in kilometres, as in the rsatscan vignette's daily fever surveillance. */
export const DEFAULT_SCAN_MAX_RADIUS_KM = 3;

/** Maximum cluster length unless chosen, in days, as in the rsatscan vignette's daily fever surveillance. */
export const DEFAULT_SCAN_MAX_DAYS = 7;

/** The probability models the store supports; Poisson needs populations per area, which the store does not hold. */
export type StoreScanModel = "space-time-permutation";

/** Settings of a space-time scan of the stored case stays. */
export interface SpaceTimeScanQuery {
  /** First Seoul day of the study period, `YYYY-MM-DD`; default `DEFAULT_SCAN_PERIOD_DAYS` before `to`, or the first day with a stay when later. */
  from?: string;
  /** Last Seoul day of the study period, inclusive; default the last day with a stay. */
  to?: string;
  /** Locations the cases are counted in. Default `h3`. */
  unit?: HotspotUnit;
  /** H3 resolution of the locations for `unit: "h3"`. Default 8. */
  resolution?: number;
  /** Level of the areas for `unit: "area"`. Default si/gun/gu. */
  areaLevel?: HotspotAreaLevel;
  /** Default `space-time-permutation`, the only model on the store. */
  model?: StoreScanModel;
  /** Default `retrospective`. */
  analysis?: ScanAnalysis;
  /** Maximum circle radius in kilometres. Default `DEFAULT_SCAN_MAX_RADIUS_KM`. */
  maxRadiusKm?: number;
  /** Maximum cluster length in days. Default `DEFAULT_SCAN_MAX_DAYS`, or the period when shorter. */
  maxDays?: number;
  /** Monte Carlo replications, 0 to `MAX_SCAN_REPLICATIONS`. Default 999. */
  replications?: number;
  /** Seed of the replications. Default 1. */
  seed?: number;
}

/** A location of a cluster: an H3 cell or an administrative area. */
export interface ScanClusterLocation {
  /** H3 cell index or KOSTAT census code. */
  id: string;
  /** Area name, or null for an H3 cell. */
  name: string | null;
  latitude: number;
  longitude: number;
}

/** A space-time cluster of the stored cases, with counts and no persons. */
export interface StoreScanCluster {
  /** 1 for the most likely cluster, then secondary clusters by log-likelihood ratio. */
  rank: number;
  center: ScanClusterLocation;
  /** Locations inside the circle, nearest to the centre first. */
  locations: ScanClusterLocation[];
  radiusKm: number;
  /** First and last Seoul day of the cluster, both included. */
  from: string;
  to: string;
  observed: number;
  expected: number;
  /** Relative risk, or null when every case of the period lies inside the cluster, which makes it infinite. */
  relativeRisk: number | null;
  logLikelihoodRatio: number;
  pValue: number;
}

/** Result of a space-time scan of the stored case stays. */
export interface SpaceTimeClusters {
  /** The study period as Seoul days; null when there are no stays at all. */
  from: string | null;
  to: string | null;
  dataRange: DataRange;
  unit: HotspotUnit;
  resolution: number;
  areaLevel: HotspotAreaLevel | null;
  model: StoreScanModel;
  analysis: ScanAnalysis;
  maxRadiusKm: number;
  maxDays: number;
  replications: number;
  seed: number;
  /** Cases in scope with a stay in the period. */
  caseCount: number;
  /** Case-days counted: each case once per location and Seoul day. */
  totalCases: number;
  /** Locations with at least one case-day. */
  locationCount: number;
  clusters: StoreScanCluster[];
  /** Number of clusters returned. */
  total: number;
}

/**
 * Runs Kulldorff's space-time scan over the stays of the cases of the
 * caller's jurisdiction (every case for the national agency). Cases are
 * counted per location and Seoul day, once per case however many stays it
 * has there, and scanned with the space-time permutation model. Writes one
 * audit event with the query and the number of clusters.
 */
export function findSpaceTimeClusters(
  context: AccessContext,
  query: SpaceTimeScanQuery,
): Promise<SpaceTimeClusters> {
  checkScanQuery(query);
  return withPersonalDataSearch(
    context,
    "hotspot.view",
    async (organisationId) => {
      const unit = query.unit ?? "h3";
      const areaLevel = query.areaLevel ?? DEFAULT_HOTSPOT_AREA_LEVEL;
      const { stays, areaIndex } = await loadCaseStays(
        context.db,
        organisationId,
        unit === "area" ? areaLevel : null,
      );
      return scanStays(stays, query, areaIndex, areaLevel);
    },
    {
      scan: "space-time",
      from: query.from ?? null,
      to: query.to ?? null,
      unit: query.unit ?? null,
      resolution: query.resolution ?? null,
      areaLevel: query.areaLevel ?? null,
      analysis: query.analysis ?? null,
      maxRadiusKm: query.maxRadiusKm ?? null,
      maxDays: query.maxDays ?? null,
      replications: query.replications ?? null,
      seed: query.seed ?? null,
    },
  );
}

function checkScanQuery(query: SpaceTimeScanQuery): void {
  checkUnitOptions(query);
  checkWindowDates(query);
  const replications = query.replications;
  if (
    replications !== undefined &&
    (!Number.isInteger(replications) ||
      replications < 0 ||
      replications > MAX_SCAN_REPLICATIONS)
  ) {
    throw new AppError(
      "validation_failed",
      `Invalid replications ${replications}: expected an integer from 0 to ${MAX_SCAN_REPLICATIONS}.`,
    );
  }
  if (query.from !== undefined && query.to !== undefined) {
    const days = epochDayOf(query.to) - epochDayOf(query.from) + 1;
    if (days > MAX_SCAN_PERIOD_DAYS) {
      throw new AppError(
        "validation_failed",
        `Invalid period ${query.from} to ${query.to}: ${days} days, at most ${MAX_SCAN_PERIOD_DAYS}; choose a shorter period.`,
      );
    }
  }
}

function scanStays(
  stays: readonly StoredRouteStay[],
  query: SpaceTimeScanQuery,
  areaIndex: AreaLevelIndex | null,
  areaLevel: HotspotAreaLevel,
): SpaceTimeClusters {
  const dataRange = dateRangeOf(stays);
  const window = periodOf(query, dataRange);
  const inWindow =
    window === null ? [] : stays.filter((stay) => touches(stay, window));
  const resolution = query.resolution ?? DEFAULT_H3_GI_STAR_OPTIONS.resolution;
  const from = window === null ? null : seoulDateOf(window.startsAt);
  const to = window === null ? null : seoulDateOf(window.endsAt - 1);
  const dayCount =
    from === null || to === null ? 0 : epochDayOf(to) - epochDayOf(from) + 1;
  const maxDays =
    query.maxDays ?? Math.max(1, Math.min(DEFAULT_SCAN_MAX_DAYS, dayCount));
  const maxRadiusKm = query.maxRadiusKm ?? DEFAULT_SCAN_MAX_RADIUS_KM;

  const locator = locatorOf(areaIndex, resolution);
  const counts =
    from === null || to === null
      ? []
      : countCaseDays(inWindow, locator.locationOf, { from, to });
  const locations = locator.locationsOf(counts);
  const replications = query.replications ?? DEFAULT_SCAN_OPTIONS.replications;
  const seed = query.seed ?? DEFAULT_SCAN_OPTIONS.seed;
  const settings = { query, maxRadiusKm, maxDays, replications, seed };
  const clusters =
    from === null || counts.length === 0
      ? []
      : runScan(locations, counts, epochDayOf(from), dayCount, settings);

  const byId = new Map(locations.map((location) => [location.id, location]));
  const presented = clusters.map((cluster, index) =>
    presentCluster(cluster, index + 1, byId),
  );
  return {
    from,
    to,
    dataRange,
    unit: areaIndex === null ? "h3" : "area",
    resolution,
    areaLevel: areaIndex === null ? null : areaLevel,
    model: "space-time-permutation",
    analysis: query.analysis ?? "retrospective",
    maxRadiusKm,
    maxDays,
    replications,
    seed,
    caseCount: new Set(inWindow.map((stay) => stay.personId)).size,
    totalCases: counts.reduce((sum, count) => sum + count.count, 0),
    locationCount: locations.length,
    clusters: presented,
    total: presented.length,
  };
}

/** Returns the study period, which `MAX_SCAN_PERIOD_DAYS` bounds also when it comes from the data. */
function periodOf(query: SpaceTimeScanQuery, dataRange: DataRange) {
  const to = query.to ?? dataRange?.lastDate;
  const defaultFrom =
    to === undefined || dataRange === null
      ? undefined
      : [
          dataRange.firstDate,
          dateOfEpochDay(epochDayOf(to) - DEFAULT_SCAN_PERIOD_DAYS + 1),
        ].sort()[1];
  const from = query.from ?? defaultFrom;
  const window = windowOf({ from, to }, dataRange);
  if (window === null) {
    return null;
  }
  const days =
    epochDayOf(seoulDateOf(window.endsAt - 1)) -
    epochDayOf(seoulDateOf(window.startsAt)) +
    1;
  if (days > MAX_SCAN_PERIOD_DAYS) {
    throw new AppError(
      "validation_failed",
      `Invalid period ${seoulDateOf(window.startsAt)} to ${seoulDateOf(window.endsAt - 1)}: the stays cover ${days} days, at most ${MAX_SCAN_PERIOD_DAYS}; give from and to.`,
    );
  }
  return window;
}

/** A location with a name, as the clusters list it. */
type NamedLocation = ScanLocation & { readonly name: string | null };

interface Locator {
  readonly locationOf: (stay: StoredRouteStay) => string | null;
  readonly locationsOf: (counts: readonly ScanCaseCount[]) => NamedLocation[];
}

/** Returns how stays are placed in locations: by H3 cell, or by the area label of the stay. */
function locatorOf(
  areaIndex: AreaLevelIndex | null,
  resolution: number,
): Locator {
  const usedIds = (counts: readonly ScanCaseCount[]) =>
    [...new Set(counts.map((count) => count.locationId))].sort();
  if (areaIndex === null) {
    return {
      locationOf: (stay) =>
        latLngToCell(stay.latitude, stay.longitude, resolution),
      locationsOf: (counts) =>
        usedIds(counts).map((cell) => {
          const [latitude, longitude] = cellToLatLng(cell);
          return { id: cell, name: null, x: longitude, y: latitude };
        }),
    };
  }
  return {
    locationOf: (stay) => stay.area,
    locationsOf: (counts) =>
      usedIds(counts).map((code) => {
        const area = areaIndex.areas.get(code)!;
        return {
          id: code,
          name: area.name,
          x: area.longitude,
          y: area.latitude,
        };
      }),
  };
}

interface ScanSettings {
  readonly query: SpaceTimeScanQuery;
  readonly maxRadiusKm: number;
  readonly maxDays: number;
  readonly replications: number;
  readonly seed: number;
}

function runScan(
  locations: readonly ScanLocation[],
  cases: readonly ScanCaseCount[],
  startTime: number,
  dayCount: number,
  settings: ScanSettings,
): readonly ScanCluster[] {
  const { query } = settings;
  checkScanWork(locations, dayCount, settings);
  try {
    return runSpaceTimeScan(
      { locations, cases, startTime, endTime: startTime + dayCount - 1 },
      {
        model: "space-time-permutation",
        analysis: query.analysis ?? "retrospective",
        metric: "haversine",
        maxRadiusKm: settings.maxRadiusKm,
        maxDuration: settings.maxDays,
        replications: settings.replications,
        seed: settings.seed,
      },
    ).clusters;
  } catch (error) {
    throw invalidAnalysisInput(error, "the space-time scan");
  }
}

/**
 * Raises `validation_failed` when the scan would try more than
 * `MAX_SCAN_WORK` cylinders over all replications. Each centre is counted
 * with one circle per location within the radius, which bounds the
 * circles that `runSpaceTimeScan` builds.
 */
function checkScanWork(
  locations: readonly ScanLocation[],
  dayCount: number,
  settings: ScanSettings,
): void {
  const neighbours = buildNeighborLists(
    locations.map((location) => ({ ...location, value: 0 })),
    { kind: "distance-band", bandDistance: settings.maxRadiusKm * 1000 },
  );
  const circles = neighbours.reduce((sum, list) => sum + list.length, 0);
  const maxDays = Math.min(settings.maxDays, dayCount);
  const intervals =
    settings.query.analysis === "prospective"
      ? maxDays
      : dayCount * maxDays - (maxDays * (maxDays - 1)) / 2;
  const work = circles * intervals * (settings.replications + 1);
  if (work > MAX_SCAN_WORK) {
    throw new AppError(
      "validation_failed",
      `Scan too large: ${circles} circles over ${intervals} intervals and ${settings.replications + 1} data sets exceed ${MAX_SCAN_WORK.toExponential()} cylinders. Choose a shorter period, a smaller maxRadiusKm or maxDays, a coarser resolution or level, or fewer replications.`,
    );
  }
}

function presentCluster(
  cluster: ScanCluster,
  rank: number,
  byId: ReadonlyMap<string, NamedLocation>,
): StoreScanCluster {
  const locationOf = (id: string): ScanClusterLocation => {
    const location = byId.get(id)!;
    return {
      id,
      name: location.name,
      latitude: location.y,
      longitude: location.x,
    };
  };
  return {
    rank,
    center: locationOf(cluster.centerId),
    locations: cluster.locationIds.map(locationOf),
    radiusKm: cluster.radius,
    from: dateOfEpochDay(cluster.startTime),
    to: dateOfEpochDay(cluster.endTime),
    observed: cluster.observed,
    expected: cluster.expected,
    relativeRisk: Number.isFinite(cluster.relativeRisk)
      ? cluster.relativeRisk
      : null,
    logLikelihoodRatio: cluster.logLikelihoodRatio,
    pValue: cluster.pValue,
  };
}
