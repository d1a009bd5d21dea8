/** Shapes of the data request routes under /api, as the web app reads them. */

export type DataKind = "base_station" | "gps" | "checkin" | "card";

export const DATA_KINDS: readonly DataKind[] = [
  "base_station",
  "gps",
  "checkin",
  "card",
];

/** Article of the Infectious Disease Control and Prevention Act a request is made under. */
export type LegalBasis = "76-2(1)" | "76-2(2)";

export type RequestState =
  | "draft"
  | "submitted"
  | "awaiting_police_approval"
  | "approved"
  | "rejected"
  | "sent_to_providers"
  | "partly_answered"
  | "answered"
  | "failed"
  | "expired"
  | "withdrawn";

export const REQUEST_STATES: readonly RequestState[] = [
  "draft",
  "submitted",
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

export type PartState =
  "sent" | "answered" | "forwarded" | "failed" | "expired" | "withdrawn";

export type UploadState = "received" | "accepted" | "rejected" | "withdrawn";

export interface OrganisationRef {
  id: string;
  name: string;
  kind: string;
}

/** A window of Seoul days, both inclusive, with the instants it covers. */
export interface RequestWindow {
  startDate: string;
  endDate: string;
  startsAt: string;
  endsAt: string;
}

/** The state of a request or a part, with its deadline; instants are ISO 8601. */
export interface StateFields<S extends string> {
  state: S;
  stateEnteredAt: string;
  deadlineAt: string | null;
  overdue: boolean;
  expiresAt: string | null;
}

export interface RequestPart extends StateFields<PartState> {
  id: string;
  provider: OrganisationRef;
  forwardedFromPartId: string | null;
  dataKinds: DataKind[];
  firstPulledAt: string | null;
}

export interface RequestTransition {
  partId: string | null;
  from: string | null;
  to: string;
  /** Username, `provider-key:<id>` or `system`. */
  by: string;
  reason: string | null;
  at: string;
}

/** An answer file as its provider's receipt shows it. */
export interface UploadReceipt {
  uploadId: string;
  requestId: string;
  partId: string;
  dataKind: DataKind;
  recordCount: number;
  sha256: string;
  sizeBytes: number;
  receivedAt: string;
  state: UploadState;
  decidedAt: string | null;
  decisionReason: string | null;
}

/** The fields of a request that investigators and the police both see. */
export interface RequestCore extends StateFields<RequestState> {
  id: string;
  dataKinds: DataKind[];
  phoneNumber: string | null;
  cardHolder: string | null;
  window: RequestWindow;
  purpose: string;
  legalBasis: LegalBasis;
  organisation: OrganisationRef;
  requestedBy: { id: string; displayName: string };
  providers: OrganisationRef[];
  submittedAt: string | null;
  createdAt: string;
  updatedAt: string;
  parts: RequestPart[];
  transitions: RequestTransition[];
}

/** A request as an investigator sees it. */
export interface DataRequestDetail extends RequestCore {
  /** The place of an exposure request, or null for a request about the case's person. */
  exposurePlace: ExposurePlace | null;
  caseId: string;
  caseNumber: string;
  personId: string;
  uploads: UploadReceipt[];
}

/** A location request as the police see it: no case, no uploads. */
export type LocationApproval = RequestCore;

/** A row of the investigators' request list. */
export interface DataRequestSummary extends StateFields<RequestState> {
  id: string;
  caseId: string;
  caseNumber: string;
  dataKinds: DataKind[];
  window: RequestWindow;
  legalBasis: LegalBasis;
  providerCount: number;
  submittedAt: string | null;
  createdAt: string;
}

export interface DataRequestPage {
  items: DataRequestSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface DataRequestSearch {
  caseId?: string;
  state?: RequestState;
  overdue?: boolean;
  page?: number;
  pageSize?: number;
}

export interface NewDataRequest {
  caseId: string;
  dataKinds: DataKind[];
  phoneNumber?: string;
  cardHolder?: string;
  /** Seoul calendar date, `YYYY-MM-DD`. */
  windowStartDate: string;
  windowEndDate: string;
  purpose: string;
  legalBasis: LegalBasis;
  /** Makes the request an exposure request; it then takes no phone number. */
  exposurePlace?: ExposurePlaceInput;
}

/** The place of an exposure request as it is written; radius and dwell default on the server. */
export interface ExposurePlaceInput {
  latitude: number;
  longitude: number;
  radiusMeters?: number;
  minDwellMinutes?: number;
}

/** The place of an exposure request as stored. */
export interface ExposurePlace {
  latitude: number;
  longitude: number;
  radiusMeters: number;
  minDwellMinutes: number;
}

/** A subscriber an operator listed for an exposure request; instants are ISO 8601. */
export interface ExposureSubscriber {
  id: string;
  /** Null once the list expired and only linked subscribers remain. */
  phoneNumber: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  expiresAt: string;
  linkedPersonId: string | null;
  linkedAt: string | null;
}

/** A provider's own part of a request, as the web inbox shows it: no case, no purpose. */
export interface ProviderPart extends StateFields<PartState> {
  requestId: string;
  partId: string;
  forwardedFromPartId: string | null;
  dataKinds: DataKind[];
  identifier: { kind: "phone_number" | "card_holder"; value: string | null };
  window: RequestWindow;
  legalBasis: LegalBasis;
  /** Name of the requesting office. */
  requestingOrganisation: string;
  uploads: UploadReceipt[];
  /** The place of an exposure request, which the operator answers with a subscriber list, or null. */
  exposurePlace: ExposurePlace | null;
}

/** When a request was submitted and when its answers reached the route; instants are ISO 8601. */
export interface RequestTiming {
  requestId: string;
  submittedAt: string | null;
  firstAnswerAt: string | null;
  answeredAt: string | null;
  secondsToFirstAnswer: number | null;
  secondsToAnswered: number | null;
}

/** Median and 90th percentile, in seconds, over the requests of the caller's jurisdiction. */
export interface TimingFigures {
  total: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface RequestStatistics {
  answered: TimingFigures;
  firstAnswer: TimingFigures;
}
