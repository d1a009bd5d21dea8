import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";

import { exportCaseMovements } from "../../../exports/index.js";
import { accessContextOf } from "../../context.js";
import { CaseIdParams } from "./schema.js";

const ExportBody = Type.Object(
  {
    format: Type.Union([Type.Literal("csv"), Type.Literal("geojson")]),
    // The use case checks the stated limit with a clearer message; this
    // bound only keeps oversized bodies out.
    reason: Type.String({ maxLength: 4_000 }),
  },
  { additionalProperties: false },
);

/** Exports of a case's movements, returned as a file to save. */
export const caseExportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/cases/:id/exports",
    { schema: { params: CaseIdParams, body: ExportBody } },
    async (request, reply) => {
      const file = await exportCaseMovements(
        accessContextOf(request),
        request.params.id,
        request.body,
      );
      return reply
        .header("content-type", file.contentType)
        .header(
          "content-disposition",
          `attachment; filename="${file.fileName}"`,
        )
        .header("cache-control", "no-store")
        .header("x-content-sha256", file.sha256)
        .send(file.body);
    },
  );
};
