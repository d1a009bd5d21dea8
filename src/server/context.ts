import type { FastifyRequest } from "fastify";

import type { AccessContext, Caller } from "../access/index.js";
import type { LoginPolicy } from "../accounts/index.js";
import type { Settings } from "../config/settings.js";
import { AppError } from "../errors.js";
import type { Store } from "../store/index.js";

/** What every route handler works with. */
export interface Services {
  store: Store;
  settings: Settings;
}

declare module "fastify" {
  interface FastifyInstance {
    services: Services;
  }
  interface FastifyRequest {
    /** The signed-in user of the request, or null before authentication. */
    caller: Caller | null;
    sessionToken: string | null;
  }
}

/** Name of the cookie that carries the session token. */
export const SESSION_COOKIE = "epitrace_session";

/** Session limits and the lockout threshold from the settings. */
export function sessionLimitsOf(settings: Settings): LoginPolicy {
  return {
    idleMinutes: settings.sessionIdleMinutes,
    maxHours: settings.sessionMaxHours,
    maxFailures: settings.loginMaxFailures,
  };
}

/**
 * Returns the access context of a signed-in request, raising
 * `authentication_required` without a session and
 * `password_change_required` while a one-time password is in use.
 */
export function accessContextOf(request: FastifyRequest): AccessContext {
  const caller = request.caller;
  if (caller === null) {
    throw new AppError(
      "authentication_required",
      "Sign in first: this request needs a session.",
    );
  }
  if (caller.user.password_must_change === 1) {
    throw new AppError(
      "password_change_required",
      "Change the one-time password before anything else (POST /api/session/password).",
    );
  }
  return { db: request.server.services.store.db, caller };
}
