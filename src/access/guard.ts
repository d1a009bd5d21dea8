import type { Kysely } from "kysely";

import { appendAuditEvent, type AuditActor } from "../audit/index.js";
import { AppError, notFound } from "../errors.js";
import type { Case, Database, Organisation, User } from "../store/index.js";
import { coversCase } from "./jurisdiction.js";
import { isPermitted, type Action } from "./permissions.js";

/** The signed-in caller of one request. */
export interface Caller {
  user: User;
  organisation: Organisation;
  sourceAddress: string | null;
}

export interface AccessContext {
  db: Kysely<Database>;
  caller: Caller;
  /** Actor that audit events name in place of the caller's account, such as a command on the server host. */
  actor?: AuditActor;
  /** Stated reason written as the purpose of every audit event, unless a case access gives its own. */
  purpose?: string;
}

export interface CaseAccess {
  action: Action;
  caseId: string;
  purpose?: string;
  /** Ids, codes and counts written into the audit event whatever its result. */
  detail?: Record<string, unknown>;
}

/** A case access whose allowed event also records facts about the result. */
export interface SummarizedCaseAccess<T> extends CaseAccess {
  /** Returns ids, codes and counts of the result for the allowed event. */
  summarize?: (result: T) => Record<string, unknown>;
}

/** Converts a caller to the actor an audit event names. */
export function auditActorOf(caller: Caller): AuditActor {
  return {
    userId: caller.user.id,
    username: caller.user.username,
    role: caller.user.role,
    organisationId: caller.organisation.id,
    sourceAddress: caller.sourceAddress,
  };
}

/** Raises `forbidden` unless the caller's role and organisation hold the action. */
export function authorize(caller: Caller, action: Action): void {
  if (!isPermitted(caller.user.role, caller.organisation.kind, action)) {
    throw new AppError("forbidden", `Not permitted: ${action}.`);
  }
}

/**
 * Runs `work` on one case for the caller, the only way to personal data of a
 * case. It checks the role, then the jurisdiction, and writes exactly one
 * audit event for the call whatever the outcome. A case outside the
 * caller's jurisdiction is reported as not found, so that its existence is
 * not revealed.
 */
export async function withCaseAccess<T>(
  context: AccessContext,
  access: SummarizedCaseAccess<T>,
  work: (kase: Case) => Promise<T>,
): Promise<T> {
  const { db, caller } = context;
  const audit = (
    result: "allowed" | "denied" | "failed",
    kase: Case | undefined,
    detail: Record<string, unknown> = {},
  ) =>
    appendAuditEvent(db, {
      actor: context.actor ?? auditActorOf(caller),
      action: access.action,
      result,
      caseId: kase?.id ?? null,
      personId: kase?.person_id ?? null,
      purpose: access.purpose ?? context.purpose ?? null,
      detail: { requestedCaseId: access.caseId, ...access.detail, ...detail },
    });

  if (!isPermitted(caller.user.role, caller.organisation.kind, access.action)) {
    await audit("denied", undefined, { reason: "role" });
    throw new AppError("forbidden", `Not permitted: ${access.action}.`);
  }

  const kase = await db
    .selectFrom("cases")
    .selectAll()
    .where("id", "=", access.caseId)
    .executeTakeFirst();
  if (kase === undefined || !coversCase(caller.organisation, kase)) {
    const reason = kase === undefined ? "not_found" : "jurisdiction";
    await audit("denied", kase, { reason });
    throw notFound("Case");
  }

  let result: T;
  try {
    result = await work(kase);
  } catch (error) {
    await audit("failed", kase, { error: errorCodeOf(error) });
    throw error;
  }
  await audit("allowed", kase, access.summarize?.(result) ?? {});
  return result;
}

/**
 * Runs a search over personal data for the caller and writes exactly one
 * audit event with the number of records returned. `work` receives the
 * condition it must apply: the organisation whose cases it may return, or
 * null for every case.
 */
export async function withPersonalDataSearch<T extends { total: number }>(
  context: AccessContext,
  action: Action,
  work: (jurisdictionOrganisationId: string | null) => Promise<T>,
  detail: Record<string, unknown> = {},
): Promise<T> {
  const { db, caller } = context;
  const actor = context.actor ?? auditActorOf(caller);
  const purpose = context.purpose ?? null;

  if (!isPermitted(caller.user.role, caller.organisation.kind, action)) {
    await appendAuditEvent(db, {
      actor,
      action,
      result: "denied",
      purpose,
      detail,
    });
    throw new AppError("forbidden", `Not permitted: ${action}.`);
  }

  const scope =
    caller.organisation.kind === "national_agency"
      ? null
      : caller.organisation.id;
  const result = await work(scope);
  await appendAuditEvent(db, {
    actor,
    action,
    result: "allowed",
    purpose,
    detail: { ...detail, total: result.total },
  });
  return result;
}

function errorCodeOf(error: unknown): string {
  return error instanceof AppError ? error.code : "internal";
}
