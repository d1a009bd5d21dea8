import { AppError } from "../errors.js";
import type { DataRequest } from "../store/index.js";
import { withRequestAccess } from "./access.js";
import { userStep, type RequestContext } from "./context.js";
import {
  kindsAnsweredBy,
  needsPoliceApproval,
  type LegalBasis,
} from "./data-kinds.js";
import {
  loadOrganisations,
  loadRequestDetails,
  type DataRequestDetails,
} from "./details.js";
import { expireDue } from "./expiry.js";
import {
  asSystem,
  createPart,
  movePart,
  moveRequest,
  type Step,
} from "./ledger.js";
import { dataKindsOf, loadParts, loadRequest, providerIdsOf } from "./rows.js";
import { assertTransition, REQUEST_TRANSITIONS } from "./states.js";
import { checkWindow, widestWindowOf } from "./window.js";

const MAX_REASON_LENGTH = 2000;

/**
 * Submits a draft. A request for location data then awaits the approval
 * of the police, and any other request goes to its providers at once. The
 * window is checked again against the case's dates as they are now.
 */
export function submitDataRequest(
  context: RequestContext,
  requestId: string,
  now: number = Date.now(),
): Promise<DataRequestDetails> {
  return withRequestAccess(context, "request.submit", requestId, (kase) =>
    context.db.transaction().execute(async (trx) => {
      const step = userStep(context, trx, now);
      let request = await loadRequest(trx, requestId);
      assertTransition(
        REQUEST_TRANSITIONS,
        "request",
        request.id,
        request.state,
        "submitted",
      );
      checkWindow(
        {
          startDate: request.window_start_date,
          endDate: request.window_end_date,
        },
        widestWindowOf(kase, context.settings, now),
        context.settings,
      );

      request = await moveRequest(step, request, "submitted");
      if (needsPoliceApproval(request.legal_basis as LegalBasis)) {
        request = await moveRequest(
          asSystem(step),
          request,
          "awaiting_police_approval",
          {
            reason:
              "location data is requested through the police under art. 76-2(2)",
          },
        );
      } else {
        request = await dispatchToProviders(step, request);
      }
      return loadRequestDetails(trx, context.keys, request);
    }),
  );
}

/**
 * Withdraws a request that is not finished. Parts still waiting for their
 * provider are withdrawn with it, so they can no longer be answered.
 * Answers already received stay.
 */
export function withdrawDataRequest(
  context: RequestContext,
  requestId: string,
  reason: string,
  now: number = Date.now(),
): Promise<DataRequestDetails> {
  const checkedReason = checkReason(reason);

  return withRequestAccess(context, "request.withdraw", requestId, () =>
    context.db.transaction().execute(async (trx) => {
      const step = userStep(context, trx, now);
      let request = await expireDue(step, await loadRequest(trx, requestId));
      assertTransition(
        REQUEST_TRANSITIONS,
        "request",
        request.id,
        request.state,
        "withdrawn",
      );

      for (const part of await loadParts(trx, request.id)) {
        if (part.state === "sent") {
          await movePart(step, request, part, "withdrawn", {
            reason: "the request was withdrawn",
          });
        }
      }
      request = await moveRequest(step, request, "withdrawn", {
        reason: checkedReason,
      });
      return loadRequestDetails(trx, context.keys, request);
    }),
  );
}

/**
 * Sends a submitted or approved request to its providers: one part per
 * provider organisation, each asking for the data kinds that kind of
 * organisation holds.
 */
export async function dispatchToProviders(
  step: Step,
  request: DataRequest,
): Promise<DataRequest> {
  const system = asSystem(step);
  const sent = await moveRequest(system, request, "sent_to_providers", {
    reason: "sent to each provider",
  });

  const kinds = dataKindsOf(request);
  const providers = await loadOrganisations(step.trx, providerIdsOf(request));
  for (const provider of providers.values()) {
    await createPart(
      system,
      sent,
      provider.id,
      kindsAnsweredBy(provider.kind, kinds),
    );
  }
  return sent;
}

/** Trims a reason and raises `validation_failed` when it is empty or too long. */
export function checkReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed === "" || trimmed.length > MAX_REASON_LENGTH) {
    throw new AppError(
      "validation_failed",
      `Invalid reason: give one in 1 to ${MAX_REASON_LENGTH} characters.`,
    );
  }
  return trimmed;
}
