import { createHash, randomBytes } from "node:crypto";

import type { Kysely } from "kysely";

import type { Database, Organisation, User } from "../store/index.js";

export interface SessionLimits {
  /** A session ends after this many minutes without a request. */
  idleMinutes: number;
  /** A session ends this many hours after login in any case. */
  maxHours: number;
}

export interface SessionUser {
  sessionId: string;
  user: User;
  organisation: Organisation;
  /** When the session completed the second factor, or null. */
  secondFactorAt: number | null;
}

/** Hashes a session token; only the hash is stored, so a copy of the store opens no session. */
function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Opens a session for a user and returns the token for the cookie. */
export async function openSession(
  db: Kysely<Database>,
  userId: string,
  limits: SessionLimits,
  now: number = Date.now(),
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db
    .insertInto("sessions")
    .values({
      id: hashToken(token),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: now + limits.maxHours * 3_600_000,
      second_factor_at: null,
    })
    .execute();
  return token;
}

/**
 * Finds the live session of a token and marks it seen. A session that went
 * idle too long or passed its absolute end is deleted and yields null, as
 * does the session of a disabled account.
 */
export async function resumeSession(
  db: Kysely<Database>,
  token: string,
  limits: SessionLimits,
  now: number = Date.now(),
): Promise<SessionUser | null> {
  const sessionId = hashToken(token);
  const session = await db
    .selectFrom("sessions")
    .selectAll()
    .where("id", "=", sessionId)
    .executeTakeFirst();
  if (session === undefined) {
    return null;
  }

  const idleLimit = session.last_seen_at + limits.idleMinutes * 60_000;
  if (now >= session.expires_at || now >= idleLimit) {
    await closeSession(db, token);
    return null;
  }

  const user = await db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", session.user_id)
    .where("disabled_at", "is", null)
    .executeTakeFirst();
  if (user === undefined) {
    await closeSession(db, token);
    return null;
  }

  const organisation = await db
    .selectFrom("organisations")
    .selectAll()
    .where("id", "=", user.organisation_id)
    .executeTakeFirstOrThrow();
  await db
    .updateTable("sessions")
    .set({ last_seen_at: now })
    .where("id", "=", sessionId)
    .execute();

  return {
    sessionId,
    user,
    organisation,
    secondFactorAt: session.second_factor_at,
  };
}

/** Ends the session of a token, if there is one. */
export async function closeSession(
  db: Kysely<Database>,
  token: string,
): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", hashToken(token)).execute();
}

/** Records that a session completed the second factor. */
export async function markSecondFactorDone(
  db: Kysely<Database>,
  sessionId: string,
  now: number = Date.now(),
): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ second_factor_at: now })
    .where("id", "=", sessionId)
    .execute();
}
