import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";

import {
  acceptUpload,
  approveLocationRequest,
  createDataRequest,
  listDataRequests,
  exposurePlaceOf,
  linkExposureSubscriber,
  listExposureSubscribers,
  listLocationApprovals,
  summarizeRequestTiming,
  viewRequestTiming,
  readRequestSettings,
  rejectLocationRequest,
  rejectUpload,
  submitDataRequest,
  viewDataRequest,
  viewLocationApproval,
  withdrawDataRequest,
  type DataRequestDetails,
  type ExposureSubscriberView,
  type RequestContext,
  type RequestTiming,
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
  SubscriberIdParams,
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
      return reply.status(201).send(withPlace(presentDataRequest, details));
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
      withPlace(
        presentDataRequest,
        await viewDataRequest(contextOf(request), request.params.id),
      ),
  );

  app.get(
    "/requests/:id/timing",
    { schema: { params: RequestIdParams } },
    async (request) =>
      presentTiming(
        await viewRequestTiming(contextOf(request), request.params.id),
      ),
  );

  app.get("/request-statistics", async (request) => {
    const statistics = await summarizeRequestTiming(contextOf(request));
    return {
      answered: {
        total: statistics.total,
        medianSeconds: secondsOf(statistics.medianMs),
        p90Seconds: secondsOf(statistics.p90Ms),
      },
      firstAnswer: {
        total: statistics.firstAnswer.total,
        medianSeconds: secondsOf(statistics.firstAnswer.medianMs),
        p90Seconds: secondsOf(statistics.firstAnswer.p90Ms),
      },
    };
  });

  app.get(
    "/requests/:id/exposure-subscribers",
    { schema: { params: RequestIdParams } },
    async (request) => {
      const list = await listExposureSubscribers(
        contextOf(request),
        request.params.id,
      );
      return {
        requestId: list.requestId,
        place: list.place,
        items: list.subscribers.map(presentSubscriber),
      };
    },
  );

  app.post(
    "/requests/:id/exposure-subscribers/:subscriberId/link",
    { schema: { params: SubscriberIdParams } },
    async (request) =>
      presentSubscriber(
        await linkExposureSubscriber(
          contextOf(request),
          request.params.id,
          request.params.subscriberId,
        ),
      ),
  );

  app.post(
    "/requests/:id/submit",
    { schema: { params: RequestIdParams } },
    async (request) =>
      withPlace(
        presentDataRequest,
        await submitDataRequest(contextOf(request), request.params.id),
      ),
  );

  app.post(
    "/requests/:id/withdraw",
    { schema: { params: RequestIdParams, body: ReasonBody } },
    async (request) =>
      withPlace(
        presentDataRequest,
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
      withPlace(
        presentDataRequest,
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
      withPlace(
        presentDataRequest,
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
      return {
        items: items.map((item) => withPlace(presentLocationApproval, item)),
      };
    },
  );

  app.get(
    "/location-approvals/:id",
    { schema: { params: RequestIdParams } },
    async (request) =>
      withPlace(
        presentLocationApproval,
        await viewLocationApproval(contextOf(request), request.params.id),
      ),
  );

  app.post(
    "/location-approvals/:id/approve",
    { schema: { params: RequestIdParams, body: OptionalReasonBody } },
    async (request) =>
      withPlace(
        presentLocationApproval,
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
      withPlace(
        presentLocationApproval,
        await rejectLocationRequest(
          contextOf(request),
          request.params.id,
          request.body.reason,
        ),
      ),
  );
};

function presentTiming(timing: RequestTiming) {
  const iso = (at: number | null) =>
    at === null ? null : new Date(at).toISOString();
  return {
    requestId: timing.requestId,
    submittedAt: iso(timing.submittedAt),
    firstAnswerAt: iso(timing.firstAnswerAt),
    answeredAt: iso(timing.answeredAt),
    secondsToFirstAnswer: secondsOf(timing.toFirstAnswerMs),
    secondsToAnswered: secondsOf(timing.toAnsweredMs),
  };
}

function secondsOf(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 1000);
}

/** Adds the place of an exposure request (null for other requests) to a presented request. */
function withPlace<T extends object>(
  present: (details: DataRequestDetails) => T,
  details: DataRequestDetails,
): T & { exposurePlace: ReturnType<typeof exposurePlaceOf> } {
  return {
    ...present(details),
    exposurePlace: exposurePlaceOf(details.request),
  };
}

function presentSubscriber(subscriber: ExposureSubscriberView) {
  const iso = (at: number | null) =>
    at === null ? null : new Date(at).toISOString();
  return {
    id: subscriber.id,
    phoneNumber: subscriber.phoneNumber,
    firstSeenAt: iso(subscriber.firstSeenAt),
    lastSeenAt: iso(subscriber.lastSeenAt),
    expiresAt: iso(subscriber.expiresAt),
    linkedPersonId: subscriber.linkedPersonId,
    linkedAt: iso(subscriber.linkedAt),
  };
}
