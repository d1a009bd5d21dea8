import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";

import {
  acceptUpload,
  approveLocationRequest,
  createDataRequest,
  listDataRequests,
  listLocationApprovals,
  readRequestSettings,
  rejectLocationRequest,
  rejectUpload,
  submitDataRequest,
  viewDataRequest,
  viewLocationApproval,
  withdrawDataRequest,
  type RequestContext,
  type RequestSettings,
} from "../../../requests/index.js";
import { accessContextOf } from "../../context.js";
import {
  presentDataRequest,
  presentDataRequestSummary,
  presentLocationApproval,
} from "../../presenters/request.js";
import { withoutUndefined } from "../without-undefined.js";
import {
  ApprovalSearchQuery,
  NewRequestBody,
  OptionalReasonBody,
  ReasonBody,
  RequestIdParams,
  RequestSearchQuery,
  UploadIdParams,
} from "./schema.js";

export interface RequestRoutesOptions {
  /** Default: read from the environment when the routes are registered. */
  requestSettings?: RequestSettings;
}

/**
 * Data requests for investigators (create, submit, withdraw, review the
 * uploads) and the police approval of location data requests.
 */
export const requestRoutes: FastifyPluginAsyncTypebox<
  RequestRoutesOptions
> = async (app, options) => {
  const settings = options.requestSettings ?? readRequestSettings();
  const contextOf = (request: FastifyRequest): RequestContext => ({
    ...accessContextOf(request),
    settings,
  });

  app.post(
    "/requests",
    { schema: { body: NewRequestBody } },
    async (request, reply) => {
      const details = await createDataRequest(
        contextOf(request),
        withoutUndefined(request.body),
      );
      return reply.status(201).send(presentDataRequest(details));
    },
  );

  app.get(
    "/requests",
    { schema: { querystring: RequestSearchQuery } },
    async (request) => {
      const { page, pageSize, ...filters } = request.query;
      const result = await listDataRequests(contextOf(request), {
        ...withoutUndefined(filters),
        page: page ?? 1,
        pageSize: pageSize ?? 50,
      });
      return {
        ...result,
        items: result.items.map((item) => presentDataRequestSummary(item)),
      };
    },
  );

  app.get(
    "/requests/:id",
    { schema: { params: RequestIdParams } },
    async (request) =>
      presentDataRequest(
        await viewDataRequest(contextOf(request), request.params.id),
      ),
  );

  app.post(
    "/requests/:id/submit",
    { schema: { params: RequestIdParams } },
    async (request) =>
      presentDataRequest(
        await submitDataRequest(contextOf(request), request.params.id),
      ),
  );

  app.post(
    "/requests/:id/withdraw",
    { schema: { params: RequestIdParams, body: ReasonBody } },
    async (request) =>
      presentDataRequest(
        await withdrawDataRequest(
          contextOf(request),
          request.params.id,
          request.body.reason,
        ),
      ),
  );

  app.post(
    "/requests/:id/uploads/:uploadId/accept",
    { schema: { params: UploadIdParams } },
    async (request) =>
      presentDataRequest(
        await acceptUpload(
          contextOf(request),
          request.params.id,
          request.params.uploadId,
        ),
      ),
  );

  app.post(
    "/requests/:id/uploads/:uploadId/reject",
    { schema: { params: UploadIdParams, body: ReasonBody } },
    async (request) =>
      presentDataRequest(
        await rejectUpload(
          contextOf(request),
          request.params.id,
          request.params.uploadId,
          request.body.reason,
        ),
      ),
  );

  app.get(
    "/location-approvals",
    { schema: { querystring: ApprovalSearchQuery } },
    async (request) => {
      const items = await listLocationApprovals(
        contextOf(request),
        withoutUndefined(request.query),
      );
      return { items: items.map((item) => presentLocationApproval(item)) };
    },
  );

  app.get(
    "/location-approvals/:id",
    { schema: { params: RequestIdParams } },
    async (request) =>
      presentLocationApproval(
        await viewLocationApproval(contextOf(request), request.params.id),
      ),
  );

  app.post(
    "/location-approvals/:id/approve",
    { schema: { params: RequestIdParams, body: OptionalReasonBody } },
    async (request) =>
      presentLocationApproval(
        await approveLocationRequest(
          contextOf(request),
          request.params.id,
          request.body?.reason,
        ),
      ),
  );

  app.post(
    "/location-approvals/:id/reject",
    { schema: { params: RequestIdParams, body: ReasonBody } },
    async (request) =>
      presentLocationApproval(
        await rejectLocationRequest(
          contextOf(request),
          request.params.id,
          request.body.reason,
        ),
      ),
  );
};
