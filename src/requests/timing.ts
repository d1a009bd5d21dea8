import { withPersonalDataSearch } from "../access/index.js";
import { withRequestAccess } from "./access.js";
import type { RequestContext } from "./context.js";

/** When a request was submitted and when its answers reached the person's route. */
export interface RequestTiming {
  requestId: string;
  submittedAt: number | null;
  /** When the records of the first upload were stored, or null. */
  firstAnswerAt: number | null;
  /** When the request became answered with every answer stored, or null. */
  answeredAt: number | null;
  /** Milliseconds from submission to the first answer in the route, or null. */
  toFirstAnswerMs: number | null;
  /** Milliseconds from submission to the last answer in the route, or null. */
  toAnsweredMs: number | null;
}

/** Median and 90th percentile of the time from submission to a complete route. */
export interface RequestTimingStatistics {
  /** Answered requests the figures are computed from. */
  total: number;
  medianMs: number | null;
  p90Ms: number | null;
  /** The same figures for the first answer of each request. */
  firstAnswer: { total: number; medianMs: number | null; p90Ms: number | null };
}

/** Returns the timing of one request of the caller's jurisdiction. */
export function viewRequestTiming(
  context: RequestContext,
  requestId: string,
): Promise<RequestTiming> {
  return withRequestAccess(context, "request.view", requestId, (_kase, row) =>
    Promise.resolve({
      requestId: row.id,
      submittedAt: row.submitted_at,
      firstAnswerAt: row.first_answer_at,
      answeredAt: row.answered_at,
      toFirstAnswerMs: elapsed(row.submitted_at, row.first_answer_at),
      toAnsweredMs: elapsed(row.submitted_at, row.answered_at),
    }),
  );
}

/**
 * Computes the median and 90th percentile (nearest rank) of the time from
 * submission to the answered route, over the requests of the caller's
 * jurisdiction.
 */
export function summarizeRequestTiming(
  context: RequestContext,
): Promise<RequestTimingStatistics> {
  return withPersonalDataSearch(context, "request.view", async (scope) => {
    let query = context.db
      .selectFrom("data_requests")
      .innerJoin("cases", "cases.id", "data_requests.case_id")
      .select([
        "data_requests.submitted_at",
        "data_requests.first_answer_at",
        "data_requests.answered_at",
      ])
      .where("data_requests.submitted_at", "is not", null);
    if (scope !== null) {
      query = query.where("cases.organisation_id", "=", scope);
    }
    const rows = await query.execute();

    const toAnswered = durationsOf(
      rows.map((r) => [r.submitted_at, r.answered_at]),
    );
    const toFirst = durationsOf(
      rows.map((r) => [r.submitted_at, r.first_answer_at]),
    );
    return {
      total: toAnswered.length,
      medianMs: nearestRank(toAnswered, 0.5),
      p90Ms: nearestRank(toAnswered, 0.9),
      firstAnswer: {
        total: toFirst.length,
        medianMs: nearestRank(toFirst, 0.5),
        p90Ms: nearestRank(toFirst, 0.9),
      },
    };
  });
}

/** Returns the value at quantile `q` of sorted values by the nearest-rank method, or null for none. */
export function nearestRank(
  sorted: readonly number[],
  q: number,
): number | null {
  if (sorted.length === 0) {
    return null;
  }
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] ?? null;
}

function durationsOf(
  pairs: readonly (readonly [number | null, number | null])[],
): number[] {
  return pairs
    .map(([from, to]) => elapsed(from, to))
    .filter((value): value is number => value !== null)
    .sort((a, b) => a - b);
}

function elapsed(from: number | null, to: number | null): number | null {
  return from === null || to === null ? null : to - from;
}
