import type { Kysely } from "kysely";

import { appendAuditEvent } from "../audit/index.js";
import { AppError } from "../errors.js";
import type { Database, User } from "../store/index.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { openSession, type SessionLimits } from "./sessions.js";

export interface LoginAttempt {
  username: string;
  password: string;
  sourceAddress: string | null;
}

export interface LoginResult {
  token: string;
  user: User;
}

/** A hash to check against when the username is unknown, so that both cases take as long. */
let decoyHash: Promise<string> | undefined;

/**
 * Checks a username and password and opens a session. Every attempt writes
 * an audit event; a failure says only that the credentials are invalid,
 * never which part was wrong.
 */
export async function logIn(
  db: Kysely<Database>,
  attempt: LoginAttempt,
  limits: SessionLimits,
  now: number = Date.now(),
): Promise<LoginResult> {
  const user = await db
    .selectFrom("users")
    .selectAll()
    .where("username", "=", attempt.username)
    .executeTakeFirst();

  decoyHash ??= hashPassword("decoy password that matches no account");
  const hash = user?.password_hash ?? (await decoyHash);
  const matches = await verifyPassword(hash, attempt.password);
  const allowed = user !== undefined && matches && user.disabled_at === null;

  await appendAuditEvent(db, {
    actor: {
      userId: user?.id ?? null,
      username: user?.username ?? "(unknown)",
      role: user?.role ?? null,
      organisationId: user?.organisation_id ?? null,
      sourceAddress: attempt.sourceAddress,
    },
    action: "session.login",
    result: allowed ? "succeeded" : "failed",
    occurredAt: now,
    detail: allowed ? {} : { reason: failureReason(user, matches) },
  });
  if (!allowed) {
    throw new AppError("invalid_credentials", "Invalid username or password.");
  }

  await db
    .updateTable("users")
    .set({ last_login_at: now })
    .where("id", "=", user.id)
    .execute();
  const token = await openSession(db, user.id, limits, now);
  return { token, user };
}

function failureReason(user: User | undefined, matches: boolean): string {
  if (user === undefined) {
    return "unknown_user";
  }
  if (!matches) {
    return "wrong_password";
  }
  return "disabled";
}
