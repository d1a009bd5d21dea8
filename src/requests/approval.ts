import { auditActorOf, isPermitted } from "../access/index.js";
import { appendAuditEvent } from "../audit/index.js";
import { AppError, notFound } from "../errors.js";
import type { DataRequest, DataRequestState } from "../store/index.js";
import { userStep, type RequestContext } from "./context.js";
import { loadRequestDetails, type DataRequestDetails } from "./details.js";
import { expireAllDue, expireDue } from "./expiry.js";
import { moveRequest, type Step } from "./ledger.js";
import { checkReason, dispatchToProviders } from "./lifecycle.js";
import { loadRequest } from "./rows.js";

/** The article under which requests go through the police. */
const POLICE_LEGAL_BASIS = "76-2(2)";

/** States in which the police see a request: from submission on. */
const POLICE_VISIBLE_STATES: readonly DataRequestState[] = [
  "awaiting_police_approval",
  "approved",
  "rejected",
  "sent_to_providers",
  "partly_answered",
  "answered",
  "failed",
  "expired",
  "withdrawn",
];

export interface ApprovalSearch {
  /** Default: awaiting_police_approval. */
  state?: DataRequestState;
}

/**
 * Lists the location data requests in one state (by default those
 * awaiting approval) for the police, oldest first, after expiring what is
 * due.
 *
 * NOTE: requests are not routed to one police agency, so the approvers of
 * every police organisation see and may decide every location request.
 */
export async function listLocationApprovals(
  context: RequestContext,
  search: ApprovalSearch = {},
  now: number = Date.now(),
): Promise<DataRequestDetails[]> {
  const state = search.state ?? "awaiting_police_approval";
  await authorizeApprover(context, "request.approval_list", { state });
  await expireAllDue(context.db, context.settings, now);

  const requests = await context.db
    .selectFrom("data_requests")
    .selectAll()
    .where("legal_basis", "=", POLICE_LEGAL_BASIS)
    .where("state", "=", state)
    .where("state", "in", POLICE_VISIBLE_STATES)
    .orderBy("submitted_at")
    .orderBy("id")
    .execute();
  const details = await Promise.all(
    requests.map((request) =>
      loadRequestDetails(context.db, context.keys, request),
    ),
  );

  await appendAuditEvent(context.db, {
    actor: auditActorOf(context.caller),
    action: "request.approval_list",
    result: "allowed",
    detail: { state, total: details.length },
  });
  return details;
}

/** Returns one location data request for the police. */
export function viewLocationApproval(
  context: RequestContext,
  requestId: string,
  now: number = Date.now(),
): Promise<DataRequestDetails> {
  return withApproval(
    context,
    "request.approval_view",
    requestId,
    now,
    (_step, request) => Promise.resolve(request),
  );
}

/**
 * Approves a location data request awaiting approval, which sends it to
 * the telecom operators at once.
 */
export function approveLocationRequest(
  context: RequestContext,
  requestId: string,
  reason: string | undefined,
  now: number = Date.now(),
): Promise<DataRequestDetails> {
  const checkedReason = reason === undefined ? null : checkReason(reason);

  return withApproval(
    context,
    "request.approve",
    requestId,
    now,
    async (step, request) => {
      const approved = await moveRequest(step, request, "approved", {
        reason: checkedReason,
      });
      return dispatchToProviders(step, approved);
    },
  );
}

/** Rejects a location data request awaiting approval, with the reason the investigator is shown. */
export function rejectLocationRequest(
  context: RequestContext,
  requestId: string,
  reason: string,
  now: number = Date.now(),
): Promise<DataRequestDetails> {
  const checkedReason = checkReason(reason);

  return withApproval(
    context,
    "request.reject",
    requestId,
    now,
    (step, request) =>
      moveRequest(step, request, "rejected", { reason: checkedReason }),
  );
}

/**
 * Runs `work` on a location data request for a police approver and writes
 * one audit event with the outcome. A request that is not for location
 * data, or not yet submitted, is reported as not found. Expiry is applied
 * first, in its own transaction, so that it stays even when `work` fails.
 */
async function withApproval(
  context: RequestContext,
  auditAction: string,
  requestId: string,
  now: number,
  work: (step: Step, request: DataRequest) => Promise<DataRequest>,
): Promise<DataRequestDetails> {
  await authorizeApprover(context, auditAction, { requestId });
  const { db, caller } = context;
  const audit = (
    result: "allowed" | "denied" | "failed",
    request: DataRequest | undefined,
    detail: Record<string, unknown> = {},
  ) =>
    appendAuditEvent(db, {
      actor: auditActorOf(caller),
      action: auditAction,
      result,
      caseId: request?.case_id ?? null,
      personId: request?.person_id ?? null,
      detail: { requestId, ...detail },
    });

  const found = await db
    .selectFrom("data_requests")
    .selectAll()
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (found === undefined || !isPoliceVisible(found)) {
    await audit("denied", undefined, { reason: "not_found" });
    throw notFound("Location data request");
  }

  let details: DataRequestDetails;
  try {
    await db.transaction().execute(async (trx) => {
      await expireDue(
        userStep(context, trx, now),
        await loadRequest(trx, requestId),
      );
    });
    details = await db.transaction().execute(async (trx) => {
      const step = userStep(context, trx, now);
      const request = await work(step, await loadRequest(trx, requestId));
      return loadRequestDetails(trx, context.keys, request);
    });
  } catch (error) {
    const code = error instanceof AppError ? error.code : "internal";
    await audit("failed", found, { error: code });
    throw error;
  }
  await audit("allowed", found);
  return details;
}

function isPoliceVisible(request: DataRequest): boolean {
  return (
    request.legal_basis === POLICE_LEGAL_BASIS &&
    POLICE_VISIBLE_STATES.includes(request.state)
  );
}

async function authorizeApprover(
  context: RequestContext,
  auditAction: string,
  detail: Record<string, unknown>,
): Promise<void> {
  const { caller } = context;
  if (
    isPermitted(caller.user.role, caller.organisation.kind, "request.approve")
  ) {
    return;
  }
  await appendAuditEvent(context.db, {
    actor: auditActorOf(caller),
    action: auditAction,
    result: "denied",
    detail: { ...detail, reason: "role" },
  });
  throw new AppError("forbidden", "Not permitted: request.approve.");
}
