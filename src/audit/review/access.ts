import {
  auditActorOf,
  isPermitted,
  type AccessContext,
} from "../../access/index.js";
import { AppError } from "../../errors.js";
import { appendAuditEvent } from "../append.js";

/** Actions that read the audit log. */
export type AuditLogAction = "audit.search" | "audit.review";

export interface AuditLogRead<T> {
  action: AuditLogAction;
  /** The request, such as the filters of a search, in ids and codes only. */
  detail: Record<string, unknown>;
  /** Returns the counts of the result to add to the event, such as the number of events found. */
  summarize(result: T): Record<string, unknown>;
}

/**
 * Runs a read of the audit log for the caller and writes exactly one audit
 * event about it, whatever the outcome: `denied` without the permission,
 * `failed` when `work` throws, else `allowed` with the result's counts.
 * The event names no person in its person column, because a read of the
 * audit log touches no personal data. A person filter stays in the detail.
 */
export async function withAuditLogAccess<T>(
  context: AccessContext,
  read: AuditLogRead<T>,
  work: () => Promise<T>,
): Promise<T> {
  const { db, caller } = context;
  const audit = (
    result: "allowed" | "denied" | "failed",
    extra: Record<string, unknown>,
  ) =>
    appendAuditEvent(db, {
      actor: auditActorOf(caller),
      action: read.action,
      result,
      detail: { ...read.detail, ...extra },
    });

  if (!isPermitted(caller.user.role, caller.organisation.kind, read.action)) {
    await audit("denied", { reason: "role" });
    throw new AppError("forbidden", `Not permitted: ${read.action}.`);
  }

  let result: T;
  try {
    result = await work();
  } catch (error) {
    const code = error instanceof AppError ? error.code : "internal";
    await audit("failed", { error: code });
    throw error;
  }
  await audit("allowed", read.summarize(result));
  return result;
}
