import type { Kysely, Transaction } from "kysely";

import { auditActorOf, type Caller } from "../access/index.js";
import { appendAuditEvent } from "../audit/index.js";
import { AppError } from "../errors.js";
import type { Database, User } from "../store/index.js";
import {
  countUnusedRecoveryCodes,
  replaceRecoveryCodes,
} from "./recovery-codes.js";
import {
  requiresSecondFactor,
  type SecondFactorServices,
  type SessionCaller,
} from "./session-stage.js";
import { markSecondFactorDone } from "./sessions.js";
import { openTotpSecret, sealTotpSecret } from "./totp-secrets.js";
import { generateTotpSecret, matchTotpCode, totpUri } from "./totp.js";

/** Issuer name that authenticator apps show beside the account. */
export const TOTP_ISSUER = "epitrace";

export interface SecondFactorStatus {
  required: boolean;
  enrolled: boolean;
  recoveryCodesLeft: number;
}

/** Returns whether the user needs and has a second factor, and how many recovery codes are left. */
export async function secondFactorStatusOf(
  db: Kysely<Database>,
  caller: Caller,
): Promise<SecondFactorStatus> {
  const user = await findUser(db, caller.user.id);
  return {
    required: requiresSecondFactor(user.role, caller.organisation.kind),
    enrolled: user.totp_enabled_at !== null,
    recoveryCodesLeft: await countUnusedRecoveryCodes(db, user.id),
  };
}

export interface EnrolmentStart {
  /** Base32 secret to type into an authenticator app. */
  secret: string;
  /** otpauth:// URI of the secret, for apps that import a link or a QR code. */
  uri: string;
}

/**
 * Starts the enrolment of a TOTP second factor: stores a new secret,
 * encrypted, as pending and returns it. While that secret is pending,
 * starting again returns the same one, so that reloading the enrolment
 * page or two requests in a row leave one secret to confirm.
 */
export async function startEnrolment(
  services: SecondFactorServices,
  session: SessionCaller,
): Promise<EnrolmentStart> {
  const { db, secretKey } = services;
  const { username } = session.caller.user;

  const { secret, resumed } = await db.transaction().execute(async (trx) => {
    const user = await findUser(trx, session.caller.user.id);
    if (user.totp_enabled_at !== null) {
      throw alreadyEnrolled();
    }
    if (user.totp_secret !== null) {
      const pending = openTotpSecret(secretKey, user.id, user.totp_secret);
      return { secret: pending, resumed: true };
    }
    const generated = generateTotpSecret();
    await trx
      .updateTable("users")
      .set({
        totp_secret: sealTotpSecret(secretKey, user.id, generated),
        totp_last_used_step: null,
      })
      .where("id", "=", user.id)
      .execute();
    return { secret: generated, resumed: false };
  });

  await appendAuditEvent(db, {
    actor: auditActorOf(session.caller),
    action: "second_factor.enrolment_start",
    result: "succeeded",
    detail: { resumed },
  });
  return {
    secret,
    uri: totpUri({ secret, accountName: username, issuer: TOTP_ISSUER }),
  };
}

/**
 * Confirms an enrolment with a code of the pending secret, completes the
 * second factor of the session and returns the new recovery codes. A wrong
 * code does not count towards the lockout, because the session received
 * the secret moments before and has nothing to guess.
 */
export async function confirmEnrolment(
  services: SecondFactorServices,
  session: SessionCaller,
  code: string,
  now: number = Date.now(),
): Promise<string[]> {
  const { db, secretKey } = services;
  const user = await findUser(db, session.caller.user.id);
  if (user.totp_enabled_at !== null) {
    throw alreadyEnrolled();
  }
  if (user.totp_secret === null) {
    throw new AppError(
      "conflict",
      "No enrolment in progress: start one with POST /api/session/second-factor/enrolment.",
    );
  }
  const stored = user.totp_secret;
  const secret = openTotpSecret(secretKey, user.id, stored);
  const actor = auditActorOf(session.caller);

  const match = matchTotpCode(secret, code, now, null);
  if (match === null) {
    await appendAuditEvent(db, {
      actor,
      action: "second_factor.enrol",
      result: "failed",
      occurredAt: now,
      detail: { reason: "invalid_code" },
    });
    throw new AppError(
      "invalid_credentials",
      "Invalid code: enter the current 6-digit code that the authenticator app shows for the new secret.",
    );
  }

  return db.transaction().execute(async (trx) => {
    const enabled = await trx
      .updateTable("users")
      .set({
        totp_enabled_at: now,
        totp_last_used_step: match.step,
        failed_login_count: 0,
        last_login_at: now,
      })
      .where("id", "=", user.id)
      .where("totp_enabled_at", "is", null)
      .where("totp_secret", "=", stored)
      .executeTakeFirst();
    if (enabled.numUpdatedRows === 0n) {
      throw new AppError(
        "conflict",
        "The enrolment changed while it was confirmed; start it again.",
      );
    }

    const recoveryCodes = await replaceRecoveryCodes(trx, user.id, now);
    await markSecondFactorDone(trx, session.sessionId, now);
    await appendAuditEvent(trx, {
      actor,
      action: "second_factor.enrol",
      result: "succeeded",
      occurredAt: now,
      detail: { recoveryCodes: recoveryCodes.length },
    });
    return recoveryCodes;
  });
}

/**
 * Removes the second factor of an account: its secret, its recovery codes
 * and every session, so that the next login enrols afresh.
 */
export async function clearSecondFactor(
  db: Kysely<Database> | Transaction<Database>,
  userId: string,
): Promise<void> {
  await db
    .updateTable("users")
    .set({
      totp_secret: null,
      totp_enabled_at: null,
      totp_last_used_step: null,
    })
    .where("id", "=", userId)
    .execute();
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

function alreadyEnrolled(): AppError {
  return new AppError(
    "conflict",
    "A second factor is enrolled already; an administrator can reset it.",
  );
}

async function findUser(
  db: Kysely<Database> | Transaction<Database>,
  userId: string,
): Promise<User> {
  return db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
}
