import { createHash, randomUUID } from "node:crypto";

import type { Transaction } from "kysely";

import { AppError, notFound } from "../errors.js";
import { notifyRequester } from "../notifications/index.js";
import { openRequestRow, type FieldKeys } from "../privacy/index.js";
import { providerActorName, providerAuditActor } from "../providers/index.js";
import type {
  Database,
  DataKind,
  DataRequest,
  DataRequestPart,
  DataRequestUpload,
} from "../store/index.js";
import { identifierOf } from "./data-kinds.js";
import {
  parseExposureList,
  removeExposureList,
  storeExposureList,
} from "./exposure-lists.js";
import { exposurePlaceOf } from "./exposure-place.js";
import { movePart, type Step } from "./ledger.js";
import {
  providerStep,
  withProviderPart,
  type ProviderContext,
} from "./provider-access.js";
import { importUploadRecords, removeUploadRecords } from "./record-import.js";
import { dataKindsOf, loadRequest, type Queryable } from "./rows.js";
import { settleRequest } from "./settle.js";
import { assertTransition, UPLOAD_TRANSITIONS } from "./states.js";
import {
  discardUploadFile,
  saveUploadFile,
  withClearUploadFile,
} from "./upload-files.js";

/** Upload states whose records count as the answer of their kind. */
const LIVE_UPLOAD_STATES = ["received", "accepted"] as const;

export interface UploadInput {
  requestId: string;
  dataKind: DataKind;
  /** The file as sent. */
  body: Buffer;
}

export interface UploadOutcome {
  upload: DataRequestUpload;
  /** False when the same file had been received for this part before, so its receipt is returned again. */
  created: boolean;
}

/**
 * Receives a provider's answer for one data kind of its part of a
 * request: stores the file, imports its records for the requested person,
 * and answers the part once every kind it asks for has a file. Sending the
 * same file again returns the first receipt. A file is rejected when the
 * part is closed or expired, when a live file of that kind exists (it must
 * be withdrawn first), or when the same file was rejected before.
 */
export function uploadAnswer(
  context: ProviderContext,
  input: UploadInput,
  now: number = Date.now(),
): Promise<UploadOutcome> {
  const sha256 = createHash("sha256").update(input.body).digest("hex");

  return withProviderPart<UploadOutcome>(
    context,
    {
      action: "provider.answer",
      auditAction: "provider.upload",
      requestId: input.requestId,
    },
    now,
    async ({ request, part }) => {
      const previous = await findSameFile(context.db, part.id, input, sha256);
      if (previous !== undefined) {
        return {
          value: { upload: previous, created: false },
          detail: { uploadId: previous.id, repeated: true },
        };
      }
      checkUploadAllowed(request, part, input.dataKind, input.body);
      await checkNoLiveUpload(context.db, part, input.dataKind);

      const upload = await receiveFile(
        context,
        request,
        part,
        input,
        sha256,
        now,
      );
      return {
        value: { upload, created: true },
        detail: { uploadId: upload.id, recordCount: upload.record_count },
      };
    },
  );
}

/**
 * Withdraws one of the caller's uploads that no investigator has accepted
 * yet. Its records leave the person's route, and a part that was answered
 * waits for a corrected file again, until its original expiry.
 */
export function withdrawUpload(
  context: ProviderContext,
  requestId: string,
  uploadId: string,
  reason: string | undefined,
  now: number = Date.now(),
): Promise<DataRequestUpload> {
  return withProviderPart(
    context,
    {
      action: "provider.answer",
      auditAction: "provider.upload_withdraw",
      requestId,
    },
    now,
    ({ part }) =>
      context.db.transaction().execute(async (trx) => {
        const step = providerStep(context, trx, now);
        const upload = await loadUploadOfPart(trx, part.id, uploadId);
        const withdrawn = await decideUpload(step, upload, "withdrawn", {
          decidedBy: providerActorName(context.caller),
          reason: reason?.trim() || null,
        });
        const recordsRemoved = await reopenAfterRemoval(
          step,
          withdrawn,
          `upload ${upload.id} was withdrawn by its provider`,
          "keep",
        );
        return { value: withdrawn, detail: { uploadId, recordsRemoved } };
      }),
  );
}

