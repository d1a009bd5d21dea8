import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Feature, FeatureCollection, Point } from "geojson";

import { seoulDayStart } from "../../domain/seoul-time.js";
import { offsetPosition, writeJsonFixture } from "../stays/testing.js";
import type { CellRecord } from "./base-station-clean.js";
import type { RouteInput } from "./build-route.js";
import type { CardTransaction } from "./card-stays.js";
import type { CheckIn } from "./checkin-stays.js";
import type { GpsFix } from "./gps-stays.js";
import type { VisitEntry, VisitSource } from "./visit-stays.js";

export { offsetPosition, TEST_ORIGIN } from "../stays/testing.js";

/** Midnight in Seoul at the start of 2024-03-05, the day of the test routes. */
export const TEST_DAY_START = seoulDayStart("2024-03-05");

const MINUTE_MS = 60_000;

/** Whether the golden tests rewrite their expected files. */
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";

const FIXTURES_FOLDER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "fixtures",
);

/** Returns the instant `minutes` after midnight of the test day. */
export function minute(minutes: number): number {
  return TEST_DAY_START + minutes * MINUTE_MS;
}

/** Returns the minutes of an instant after midnight of the test day. */
export function minutesOf(instant: number): number {
  return (instant - TEST_DAY_START) / MINUTE_MS;
}

/** Returns the position `eastMeters` east and `northMeters` north of the test origin. */
export function at(
  eastMeters: number,
  northMeters = 0,
): { latitude: number; longitude: number } {
  return offsetPosition(eastMeters, northMeters);
}

/** Freezes every item and the array, so that a function that mutates them throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const inner of Object.values(value)) {
      deepFreeze(inner);
    }
    Object.freeze(value);
  }
  return value;
}

/** Reads a golden GeoJSON file of `fixtures/`. */
export function readGolden(name: string): FeatureCollection {
  return JSON.parse(
    readFileSync(path.join(FIXTURES_FOLDER, name), "utf8"),
  ) as FeatureCollection;
}

/**
 * Compares a result with its golden file, after rewriting the file when
 * `UPDATE_GOLDEN=1`. JSON round trips the result so that it compares as
 * the file does.
 */
export async function expectGolden(
  name: string,
  actual: FeatureCollection,
  expectEqual: (actual: unknown, expected: unknown) => void,
): Promise<void> {
  if (UPDATE_GOLDEN) {
    await writeJsonFixture(path.join(FIXTURES_FOLDER, name), actual);
  }
  expectEqual(JSON.parse(JSON.stringify(actual)), readGolden(name));
}

/** Returns the instant of an ISO 8601 property of a fixture feature. */
export function instantProperty(
  properties: Record<string, unknown>,
  key: string,
): number {
  const value = properties[key];
  const instant = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(instant)) {
    throw new Error(
      `Fixture property ${key} is ${String(value)}, expected an ISO 8601 instant`,
    );
  }
  return instant;
}

/** Returns the longitude and latitude of a fixture point. */
function positionOf(feature: Feature): { latitude: number; longitude: number } {
  const [longitude, latitude] = (feature.geometry as Point).coordinates as [
    number,
    number,
  ];
  return { latitude, longitude };
}

function nullableInstant(
  properties: Record<string, unknown>,
  key: string,
): number | null {
  const value = properties[key];
  return value === null || value === undefined
    ? null
    : instantProperty(properties, key);
}

function nullableText(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function nullableNumber(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}

/** Reads a GPS fix from a fixture point with `tracked_at` and `accuracy_meters`. */
export function gpsFixOf(feature: Feature): GpsFix {
  const properties = feature.properties ?? {};
  const accuracy = nullableNumber(properties.accuracy_meters);
  return {
    id: String(properties.id),
    trackedAt: instantProperty(properties, "tracked_at"),
    ...positionOf(feature),
    ...(accuracy === null ? {} : { accuracyMeters: accuracy }),
  };
}

/** Reads a base-station record from a fixture point with `observed_at`, `cell_id` and `radius_meters`. */
export function cellRecordOf(feature: Feature): CellRecord {
  const properties = feature.properties ?? {};
  return {
    id: String(properties.id),
    observedAt: instantProperty(properties, "observed_at"),
    cellId: String(properties.cell_id),
    ...positionOf(feature),
    radiusMeters: Number(properties.radius_meters),
  };
}

/** Reads a card transaction from a fixture point with `paid_at`, `merchant_name` and the like. */
export function cardTransactionOf(feature: Feature): CardTransaction {
  const properties = feature.properties ?? {};
  return {
    id: String(properties.id),
    paidAt: instantProperty(properties, "paid_at"),
    merchantName: String(properties.merchant_name),
    businessCategory: nullableText(properties.business_category),
    address: nullableText(properties.address),
    amountKrw: nullableNumber(properties.amount_krw),
    ...positionOf(feature),
  };
}

/** Reads a check-in from a fixture point with `checked_in_at`, `checked_out_at` and `venue_name`. */
export function checkInOf(feature: Feature): CheckIn {
  const properties = feature.properties ?? {};
  return {
    id: String(properties.id),
    checkedInAt: instantProperty(properties, "checked_in_at"),
    checkedOutAt: nullableInstant(properties, "checked_out_at"),
    venueName: nullableText(properties.venue_name),
    ...positionOf(feature),
  };
}

/** Reads a visit entry from a fixture point with `source`, `started_at`, `ended_at` and `visit_date`. */
export function visitEntryOf(feature: Feature): VisitEntry {
  const properties = feature.properties ?? {};
  return {
    id: String(properties.id),
    source: properties.source as VisitSource,
    startedAt: nullableInstant(properties, "started_at"),
    endedAt: nullableInstant(properties, "ended_at"),
    visitDate: nullableText(properties.visit_date),
    placeName: nullableText(properties.place_name),
    radiusMeters: nullableNumber(properties.radius_meters),
    ...positionOf(feature),
  };
}

/** Reads a route input from fixture points whose `kind` names the source of each. */
export function routeInputOf(
  collection: FeatureCollection,
  personId: string,
): RouteInput {
  const ofKind = (kind: string) =>
    collection.features.filter((feature) => feature.properties?.kind === kind);
  return {
    personId,
    gpsFixes: ofKind("gps").map(gpsFixOf),
    cellRecords: ofKind("base-station").map(cellRecordOf),
    cardTransactions: ofKind("card").map(cardTransactionOf),
    checkIns: ofKind("checkin").map(checkInOf),
    visits: ofKind("visit").map(visitEntryOf),
  };
}
