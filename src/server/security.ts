import fastifyHelmet from "@fastify/helmet";
import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";

import { AppError } from "../errors.js";

/** Methods that change state and so need a same-origin request. */
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface SecurityOptions {
  /** Style URL of a self-hosted tile server, whose origin the map may fetch from. */
  mapStyleUrl: string | null;
  /** Login attempts per address and minute. */
  loginAttemptsPerMinute: number;
}

/**
 * Adds security headers (a content security policy that lets the map run
 * its workers from blob URLs and fetch only from this origin and the tile
 * server), a same-origin check against cross-site request forgery, and a
 * rate limit on login.
 */
export async function registerSecurity(
  app: FastifyInstance,
  options: SecurityOptions,
): Promise<void> {
  const tileOrigin =
    options.mapStyleUrl === null ? [] : [new URL(options.mapStyleUrl).origin];

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'", ...tileOrigin],
        imgSrc: ["'self'", "data:", "blob:", ...tileOrigin],
        workerSrc: ["'self'", "blob:"],
        childSrc: ["'self'", "blob:"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        fontSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: false,
  });

  await app.register(fastifyRateLimit, {
    global: false,
    max: options.loginAttemptsPerMinute,
    timeWindow: 60_000,
  });

  app.addHook("onRequest", async (request) => {
    if (!UNSAFE_METHODS.has(request.method)) {
      return;
    }
    const origin = request.headers.origin;
    if (origin === undefined) {
      return;
    }
    const host = request.headers.host;
    if (host === undefined || new URL(origin).host !== host) {
      throw new AppError(
        "forbidden",
        `Cross-origin ${request.method} rejected: the request came from ${origin}, not from this server.`,
      );
    }
  });
}