/**
 * Moves an upload to a new review state through the upload state machine.
 * Raises `invalid_transition` for a move the machine does not allow.
 */
export async function decideUpload(
  step: Step,
  upload: DataRequestUpload,
  to: DataRequestUpload["state"],
  decision: { decidedBy: string; reason: string | null },
): Promise<DataRequestUpload> {
  assertTransition(UPLOAD_TRANSITIONS, "upload", upload.id, upload.state, to);

  const changes = {
    state: to,
    decided_at: step.now,
    decided_by: decision.decidedBy,
    decision_reason: decision.reason,
  };
  await step.trx
    .updateTable("data_request_uploads")
    .set(changes)
    .where("id", "=", upload.id)
    .where("state", "=", upload.state)
    .execute();
  return { ...upload, ...changes };
}

/**
 * Removes the records of a withdrawn or rejected upload from the route,
 * sends an answered part back to its provider (or withdraws it, when the
 * request was withdrawn), and settles the request.
 * `expiry` chooses whether the reopened part keeps its expiry or gets a new
 * answer period. Returns the number of records removed.
 */
export async function reopenAfterRemoval(
  step: Step,
  upload: DataRequestUpload,
  reason: string,
  expiry: "keep" | "renew",
): Promise<number> {
  const removed =
    (await removeUploadRecords(step.trx, upload.import_id)) +
    (await removeExposureList(step.trx, upload.id));
  const part = await step.trx
    .selectFrom("data_request_parts")
    .selectAll()
    .where("id", "=", upload.part_id)
    .executeTakeFirstOrThrow();
  if (part.state !== "answered") {
    return removed;
  }

  const request = await loadRequest(step.trx, upload.request_id);
  if (request.state === "withdrawn") {
    await movePart(step, request, part, "withdrawn", {
      reason: `${reason}, after the request was withdrawn`,
    });
    return removed;
  }
  await movePart(step, request, part, "sent", {
    reason,
    ...(expiry === "keep" && part.expires_at !== null
      ? { expiresAt: part.expires_at }
      : {}),
  });
  await settleRequest(step, request);
  return removed;
}

/** Loads an upload of one part, raising `not_found` for an upload of any other part. */
export async function loadUploadOfPart(
  db: Queryable,
  partId: string,
  uploadId: string,
): Promise<DataRequestUpload> {
  const upload = await db
    .selectFrom("data_request_uploads")
    .selectAll()
    .where("id", "=", uploadId)
    .where("part_id", "=", partId)
    .executeTakeFirst();
  if (upload === undefined) {
    throw notFound("Upload");
  }
  return upload;
}

async function findSameFile(
  db: Queryable,
  partId: string,
  input: UploadInput,
  sha256: string,
): Promise<DataRequestUpload | undefined> {
  const uploads = await db
    .selectFrom("data_request_uploads")
    .selectAll()
    .where("part_id", "=", partId)
    .where("sha256", "=", sha256)
    .where("data_kind", "=", input.dataKind)
    .orderBy("received_at", "desc")
    .execute();

  const rejected = uploads.find((upload) => upload.state === "rejected");
  const live = uploads.find((upload) =>
    (LIVE_UPLOAD_STATES as readonly string[]).includes(upload.state),
  );
  if (live === undefined && rejected !== undefined) {
    throw new AppError(
      "conflict",
      `This file (SHA-256 ${sha256}) was rejected as upload ${rejected.id} at ${new Date(rejected.decided_at ?? rejected.received_at).toISOString()}: ${rejected.decision_reason ?? "no reason given"}. Upload a corrected file.`,
    );
  }
  return live;
}

