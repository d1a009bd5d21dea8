import { randomUUID } from "node:crypto";

import type { Transaction } from "kysely";

import { appendAuditEvent, type AuditActor } from "../audit/index.js";
import { AppError } from "../errors.js";
import type {
  DataKind,
  DataRequest,
  DataRequestPart,
  DataRequestPartState,
  DataRequestState,
  Database,
} from "../store/index.js";
import type { RequestSettings } from "./settings.js";
import {
  assertTransition,
  isPendingRequestState,
  PART_TRANSITIONS,
  REQUEST_TRANSITIONS,
} from "./states.js";

/** Actor that a transition row names: a user, a provider key, or the system itself. */
export interface TransitionActor {
  userId: string | null;
  /** Username, `provider-key:<id>` or `system`. */
  name: string;
  organisationId: string | null;
}

/** The actor of steps that follow from another step or from the clock, such as routing and expiry. */
export const SYSTEM_ACTOR: TransitionActor = {
  userId: null,
  name: "system",
  organisationId: null,
};

/** The audit actor of expiry, which no caller causes. */
export const SYSTEM_AUDIT_ACTOR: AuditActor = {
  userId: null,
  username: "system",
  role: null,
  organisationId: null,
  sourceAddress: null,
};

/** Everything a transition is written with: the open transaction, the time, and who acts. */
export interface Step {
  trx: Transaction<Database>;
  settings: RequestSettings;
  now: number;
  /** The actor of the audit events: the caller whose call this is. */
  audit: AuditActor;
  /** The actor of the transition rows. */
  actor: TransitionActor;
}

/** Returns the same step with the system as the actor of its transitions. */
export function asSystem(step: Step): Step {
  return { ...step, actor: SYSTEM_ACTOR };
}

const HOUR_MS = 3_600_000;

export interface RequestMove {
  reason?: string | null;
  /**
   * False when no one has to act in the new state, so it gets no
   * deadline: a request partly answered whose other parts all ended.
   * Default true.
   */
  pending?: boolean;
}

/**
 * Moves a request to a new state through the state machine, storing the
 * transition and writing its audit event. Raises `invalid_transition` for
 * a move the machine does not allow.
 */
export async function moveRequest(
  step: Step,
  request: DataRequest,
  to: DataRequestState,
  move: RequestMove = {},
): Promise<DataRequest> {
  assertTransition(
    REQUEST_TRANSITIONS,
    "request",
    request.id,
    request.state,
    to,
  );

  const { settings, now } = step;
  const pending = move.pending ?? true;
  const changes = {
    state: to,
    state_entered_at: now,
    deadline_at: pending ? requestDeadline(to, now, settings) : null,
    expires_at:
      to === "awaiting_police_approval"
        ? now + settings.approvalExpiryHours * HOUR_MS
        : null,
    submitted_at: to === "submitted" ? now : request.submitted_at,
    updated_at: now,
  };
  const result = await step.trx
    .updateTable("data_requests")
    .set(changes)
    .where("id", "=", request.id)
    .where("state", "=", request.state)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) {
    throw changedMeanwhile("request", request.id);
  }

  await recordTransition(step, request, null, request.state, to, move.reason);
  return { ...request, ...changes };
}

export interface PartMove {
  reason?: string | null;
  /** When a part entering `sent` expires; default: now plus the answer expiry. */
  expiresAt?: number;
}

/** Moves a part of a request to a new state through the part state machine. */
export async function movePart(
  step: Step,
  request: DataRequest,
  part: DataRequestPart,
  to: DataRequestPartState,
  move: PartMove = {},
): Promise<DataRequestPart> {
  assertTransition(PART_TRANSITIONS, "request part", part.id, part.state, to);

  const { settings, now } = step;
  const changes = {
    state: to,
    state_entered_at: now,
    deadline_at:
      to === "sent" ? now + settings.deadlineHours.part_sent * HOUR_MS : null,
    expires_at:
      to === "sent"
        ? (move.expiresAt ?? now + settings.answerExpiryHours * HOUR_MS)
        : part.expires_at,
    updated_at: now,
  };
  const result = await step.trx
    .updateTable("data_request_parts")
    .set(changes)
    .where("id", "=", part.id)
    .where("state", "=", part.state)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) {
    throw changedMeanwhile("request part", part.id);
  }

  await recordTransition(step, request, part.id, part.state, to, move.reason);
  return { ...part, ...changes };
}

/** Creates the part of a request addressed to one provider organisation, in `sent`. */
export async function createPart(
  step: Step,
  request: DataRequest,
  providerOrganisationId: string,
  dataKinds: readonly DataKind[],
  forwardedFromPartId: string | null = null,
): Promise<DataRequestPart> {
  const { settings, now } = step;
  const part: DataRequestPart = {
    id: randomUUID(),
    request_id: request.id,
    provider_organisation_id: providerOrganisationId,
    forwarded_from_part_id: forwardedFromPartId,
    data_kinds: JSON.stringify(dataKinds),
    state: "sent",
    state_entered_at: now,
    deadline_at: now + settings.deadlineHours.part_sent * HOUR_MS,
    expires_at: now + settings.answerExpiryHours * HOUR_MS,
    first_pulled_at: null,
    created_at: now,
    updated_at: now,
  };
  await step.trx.insertInto("data_request_parts").values(part).execute();
  await recordTransition(step, request, part.id, null, "sent", null);
  return part;
}

/** Stores the creation of a request as its first transition. */
export function recordRequestCreation(
  step: Step,
  request: DataRequest,
): Promise<void> {
  return recordTransition(step, request, null, null, request.state, null);
}

/** Returns when a request entering a state at `enteredAt` is overdue, or null where no one has to act. */
export function requestDeadline(
  state: DataRequestState,
  enteredAt: number,
  settings: RequestSettings,
): number | null {
  if (!isPendingRequestState(state)) {
    return null;
  }
  return enteredAt + settings.deadlineHours[state] * HOUR_MS;
}

async function recordTransition(
  step: Step,
  request: DataRequest,
  partId: string | null,
  from: string | null,
  to: string,
  reason: string | null | undefined,
): Promise<void> {
  await step.trx
    .insertInto("data_request_transitions")
    .values({
      request_id: request.id,
      part_id: partId,
      from_state: from,
      to_state: to,
      actor_user_id: step.actor.userId,
      actor_name: step.actor.name,
      actor_organisation_id: step.actor.organisationId,
      reason: reason ?? null,
      occurred_at: step.now,
    })
    .execute();
  await appendAuditEvent(step.trx, {
    actor: step.audit,
    action: "request.transition",
    result: "succeeded",
    caseId: request.case_id,
    personId: request.person_id,
    occurredAt: step.now,
    detail: {
      requestId: request.id,
      partId,
      from,
      to,
      by: step.actor.name,
    },
  });
}

function changedMeanwhile(subject: string, id: string): AppError {
  return new AppError(
    "conflict",
    `The ${subject} ${id} changed while this call ran: load it again and retry.`,
  );
}
