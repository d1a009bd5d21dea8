import fastifyCookie from "@fastify/cookie";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { ServerOptions as HttpsServerOptions } from "node:https";
import type { Logger } from "pino";

import { registerAuthentication } from "./authenticate.js";
import type { Services } from "./context.js";
import { registerErrorHandler } from "./error-handler.js";
import { adminRoutes } from "./routes/admin/routes.js";
import { analysisRoutes } from "./routes/analysis/routes.js";
import { areaRoutes } from "./routes/areas/routes.js";
import { auditRoutes } from "./routes/audit/routes.js";
import { caseExportRoutes } from "./routes/cases/export-routes.js";
import { caseRoutes } from "./routes/cases/routes.js";
import { configRoutes } from "./routes/config/routes.js";
import { notificationRoutes } from "./routes/notifications/routes.js";
import { providerRoutes } from "./routes/provider/routes.js";
import { requestRoutes } from "./routes/requests/routes.js";
import { sessionRoutes } from "./routes/session/routes.js";
import { caseUploadRoutes } from "./routes/uploads/routes.js";
import { registerSecurity } from "./security.js";
import { registerWebApp } from "./static.js";
import { VERSION } from "./version.js";

export interface AppOptions {
  services: Services;
  logger: Logger;
  /** HTTPS options, such as those of `readServerTlsOptions`; default plain HTTP. */
  https?: HttpsServerOptions | null;
}

/** Builds the HTTP server: the JSON API under /api, its OpenAPI description and the web app. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  // The HTTPS server has the same request API, so the app keeps the HTTP
  // instance type whichever server runs it.
  const app = (Fastify as (opts: object) => FastifyInstance)({
    https: options.https ?? null,
    loggerInstance: options.logger as FastifyBaseLogger,
    trustProxy: false,
    bodyLimit: 1_048_576,
    // Unknown fields are rejected, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate("services", options.services);
  registerErrorHandler(app);
  await registerSecurity(app, {
    mapStyleUrl: options.services.settings.mapStyleUrl,
    loginAttemptsPerMinute: options.services.settings.loginAttemptsPerMinute,
  });
  await app.register(fastifyCookie);
  registerAuthentication(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: "epitrace API", version: VERSION },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "epitrace_session" },
        },
      },
      security: [{ session: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/api/docs" });

  await app.register(
    async (api) => {
      await api.register(configRoutes);
      await api.register(sessionRoutes);
      await api.register(caseRoutes);
      await api.register(caseUploadRoutes);
      await api.register(caseExportRoutes);
      await api.register(adminRoutes);
      await api.register(areaRoutes);
      await api.register(requestRoutes);
      await api.register(providerRoutes);
      await api.register(notificationRoutes);
      await api.register(auditRoutes);
      await api.register(analysisRoutes);
      api.get("/openapi.json", { schema: { hide: true } }, () => app.swagger());
    },
    { prefix: "/api" },
  );
  await registerWebApp(app);

  return app;
}
