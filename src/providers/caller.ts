import { isPermitted, type Action } from "../access/index.js";
import type { AuditActor } from "../audit/index.js";
import { AppError } from "../errors.js";
import type { Organisation, ProviderApiKey } from "../store/index.js";

/** A provider organisation calling the provider API with one of its keys. */
export interface ProviderCaller {
  key: ProviderApiKey;
  organisation: Organisation;
  sourceAddress: string | null;
}

/** Name that audit events and transitions give a key: `provider-key:<id>`. */
export function providerKeyActorName(keyId: string): string {
  return `provider-key:${keyId}`;
}

/** Converts a provider caller to the actor an audit event names. */
export function providerAuditActor(caller: ProviderCaller): AuditActor {
  return {
    userId: null,
    username: providerKeyActorName(caller.key.id),
    role: "provider",
    organisationId: caller.organisation.id,
    sourceAddress: caller.sourceAddress,
  };
}

/**
 * Raises `forbidden` unless the provider role at the caller's kind of
 * organisation is granted the action. An API key acts in the provider role of
 * its organisation.
 */
export function authorizeProvider(
  caller: ProviderCaller,
  action: Action,
): void {
  if (!isPermitted("provider", caller.organisation.kind, action)) {
    throw new AppError(
      "forbidden",
      `Not permitted: ${action} is not open to a ${caller.organisation.kind}.`,
    );
  }
}
