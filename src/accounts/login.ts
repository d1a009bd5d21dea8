import type { Kysely } from "kysely";

import { appendAuditEvent } from "../audit/index.js";
import { AppError } from "../errors.js";
import type { Database, User } from "../store/index.js";
import { isAddressAllowed } from "./networks.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { openSession, type SessionLimits } from "./sessions.js";

export interface LoginAttempt {
  username: string;
  password: string;
  sourceAddress: string | null;
}

export interface LoginPolicy extends SessionLimits {
  /** Failed logins in a row that lock the account. */
  maxFailures: number;
}

export interface LoginResult {
  token: string;
  user: User;
}

type Outcome =
  | "succeeded"
  | "unknown_user"
  | "wrong_password"
  | "disabled"
  | "locked"
  | "address_not_allowed";

/** A hash to check against when the username is unknown, so that both cases take as long. */
let decoyHash: Promise<string> | undefined;

/**
 * Checks a username and password and opens a session, which stays
 * half-open until the second factor is done where the account has or
 * needs one (see `sessionStageOf`). Every attempt writes an audit event.
 * A failure states only that the credentials are invalid, never which part
 * was wrong, except for a locked account, which an administrator has to
 * unlock.
 */
export async function logIn(
  db: Kysely<Database>,
  attempt: LoginAttempt,
  policy: LoginPolicy,
  now: number = Date.now(),
): Promise<LoginResult> {
  const user = await db
    .selectFrom("users")
    .selectAll()
    .where("username", "=", attempt.username)
    .executeTakeFirst();

  decoyHash ??= hashPassword("decoy password that matches no account");
  const matches = await verifyPassword(
    user?.password_hash ?? (await decoyHash),
    attempt.password,
  );
  const outcome = await checkNetwork(
    db,
    user,
    outcomeOf(user, matches),
    attempt.sourceAddress,
  );
  const lockedNow =
    outcome === "wrong_password" &&
    user !== undefined &&
    user.failed_login_count + 1 >= policy.maxFailures;

  await recordAttempt(db, attempt, user, outcome, lockedNow, now);
  if (outcome === "locked" || lockedNow) {
    throw new AppError(
      "account_locked",
      `This account is locked after ${policy.maxFailures} failed logins in a row; ask an administrator to unlock it.`,
    );
  }
  if (outcome === "address_not_allowed") {
    throw new AppError(
      "address_not_allowed",
      "Sign-in from this network is not allowed for your organisation; connect through its dedicated network or VPN.",
    );
  }
  if (outcome !== "succeeded" || user === undefined) {
    throw new AppError("invalid_credentials", "Invalid username or password.");
  }

  const token = await openSession(db, user.id, policy, now);
  return { token, user };
}

/** Turns a successful check into `address_not_allowed` when the organisation's networks exclude the address. */
async function checkNetwork(
  db: Kysely<Database>,
  user: User | undefined,
  outcome: Outcome,
  sourceAddress: string | null,
): Promise<Outcome> {
  if (outcome !== "succeeded" || user === undefined) {
    return outcome;
  }
  const organisation = await db
    .selectFrom("organisations")
    .select("allowed_networks")
    .where("id", "=", user.organisation_id)
    .executeTakeFirstOrThrow();
  return isAddressAllowed(organisation, sourceAddress)
    ? outcome
    : "address_not_allowed";
}

function outcomeOf(user: User | undefined, matches: boolean): Outcome {
  if (user === undefined) {
    return "unknown_user";
  }
  if (user.locked_at !== null) {
    return "locked";
  }
  if (!matches) {
    return "wrong_password";
  }
  return user.disabled_at === null ? "succeeded" : "disabled";
}

/** Updates the account's failure counter and writes the audit events of one attempt. */
async function recordAttempt(
  db: Kysely<Database>,
  attempt: LoginAttempt,
  user: User | undefined,
  outcome: Outcome,
  lockedNow: boolean,
  now: number,
): Promise<void> {
  const actor = {
    userId: user?.id ?? null,
    username: user?.username ?? "(unknown)",
    role: user?.role ?? null,
    organisationId: user?.organisation_id ?? null,
    sourceAddress: attempt.sourceAddress,
  };

  // With a second factor enrolled, the password alone is half of a login:
  // the failure count is kept until the second factor succeeds, so that
  // guesses of codes and of passwords add up to one limit.
  const secondFactorPending =
    user !== undefined && user.totp_enabled_at !== null;

  await db.transaction().execute(async (trx) => {
    if (user !== undefined && outcome === "succeeded" && !secondFactorPending) {
      await trx
        .updateTable("users")
        .set({ last_login_at: now, failed_login_count: 0 })
        .where("id", "=", user.id)
        .execute();
    } else if (user !== undefined && outcome === "wrong_password") {
      await trx
        .updateTable("users")
        .set({
          failed_login_count: user.failed_login_count + 1,
          locked_at: lockedNow ? now : null,
        })
        .where("id", "=", user.id)
        .execute();
    }

    await appendAuditEvent(trx, {
      actor,
      action: "session.login",
      result: outcome === "succeeded" ? "succeeded" : "failed",
      occurredAt: now,
      detail: detailOf(outcome, secondFactorPending),
    });
    if (lockedNow) {
      await appendAuditEvent(trx, {
        actor,
        action: "account.lock",
        result: "succeeded",
        occurredAt: now,
        detail: { failedLogins: (user?.failed_login_count ?? 0) + 1 },
      });
    }
  });
}

function detailOf(
  outcome: Outcome,
  secondFactorPending: boolean,
): Record<string, unknown> {
  if (outcome !== "succeeded") {
    return { reason: outcome };
  }
  return secondFactorPending ? { secondFactor: "pending" } : {};
}