function checkUploadAllowed(
  request: DataRequest,
  part: DataRequestPart,
  dataKind: DataKind,
  body: Buffer,
): void {
  if (part.state === "expired") {
    const expiredAt = new Date(part.expires_at ?? part.state_entered_at);
    throw new AppError(
      "request_expired",
      `Request ${request.id} expired for this provider at ${expiredAt.toISOString()}, so uploads are no longer accepted. Ask the requesting health office for a new request.`,
    );
  }
  if (part.state !== "sent" && part.state !== "answered") {
    throw new AppError(
      "invalid_transition",
      `Cannot answer request ${request.id}: this provider's part is ${part.state}, and only a part in sent or answered takes uploads.`,
    );
  }
  const kinds = dataKindsOf(part);
  if (!kinds.includes(dataKind)) {
    throw new AppError(
      "validation_failed",
      `Invalid kind ${dataKind}: this provider's part of request ${request.id} asks for ${kinds.join(", ")}.`,
    );
  }
  if (body.length === 0) {
    throw new AppError(
      "validation_failed",
      "The uploaded file is empty: send the file in the request body. A file with a header line and no rows answers that nothing was found.",
    );
  }
}

async function checkNoLiveUpload(
  db: Queryable,
  part: DataRequestPart,
  dataKind: DataKind,
): Promise<void> {
  const live = await db
    .selectFrom("data_request_uploads")
    .select(["id", "state"])
    .where("part_id", "=", part.id)
    .where("data_kind", "=", dataKind)
    .where("state", "in", LIVE_UPLOAD_STATES)
    .executeTakeFirst();
  if (live !== undefined) {
    throw new AppError(
      "conflict",
      `Upload ${live.id} of ${dataKind} data is ${live.state} for this part. ${live.state === "received" ? `Withdraw it (POST /api/provider/requests/${part.request_id}/uploads/${live.id}/withdraw) before uploading a corrected file.` : "An accepted upload cannot be replaced; ask the requesting health office."}`,
    );
  }
}

/**
 * Saves the file, imports its records and stores the upload, answering
 * the part when every kind it asks for has a live file. The checks run
 * again inside the transaction, because another call may have changed the
 * part during the import. If anything fails after the import, its records
 * are removed again.
 */
async function receiveFile(
  context: ProviderContext,
  request: DataRequest,
  part: DataRequestPart,
  input: UploadInput,
  sha256: string,
  now: number,
): Promise<DataRequestUpload> {
  if (exposurePlaceOf(request) !== null) {
    return receiveExposureList(context, request, part, input, sha256, now);
  }
  const uploadId = randomUUID();
  const filePath = await saveUploadFile(
    context.uploadDir,
    uploadId,
    input.body,
    context.keys.dataKeys.keyFor(request.case_id),
  );

  let imported;
  try {
    imported = await withClearUploadFile(
      context.uploadDir,
      uploadId,
      input.body,
      (clearFile) =>
        importUploadRecords(context.store, {
          uploadId,
          filePath: clearFile,
          dataKind: input.dataKind,
          identifier: identifierFor(context.keys, request, input.dataKind),
          personId: request.person_id,
          caseId: request.case_id,
          window: {
            startDate: request.window_start_date,
            endDate: request.window_end_date,
          },
          actor: providerAuditActor(context.caller),
        }),
    );
  } catch (error) {
    await discardUploadFile(filePath);
    throw error;
  }

  const upload = newUploadRow(context, part, input, {
    id: uploadId,
    sha256,
    recordCount: imported.recordCount,
    importId: imported.importId,
    now,
  });
  try {
    await context.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom("data_request_parts")
        .selectAll()
        .where("id", "=", part.id)
        .executeTakeFirstOrThrow();
      checkUploadAllowed(request, current, input.dataKind, input.body);
      await checkNoLiveUpload(trx, current, input.dataKind);

      await trx.insertInto("data_request_uploads").values(upload).execute();
      await noteAnswerInRoute(trx, context, request, upload);
      await answerIfComplete(providerStep(context, trx, now), current);
    });
  } catch (error) {
    await context.db.transaction().execute(async (trx) => {
      await removeUploadRecords(trx, imported.importId);
    });
    await discardUploadFile(filePath);
    throw error;
  }
  return upload;
}

/**
 * Notes that an upload's records are in the person's route: the request
 * keeps the time of its first answer, and the requesting investigator is
 * notified.
 */
