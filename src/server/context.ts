import type { FastifyRequest } from "fastify";

import type { Caller } from "../access/index.js";
import type {
  LoginPolicy,
  SessionCaller,
  SessionStage,
} from "../accounts/index.js";
import type { Settings } from "../config/settings.js";
import { AppError } from "../errors.js";
import type { FieldKeys, KeyedAccessContext } from "../privacy/index.js";
import type { Store } from "../store/index.js";

/** What every route handler works with. */
export interface Services {
  store: Store;
  settings: Settings;
  /** The master key, the per-case data keys and the lookup key, loaded once. */
  keys: FieldKeys;
}

declare module "fastify" {
  interface FastifyInstance {
    services: Services;
  }
  interface FastifyRequest {
    /** The signed-in user of the request, or null before authentication. */
    caller: Caller | null;
    sessionToken: string | null;
    /** Id of the session row (the hash of the token), or null before authentication. */
    sessionId: string | null;
    /** How far the session got through login, or null before authentication. */
    sessionStage: SessionStage | null;
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
 * Returns the access context of a request whose session completed login,
 * raising `authentication_required` without a session,
 * `second_factor_required` while the session is half-open and
 * `password_change_required` while a one-time password is in use.
 */
export function accessContextOf(request: FastifyRequest): KeyedAccessContext {
  const { caller } = sessionAt(request, ["complete"]);
  const { store, keys } = request.server.services;
  return { db: store.db, caller, keys };
}

/**
 * Returns the caller and session of a request whose session is at one of
 * `stages`, raising `authentication_required` without a session and the
 * error of the session's stage otherwise.
 */
export function sessionAt(
  request: FastifyRequest,
  stages: readonly SessionStage[],
): SessionCaller & { stage: SessionStage } {
  const { caller, sessionId, sessionStage } = request;
  if (caller === null || sessionId === null || sessionStage === null) {
    throw new AppError(
      "authentication_required",
      "Sign in first: this request needs a session.",
    );
  }
  if (!stages.includes(sessionStage)) {
    throw stageError(sessionStage);
  }
  return { caller, sessionId, stage: sessionStage };
}

/** Returns the error for a request that the session's stage does not allow. */
function stageError(stage: SessionStage): AppError {
  switch (stage) {
    case "second_factor":
      return new AppError(
        "second_factor_required",
        "Complete the second factor first (POST /api/session/second-factor with a code or a recovery code).",
      );
    case "enrolment":
      return new AppError(
        "second_factor_required",
        "Enrol a second factor first (POST /api/session/second-factor/enrolment): this role works with personal data.",
      );
    case "password_change":
      return new AppError(
        "password_change_required",
        "Change the one-time password before anything else (POST /api/session/password).",
      );
    case "complete":
      return new AppError(
        "conflict",
        "This session has completed login already.",
      );
  }
}
