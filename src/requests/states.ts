import { AppError } from "../errors.js";
import type {
  DataRequestPartState,
  DataRequestState,
  DataRequestUploadState,
} from "../store/index.js";

/**
 * The life cycle of a data request: each state lists the states it may go
 * to. `submitted` and `approved` are passed through at once (routing to the
 * police or to the providers), so a request found there was stuck.
 * `partly_answered` and `answered` go back when an upload is withdrawn or
 * rejected and its part waits for a corrected file.
 */
export const REQUEST_TRANSITIONS: Readonly<
  Record<DataRequestState, readonly DataRequestState[]>
> = {
  draft: ["submitted", "withdrawn"],
  submitted: ["awaiting_police_approval", "sent_to_providers", "withdrawn"],
  awaiting_police_approval: ["approved", "rejected", "expired", "withdrawn"],
  approved: ["sent_to_providers", "withdrawn"],
  sent_to_providers: [
    "partly_answered",
    "answered",
    "failed",
    "expired",
    "withdrawn",
  ],
  partly_answered: ["answered", "sent_to_providers", "withdrawn"],
  answered: ["partly_answered", "sent_to_providers"],
  rejected: [],
  failed: [],
  expired: [],
  withdrawn: [],
};

/**
 * The life cycle of the part of a request addressed to one provider. A
 * part is created in `sent`. The card association's part becomes
 * `forwarded` when it passes the request on to the card companies, each of
 * which gets a part of its own. An answered part whose file is withdrawn or
 * rejected goes back to `sent`, or to `withdrawn` when its request was
 * withdrawn meanwhile.
 */
export const PART_TRANSITIONS: Readonly<
  Record<DataRequestPartState, readonly DataRequestPartState[]>
> = {
  sent: ["forwarded", "answered", "failed", "expired", "withdrawn"],
  answered: ["sent", "withdrawn"],
  forwarded: [],
  failed: [],
  expired: [],
  withdrawn: [],
};

/** The review of an uploaded file: the provider withdraws it, or an investigator accepts or rejects it. */
export const UPLOAD_TRANSITIONS: Readonly<
  Record<DataRequestUploadState, readonly DataRequestUploadState[]>
> = {
  received: ["accepted", "rejected", "withdrawn"],
  accepted: ["rejected"],
  rejected: [],
  withdrawn: [],
};

/** Request states in which someone still has to act, so that a deadline applies. */
export const PENDING_REQUEST_STATES = [
  "draft",
  "submitted",
  "awaiting_police_approval",
  "approved",
  "sent_to_providers",
  "partly_answered",
] as const satisfies readonly DataRequestState[];

export type PendingRequestState = (typeof PENDING_REQUEST_STATES)[number];

export function isPendingRequestState(
  state: DataRequestState,
): state is PendingRequestState {
  return (PENDING_REQUEST_STATES as readonly string[]).includes(state);
}

type Subject = "request" | "request part" | "upload";

/**
 * Raises `invalid_transition` unless the state machine allows `from` to
 * go to `to`. The message names the subject, its current state, the
 * attempted transition and the states that are allowed.
 */
export function assertTransition<S extends string>(
  table: Readonly<Record<S, readonly S[]>>,
  subject: Subject,
  id: string,
  from: S,
  to: S,
): void {
  const allowed = table[from];
  if (allowed.includes(to)) {
    return;
  }
  const next =
    allowed.length === 0
      ? `${from} is a final state`
      : `from ${from} it can only go to ${allowed.join(", ")}`;
  throw new AppError(
    "invalid_transition",
    `Cannot move ${subject} ${id} from ${from} to ${to}: ${next}.`,
  );
}
