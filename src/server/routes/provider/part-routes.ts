import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";

import { AppError } from "../../../errors.js";
import {
  declinePart,
  forwardPart,
  pullOpenParts,
  uploadAnswer,
  viewOwnPart,
  withdrawUpload,
  type ProviderContext,
  type RequestSettings,
} from "../../../requests/index.js";
import { presentReceipt } from "../../presenters/request.js";
import { presentPart } from "./present.js";
import {
  DeclineBody,
  ForwardBody,
  ProviderRequestParams,
  ProviderUploadParams,
  UploadQuery,
  WithdrawUploadBody,
} from "./schema.js";

export interface ProviderPartRoutesOptions {
  settings: RequestSettings;
  /** Content types the parent scope parses upload bodies of as bytes, named in the error for any other body. */
  uploadContentTypes: readonly string[];
  /** Builds the use-case context. Only its caller differs between the API-key routes and the session routes. */
  contextOf: (request: FastifyRequest) => ProviderContext;
  /** Runs before the upload body is read, so that a caller it rejects gets that error whatever it sent. */
  authorizeUpload?: (
    context: ProviderContext,
    requestId: string,
  ) => Promise<void>;
}

/**
 * Routes on the parts of data requests that a provider answers: list, view,
 * upload, withdraw an upload, forward and decline. The provider API and the
 * provider web inbox both register them and differ only in `contextOf`.
 */
export const providerPartRoutes: FastifyPluginAsyncTypebox<
  ProviderPartRoutesOptions
> = async (
  app,
  { settings, uploadContentTypes, contextOf, authorizeUpload },
) => {
  app.get("/requests", async (request) => {
    const views = await pullOpenParts(contextOf(request));
    return { items: views.map((view) => presentPart(view)) };
  });

  app.get(
    "/requests/:requestId",
    { schema: { params: ProviderRequestParams } },
    async (request) =>
      presentPart(
        await viewOwnPart(contextOf(request), request.params.requestId),
      ),
  );

  app.post(
    "/requests/:requestId/uploads",
    {
      bodyLimit: settings.uploadMaxBytes,
      schema: { params: ProviderRequestParams, querystring: UploadQuery },
    },
    async (request, reply) => {
      const context = contextOf(request);
      await authorizeUpload?.(context, request.params.requestId);
      const body: unknown = request.body;
      if (!Buffer.isBuffer(body)) {
        throw new AppError(
          "validation_failed",
          `Send the file as the request body with Content-Type ${uploadContentTypes.join(", ")}.`,
        );
      }
      const outcome = await uploadAnswer(context, {
        requestId: request.params.requestId,
        dataKind: request.query.kind,
        body,
      });
      return reply
        .status(outcome.created ? 201 : 200)
        .send(presentReceipt(outcome.upload));
    },
  );

  app.post(
    "/requests/:requestId/uploads/:uploadId/withdraw",
    { schema: { params: ProviderUploadParams, body: WithdrawUploadBody } },
    async (request) =>
      presentReceipt(
        await withdrawUpload(
          contextOf(request),
          request.params.requestId,
          request.params.uploadId,
          request.body?.reason,
        ),
      ),
  );

  app.post(
    "/requests/:requestId/forward",
    { schema: { params: ProviderRequestParams, body: ForwardBody } },
    async (request) =>
      presentPart(
        await forwardPart(
          contextOf(request),
          request.params.requestId,
          request.body?.cardCompanyIds,
        ),
      ),
  );

  app.post(
    "/requests/:requestId/decline",
    { schema: { params: ProviderRequestParams, body: DeclineBody } },
    async (request) =>
      presentPart(
        await declinePart(
          contextOf(request),
          request.params.requestId,
          request.body.reason,
        ),
      ),
  );
};
