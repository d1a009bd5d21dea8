import { appendAuditEvent } from "../audit/index.js";
import { AppError, notFound } from "../errors.js";
import { notifyRequester } from "../notifications/index.js";
import { openRequestRow, type FieldKeys } from "../privacy/index.js";
import { providerAuditActor } from "../providers/index.js";
import type {
  DataRequest,
  DataRequestPart,
  DataRequestUpload,
} from "../store/index.js";
import { loadOrganisations, type OrganisationRef } from "./details.js";
import { expireAllDue } from "./expiry.js";
import { createPart, movePart } from "./ledger.js";
import { checkReason } from "./lifecycle.js";
import {
  authorizeProviderAction,
  providerStep,
  withProviderPart,
  type ProviderContext,
} from "./provider-access.js";
import { dataKindsOf, loadRequest, type Queryable } from "./rows.js";
import { settleRequest } from "./settle.js";

/** Provider's view of a request: its own part, the identifier and window, never the case. */
export interface ProviderPartView {
  part: DataRequestPart;
  /** The request with its identifiers decrypted. */
  request: DataRequest;
  requestingOrganisation: OrganisationRef;
  /** The uploads of this part, oldest first. */
  uploads: DataRequestUpload[];
}

/**
 * Returns the parts addressed to the caller that wait for its answer,
 * oldest first, after expiring what is due. Each part returned is noted as
 * pulled and gets an audit event of its own, because each names a person.
 */
export async function pullOpenParts(
  context: ProviderContext,
  now: number = Date.now(),
): Promise<ProviderPartView[]> {
  const { db, caller } = context;
  await authorizeProviderAction(context, "provider.pull", "provider.pull");
  await expireAllDue(db, context.settings, now, caller.organisation.id);

  const parts = await db
    .selectFrom("data_request_parts")
    .selectAll()
    .where("provider_organisation_id", "=", caller.organisation.id)
    .where("state", "=", "sent")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const firstPulls = parts
    .filter((part) => part.first_pulled_at === null)
    .map((part) => part.id);
  if (firstPulls.length > 0) {
    await db
      .updateTable("data_request_parts")
      .set({ first_pulled_at: now })
      .where("id", "in", firstPulls)
      .execute();
  }
  const views = await Promise.all(
    parts.map((part) =>
      viewOf(db, context.keys, {
        ...part,
        first_pulled_at: part.first_pulled_at ?? now,
      }),
    ),
  );
  await auditPull(context, views);
  return views;
}

/** Returns the caller's part of one request, in whatever state it is. */
export function viewOwnPart(
  context: ProviderContext,
  requestId: string,
  now: number = Date.now(),
): Promise<ProviderPartView> {
  return withProviderPart(
    context,
    { action: "provider.pull", auditAction: "provider.part_view", requestId },
    now,
    async ({ part }) => ({
      value: await viewOf(context.db, context.keys, part),
    }),
  );
}

/**
 * Forwards the card association's part of a request to card companies:
 * those named, or every card company. Each gets a part of its own, which
 * it answers itself.
 */
export function forwardPart(
  context: ProviderContext,
  requestId: string,
  cardCompanyIds: readonly string[] | undefined,
  now: number = Date.now(),
): Promise<ProviderPartView> {
  return withProviderPart(
    context,
    { action: "provider.forward", auditAction: "provider.forward", requestId },
    now,
    ({ part }) =>
      context.db.transaction().execute(async (trx) => {
        const step = providerStep(context, trx, now);
        const request = await loadRequest(trx, requestId);
        const current = await reloadPart(trx, part.id);
        const companies = await resolveCardCompanies(trx, cardCompanyIds);

        const forwarded = await movePart(step, request, current, "forwarded", {
          reason: `forwarded to ${companies.length} card companies`,
        });
        const children: string[] = [];
        for (const company of companies) {
          const child = await createPart(
            step,
            request,
            company.id,
            dataKindsOf(current),
            current.id,
          );
          children.push(child.id);
        }
        await settleRequest(step, request);
        return {
          value: await viewOf(trx, context.keys, forwarded),
          detail: { forwardedToPartIds: children },
        };
      }),
  );
}

