import type { Kysely } from "kysely";

import type { Database } from "../store/index.js";
import { AreaLabeller, type AreaCodes } from "./labeller.js";
import { shapeOfArea } from "./load.js";

/**
 * Labels one point, reading only the areas whose bounding box contains it.
 * Requests that add a single visit use this in place of a labeller over
 * every stored area.
 */
export async function labelPoint(
  db: Kysely<Database>,
  latitude: number,
  longitude: number,
): Promise<AreaCodes> {
  const rows = await db
    .selectFrom("administrative_areas")
    .selectAll()
    .where("min_longitude", "<=", longitude)
    .where("max_longitude", ">=", longitude)
    .where("min_latitude", "<=", latitude)
    .where("max_latitude", ">=", latitude)
    .execute();

  const labeller = new AreaLabeller(rows.map(shapeOfArea));
  return labeller.label(latitude, longitude);
}
