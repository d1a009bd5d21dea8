import {
  auditActorOf,
  authorize,
  type AccessContext,
} from "../access/index.js";
import { appendAuditEvent } from "../audit/index.js";
import { AppError, notFound } from "../errors.js";
import type {
  Organisation,
  OrganisationKind,
  Role,
  User,
} from "../store/index.js";
import { clearSecondFactor } from "./enrolment.js";
import { parseAllowedNetworks } from "./networks.js";
import { createOrganisation } from "./organisations.js";
import { createUser, resetPassword, type CreatedUser } from "./users.js";

export interface UserListing {
  user: User;
  organisation: Organisation;
}

/** Lists every account with its organisation, for administrators. */
export async function listUsers(
  context: AccessContext,
): Promise<UserListing[]> {
  authorize(context.caller, "user.manage");

  const organisations = await listAllOrganisations(context);
  const byId = new Map(organisations.map((o) => [o.id, o]));
  const users = await context.db
    .selectFrom("users")
    .selectAll()
    .orderBy("username")
    .execute();
  return users.map((user) => ({
    user,
    organisation: byId.get(user.organisation_id) as Organisation,
  }));
}

export interface UserRequest {
  username: string;
  displayName: string;
  role: Role;
  organisationId: string;
}

/** Creates an account, recording the grant of its role in the audit log. */
export async function createUserAccount(
  context: AccessContext,
  request: UserRequest,
): Promise<CreatedUser & { organisation: Organisation }> {
  authorize(context.caller, "user.manage");
  checkUsername(request.username);

  const organisation = await context.db
    .selectFrom("organisations")
    .selectAll()
    .where("id", "=", request.organisationId)
    .executeTakeFirst();
  if (organisation === undefined) {
    throw notFound("Organisation");
  }
  const taken = await context.db
    .selectFrom("users")
    .select("id")
    .where("username", "=", request.username)
    .executeTakeFirst();
  if (taken !== undefined) {
    throw new AppError(
      "conflict",
      `Username ${JSON.stringify(request.username)} is taken: each person has one account of their own.`,
    );
  }

  const created = await createUser(context.db, request);
  await auditAdministration(context, "user.create", {
    userId: created.user.id,
    role: request.role,
    organisationId: organisation.id,
  });
  return { ...created, organisation };
}

/** Disables or re-enables an account; disabling ends its sessions. */
export async function setUserDisabled(
  context: AccessContext,
  userId: string,
  disabled: boolean,
  now: number = Date.now(),
): Promise<UserListing> {
  authorize(context.caller, "user.manage");
  if (disabled && userId === context.caller.user.id) {
    throw new AppError(
      "conflict",
      "Administrators cannot disable their own account.",
    );
  }
  await findUser(context, userId);

  await context.db
    .updateTable("users")
    .set({ disabled_at: disabled ? now : null })
    .where("id", "=", userId)
    .execute();
  if (disabled) {
    await context.db
      .deleteFrom("sessions")
      .where("user_id", "=", userId)
      .execute();
  }
  await auditAdministration(
    context,
    disabled ? "user.disable" : "user.enable",
    {
      userId,
    },
  );

  const listing = (await listUsers(context)).find((l) => l.user.id === userId);
  return listing as UserListing;
}

/** Unlocks an account that failed logins locked, and resets its failure count. */
export async function unlockUser(
  context: AccessContext,
  userId: string,
): Promise<UserListing> {
  authorize(context.caller, "user.manage");
  await findUser(context, userId);

  await context.db
    .updateTable("users")
    .set({ locked_at: null, failed_login_count: 0 })
    .where("id", "=", userId)
    .execute();
  await auditAdministration(context, "account.unlock", { userId });

  const listing = (await listUsers(context)).find((l) => l.user.id === userId);
  return listing as UserListing;
}

