import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";

import { authorize } from "../../../access/index.js";
import { accessContextOf } from "../../context.js";

const AreasQuery = Type.Object(
  {
    level: Type.Union([
      Type.Literal("province"),
      Type.Literal("municipality"),
      Type.Literal("submunicipality"),
    ]),
  },
  { additionalProperties: false },
);

/** Administrative boundaries as GeoJSON, the base layers of the map. */
export const areaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/areas",
    { schema: { querystring: AreasQuery } },
    async (request, reply) => {
      const context = accessContextOf(request);
      authorize(context.caller, "area.view");

      const areas = await context.db
        .selectFrom("administrative_areas")
        .select(["code", "name", "name_eng", "level", "geometry"])
        .where("level", "=", request.query.level)
        .orderBy("code")
        .execute();

      // The geometries are stored as GeoJSON text; splicing them in unparsed
      // saves parsing and serialising megabytes on every request.
      const features = areas.map(
        (area) =>
          `{"type":"Feature","properties":${JSON.stringify({
            code: area.code,
            name: area.name,
            nameEng: area.name_eng,
            level: area.level,
          })},"geometry":${area.geometry}}`,
      );
      return reply
        .type("application/geo+json")
        .send(
          `{"type":"FeatureCollection","features":[${features.join(",")}]}`,
        );
    },
  );
};
