import { writeFileSync } from "node:fs";

import { format } from "prettier";

import { EARTH_RADIUS_METERS } from "../geo/index.js";
import type { DateOnlyStay, TimedStay } from "./types.js";

export { seededRandom } from "../hotspots/statistics/random.js";

/** Reference point of generated test stays: Seoul City Hall. */
export const TEST_ORIGIN = { latitude: 37.5665, longitude: 126.978 } as const;

const METERS_PER_DEGREE = (EARTH_RADIUS_METERS * Math.PI) / 180;
const MINUTE_MS = 60_000;

/** Position `eastMeters` east and `northMeters` north of the test origin. */
export function offsetPosition(
  eastMeters: number,
  northMeters: number,
): { latitude: number; longitude: number } {
  const cosLatitude = Math.cos((TEST_ORIGIN.latitude * Math.PI) / 180);
  return {
    latitude: TEST_ORIGIN.latitude + northMeters / METERS_PER_DEGREE,
    longitude:
      TEST_ORIGIN.longitude + eastMeters / (METERS_PER_DEGREE * cosLatitude),
  };
}

/** Fields of a generated timed stay; times are minutes after `baseMs`. */
export interface TimedStaySpec {
  readonly id: string;
  readonly personId: string;
  readonly source?: string;
  readonly startMinute: number;
  readonly lastFixMinute: number;
  readonly finishMinute?: number;
  readonly eastMeters?: number;
  readonly northMeters?: number;
  readonly radiusMeters?: number;
}

/** Builds a timed stay for tests, placed in metres from the test origin. */
export function timedStay(baseMs: number, spec: TimedStaySpec): TimedStay {
  return {
    id: spec.id,
    personId: spec.personId,
    source: spec.source ?? "gps",
    startedAt: baseMs + spec.startMinute * MINUTE_MS,
    lastFixAt: baseMs + spec.lastFixMinute * MINUTE_MS,
    finishedAt: baseMs + (spec.finishMinute ?? spec.lastFixMinute) * MINUTE_MS,
    ...offsetPosition(spec.eastMeters ?? 0, spec.northMeters ?? 0),
    radiusMeters: spec.radiusMeters ?? 0,
  };
}

/** Builds a date-only stay for tests, placed in metres from the test origin. */
export function dateOnlyStay(spec: {
  readonly id: string;
  readonly personId: string;
  readonly visitDate: string;
  readonly source?: string;
  readonly eastMeters?: number;
  readonly northMeters?: number;
  readonly radiusMeters?: number;
}): DateOnlyStay {
  return {
    id: spec.id,
    personId: spec.personId,
    source: spec.source ?? "disclosed_visit",
    visitDate: spec.visitDate,
    ...offsetPosition(spec.eastMeters ?? 0, spec.northMeters ?? 0),
    radiusMeters: spec.radiusMeters ?? 0,
  };
}

/**
 * Writes a golden JSON fixture formatted as Prettier formats it, so that
 * regenerated fixtures pass the format check unchanged.
 */
export async function writeJsonFixture(
  file: string,
  value: unknown,
): Promise<void> {
  writeFileSync(file, await format(JSON.stringify(value), { parser: "json" }));
}
