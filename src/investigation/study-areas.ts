import type { Kysely } from "kysely";
import type { MultiPolygon, Polygon } from "geojson";

import {
  AreaLabeller,
  CODE_LENGTH_BY_LEVEL,
  representativePoint,
  shapeOfArea,
} from "../areas/index.js";
import type { AreaLabelFunction } from "../analysis/route/index.js";
import { AppError } from "../errors.js";
import type { Case, Database } from "../store/index.js";
import { loadCasesInScope } from "./scope.js";
import { loadStays, type StoredRouteStay } from "./store-stays.js";

/** Levels of administrative area that hotspot searches count stays in. */
export type HotspotAreaLevel = "municipality" | "submunicipality";

/** si/gun/gu (시군구), the level of the area searches unless one is chosen. */
export const DEFAULT_HOTSPOT_AREA_LEVEL: HotspotAreaLevel = "municipality";

/** A stored administrative area with its position and outline. */
export interface StudyArea {
  /** KOSTAT census code. */
  readonly code: string;
  readonly name: string;
  /** Position of the area: the centroid, or a point inside when the centroid lies outside. */
  readonly latitude: number;
  readonly longitude: number;
  readonly geometry: Polygon | MultiPolygon;
}

/** The stored areas of one level and a labeller that names a position's area among them. */
export interface AreaLevelIndex {
  readonly areas: ReadonlyMap<string, StudyArea>;
  /** Returns the code of the area of this level that contains the position, or null. */
  readonly labelArea: AreaLabelFunction;
}

/**
 * Loads every stored area of a level. Raises `validation_failed` when none
 * is stored, because the search would count nothing.
 */
export async function loadAreaLevel(
  db: Kysely<Database>,
  level: HotspotAreaLevel,
): Promise<AreaLevelIndex> {
  const rows = await db
    .selectFrom("administrative_areas")
    .selectAll()
    .where("level", "=", level)
    .orderBy("code")
    .execute();
  if (rows.length === 0) {
    throw new AppError(
      "validation_failed",
      `No administrative areas of level ${level} are stored: import KOSTAT boundaries with \`epitrace import boundaries\`, or count on the H3 grid.`,
    );
  }

  const shapes = rows.map(shapeOfArea);
  const areas = new Map<string, StudyArea>();
  for (const [index, row] of rows.entries()) {
    const geometry = shapes[index]!.geometry;
    areas.set(row.code, {
      code: row.code,
      name: row.name,
      ...representativePoint(geometry),
      geometry,
    });
  }
  const labeller = new AreaLabeller(shapes);
  const labelArea: AreaLabelFunction = (position) => {
    const codes = labeller.label(position.latitude, position.longitude);
    return level === "municipality"
      ? codes.municipalityCode
      : codes.submunicipalityCode;
  };
  return { areas, labelArea };
}

/**
 * Raises `validation_failed` when a search names an option of the other
 * unit: a resolution with `unit=area`, or an area level with H3 cells.
 */
export function checkUnitOptions(query: {
  unit?: "h3" | "area" | undefined;
  resolution?: number | undefined;
  areaLevel?: HotspotAreaLevel | undefined;
}): void {
  if (query.unit === "area" && query.resolution !== undefined) {
    throw new AppError(
      "validation_failed",
      "Invalid resolution with unit=area: the H3 resolution applies to unit=h3; leave it out or choose unit=h3.",
    );
  }
  if (query.unit !== "area" && query.areaLevel !== undefined) {
    throw new AppError(
      "validation_failed",
      "Invalid areaLevel without unit=area: give unit=area to count per administrative area.",
    );
  }
}

/**
 * Loads the stays of the cases in scope (every case when
 * `organisationId` is null), each labelled with its area of `level`, and
 * the areas of that level. Without a level the stays carry no area.
 */
export async function loadCaseStays(
  db: Kysely<Database>,
  organisationId: string | null,
  level: HotspotAreaLevel | null,
): Promise<{
  cases: Case[];
  stays: StoredRouteStay[];
  areaIndex: AreaLevelIndex | null;
}> {
  const areaIndex = level === null ? null : await loadAreaLevel(db, level);
  const cases = await loadCasesInScope(db, organisationId);
  const stays = await loadStays(db, {
    personIds: cases.map((kase) => kase.person_id),
    ...(areaIndex === null ? {} : { labelArea: areaIndex.labelArea }),
  });
  return { cases, stays, areaIndex };
}

/**
 * Returns the study areas of a search: every stored area of the level in
 * the provinces (시도) of the areas with a stay, those without stays
 * included, so that a busy area is compared with its quiet surroundings.
 */
export function studyAreasOf(
  index: AreaLevelIndex,
  busyCodes: Iterable<string>,
): StudyArea[] {
  const provinceLength = CODE_LENGTH_BY_LEVEL.province;
  const provinces = new Set(
    [...busyCodes].map((code) => code.slice(0, provinceLength)),
  );
  return [...index.areas.values()].filter((area) =>
    provinces.has(area.code.slice(0, provinceLength)),
  );
}
