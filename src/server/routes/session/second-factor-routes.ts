import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";

import {
  completeSecondFactor,
  confirmEnrolment,
  deriveTotpSecretKey,
  secondFactorStatusOf,
  sessionStageOf,
  startEnrolment,
  type SecondFactorServices,
  type SessionCaller,
} from "../../../accounts/index.js";
import type { Database } from "../../../store/index.js";
import { sessionAt } from "../../context.js";
import { presentSession } from "../../presenters/user.js";
import { EnrolmentConfirmationBody, SecondFactorBody } from "./schema.js";

/**
 * Serves the second factor of login: its status, the TOTP code or
 * recovery code that completes a half-open session, and the enrolment of
 * a TOTP secret.
 */
export const secondFactorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, settings, keys } = app.services;
  // The key follows the current master key, so a rotation needs no restart.
  const services: SecondFactorServices = {
    db: store.db,
    get secretKey() {
      return deriveTotpSecretKey(keys.master);
    },
    maxFailures: settings.loginMaxFailures,
  };

  app.get("/session/second-factor", async (request) => {
    const session = sessionAt(request, [
      "second_factor",
      "enrolment",
      "password_change",
      "complete",
    ]);
    const status = await secondFactorStatusOf(store.db, session.caller);
    return { stage: session.stage, ...status };
  });

  app.post(
    "/session/second-factor",
    { schema: { body: SecondFactorBody }, config: { rateLimit: {} } },
    async (request) => {
      const session = sessionAt(request, ["second_factor"]);
      const now = Date.now();

      await completeSecondFactor(services, session, request.body, now);
      return presentSessionAfter(store.db, session, now);
    },
  );

  app.post("/session/second-factor/enrolment", async (request) => {
    const session = sessionAt(request, ["enrolment", "complete"]);
    return startEnrolment(services, session);
  });

  app.post(
    "/session/second-factor/enrolment/confirmation",
    { schema: { body: EnrolmentConfirmationBody } },
    async (request) => {
      const session = sessionAt(request, ["enrolment", "complete"]);
      const now = Date.now();

      const recoveryCodes = await confirmEnrolment(
        services,
        session,
        request.body.code,
        now,
      );
      return {
        recoveryCodes,
        ...(await presentSessionAfter(store.db, session, now)),
      };
    },
  );
};

/** Presents the session once its second factor is done, with the account as stored now. */
async function presentSessionAfter(
  db: Kysely<Database>,
  session: SessionCaller,
  secondFactorAt: number,
) {
  const user = await db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", session.caller.user.id)
    .executeTakeFirstOrThrow();
  const { organisation } = session.caller;
  const stage = sessionStageOf(user, organisation, secondFactorAt);
  return presentSession(stage, user, organisation);
}
