import { findProvince, PROVINCES } from "../../domain/provinces.js";
import type { Locale } from "../i18n/index.js";

export { PROVINCES };

/** Returns a province stored by its romanised name (as DS4C spells it) in the UI language. */
export function provinceName(
  stored: string | null,
  locale: Locale,
): string | null {
  if (stored === null || stored === "") {
    return null;
  }
  const province = findProvince(stored);
  if (province === undefined) {
    return stored;
  }
  return locale === "ko" ? province.name : province.english;
}

/** Joins a province and a city into one region label, leaving out the missing parts. */
export function regionLabel(
  province: string | null,
  city: string | null,
  locale: Locale,
): string | null {
  const parts = [provinceName(province, locale), city].filter(
    (part): part is string => part !== null && part !== "",
  );
  return parts.length === 0 ? null : parts.join(" ");
}
