/** An area with a position and the value whose hot spots are sought. */
export interface GiStarArea {
  readonly id: string;
  /** Longitude in decimal degrees, or an x coordinate for planar distances. */
  readonly x: number;
  /** Latitude in decimal degrees, or a y coordinate for planar distances. */
  readonly y: number;
  readonly value: number;
}

/** Metric of the distances between areas. */
export type DistanceMetric = "haversine" | "planar";

/**
 * Binary spatial weights: which areas are the neighbours of each area.
 * Every area is also its own neighbour, as the Gi* statistic requires.
 */
export type GiStarWeights =
  | {
      readonly kind: "distance-band";
      /**
       * Largest distance of a neighbour, inclusive: metres for `haversine`,
       * coordinate units for `planar`.
       */
      readonly bandDistance: number;
      /** Default `haversine`. */
      readonly metric?: DistanceMetric;
    }
  | {
      readonly kind: "k-nearest";
      /** Number of nearest other areas; ties at the k-th distance go by input order. */
      readonly k: number;
      /** Default `haversine`. */
      readonly metric?: DistanceMetric;
    }
  | {
      readonly kind: "neighbor-lists";
      /** Indexes of the neighbours of each area, by area index; the area itself may be left out. */
      readonly neighbors: readonly (readonly number[])[];
    };

/** The Gi* statistic of one area. */
export interface GiStarResult {
  readonly id: string;
  readonly value: number;
  /** Number of neighbours, the area itself included. */
  readonly neighborCount: number;
  /** Sum of the values of the neighbours, the area itself included. */
  readonly neighborSum: number;
  /** Gi* as a standard normal deviate (Ord and Getis 1995): positive for hot spots. */
  readonly zScore: number;
  /** Two-sided p-value of `zScore` under the standard normal distribution. */
  readonly pValue: number;
  /** Benjamini-Hochberg adjusted p-value over all areas. */
  readonly qValue: number;
}
