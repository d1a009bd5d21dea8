import { checkShareOption } from "../checks.js";
import { ROUTE_SOURCES, type RouteSource } from "../types.js";
import type { ConfidenceLevel } from "./types.js";

/**
 * Confidence that a stay from one source alone shows where the person was.
 * GPS and check-ins place the person's own phone or visit. A card may be
 * used by someone else, and its times are estimated. An interview depends
 * on memory. A base-station cell spans hundreds of metres, and a phone may
 * be carried by someone else.
 *
 * NOTE: these are ranks chosen for this system, not measured accuracies.
 */
export const DEFAULT_SOURCE_CONFIDENCE: Readonly<Record<RouteSource, number>> =
  {
    gps: 0.8,
    checkin: 0.7,
    card: 0.6,
    interview: 0.5,
    disclosed_visit: 0.5,
    base_station: 0.4,
  };

/** Lowest confidence of each level, from the highest level down. */
const LEVELS: readonly [number, ConfidenceLevel][] = [
  [0.75, "high"],
  [0.5, "medium"],
];

/** Checks a confidence table and returns it. */
export function checkSourceConfidence(
  table: Readonly<Record<RouteSource, number>>,
): Readonly<Record<RouteSource, number>> {
  for (const source of ROUTE_SOURCES) {
    checkShareOption(`sourceConfidence.${source}`, table[source]);
  }
  return table;
}

/**
 * Combines the confidence of the distinct sources of a stay as if each were
 * an independent witness: 1 minus the product of their chances of being
 * wrong. A stay in conflict with another gets `conflictFactor` times that.
 * The result is rounded to 3 decimals.
 */
export function combineConfidence(
  sources: readonly RouteSource[],
  table: Readonly<Record<RouteSource, number>>,
  conflictFactor: number | null,
): number {
  let wrong = 1;
  for (const source of new Set(sources)) {
    wrong *= 1 - table[source];
  }
  const confidence = (1 - wrong) * (conflictFactor ?? 1);
  return Math.round(confidence * 1000) / 1000;
}

/** Returns the level of a confidence: `high` from 0.75, `medium` from 0.5, `low` below. */
export function confidenceLevelOf(confidence: number): ConfidenceLevel {
  for (const [minimum, level] of LEVELS) {
    if (confidence >= minimum) {
      return level;
    }
  }
  return "low";
}
