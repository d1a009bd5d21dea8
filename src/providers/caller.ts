import { isPermitted, type Action, type Caller } from "../access/index.js";
import type { AuditActor } from "../audit/index.js";
import { AppError } from "../errors.js";
import type { Organisation, ProviderApiKey, User } from "../store/index.js";

/**
 * A provider organisation calling the provider use cases: with one of its
 * API keys (the provider API), or as a signed-in user of the web inbox.
 * Exactly one of `key` and `user` is set.
 */
export interface ProviderCaller {
  /** The API key of the call, or null for a signed-in user. */
  key: ProviderApiKey | null;
  /** The signed-in user of the call, or null for an API key. */
  user: User | null;
  organisation: Organisation;
  sourceAddress: string | null;
}

/** A provider caller that authenticated with an API key. */
export type ProviderKeyCaller = ProviderCaller & {
  key: ProviderApiKey;
  user: null;
};

/** Returns the provider caller of an API key of an organisation. */
export function providerKeyCaller(
  key: ProviderApiKey,
  organisation: Organisation,
  sourceAddress: string | null,
): ProviderKeyCaller {
  return { key, user: null, organisation, sourceAddress };
}

/** Returns the provider caller of a signed-in user whose session completed login. */
export function providerUserCaller(caller: Caller): ProviderCaller {
  return {
    key: null,
    user: caller.user,
    organisation: caller.organisation,
    sourceAddress: caller.sourceAddress,
  };
}

/** Name that audit events and transitions give a key: `provider-key:<id>`. */
export function providerKeyActorName(keyId: string): string {
  return `provider-key:${keyId}`;
}

/** Name that transitions and decisions give a caller: `provider-key:<id>` or the username. */
export function providerActorName(caller: ProviderCaller): string {
  if (caller.key !== null) {
    return providerKeyActorName(caller.key.id);
  }
  return userOf(caller).username;
}

/** Converts a provider caller to the actor an audit event names. */
export function providerAuditActor(caller: ProviderCaller): AuditActor {
  return {
    userId: caller.user?.id ?? null,
    username: providerActorName(caller),
    role: caller.user?.role ?? "provider",
    organisationId: caller.organisation.id,
    sourceAddress: caller.sourceAddress,
  };
}

/**
 * Raises `forbidden` unless the caller's role at its kind of organisation
 * is granted the action. An API key acts in the provider role of its
 * organisation, and a user in its own role.
 */
export function authorizeProvider(
  caller: ProviderCaller,
  action: Action,
): void {
  const role = caller.user?.role ?? "provider";
  if (!isPermitted(role, caller.organisation.kind, action)) {
    throw new AppError(
      "forbidden",
      `Not permitted: ${action} is not open to a ${role} at a ${caller.organisation.kind}.`,
    );
  }
}

function userOf(caller: ProviderCaller): User {
  if (caller.user === null) {
    throw new Error("A provider caller has neither an API key nor a user.");
  }
  return caller.user;
}
