import {
  auditActorOf,
  isPermitted,
  withCaseAccess,
  type AccessContext,
  type Action,
} from "../access/index.js";
import { appendAuditEvent } from "../audit/index.js";
import { AppError, notFound } from "../errors.js";
import type { Case, DataRequest } from "../store/index.js";

/**
 * Runs `work` on one data request for an investigator, through
 * `withCaseAccess` on the request's case, so the request is reached only
 * where its case is. The role is checked before the request is looked up,
 * so that a caller without the role cannot tell which request ids exist.
 * A missing request is reported as not found and audited as denied.
 */
export async function withRequestAccess<T>(
  context: AccessContext,
  action: Action,
  requestId: string,
  work: (kase: Case, request: DataRequest) => Promise<T>,
): Promise<T> {
  const { db, caller } = context;
  const deny = (reason: string) =>
    appendAuditEvent(db, {
      actor: auditActorOf(caller),
      action,
      result: "denied",
      detail: { requestId, reason },
    });

  if (!isPermitted(caller.user.role, caller.organisation.kind, action)) {
    await deny("role");
    throw new AppError("forbidden", `Not permitted: ${action}.`);
  }
  const request = await db
    .selectFrom("data_requests")
    .selectAll()
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (request === undefined) {
    await deny("not_found");
    throw notFound("Data request");
  }

  return withCaseAccess(
    context,
    { action, caseId: request.case_id, purpose: `data request ${request.id}` },
    (kase) => work(kase, request),
  );
}
