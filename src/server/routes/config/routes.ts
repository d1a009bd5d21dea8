import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

import { VERSION } from "../../version.js";

/** Settings the web app needs before login. */
export const configRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get("/config", async () => ({
    mapStyleUrl: app.services.settings.mapStyleUrl,
    version: VERSION,
  }));

  app.get("/health", async () => ({ status: "ok" }));
};
