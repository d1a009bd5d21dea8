import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

import { auditActorOf } from "../../../access/index.js";
import {
  checkPasswordRule,
  closeSession,
  logIn,
  sessionStageOf,
  setPassword,
  verifyPassword,
} from "../../../accounts/index.js";
import { appendAuditEvent } from "../../../audit/index.js";
import { AppError } from "../../../errors.js";
import { SESSION_COOKIE, sessionAt, sessionLimitsOf } from "../../context.js";
import { presentSession } from "../../presenters/user.js";
import { LoginBody, PasswordChangeBody } from "./schema.js";
import { secondFactorRoutes } from "./second-factor-routes.js";

/**
 * Login, logout, the current user, the change of one's own password and
 * the second factor.
 */
export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(secondFactorRoutes);

  app.post(
    "/session",
    { schema: { body: LoginBody }, config: { rateLimit: {} } },
    async (request, reply) => {
      const { store, settings } = app.services;
      const { token, user } = await logIn(
        store.db,
        { ...request.body, sourceAddress: request.ip },
        sessionLimitsOf(settings),
      );
      const organisation = await store.db
        .selectFrom("organisations")
        .selectAll()
        .where("id", "=", user.organisation_id)
        .executeTakeFirstOrThrow();

      void reply.setCookie(SESSION_COOKIE, token, {
        path: "/",
        httpOnly: true,
        sameSite: "strict",
        secure: settings.secureCookies,
        maxAge: settings.sessionMaxHours * 3600,
      });
      const stage = sessionStageOf(user, organisation, null);
      return presentSession(stage, user, organisation);
    },
  );

  app.get("/session", async (request) => {
    const session = sessionAt(request, ["complete", "password_change"]);
    const { user, organisation } = session.caller;
    return presentSession(session.stage, user, organisation);
  });

  app.delete("/session", async (request, reply) => {
    const caller = request.caller;
    if (caller !== null && request.sessionToken !== null) {
      await closeSession(app.services.store.db, request.sessionToken);
      await appendAuditEvent(app.services.store.db, {
        actor: auditActorOf(caller),
        action: "session.logout",
        result: "succeeded",
      });
    }
    void reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return reply.status(204).send();
  });

  app.post(
    "/session/password",
    { schema: { body: PasswordChangeBody } },
    async (request, reply) => {
      const { caller } = sessionAt(request, ["complete", "password_change"]);
      const { currentPassword, newPassword } = request.body;
      const { db } = app.services.store;

      if (!(await verifyPassword(caller.user.password_hash, currentPassword))) {
        throw new AppError(
          "invalid_credentials",
          "The current password is wrong.",
        );
      }
      const ruleBroken = checkPasswordRule(newPassword);
      if (ruleBroken !== null) {
        throw new AppError("password_rule", ruleBroken);
      }
      if (newPassword === currentPassword) {
        throw new AppError(
          "password_rule",
          "The new password must differ from the current one.",
        );
      }

      await setPassword(db, caller.user.id, newPassword);
      await appendAuditEvent(db, {
        actor: auditActorOf(caller),
        action: "session.password_change",
        result: "succeeded",
      });
      return reply.status(204).send();
    },
  );
};
