import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** Folder of the built web app: dist/web at the repository root. */
export const WEB_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../dist/web",
);

/**
 * Serves the built web app, and index.html for every other path outside
 * /api so that the app's own routes load on a reload. Without a build, the
 * pages answer with a message that says how to build it.
 */
export async function registerWebApp(app: FastifyInstance): Promise<void> {
  const hasBuild = fs.existsSync(path.join(WEB_ROOT, "index.html"));
  if (hasBuild) {
    await app.register(fastifyStatic, { root: WEB_ROOT, wildcard: false });
  }

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split("?")[0] ?? "";
    if (pathname.startsWith("/api/") || request.method !== "GET") {
      return reply.status(404).send({
        error: {
          code: "not_found",
          message: `No route ${request.method} ${pathname}.`,
        },
      });
    }
    if (!hasBuild) {
      return reply
        .status(503)
        .type("text/plain")
        .send(
          "The web app is not built: run `npm run build:web`, then reload.",
        );
    }
    return reply.type("text/html").sendFile("index.html");
  });
}
