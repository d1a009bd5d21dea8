import { seoulDayEnd, seoulDayStart } from "../../domain/index.js";
import { maskIdentifier, maskPhoneNumber } from "../../privacy/index.js";
import type { ProviderApiKeyListing } from "../../providers/index.js";
import {
  dataKindsOf,
  identifierOf,
  providerIdsOf,
  type DataRequestDetails,
  type DataRequestSummary,
  type OrganisationRef,
  type ProviderPartView,
} from "../../requests/index.js";
import type {
  DataRequest,
  DataRequestPart,
  DataRequestTransition,
  DataRequestUpload,
} from "../../store/index.js";

function isoOf(instant: number | null): string | null {
  return instant === null ? null : new Date(instant).toISOString();
}

function isOverdue(deadlineAt: number | null, now: number): boolean {
  return deadlineAt !== null && now > deadlineAt;
}

function presentOrganisationRef(organisation: OrganisationRef) {
  return {
    id: organisation.id,
    name: organisation.name,
    kind: organisation.kind,
  };
}

/** Shapes the state, deadline and overdue flag of a request or part. */
function presentState<S extends string>(
  row: {
    state: S;
    state_entered_at: number;
    deadline_at: number | null;
    expires_at: number | null;
  },
  now: number,
) {
  return {
    state: row.state,
    stateEnteredAt: isoOf(row.state_entered_at),
    deadlineAt: isoOf(row.deadline_at),
    overdue: isOverdue(row.deadline_at, now),
    expiresAt: isoOf(row.expires_at),
  };
}

function presentWindow(request: DataRequest) {
  return {
    startDate: request.window_start_date,
    endDate: request.window_end_date,
    startsAt: isoOf(seoulDayStart(request.window_start_date)),
    endsAt: isoOf(seoulDayEnd(request.window_end_date)),
  };
}

function presentTransition(transition: DataRequestTransition) {
  return {
    partId: transition.part_id,
    from: transition.from_state,
    to: transition.to_state,
    by: transition.actor_name,
    reason: transition.reason,
    at: isoOf(transition.occurred_at),
  };
}

/** Shapes an upload as the receipt its provider gets, and as investigators list it. */
export function presentReceipt(upload: DataRequestUpload) {
  return {
    uploadId: upload.id,
    requestId: upload.request_id,
    partId: upload.part_id,
    dataKind: upload.data_kind,
    recordCount: upload.record_count,
    sha256: upload.sha256,
    sizeBytes: upload.size_bytes,
    receivedAt: isoOf(upload.received_at),
    state: upload.state,
    decidedAt: isoOf(upload.decided_at),
    decisionReason: upload.decision_reason,
  };
}

function presentPart(
  part: DataRequestPart,
  provider: OrganisationRef,
  now: number,
) {
  return {
    id: part.id,
    provider: presentOrganisationRef(provider),
    forwardedFromPartId: part.forwarded_from_part_id,
    dataKinds: dataKindsOf(part),
    ...presentState(part, now),
    firstPulledAt: isoOf(part.first_pulled_at),
  };
}

/** Shapes the fields of a request that investigators and the police both see. */
function presentRequestCore(details: DataRequestDetails, now: number) {
  const { request } = details;
  return {
    id: request.id,
    ...presentState(request, now),
    dataKinds: dataKindsOf(request),
    phoneNumber: request.phone_number,
    cardHolder: request.card_holder,
    window: presentWindow(request),
    purpose: request.purpose,
    legalBasis: request.legal_basis,
    organisation: presentOrganisationRef(details.organisation),
    requestedBy: details.requestedBy,
    providers: details.providers.map(presentOrganisationRef),
    submittedAt: isoOf(request.submitted_at),
    createdAt: isoOf(request.created_at),
    updatedAt: isoOf(request.updated_at),
    parts: details.parts.map(({ part, provider }) =>
      presentPart(part, provider, now),
    ),
    transitions: details.transitions.map(presentTransition),
  };
}

/** Shapes a request with its parts, uploads and transitions for investigators. */
export function presentDataRequest(
  details: DataRequestDetails,
  now: number = Date.now(),
) {
  return {
    ...presentRequestCore(details, now),
    caseId: details.request.case_id,
    caseNumber: details.caseNumber,
    personId: details.request.person_id,
    uploads: details.uploads.map(presentReceipt),
  };
}

/** Shapes a row of the investigators' request list. */
export function presentDataRequestSummary(
  summary: DataRequestSummary,
  now: number = Date.now(),
) {
  const { request } = summary;
  return {
    id: request.id,
    caseId: request.case_id,
    caseNumber: summary.caseNumber,
    ...presentState(request, now),
    dataKinds: dataKindsOf(request),
    window: presentWindow(request),
    legalBasis: request.legal_basis,
    providerCount: providerIdsOf(request).length,
    submittedAt: isoOf(request.submitted_at),
    createdAt: isoOf(request.created_at),
  };
}

/**
 * Shapes a location data request for the police: what they decide on,
 * without the case, its person's record or the uploaded files, and with the
 * identifier masked, because approving needs the scope, not the number.
 */
export function presentLocationApproval(
  details: DataRequestDetails,
  now: number = Date.now(),
) {
  return {
    ...presentRequestCore(details, now),
    phoneNumber: maskPhoneNumber(details.request.phone_number),
    cardHolder: maskIdentifier(details.request.card_holder),
  };
}

/**
 * Shapes a provider's part of a request: the identifier to look up, the
 * window and the legal basis, never the case or the other parts.
 */
export function presentProviderPart(
  view: ProviderPartView,
  now: number = Date.now(),
) {
  const { part, request } = view;
  const kinds = dataKindsOf(part);
  const identifierKind = identifierOf(kinds[0] ?? "base_station");
  const identifierValue =
    identifierKind === "phone_number"
      ? request.phone_number
      : request.card_holder;
  return {
    requestId: request.id,
    partId: part.id,
    forwardedFromPartId: part.forwarded_from_part_id,
    dataKinds: kinds,
    identifier: { kind: identifierKind, value: identifierValue },
    window: presentWindow(request),
    legalBasis: request.legal_basis,
    requestingOrganisation: view.requestingOrganisation.name,
    ...presentState(part, now),
    uploads: view.uploads.map(presentReceipt),
  };
}

/** Shapes a provider API key for administrators; the key itself is never part of it. */
export function presentProviderKey(listing: ProviderApiKeyListing) {
  const { key, organisation } = listing;
  return {
    id: key.id,
    name: key.name,
    keyPrefix: key.key_prefix,
    organisation: {
      id: organisation.id,
      name: organisation.name,
      kind: organisation.kind,
    },
    createdAt: isoOf(key.created_at),
    expiresAt: isoOf(key.expires_at),
    revokedAt: isoOf(key.revoked_at),
    lastUsedAt: isoOf(key.last_used_at),
  };
}
