import { sql } from "kysely";

import { withPersonalDataSearch } from "../access/index.js";
import type { DataRequest, DataRequestState } from "../store/index.js";
import { withRequestAccess } from "./access.js";
import { userStep, type RequestContext } from "./context.js";
import { loadRequestDetails, type DataRequestDetails } from "./details.js";
import { expireAllDue, expireDue } from "./expiry.js";
import { loadRequest } from "./rows.js";

/** Returns a request of a case of the caller's jurisdiction with its parts, transitions and uploads. */
export function viewDataRequest(
  context: RequestContext,
  requestId: string,
  now: number = Date.now(),
): Promise<DataRequestDetails> {
  return withRequestAccess(context, "request.view", requestId, () =>
    context.db.transaction().execute(async (trx) => {
      const step = userStep(context, trx, now);
      const request = await expireDue(step, await loadRequest(trx, requestId));
      return loadRequestDetails(trx, context.keys, request);
    }),
  );
}

export interface DataRequestSearch {
  caseId?: string;
  state?: DataRequestState;
  /** Only requests past the deadline of their current state. */
  overdue?: boolean;
  page: number;
  pageSize: number;
}

/** A row of the request list. */
export interface DataRequestSummary {
  request: DataRequest;
  caseNumber: string;
}

export interface DataRequestSearchResult {
  items: DataRequestSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Lists the requests of the cases of the caller's jurisdiction, newest
 * first, after expiring what is due.
 */
export function listDataRequests(
  context: RequestContext,
  search: DataRequestSearch,
  now: number = Date.now(),
): Promise<DataRequestSearchResult> {
  const { db } = context;

  return withPersonalDataSearch(
    context,
    "request.view",
    async (jurisdiction) => {
      await expireAllDue(db, context.settings, now);

      let query = db
        .selectFrom("data_requests")
        .innerJoin("cases", "cases.id", "data_requests.case_id");
      if (jurisdiction !== null) {
        query = query.where("cases.organisation_id", "=", jurisdiction);
      }
      if (search.caseId !== undefined) {
        query = query.where("data_requests.case_id", "=", search.caseId);
      }
      if (search.state !== undefined) {
        query = query.where("data_requests.state", "=", search.state);
      }
      if (search.overdue === true) {
        query = query.where("data_requests.deadline_at", "<", now);
      }

      const counted = await query
        .select(sql<number>`count(*)`.as("total"))
        .executeTakeFirstOrThrow();
      const rows = await query
        .selectAll("data_requests")
        .select("cases.case_number")
        .orderBy("data_requests.created_at", "desc")
        .orderBy("data_requests.id")
        .limit(search.pageSize)
        .offset((search.page - 1) * search.pageSize)
        .execute();

      return {
        items: rows.map(({ case_number, ...request }) => ({
          request,
          caseNumber: case_number,
        })),
        total: Number(counted.total),
        page: search.page,
        pageSize: search.pageSize,
      };
    },
    {
      caseId: search.caseId ?? null,
      state: search.state ?? null,
      overdue: search.overdue ?? false,
    },
  );
}
