import type { Kysely } from "kysely";

import type { Database } from "../store/index.js";
import type { AreaCodes } from "./labeller.js";

const CODES_PER_QUERY = 500;

/** Returns the Korean names of the stored areas with the given codes, leaving out codes that are not stored. */
export async function findAreaNames(
  db: Kysely<Database>,
  codes: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const distinct = [...new Set(codes)];
  if (distinct.length === 0) {
    return names;
  }

  for (let start = 0; start < distinct.length; start += CODES_PER_QUERY) {
    const rows = await db
      .selectFrom("administrative_areas")
      .select(["code", "name"])
      .where("code", "in", distinct.slice(start, start + CODES_PER_QUERY))
      .execute();
    for (const row of rows) {
      names.set(row.code, row.name);
    }
  }
  return names;
}

/**
 * Joins the names of a point's areas from the province down, such as
 * "서울특별시 종로구 사직동". Levels without a code or a stored area are
 * left out, and the result is null when no level has a name.
 */
export function formatAreaPath(
  codes: AreaCodes,
  names: ReadonlyMap<string, string>,
): string | null {
  const parts = [
    codes.provinceCode,
    codes.municipalityCode,
    codes.submunicipalityCode,
  ]
    .map((code) => (code === null ? undefined : names.get(code)))
    .filter((name): name is string => name !== undefined);
  return parts.length === 0 ? null : parts.join(" ");
}

/** Returns the area path of one point's codes, reading the names from the store. */
export async function describeAreaCodes(
  db: Kysely<Database>,
  codes: AreaCodes,
): Promise<string | null> {
  const present = [
    codes.provinceCode,
    codes.municipalityCode,
    codes.submunicipalityCode,
  ].filter((code): code is string => code !== null);
  return formatAreaPath(codes, await findAreaNames(db, present));
}
