import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

import {
  listPersonHistory,
  readReviewSettings,
  reviewMonth,
  searchAuditEvents,
  type ReviewSettings,
} from "../../../audit/review/index.js";
import { accessContextOf } from "../../context.js";
import {
  presentAuditPage,
  presentMonthlyReview,
  presentPersonHistory,
} from "../../presenters/audit.js";
import { withoutUndefined } from "../without-undefined.js";
import {
  AuditEventQuery,
  MonthlyReviewQuery,
  PersonHistoryParams,
  PersonHistoryQuery,
} from "./schema.js";

export interface AuditRouteOptions {
  /** Thresholds of the monthly review, read from the environment when missing. */
  reviewSettings?: ReviewSettings;
}

/** The auditors' view of the audit log: search, a person's access history and the monthly review. */
export const auditRoutes: FastifyPluginAsyncTypebox<AuditRouteOptions> = async (
  app,
  options,
) => {
  const reviewSettings = options.reviewSettings ?? readReviewSettings();

  app.get(
    "/audit/events",
    { schema: { querystring: AuditEventQuery } },
    async (request) => {
      const { page, pageSize, ...filters } = request.query;
      const result = await searchAuditEvents(accessContextOf(request), {
        ...withoutUndefined(filters),
        page: page ?? 1,
        pageSize: pageSize ?? 50,
      });
      return presentAuditPage(result);
    },
  );

  app.get(
    "/audit/persons/:personId/history",
    {
      schema: { params: PersonHistoryParams, querystring: PersonHistoryQuery },
    },
    async (request) => {
      const history = await listPersonHistory(
        accessContextOf(request),
        request.params.personId,
        {
          page: request.query.page ?? 1,
          pageSize: request.query.pageSize ?? 100,
        },
      );
      return presentPersonHistory(history);
    },
  );

  app.get(
    "/audit/review",
    { schema: { querystring: MonthlyReviewQuery } },
    async (request) => {
      const review = await reviewMonth(
        accessContextOf(request),
        request.query.month,
        reviewSettings,
      );
      return presentMonthlyReview(review);
    },
  );
};
