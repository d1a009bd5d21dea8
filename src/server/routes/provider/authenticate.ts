import type { FastifyInstance, FastifyRequest } from "fastify";

import { AppError } from "../../../errors.js";
import {
  authenticateProviderKey,
  clientCertificateOf,
  type ProviderKeyCaller,
} from "../../../providers/index.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The provider whose API key authenticated the request, on provider API routes only. */
    providerCaller: ProviderKeyCaller | null;
  }
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Adds a hook to the provider API's routes that resolves the
 * `Authorization: Bearer <key>` header to a provider caller. The provider
 * API takes API keys only: a session cookie does not open it.
 */
export function registerProviderKeyAuthentication(app: FastifyInstance): void {
  app.decorateRequest("providerCaller", null);

  app.addHook("onRequest", async (request) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : BEARER.exec(header);
    if (match === null || match[1] === undefined) {
      throw missingKeyError(request);
    }
    request.providerCaller = await authenticateProviderKey(
      request.server.services.store.db,
      match[1],
      request.ip,
      Date.now(),
      clientCertificateOf(request.raw.socket),
    );
  });
}

function missingKeyError(request: FastifyRequest): AppError {
  if (request.caller !== null) {
    return new AppError(
      "forbidden",
      "The provider API takes a provider API key, not a session: send it as `Authorization: Bearer <key>`.",
    );
  }
  return new AppError(
    "authentication_required",
    "Send the provider API key as `Authorization: Bearer <key>`.",
  );
}

/** Returns the provider caller of a request that passed the key hook. */
export function providerCallerOf(request: FastifyRequest): ProviderKeyCaller {
  if (request.providerCaller === null) {
    throw new AppError(
      "authentication_required",
      "Send the provider API key as `Authorization: Bearer <key>`.",
    );
  }
  return request.providerCaller;
}