/** Replaces an account's password with a one-time password and returns it. */
export async function resetUserPassword(
  context: AccessContext,
  userId: string,
): Promise<string> {
  authorize(context.caller, "user.manage");
  await findUser(context, userId);

  const oneTimePassword = await resetPassword(context.db, userId);
  await auditAdministration(context, "user.password_reset", { userId });
  return oneTimePassword;
}

/**
 * Removes the second factor of an account and ends its sessions, for a
 * user who lost the authenticator and the recovery codes. The next login
 * enrols a new one where the role requires it.
 */
export async function resetUserSecondFactor(
  context: AccessContext,
  userId: string,
): Promise<UserListing> {
  authorize(context.caller, "user.manage");
  const user = await findUser(context, userId);

  await context.db.transaction().execute(async (trx) => {
    await clearSecondFactor(trx, userId);
    await appendAuditEvent(trx, {
      actor: auditActorOf(context.caller),
      action: "user.second_factor_reset",
      result: "succeeded",
      detail: { userId, wasEnrolled: user.totp_enabled_at !== null },
    });
  });

  const listing = (await listUsers(context)).find((l) => l.user.id === userId);
  return listing as UserListing;
}

/** Lists every organisation, for administrators. */
export function listOrganisations(
  context: AccessContext,
): Promise<Organisation[]> {
  authorize(context.caller, "organisation.manage");
  return listAllOrganisations(context);
}

export interface OrganisationRequest {
  name: string;
  kind: OrganisationKind;
  jurisdictionCode?: string;
}

/** Creates an organisation, for administrators. */
export async function createOrganisationByAdministrator(
  context: AccessContext,
  request: OrganisationRequest,
): Promise<Organisation> {
  authorize(context.caller, "organisation.manage");
  const taken = await context.db
    .selectFrom("organisations")
    .select("id")
    .where("name", "=", request.name)
    .executeTakeFirst();
  if (taken !== undefined) {
    throw new AppError(
      "conflict",
      `Organisation ${JSON.stringify(request.name)} exists already.`,
    );
  }

  const organisation = await createOrganisation(context.db, request);
  await auditAdministration(context, "organisation.create", {
    organisationId: organisation.id,
    kind: organisation.kind,
  });
  return organisation;
}

/**
 * Sets the networks from which an organisation's users may work, audited
 * as a change of settings. An empty list allows every address.
 */
export async function setAllowedNetworks(
  context: AccessContext,
  organisationId: string,
  networks: readonly string[],
): Promise<Organisation> {
  authorize(context.caller, "organisation.manage");
  parseAllowedNetworks(networks);
  const organisation = await context.db
    .selectFrom("organisations")
    .selectAll()
    .where("id", "=", organisationId)
    .executeTakeFirst();
  if (organisation === undefined) {
    throw notFound("Organisation");
  }

  const allowed = JSON.stringify(networks.map((network) => network.trim()));
  await context.db
    .updateTable("organisations")
    .set({ allowed_networks: allowed })
    .where("id", "=", organisationId)
    .execute();
  await auditAdministration(context, "organisation.networks_change", {
    organisationId,
    networks: networks.length,
  });
  return { ...organisation, allowed_networks: allowed };
}

function listAllOrganisations(context: AccessContext): Promise<Organisation[]> {
  return context.db
    .selectFrom("organisations")
    .selectAll()
    .orderBy("name")
    .execute();
}

async function findUser(context: AccessContext, userId: string): Promise<User> {
  const user = await context.db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", userId)
    .executeTakeFirst();
  if (user === undefined) {
    throw notFound("User");
  }
  return user;
}

function checkUsername(username: string): void {
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(username)) {
    throw new AppError(
      "validation_failed",
      `Invalid username ${JSON.stringify(username)}: use 3 to 64 lower-case letters, digits, dots, dashes or underscores.`,
    );
  }
}

function auditAdministration(
  context: AccessContext,
  action: string,
  detail: Record<string, unknown>,
): Promise<void> {
  return appendAuditEvent(context.db, {
    actor: auditActorOf(context.caller),
    action,
    result: "succeeded",
    detail,
  });
}
