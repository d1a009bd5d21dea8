import type { ProviderKind } from "./kinds.js";

/** Korean mobile numbers as digits: 010, 011, 016 to 019, then 7 or 8 digits. */
const MOBILE_NUMBER = /^01[016789]\d{7,8}$/;

/** Card numbers as digits, 13 to 19 of them. */
const CARD_NUMBER = /^\d{13,19}$/;

/** Returns the template column that names the subject of a row of a kind. */
export function subjectColumnOf(kind: ProviderKind): string {
  return kind === "base-station" ? "phone_number" : "subject";
}

/**
 * Returns the form in which two subjects compare: a phone number as its
 * digits with +82 read as 0, such as 01012345678; other digit strings as
 * digits; anything else as trimmed text.
 */
export function comparableSubject(value: string): string {
  const compact = value.trim().replace(/[\s\-.()]/g, "");
  if (/^\+82\d+$/.test(compact)) {
    return `0${compact.slice(3).replace(/^0/, "")}`;
  }
  return /^\d+$/.test(compact) ? compact : value.trim();
}

/** Kind of identifier a comparable subject is, which decides where the person stores it. */
export function identifierKindOf(subject: string): "phone" | "card" | "other" {
  if (MOBILE_NUMBER.test(subject)) {
    return "phone";
  }
  return CARD_NUMBER.test(subject) ? "card" : "other";
}

/**
 * Masks all but the last 4 digits of a subject of 9 or more digits, such
 * as a phone number, so that a person's label names no one.
 */
export function maskLongNumber(subject: string): string {
  const digits = subject.replace(/\D/g, "");
  if (digits.length < 9) {
    return subject;
  }
  return `${"*".repeat(digits.length - 4)}${digits.slice(-4)}`;
}
