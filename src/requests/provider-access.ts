import type { Kysely, Transaction } from "kysely";

import type { Action } from "../access/index.js";
import { appendAuditEvent } from "../audit/index.js";
import { AppError, notFound } from "../errors.js";
import {
  authorizeProvider,
  providerActorName,
  providerAuditActor,
  type ProviderCaller,
} from "../providers/index.js";
import type {
  Database,
  DataRequest,
  DataRequestPart,
  Store,
} from "../store/index.js";
import type { FieldKeys } from "../privacy/index.js";
import { expireDue } from "./expiry.js";
import type { Step } from "./ledger.js";
import type { RequestSettings } from "./settings.js";

/** Dependencies of the use cases of the provider API. */
export interface ProviderContext {
  /** The store, for the provider file import, which opens its own transactions. */
  store: Store;
  db: Kysely<Database>;
  caller: ProviderCaller;
  settings: RequestSettings;
  /** Folder the uploaded files are kept in. */
  uploadDir: string;
  /** The keys that decrypt the request identifiers. */
  keys: FieldKeys;
}

/** Returns the step of a provider's call inside its transaction. */
export function providerStep(
  context: ProviderContext,
  trx: Transaction<Database>,
  now: number,
): Step {
  return {
    trx,
    settings: context.settings,
    now,
    audit: providerAuditActor(context.caller),
    actor: {
      userId: context.caller.user?.id ?? null,
      name: providerActorName(context.caller),
      organisationId: context.caller.organisation.id,
    },
  };
}

/** A request and the caller's part of it, as of the start of the call. */
export interface ProviderPart {
  request: DataRequest;
  part: DataRequestPart;
}

/** Audit outcome of a provider's call, with ids and counts to add to its event. */
export interface Audited<T> {
  value: T;
  detail?: Record<string, unknown>;
}

/**
 * Runs `work` on the caller's part of a request and writes one audit event
 * with the outcome. The part must be addressed to the caller's
 * organisation: any other request, whichever provider it is addressed to, is reported
 * as not found. Expiry is applied first, in its own transaction, so that
 * it stays even when `work` fails.
 */
export async function withProviderPart<T>(
  context: ProviderContext,
  access: { action: Action; auditAction: string; requestId: string },
  now: number,
  work: (found: ProviderPart) => Promise<Audited<T>>,
): Promise<T> {
  const { db, caller } = context;
  const audit = (
    result: "allowed" | "denied" | "failed",
    found: ProviderPart | undefined,
    detail: Record<string, unknown>,
  ) =>
    appendAuditEvent(db, {
      actor: providerAuditActor(caller),
      action: access.auditAction,
      result,
      caseId: found?.request.case_id ?? null,
      personId: found?.request.person_id ?? null,
      detail: {
        requestId: access.requestId,
        partId: found?.part.id ?? null,
        ...detail,
      },
    });

  await authorizeProviderAction(context, access.action, access.auditAction, {
    requestId: access.requestId,
    partId: null,
  });
  const found = await findOwnPart(context, access.requestId, now);
  if (found === undefined) {
    await audit("denied", undefined, { reason: "not_found" });
    throw notFound("Request part for this provider");
  }

  let outcome: Audited<T>;
  try {
    outcome = await work(found);
  } catch (error) {
    const code = error instanceof AppError ? error.code : "internal";
    await audit("failed", found, { error: code });
    throw error;
  }
  await audit("allowed", found, outcome.detail ?? {});
  return outcome.value;
}

/**
 * Raises `forbidden` unless the caller may take the action, and then
 * writes a denied audit event named `auditAction` with `detail`. The web
 * inbox calls it before reading an uploaded body, and every provider use
 * case calls it again.
 */
export async function authorizeProviderAction(
  context: Pick<ProviderContext, "db" | "caller">,
  action: Action,
  auditAction: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  try {
    authorizeProvider(context.caller, action);
  } catch (error) {
    await appendAuditEvent(context.db, {
      actor: providerAuditActor(context.caller),
      action: auditAction,
      result: "denied",
      detail: { ...detail, reason: "role" },
    });
    throw error;
  }
}

/**
 * Finds the caller's part of a request, after applying any expiry due in
 * the request. Returns undefined when the caller's organisation has no
 * part of it.
 */
async function findOwnPart(
  context: ProviderContext,
  requestId: string,
  now: number,
): Promise<ProviderPart | undefined> {
  return context.db.transaction().execute(async (trx) => {
    const part = await loadOwnPart(trx, context.caller, requestId);
    if (part === undefined) {
      return undefined;
    }
    const request = await trx
      .selectFrom("data_requests")
      .selectAll()
      .where("id", "=", requestId)
      .executeTakeFirstOrThrow();
    const current = await expireDue(providerStep(context, trx, now), request);
    const currentPart = await loadOwnPart(trx, context.caller, requestId);
    return currentPart === undefined
      ? undefined
      : { request: current, part: currentPart };
  });
}

/** Loads the part of a request addressed to the caller's organisation, if any. */
export function loadOwnPart(
  db: Kysely<Database> | Transaction<Database>,
  caller: ProviderCaller,
  requestId: string,
): Promise<DataRequestPart | undefined> {
  return db
    .selectFrom("data_request_parts")
    .selectAll()
    .where("request_id", "=", requestId)
    .where("provider_organisation_id", "=", caller.organisation.id)
    .executeTakeFirst();
}
