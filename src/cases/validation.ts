import { isCalendarDate } from "../domain/index.js";
import { AppError } from "../errors.js";

/** Raises `validation_failed` naming the field unless the value is a real `YYYY-MM-DD` date. */
export function checkDate(
  field: string,
  value: string | null | undefined,
): void {
  if (value === null || value === undefined) {
    return;
  }
  if (!isCalendarDate(value)) {
    throw new AppError(
      "validation_failed",
      `Invalid ${field} ${JSON.stringify(value)}: expected a calendar date written YYYY-MM-DD.`,
    );
  }
}

/** Raises `validation_failed` unless the latitude and longitude form a valid WGS 84 position. */
export function checkPosition(latitude: number, longitude: number): void {
  if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) {
    throw new AppError(
      "validation_failed",
      `Invalid latitude ${latitude}: expected degrees from -90 to 90.`,
    );
  }
  if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
    throw new AppError(
      "validation_failed",
      `Invalid longitude ${longitude}: expected degrees from -180 to 180.`,
    );
  }
}

/** Parses an ISO 8601 instant that names its offset, raising `validation_failed` otherwise. */
export function parseInstant(field: string, value: string): number {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const instant = Date.parse(value);
  if (!hasOffset || Number.isNaN(instant)) {
    throw new AppError(
      "validation_failed",
      `Invalid ${field} ${JSON.stringify(value)}: expected an ISO 8601 instant with an offset, such as 2020-03-05T14:30:00+09:00.`,
    );
  }
  return instant;
}

/**
 * Normalises a payment card number to its digits, dropping spaces and
 * dashes. Raises `validation_failed` unless 13 to 19 digits remain, the
 * lengths ISO/IEC 7812 allows.
 */
export function normaliseCardNumber(value: string): string {
  const digits = value.replace(/[\s-]/g, "");
  if (!/^\d{13,19}$/.test(digits)) {
    throw new AppError(
      "validation_failed",
      "Invalid cardNumber: expected 13 to 19 digits, such as 9410-1234-5678-9012.",
    );
  }
  return digits;
}
