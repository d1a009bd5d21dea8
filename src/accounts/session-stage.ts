import type { Kysely } from "kysely";

import {
  PERSONAL_DATA_ACTIONS,
  permissionsOf,
  type Caller,
} from "../access/index.js";
import type {
  Database,
  Organisation,
  OrganisationKind,
  Role,
  User,
} from "../store/index.js";
import type { TotpSecretKey } from "./totp-secrets.js";

/**
 * How far a session got through login. `second_factor` and `enrolment` are
 * half-open: such a session may only complete the second factor, enrol, or
 * log out. A `password_change` session may only read itself, change the
 * password or log out.
 */
export type SessionStage =
  "second_factor" | "password_change" | "enrolment" | "complete";

/** A session and its signed-in user, as the second-factor steps need them. */
export interface SessionCaller {
  caller: Caller;
  sessionId: string;
}

/** The store, key and limit that the second-factor steps work with. */
export interface SecondFactorServices {
  db: Kysely<Database>;
  secretKey: TotpSecretKey;
  /** Failed logins in a row, failed codes included, that lock an account. */
  maxFailures: number;
}

/**
 * Tells whether users of a role at a kind of organisation must use a second
 * factor: they must when the permission table grants them any action on
 * personal data.
 */
export function requiresSecondFactor(
  role: Role,
  kind: OrganisationKind,
): boolean {
  return permissionsOf(role, kind).some((action) =>
    PERSONAL_DATA_ACTIONS.has(action),
  );
}

/**
 * Returns the stage of a session. An enrolled second factor is checked
 * before anything else, even before a required password change, so that a
 * reset password alone opens nothing. Enrolment follows the password
 * change.
 */
export function sessionStageOf(
  user: User,
  organisation: Organisation,
  secondFactorAt: number | null,
): SessionStage {
  if (user.totp_enabled_at !== null && secondFactorAt === null) {
    return "second_factor";
  }
  if (user.password_must_change === 1) {
    return "password_change";
  }
  if (
    user.totp_enabled_at === null &&
    requiresSecondFactor(user.role, organisation.kind)
  ) {
    return "enrolment";
  }
  return "complete";
}
