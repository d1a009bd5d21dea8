import { isCalendarDate } from "../../domain/seoul-time.js";
import type { DateOnlyStay, Stay } from "./types.js";

/** Tells whether a stay is known only to its Seoul calendar day. */
export function isDateOnlyStay(stay: Stay): stay is DateOnlyStay {
  return stay.visitDate !== undefined;
}

/**
 * Throws a RangeError naming the stay and the field when a stay is invalid:
 * coordinates out of range, a negative or non-finite radius, times out of
 * order (`startedAt <= lastFixAt <= finishedAt`), or a date that is not
 * `YYYY-MM-DD`.
 */
export function validateStay(stay: Stay): void {
  if (!(Math.abs(stay.latitude) <= 90)) {
    throw invalidStay(stay, "latitude", "a number in [-90, 90]");
  }
  if (!(Math.abs(stay.longitude) <= 180)) {
    throw invalidStay(stay, "longitude", "a number in [-180, 180]");
  }
  if (!(stay.radiusMeters >= 0 && Number.isFinite(stay.radiusMeters))) {
    throw invalidStay(stay, "radiusMeters", "a finite number >= 0");
  }

  if (isDateOnlyStay(stay)) {
    if (!isCalendarDate(stay.visitDate)) {
      throw invalidStay(stay, "visitDate", "a calendar date YYYY-MM-DD");
    }
    return;
  }

  if (!Number.isFinite(stay.startedAt)) {
    throw invalidStay(stay, "startedAt", "finite epoch milliseconds");
  }
  if (!(stay.lastFixAt >= stay.startedAt && Number.isFinite(stay.lastFixAt))) {
    throw invalidStay(stay, "lastFixAt", "finite and at least startedAt");
  }
  if (!(
    stay.finishedAt >= stay.lastFixAt && Number.isFinite(stay.finishedAt)
  )) {
    throw invalidStay(stay, "finishedAt", "finite and at least lastFixAt");
  }
}

function invalidStay(stay: Stay, field: string, expected: string): RangeError {
  const value = (stay as unknown as Record<string, unknown>)[field];
  return new RangeError(
    `Invalid stay ${JSON.stringify(stay.id)}: ${field} is ${String(value)}, expected ${expected}.`,
  );
}
