import type {
  DataRequest,
  DataRequestPartState,
  DataRequestState,
} from "../store/index.js";
import { notifyRequester } from "../notifications/index.js";
import { asSystem, moveRequest, requestDeadline, type Step } from "./ledger.js";

/** The request state that the states of its parts add up to. */
export interface PartsOutcome {
  state: Extract<
    DataRequestState,
    "sent_to_providers" | "partly_answered" | "answered" | "failed" | "expired"
  >;
  /** True while some part still waits for its provider. */
  pending: boolean;
}

/**
 * Adds up the states of the parts that providers answer themselves (a
 * forwarded part is left out, because its card companies answer it). Some
 * parts answered and none open is still `partly_answered`, without a
 * deadline, so that the request shows that answers are missing.
 */
export function outcomeOfParts(
  states: readonly DataRequestPartState[],
): PartsOutcome {
  const count = (state: DataRequestPartState) =>
    states.filter((s) => s === state).length;
  const open = count("sent");
  const answered = count("answered");

  if (open > 0 || states.length === 0) {
    return {
      state: answered > 0 ? "partly_answered" : "sent_to_providers",
      pending: true,
    };
  }
  if (answered === states.length) {
    return { state: "answered", pending: false };
  }
  if (answered > 0) {
    return { state: "partly_answered", pending: false };
  }
  if (count("expired") === states.length) {
    return { state: "expired", pending: false };
  }
  return { state: "failed", pending: false };
}

const SETTLED_STATES: readonly DataRequestState[] = [
  "sent_to_providers",
  "partly_answered",
  "answered",
];

/**
 * Brings a request that is with its providers into the state its parts
 * add up to, after a part changed. A request in any other state is left as
 * it is.
 */
export async function settleRequest(
  step: Step,
  request: DataRequest,
): Promise<DataRequest> {
  if (!SETTLED_STATES.includes(request.state)) {
    return request;
  }

  const parts = await step.trx
    .selectFrom("data_request_parts")
    .select("state")
    .where("request_id", "=", request.id)
    .where("state", "!=", "forwarded")
    .execute();
  const outcome = outcomeOfParts(parts.map((part) => part.state));

  if (outcome.state !== request.state) {
    const moved = await moveRequest(asSystem(step), request, outcome.state, {
      reason: "the states of its parts changed",
      pending: outcome.pending,
    });
    return noteAnswered(step, moved);
  }

  const deadline = outcome.pending
    ? requestDeadline(request.state, request.state_entered_at, step.settings)
    : null;
  if (deadline === request.deadline_at) {
    return request;
  }
  await step.trx
    .updateTable("data_requests")
    .set({ deadline_at: deadline, updated_at: step.now })
    .where("id", "=", request.id)
    .execute();
  return { ...request, deadline_at: deadline, updated_at: step.now };
}

/**
 * Keeps `answered_at` in step with the state: set, and the investigator
 * notified, when the request becomes answered, and cleared when a
 * withdrawn or rejected upload takes it out of `answered` again.
 */
async function noteAnswered(
  step: Step,
  request: DataRequest,
): Promise<DataRequest> {
  const answeredAt = request.state === "answered" ? step.now : null;
  if (answeredAt === request.answered_at) {
    return request;
  }
  await step.trx
    .updateTable("data_requests")
    .set({ answered_at: answeredAt })
    .where("id", "=", request.id)
    .execute();
  if (answeredAt !== null) {
    await notifyRequester(step.trx, request, "request.answered", {}, step.now);
  }
  return { ...request, answered_at: answeredAt };
}
