import type { AreaLevel } from "../store/index.js";

/** Length of a KOSTAT census code at each level. */
export const CODE_LENGTH_BY_LEVEL: Readonly<Record<AreaLevel, number>> = {
  province: 2,
  municipality: 5,
  submunicipality: 7,
};

export const AREA_LEVELS: readonly AreaLevel[] = [
  "province",
  "municipality",
  "submunicipality",
];

/**
 * Returns the level of a KOSTAT census code from its length: 2 digits a
 * province (시도), 5 a si/gun/gu (시군구), 7 an eup/myeon/dong (읍면동).
 * Returns undefined for any other string.
 */
export function areaLevelOfCode(code: string): AreaLevel | undefined {
  if (!/^\d+$/.test(code)) {
    return undefined;
  }
  return AREA_LEVELS.find(
    (level) => CODE_LENGTH_BY_LEVEL[level] === code.length,
  );
}

/** Returns the code of the area one level up, which is a prefix of the code. */
export function parentAreaCode(code: string): string | null {
  const level = areaLevelOfCode(code);
  if (level === "municipality") {
    return code.slice(0, CODE_LENGTH_BY_LEVEL.province);
  }
  if (level === "submunicipality") {
    return code.slice(0, CODE_LENGTH_BY_LEVEL.municipality);
  }
  return null;
}
