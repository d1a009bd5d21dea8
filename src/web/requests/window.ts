import { seoulDateOf } from "../i18n/format.js";
import type { DataKind, LegalBasis } from "./types.js";

const DAY_MS = 86_400_000;

/**
 * Days before symptom onset (or confirmation) that a request window may
 * start at, as the server's default setting has it.
 * NOTE: a server configured with another value rejects the suggested start,
 * and its message names the earliest allowed date.
 */
export const WINDOW_DAYS_BEFORE_ONSET = 14;

/** Returns the calendar date `days` days after a `YYYY-MM-DD` date (negative for before). */
export function addDays(date: string, days: number): string {
  const instant = Date.parse(`${date}T00:00:00Z`) + days * DAY_MS;
  return new Date(instant).toISOString().slice(0, 10);
}

/** Returns today's Seoul calendar date. */
export function seoulToday(): string {
  return seoulDateOf(new Date().toISOString());
}

/**
 * Returns the widest window the server accepts for a case: from the set
 * number of days before onset (or confirmation) to today, or null when the
 * case has neither date.
 */
export function suggestedWindow(
  symptomOnsetDate: string | null,
  confirmedDate: string | null,
): { startDate: string; endDate: string } | null {
  const anchor = symptomOnsetDate ?? confirmedDate;
  if (anchor === null) {
    return null;
  }
  return {
    startDate: addDays(anchor, -WINDOW_DAYS_BEFORE_ONSET),
    endDate: seoulToday(),
  };
}

/** Kinds of location data, which go through the police under art. 76-2(2). */
const LOCATION_KINDS: readonly DataKind[] = ["base_station", "gps"];

/** Returns the legal basis that fits the data kinds: 76-2(2) when any of them is location data. */
export function legalBasisFor(kinds: readonly DataKind[]): LegalBasis {
  return kinds.some((kind) => LOCATION_KINDS.includes(kind))
    ? "76-2(2)"
    : "76-2(1)";
}

/** Tells whether any of the kinds is looked up by phone number (every kind but card). */
export function needsPhoneNumber(kinds: readonly DataKind[]): boolean {
  return kinds.some((kind) => kind !== "card");
}

/** Tells whether any of the kinds is looked up by card holder. */
export function needsCardHolder(kinds: readonly DataKind[]): boolean {
  return kinds.includes("card");
}
