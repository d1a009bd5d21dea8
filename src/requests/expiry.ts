import type { Kysely } from "kysely";

import type { Database, DataRequest } from "../store/index.js";
import {
  asSystem,
  moveRequest,
  movePart,
  SYSTEM_ACTOR,
  SYSTEM_AUDIT_ACTOR,
  type Step,
} from "./ledger.js";
import { destroyExpiredExposureLists } from "./exposure-lists.js";
import type { RequestSettings } from "./settings.js";
import { settleRequest } from "./settle.js";

/**
 * Expires what is due in one request: the request itself when the police
 * did not decide in time, and each part whose provider did not answer in
 * time. Expiry is applied when a request is next read or changed, not by
 * a timer, so every call sees the same states. Its transitions name the
 * system, in the rows and in the audit log.
 */
export async function expireDue(
  step: Step,
  request: DataRequest,
): Promise<DataRequest> {
  const system: Step = { ...asSystem(step), audit: SYSTEM_AUDIT_ACTOR };
  const { now } = step;

  if (
    request.state === "awaiting_police_approval" &&
    request.expires_at !== null &&
    request.expires_at <= now
  ) {
    return moveRequest(system, request, "expired", {
      reason: `no police decision before ${new Date(request.expires_at).toISOString()}`,
    });
  }

  const dueParts = await step.trx
    .selectFrom("data_request_parts")
    .selectAll()
    .where("request_id", "=", request.id)
    .where("state", "=", "sent")
    .where("expires_at", "<=", now)
    .execute();
  if (dueParts.length === 0) {
    return request;
  }
  for (const part of dueParts) {
    await movePart(system, request, part, "expired", {
      reason: `no answer before ${new Date(part.expires_at ?? now).toISOString()}`,
    });
  }
  return settleRequest(system, request);
}

/**
 * Expires what is due in every request, or in those with a part addressed
 * to one provider organisation, one transaction per request, and destroys
 * the subscriber lists past their expiry. Listings call it first so that
 * they show current states.
 */
export async function expireAllDue(
  db: Kysely<Database>,
  settings: RequestSettings,
  now: number,
  providerOrganisationId?: string,
): Promise<void> {
  await destroyExpiredExposureLists(db, now);
  let dueParts = db
    .selectFrom("data_request_parts")
    .select("request_id")
    .where("state", "=", "sent")
    .where("expires_at", "<=", now);
  if (providerOrganisationId !== undefined) {
    dueParts = dueParts.where(
      "provider_organisation_id",
      "=",
      providerOrganisationId,
    );
  }
  const fromParts = await dueParts.execute();
  const fromApproval =
    providerOrganisationId === undefined
      ? await db
          .selectFrom("data_requests")
          .select("id as request_id")
          .where("state", "=", "awaiting_police_approval")
          .where("expires_at", "<=", now)
          .execute()
      : [];

  const requestIds = new Set(
    [...fromParts, ...fromApproval].map((row) => row.request_id),
  );
  for (const requestId of requestIds) {
    await db.transaction().execute(async (trx) => {
      const request = await trx
        .selectFrom("data_requests")
        .selectAll()
        .where("id", "=", requestId)
        .executeTakeFirstOrThrow();
      await expireDue(
        {
          trx,
          settings,
          now,
          audit: SYSTEM_AUDIT_ACTOR,
          actor: SYSTEM_ACTOR,
        },
        request,
      );
    });
  }
}