/**
 * Declines the caller's part of a request with a reason, such as a number
 * that is not the operator's subscriber. The part fails, and the other parts
 * of the request go on.
 */
export function declinePart(
  context: ProviderContext,
  requestId: string,
  reason: string,
  now: number = Date.now(),
): Promise<ProviderPartView> {
  const checkedReason = checkReason(reason);

  return withProviderPart(
    context,
    { action: "provider.decline", auditAction: "provider.decline", requestId },
    now,
    ({ part }) =>
      context.db.transaction().execute(async (trx) => {
        const step = providerStep(context, trx, now);
        const request = await loadRequest(trx, requestId);
        const current = await reloadPart(trx, part.id);
        const failed = await movePart(step, request, current, "failed", {
          reason: checkedReason,
        });
        await notifyRequester(
          trx,
          request,
          "request.part_declined",
          {
            partId: current.id,
            providerOrganisationId: context.caller.organisation.id,
            providerName: context.caller.organisation.name,
          },
          now,
        );
        await settleRequest(step, request);
        return { value: await viewOf(trx, context.keys, failed) };
      }),
  );
}

/**
 * Lists the card companies a card association may forward to, by name.
 * Raises `forbidden` for a caller that may not forward.
 */
export async function listCardCompanies(
  context: ProviderContext,
): Promise<OrganisationRef[]> {
  await authorizeProviderAction(
    context,
    "provider.forward",
    "provider.forward",
  );
  return context.db
    .selectFrom("organisations")
    .select(["id", "name", "kind"])
    .where("kind", "=", "card_company")
    .orderBy("name")
    .execute();
}

/** Loads the provider's view of one of its parts. */
export async function viewOf(
  db: Queryable,
  keys: FieldKeys,
  part: DataRequestPart,
): Promise<ProviderPartView> {
  const request = openRequestRow(keys, await loadRequest(db, part.request_id));
  const organisations = await loadOrganisations(db, [request.organisation_id]);
  const uploads = await db
    .selectFrom("data_request_uploads")
    .selectAll()
    .where("part_id", "=", part.id)
    .orderBy("received_at")
    .orderBy("id")
    .execute();
  const requestingOrganisation = organisations.get(request.organisation_id);
  if (requestingOrganisation === undefined) {
    throw new Error(`Organisation of data request ${request.id} is missing.`);
  }
  return { part, request, requestingOrganisation, uploads };
}

async function reloadPart(
  db: Queryable,
  partId: string,
): Promise<DataRequestPart> {
  return db
    .selectFrom("data_request_parts")
    .selectAll()
    .where("id", "=", partId)
    .executeTakeFirstOrThrow();
}

async function resolveCardCompanies(
  db: Queryable,
  ids: readonly string[] | undefined,
): Promise<OrganisationRef[]> {
  let query = db
    .selectFrom("organisations")
    .select(["id", "name", "kind"])
    .where("kind", "=", "card_company")
    .orderBy("name");
  if (ids !== undefined) {
    if (ids.length === 0) {
      throw new AppError(
        "validation_failed",
        "Invalid cardCompanyIds: name at least one card company, or leave the list out to forward to all.",
      );
    }
    query = query.where("id", "in", [...new Set(ids)]);
  }
  const companies = await query.execute();

  for (const id of ids ?? []) {
    if (!companies.some((company) => company.id === id)) {
      throw notFound(`Card company ${id}`);
    }
  }
  if (companies.length === 0) {
    throw new AppError(
      "validation_failed",
      "No card company is registered to forward the request to.",
    );
  }
  return companies;
}

async function auditPull(
  context: ProviderContext,
  views: readonly ProviderPartView[],
): Promise<void> {
  const actor = providerAuditActor(context.caller);
  if (views.length === 0) {
    await appendAuditEvent(context.db, {
      actor,
      action: "provider.pull",
      result: "allowed",
      detail: { total: 0 },
    });
    return;
  }
  for (const view of views) {
    await appendAuditEvent(context.db, {
      actor,
      action: "provider.pull",
      result: "allowed",
      caseId: view.request.case_id,
      personId: view.request.person_id,
      detail: {
        requestId: view.request.id,
        partId: view.part.id,
        total: views.length,
      },
    });
  }
}
