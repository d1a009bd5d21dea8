import type { GeoPosition } from "../../geo/index.js";
import type { DateOnlyStay, TimedStay } from "../../stays/index.js";
import type { ExcludedRecord, RouteSource, StayTiming } from "../types.js";

/** Confidence in words: `high` from 0.75, `medium` from 0.5, `low` below. */
export type ConfidenceLevel = "high" | "medium" | "low";

/**
 * Returns the administrative area of a position as a label, such as
 * `서울특별시 중구 명동`, or null when no area contains it.
 */
export type AreaLabelFunction = (position: GeoPosition) => string | null;

/** Settings of the fusion of stays. Every field is optional. */
export interface FuseOptions {
  /**
   * Minutes below which a part of a coarse stay, left over beside a finer
   * stay at the same place, joins that finer stay instead of standing alone.
   * Consecutive stays at one place at most this far apart are joined too.
   * Default 15.
   */
  readonly absorbPieceMinutes?: number;
  /**
   * Confidence in [0, 1] that a stay from one source alone shows where the
   * person was. Default in `DEFAULT_SOURCE_CONFIDENCE`.
   */
  readonly sourceConfidence?: Readonly<Record<RouteSource, number>>;
  /** Factor in [0, 1] applied to the confidence of a stay in conflict. Default 0.5. */
  readonly conflictFactor?: number;
  /** Labeller of administrative areas; without it, `area` is null. */
  readonly labelArea?: AreaLabelFunction;
  /**
   * Instants of every input record in epoch milliseconds, in any order. A
   * long interval between stays with none of them is a gap with no data
   * rather than a move. Default: only the stays count as records.
   */
  readonly recordTimes?: readonly number[];
}

/** Fields of a fused stay beside those of `Stay`. */
interface RouteStayFields {
  /** Distinct sources of the members, in the order of `ROUTE_SOURCES`. */
  readonly sources: readonly RouteSource[];
  /** Ids of the source stays merged into this stay, most precise first. */
  readonly memberIds: readonly string[];
  /** Name of the place from the most precise member that names it. */
  readonly placeName: string | null;
  /** The place name, else the address, else a description of the source. */
  readonly placeLabel: string;
  readonly address: string | null;
  /** Administrative area from the caller's labeller, or null. */
  readonly area: string | null;
  /** Confidence in [0, 1]; see `DEFAULT_SOURCE_CONFIDENCE` for the rule. */
  readonly confidence: number;
  readonly confidenceLevel: ConfidenceLevel;
}

/** A stay of the fused route: one place, seen by one or more sources. */
export interface RouteStay extends TimedStay, RouteStayFields {
  /** Source of the most precise member, whose centre and radius the stay has. */
  readonly source: RouteSource;
  readonly observedFrom: number;
  readonly observedTo: number;
  /** `estimated` when every member's times come from a default dwell. */
  readonly timing: StayTiming;
  /**
   * Ids of the stays that overlap this one in observed time but lie too far
   * away to be the same place. Both are kept; empty when there is no conflict.
   */
  readonly conflictsWith: readonly string[];
}

/** A fused stay known only to its Seoul day, which no timed stay confirmed. */
export interface RouteDateOnlyStay extends DateOnlyStay, RouteStayFields {
  /** Source of the most precise member, whose centre and radius the stay has. */
  readonly source: RouteSource;
}

/**
 * A move between two consecutive stays. The person left some time between
 * the last observation at the origin and the first at the destination.
 */
export interface RouteMove {
  readonly id: string;
  readonly fromStayId: string;
  readonly toStayId: string;
  /** Last certain instant at the origin (its `lastFixAt`), in epoch milliseconds. */
  readonly startedAt: number;
  /** First instant at the destination (its `startedAt`), in epoch milliseconds. */
  readonly endedAt: number;
  /** Haversine distance in metres between the centres of the two stays. */
  readonly distanceMeters: number;
  /** The distance less both radii, at least 0: the shortest move the stays allow. */
  readonly minimumDistanceMeters: number;
  /**
   * True when the stays are more than `NO_DATA_GAP_MINUTES` apart with no
   * record between them: the person's whereabouts are unknown, which is not
   * evidence of travel.
   */
  readonly noData: boolean;
}

/** The fused route of one person. */
export interface Route {
  readonly personId: string;
  /** Timed stays by `startedAt`. Stays in conflict overlap in time; no others do. */
  readonly stays: readonly RouteStay[];
  /** Date-only stays that no timed stay on their day confirmed, by date. */
  readonly dateOnlyStays: readonly RouteDateOnlyStay[];
  /** Moves between consecutive stays that are not in conflict with each other. */
  readonly moves: readonly RouteMove[];
  /** Input records that contribute to no stay. */
  readonly excluded: readonly ExcludedRecord[];
}
