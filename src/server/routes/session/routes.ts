import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

import { auditActorOf } from "../../../access/index.js";
import {
  checkPasswordRule,
  closeSession,
  logIn,
  setPassword,
  verifyPassword,
} from "../../../accounts/index.js";
import { appendAuditEvent } from "../../../audit/index.js";
import { AppError } from "../../../errors.js";
import { SESSION_COOKIE, sessionLimitsOf } from "../../context.js";
import { presentMe } from "../../presenters/user.js";
import { LoginBody, PasswordChangeBody } from "./schema.js";

/** Login, logout, the current user and the change of one's own password. */
export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
      return { user: presentMe(user, organisation) };
    },
  );

  app.get("/session", async (request) => {
    const caller = request.caller;
    if (caller === null) {
      throw new AppError(
        "authentication_required",
        "No session: sign in first.",
      );
    }
    return { user: presentMe(caller.user, caller.organisation) };
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
      const caller = request.caller;
      if (caller === null) {
        throw new AppError(
          "authentication_required",
          "No session: sign in first.",
        );
      }
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