async function noteAnswerInRoute(
  trx: Transaction<Database>,
  context: ProviderContext,
  request: DataRequest,
  upload: DataRequestUpload,
): Promise<void> {
  await trx
    .updateTable("data_requests")
    .set({ first_answer_at: upload.received_at })
    .where("id", "=", request.id)
    .where("first_answer_at", "is", null)
    .execute();
  await notifyRequester(
    trx,
    request,
    "request.answer_received",
    {
      uploadId: upload.id,
      dataKind: upload.data_kind,
      recordCount: upload.record_count,
      providerOrganisationId: context.caller.organisation.id,
      providerName: context.caller.organisation.name,
    },
    upload.received_at,
  );
}

/**
 * Receives the subscriber list that answers an exposure request: checks
 * it, keeps the file, and stores its subscribers in place of location
 * records, all in one transaction.
 */
async function receiveExposureList(
  context: ProviderContext,
  request: DataRequest,
  part: DataRequestPart,
  input: UploadInput,
  sha256: string,
  now: number,
): Promise<DataRequestUpload> {
  const place = exposurePlaceOf(request);
  if (place === null) {
    throw new Error(`Data request ${request.id} is not an exposure request.`);
  }
  const subscribers = parseExposureList(input.body, request, place);
  const uploadId = randomUUID();
  const filePath = await saveUploadFile(
    context.uploadDir,
    uploadId,
    input.body,
    context.keys.dataKeys.keyFor(request.case_id),
  );
  const upload = newUploadRow(context, part, input, {
    id: uploadId,
    sha256,
    recordCount: subscribers.length,
    importId: null,
    now,
  });
  try {
    await context.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom("data_request_parts")
        .selectAll()
        .where("id", "=", part.id)
        .executeTakeFirstOrThrow();
      checkUploadAllowed(request, current, input.dataKind, input.body);
      await checkNoLiveUpload(trx, current, input.dataKind);

      await trx.insertInto("data_request_uploads").values(upload).execute();
      await storeExposureList(
        trx,
        context.keys,
        { request, part: current, uploadId },
        subscribers,
        context.settings,
        now,
      );
      await noteAnswerInRoute(trx, context, request, upload);
      await answerIfComplete(providerStep(context, trx, now), current);
    });
  } catch (error) {
    await discardUploadFile(filePath);
    throw error;
  }
  return upload;
}

function newUploadRow(
  context: ProviderContext,
  part: DataRequestPart,
  input: UploadInput,
  received: {
    id: string;
    sha256: string;
    recordCount: number;
    importId: string | null;
    now: number;
  },
): DataRequestUpload {
  return {
    id: received.id,
    request_id: part.request_id,
    part_id: part.id,
    provider_organisation_id: context.caller.organisation.id,
    data_kind: input.dataKind,
    sha256: received.sha256,
    size_bytes: input.body.length,
    record_count: received.recordCount,
    stored_file: received.id,
    import_id: received.importId,
    state: "received",
    received_at: received.now,
    received_with_key_id: context.caller.key?.id ?? null,
    received_by_user_id: context.caller.user?.id ?? null,
    decided_at: null,
    decided_by: null,
    decision_reason: null,
  };
}

function identifierFor(
  keys: FieldKeys,
  stored: DataRequest,
  dataKind: DataKind,
): string {
  const request = openRequestRow(keys, stored);
  const value =
    identifierOf(dataKind) === "phone_number"
      ? request.phone_number
      : request.card_holder;
  if (value === null) {
    throw new Error(
      `Data request ${request.id} has no identifier for ${dataKind} data.`,
    );
  }
  return value;
}

async function answerIfComplete(
  step: Step,
  part: DataRequestPart,
): Promise<void> {
  if (part.state !== "sent") {
    return;
  }
  const live = await step.trx
    .selectFrom("data_request_uploads")
    .select("data_kind")
    .where("part_id", "=", part.id)
    .where("state", "in", LIVE_UPLOAD_STATES)
    .execute();
  const answeredKinds = new Set(live.map((upload) => upload.data_kind));
  if (!dataKindsOf(part).every((kind) => answeredKinds.has(kind))) {
    return;
  }

  const request = await loadRequest(step.trx, part.request_id);
  await movePart(step, request, part, "answered", {
    reason: "a file was received for every data kind",
  });
  await settleRequest(step, request);
}
