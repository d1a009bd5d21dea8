/** A location of the scan: a ZIP code area, county or grid cell, by its centroid. */
export interface ScanLocation {
  readonly id: string;
  /** Longitude in decimal degrees, or an x coordinate for planar distances. */
  readonly x: number;
  /** Latitude in decimal degrees, or a y coordinate for planar distances. */
  readonly y: number;
}

/** Cases counted at a location in one time unit. */
export interface ScanCaseCount {
  readonly locationId: string;
  /** Index of the time unit, such as days since an epoch; any integer. */
  readonly time: number;
  readonly count: number;
  /**
   * Covariate stratum of the cases, such as an age group and sex, for the
   * Poisson model; leave out to use none.
   */
  readonly stratum?: string;
}

/**
 * Population of a location at a time, such as a census. Between two given
 * times the population is interpolated linearly, and before the first or
 * after the last one it stays constant.
 */
export interface ScanPopulation {
  readonly locationId: string;
  readonly time: number;
  readonly population: number;
  /** Covariate stratum of the population, matching `ScanCaseCount.stratum`. */
  readonly stratum?: string;
}

/** Input of a space-time scan. */
export interface ScanInput {
  readonly locations: readonly ScanLocation[];
  readonly cases: readonly ScanCaseCount[];
  /** Populations for the Poisson model; not used by the space-time permutation model. */
  readonly populations?: readonly ScanPopulation[];
  /** First time unit of the study period, inclusive. */
  readonly startTime: number;
  /** Last time unit of the study period, inclusive. */
  readonly endTime: number;
}

/** The probability model of the scan. */
export type ScanModel = "space-time-permutation" | "poisson";

/**
 * Retrospective scans every cylinder in the study period; prospective scans
 * only cylinders that end at its last time unit, to find clusters still going on.
 */
export type ScanAnalysis = "retrospective" | "prospective";

/** Settings of a space-time scan. Every field but `model` is optional. */
export interface ScanOptions {
  readonly model: ScanModel;
  /** Default `retrospective`. */
  readonly analysis?: ScanAnalysis;
  /** Distance metric. Default `haversine`. */
  readonly metric?: "haversine" | "planar";
  /** Largest radius of a circle in kilometres, for `haversine`. Default no limit. */
  readonly maxRadiusKm?: number;
  /** Largest radius of a circle in coordinate units, for `planar`. Default no limit. */
  readonly maxRadiusPlanar?: number;
  /**
   * Largest share of the population at risk inside a circle: of the cases
   * for the space-time permutation model, of the person-time for Poisson.
   * Default 0.5, the maximum
   * most often used in published SaTScan studies.
   */
  readonly maxPopulationShare?: number;
  /** Maximum duration of a cylinder in time units. Default half the study period, rounded down. */
  readonly maxDuration?: number;
  /** Monte Carlo replications. Default 999. */
  readonly replications?: number;
  /** Seed of the pseudo-random generator of the replications. Default 1. */
  readonly seed?: number;
  /** Maximum number of clusters to report: the most likely one and secondary ones. Default 10. */
  readonly maxClusters?: number;
}

/** A cluster: a cylinder of locations within a circle over a time interval. */
export interface ScanCluster {
  /** Location at the centre of the circle. */
  readonly centerId: string;
  /** Locations inside the circle, nearest to the centre first. */
  readonly locationIds: readonly string[];
  /** Distance from the centre to the farthest location: km, or coordinate units for `planar`. */
  readonly radius: number;
  /** First time unit of the cluster, inclusive. */
  readonly startTime: number;
  /** Last time unit of the cluster, inclusive. */
  readonly endTime: number;
  readonly observed: number;
  readonly expected: number;
  /** Relative risk: (observed / expected) / ((total - observed) / (total - expected)). */
  readonly relativeRisk: number;
  readonly logLikelihoodRatio: number;
  /**
   * Monte Carlo p-value: (1 + replications whose maximum log-likelihood
   * ratio reaches this cluster's) / (1 + replications).
   */
  readonly pValue: number;
}

/** Result of a space-time scan. */
export interface ScanResult {
  readonly model: ScanModel;
  readonly analysis: ScanAnalysis;
  readonly totalCases: number;
  readonly replications: number;
  /**
   * The most likely cluster first, then secondary clusters that share no
   * location with a more likely one, by log-likelihood ratio.
   */
  readonly clusters: readonly ScanCluster[];
}
