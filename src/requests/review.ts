import { appendAuditEvent } from "../audit/index.js";
import { notFound } from "../errors.js";
import type { DataRequestUpload } from "../store/index.js";
import { withRequestAccess } from "./access.js";
import { userStep, type RequestContext } from "./context.js";
import { loadRequestDetails, type DataRequestDetails } from "./details.js";
import { checkReason } from "./lifecycle.js";
import type { Step } from "./ledger.js";
import { loadRequest, type Queryable } from "./rows.js";
import { decideUpload, reopenAfterRemoval } from "./uploads.js";

/** Accepts an upload of a request, after which its provider can no longer withdraw it. */
export function acceptUpload(
  context: RequestContext,
  requestId: string,
  uploadId: string,
  now: number = Date.now(),
): Promise<DataRequestDetails> {
  return withRequestAccess(context, "request.review_upload", requestId, () =>
    context.db.transaction().execute(async (trx) => {
      const step = userStep(context, trx, now);
      const upload = await loadUploadOfRequest(trx, requestId, uploadId);
      await decideUpload(step, upload, "accepted", {
        decidedBy: context.caller.user.id,
        reason: null,
      });
      await auditReview(step, upload, "request.upload_accept", {});
      return loadRequestDetails(
        trx,
        context.keys,
        await loadRequest(trx, requestId),
      );
    }),
  );
}

/**
 * Rejects an upload of a request with a reason for its provider. Its
 * records leave the person's route, while the upload, its file and its
 * audit events stay. An answered part goes back to its provider with a
 * new answer period, so that it can send a corrected file.
 */
export function rejectUpload(
  context: RequestContext,
  requestId: string,
  uploadId: string,
  reason: string,
  now: number = Date.now(),
): Promise<DataRequestDetails> {
  const checkedReason = checkReason(reason);

  return withRequestAccess(context, "request.review_upload", requestId, () =>
    context.db.transaction().execute(async (trx) => {
      const step = userStep(context, trx, now);
      const upload = await loadUploadOfRequest(trx, requestId, uploadId);
      const rejected = await decideUpload(step, upload, "rejected", {
        decidedBy: context.caller.user.id,
        reason: checkedReason,
      });
      const recordsRemoved = await reopenAfterRemoval(
        step,
        rejected,
        `upload ${upload.id} was rejected: ${checkedReason}`,
        "renew",
      );
      await auditReview(step, upload, "request.upload_reject", {
        recordsRemoved,
      });
      return loadRequestDetails(
        trx,
        context.keys,
        await loadRequest(trx, requestId),
      );
    }),
  );
}

async function loadUploadOfRequest(
  db: Queryable,
  requestId: string,
  uploadId: string,
): Promise<DataRequestUpload> {
  const upload = await db
    .selectFrom("data_request_uploads")
    .selectAll()
    .where("id", "=", uploadId)
    .where("request_id", "=", requestId)
    .executeTakeFirst();
  if (upload === undefined) {
    throw notFound("Upload");
  }
  return upload;
}

async function auditReview(
  step: Step,
  upload: DataRequestUpload,
  action: string,
  detail: Record<string, unknown>,
): Promise<void> {
  const request = await loadRequest(step.trx, upload.request_id);
  await appendAuditEvent(step.trx, {
    actor: step.audit,
    action,
    result: "succeeded",
    caseId: request.case_id,
    personId: request.person_id,
    detail: {
      requestId: upload.request_id,
      partId: upload.part_id,
      uploadId: upload.id,
      ...detail,
    },
  });
}
