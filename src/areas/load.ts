import type { Kysely } from "kysely";
import type { MultiPolygon, Polygon } from "geojson";

import type { AdministrativeArea, Database } from "../store/index.js";
import { AreaLabeller, type AreaShape } from "./labeller.js";

/** Builds a labeller from every administrative area in the store. */
export async function loadAreaLabeller(
  db: Kysely<Database>,
): Promise<AreaLabeller> {
  const rows = await db
    .selectFrom("administrative_areas")
    .select([
      "code",
      "level",
      "base_year",
      "min_longitude",
      "min_latitude",
      "max_longitude",
      "max_latitude",
      "geometry",
    ])
    .execute();

  return new AreaLabeller(rows.map(shapeOfArea));
}

/** Converts a stored area to the shape the labeller takes, parsing its geometry. */
export function shapeOfArea(
  row: Omit<AdministrativeArea, "name" | "name_eng" | "parent_code">,
): AreaShape {
  return {
    code: row.code,
    level: row.level,
    baseYear: row.base_year,
    minLongitude: row.min_longitude,
    minLatitude: row.min_latitude,
    maxLongitude: row.max_longitude,
    maxLatitude: row.max_latitude,
    geometry: JSON.parse(row.geometry) as Polygon | MultiPolygon,
  };
}
