import { randomUUID } from "node:crypto";

import type { Kysely } from "kysely";

import type { Database, Role, User } from "../store/index.js";
import { generateOneTimePassword, hashPassword } from "./passwords.js";

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  organisationId: string;
}

export interface CreatedUser {
  user: User;
  /** Password shown once to the administrator who created the account. Only its hash is stored. */
  oneTimePassword: string;
}

/**
 * Creates an account with a one-time password that must be changed at the
 * first login.
 */
export async function createUser(
  db: Kysely<Database>,
  input: NewUser,
  now: number = Date.now(),
): Promise<CreatedUser> {
  const oneTimePassword = generateOneTimePassword();
  const user: User = {
    id: randomUUID(),
    organisation_id: input.organisationId,
    username: input.username,
    display_name: input.displayName,
    role: input.role,
    password_hash: await hashPassword(oneTimePassword),
    password_must_change: 1,
    disabled_at: null,
    created_at: now,
    last_login_at: null,
    failed_login_count: 0,
    locked_at: null,
    totp_secret: null,
    totp_enabled_at: null,
    totp_last_used_step: null,
  };
  await db.insertInto("users").values(user).execute();
  return { user, oneTimePassword };
}

/** Sets a new password chosen by the user and clears the must-change mark. */
export async function setPassword(
  db: Kysely<Database>,
  userId: string,
  password: string,
): Promise<void> {
  await db
    .updateTable("users")
    .set({
      password_hash: await hashPassword(password),
      password_must_change: 0,
    })
    .where("id", "=", userId)
    .execute();
}

/** Replaces a password with a new one-time password and returns it. */
export async function resetPassword(
  db: Kysely<Database>,
  userId: string,
): Promise<string> {
  const oneTimePassword = generateOneTimePassword();
  await db
    .updateTable("users")
    .set({
      password_hash: await hashPassword(oneTimePassword),
      password_must_change: 1,
    })
    .where("id", "=", userId)
    .execute();
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
  return oneTimePassword;
}
