import type { Transaction } from "kysely";

import { auditActorOf } from "../access/index.js";
import { appendAuditEvent } from "../audit/index.js";
import { AppError } from "../errors.js";
import type { Database, User } from "../store/index.js";
import { countUnusedRecoveryCodes, useRecoveryCode } from "./recovery-codes.js";
import type { SecondFactorServices, SessionCaller } from "./session-stage.js";
import { markSecondFactorDone } from "./sessions.js";
import { openTotpSecret, type TotpSecretKey } from "./totp-secrets.js";
import { matchTotpCode } from "./totp.js";

/** A second-factor step of login: a TOTP code or one of the recovery codes. */
export type SecondFactorAttempt = { code: string } | { recoveryCode: string };

type AttemptOutcome =
  | { kind: "succeeded" }
  | { kind: "failed" }
  | { kind: "locked"; maxFailures: number };

/**
 * Completes the second factor of a half-open session. Every attempt writes
 * an audit event. A failed attempt counts towards the same lockout as a
 * wrong password, and the attempt that reaches the limit locks the account
 * and ends the session.
 */
export async function completeSecondFactor(
  services: SecondFactorServices,
  session: SessionCaller,
  attempt: SecondFactorAttempt,
  now: number = Date.now(),
): Promise<void> {
  // One transaction per attempt, so that two attempts cannot both use the
  // same code or both read the same failure count.
  const outcome = await services.db
    .transaction()
    .execute((trx) => checkAttempt(trx, services, session, attempt, now));

  if (outcome.kind === "locked") {
    throw new AppError(
      "account_locked",
      `This account is locked after ${outcome.maxFailures} failed logins in a row; ask an administrator to unlock it.`,
    );
  }
  if (outcome.kind === "failed") {
    throw new AppError(
      "invalid_credentials",
      "Invalid or already used code: enter the current code of the authenticator app or an unused recovery code.",
    );
  }
}

async function checkAttempt(
  trx: Transaction<Database>,
  services: SecondFactorServices,
  session: SessionCaller,
  attempt: SecondFactorAttempt,
  now: number,
): Promise<AttemptOutcome> {
  const policy = { maxFailures: services.maxFailures };
  const user = await findUser(trx, session.caller.user.id);
  const actor = auditActorOf(session.caller);
  const action =
    "code" in attempt ? "session.second_factor" : "session.recovery_code";
  if (user.totp_enabled_at === null || user.totp_secret === null) {
    throw new AppError(
      "conflict",
      "This account has no second factor to complete; enrol one with POST /api/session/second-factor/enrolment.",
    );
  }
  if (user.locked_at !== null) {
    await appendAuditEvent(trx, {
      actor,
      action,
      result: "failed",
      occurredAt: now,
      detail: { reason: "locked" },
    });
    return { kind: "locked", maxFailures: policy.maxFailures };
  }

  const failure =
    "code" in attempt
      ? await checkTotp(trx, services.secretKey, user, attempt.code, now)
      : await checkRecoveryCode(trx, user, attempt.recoveryCode, now);
  if (failure === null) {
    await trx
      .updateTable("users")
      .set({ failed_login_count: 0, last_login_at: now })
      .where("id", "=", user.id)
      .execute();
    await markSecondFactorDone(trx, session.sessionId, now);
    const detail =
      "code" in attempt
        ? {}
        : { recoveryCodesLeft: await countUnusedRecoveryCodes(trx, user.id) };
    await appendAuditEvent(trx, {
      actor,
      action,
      result: "succeeded",
      occurredAt: now,
      detail,
    });
    return { kind: "succeeded" };
  }

  return recordFailure(
    trx,
    session,
    user,
    { action, reason: failure },
    policy,
    now,
  );
}

/** Accepts a TOTP code once. Returns null on success, or the reason it failed. */
async function checkTotp(
  trx: Transaction<Database>,
  secretKey: TotpSecretKey,
  user: User,
  code: string,
  now: number,
): Promise<string | null> {
  const secret = openTotpSecret(secretKey, user.id, user.totp_secret ?? "");
  const match = matchTotpCode(secret, code, now, user.totp_last_used_step);
  if (match === null) {
    return "invalid_code";
  }
  if (match.reused) {
    return "reused_code";
  }
  await trx
    .updateTable("users")
    .set({ totp_last_used_step: match.step })
    .where("id", "=", user.id)
    .execute();
  return null;
}

/** Uses a recovery code once. Returns null on success, or the reason it failed. */
async function checkRecoveryCode(
  trx: Transaction<Database>,
  user: User,
  code: string,
  now: number,
): Promise<string | null> {
  const outcome = await useRecoveryCode(trx, user.id, code, now);
  if (outcome === "used") {
    return null;
  }
  return outcome === "used_before"
    ? "reused_recovery_code"
    : "invalid_recovery_code";
}

/** Counts a failed attempt, locking the account and ending the session at the limit. */
async function recordFailure(
  trx: Transaction<Database>,
  session: SessionCaller,
  user: User,
  failure: { action: string; reason: string },
  policy: { maxFailures: number },
  now: number,
): Promise<AttemptOutcome> {
  const failedLogins = user.failed_login_count + 1;
  const lockedNow = failedLogins >= policy.maxFailures;
  const actor = auditActorOf(session.caller);

  await trx
    .updateTable("users")
    .set({
      failed_login_count: failedLogins,
      locked_at: lockedNow ? now : null,
    })
    .where("id", "=", user.id)
    .execute();
  await appendAuditEvent(trx, {
    actor,
    action: failure.action,
    result: "failed",
    occurredAt: now,
    detail: { reason: failure.reason },
  });
  if (!lockedNow) {
    return { kind: "failed" };
  }

  await trx
    .deleteFrom("sessions")
    .where("id", "=", session.sessionId)
    .execute();
  await appendAuditEvent(trx, {
    actor,
    action: "account.lock",
    result: "succeeded",
    occurredAt: now,
    detail: { failedLogins },
  });
  return { kind: "locked", maxFailures: policy.maxFailures };
}

async function findUser(
  db: Transaction<Database>,
  userId: string,
): Promise<User> {
  return db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
}
