import type { FastifyInstance } from "fastify";

import {
  isAddressAllowed,
  resumeSession,
  sessionStageOf,
} from "../accounts/index.js";
import { AppError } from "../errors.js";
import { SESSION_COOKIE, sessionLimitsOf } from "./context.js";

/**
 * Adds a hook that resolves the session cookie of every API request to its
 * caller. Routes decide themselves whether they need one.
 */
export function registerAuthentication(app: FastifyInstance): void {
  app.decorateRequest("caller", null);
  app.decorateRequest("sessionToken", null);
  app.decorateRequest("sessionId", null);
  app.decorateRequest("sessionStage", null);

  app.addHook("onRequest", async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token === undefined || token === "") {
      return;
    }

    const { store, settings } = request.server.services;
    const session = await resumeSession(
      store.db,
      token,
      sessionLimitsOf(settings),
    );
    if (session === null) {
      return;
    }
    if (!isAddressAllowed(session.organisation, request.ip)) {
      request.log.info(
        { userId: session.user.id, organisationId: session.organisation.id },
        "session used from a network outside the allow-list",
      );
      throw new AppError(
        "address_not_allowed",
        "This session cannot be used from this network; connect through your organisation's dedicated network or VPN.",
      );
    }
    request.sessionToken = token;
    request.sessionId = session.sessionId;
    request.sessionStage = sessionStageOf(
      session.user,
      session.organisation,
      session.secondFactorAt,
    );
    request.caller = {
      user: session.user,
      organisation: session.organisation,
      sourceAddress: request.ip,
    };
  });
}
