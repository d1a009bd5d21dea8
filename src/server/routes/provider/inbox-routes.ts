import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";

import type { Action } from "../../../access/index.js";
import { AppError } from "../../../errors.js";
import { providerUserCaller } from "../../../providers/index.js";
import {
  authorizeProviderAction,
  declinePart,
  forwardPart,
  listCardCompanies,
  pullOpenParts,
  uploadAnswer,
  uploadDirOf,
  viewOwnPart,
  withdrawUpload,
  type ProviderContext,
  type RequestSettings,
} from "../../../requests/index.js";
import { accessContextOf } from "../../context.js";
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

/**
 * The web inbox of providers under /provider-inbox: the provider API's use
 * cases for a signed-in user with the provider role, who answers by hand.
 * It takes a session that completed login, second factor included, and no
 * API key. Every route calls the same use case as its provider API route,
 * which checks the permission table and the part's organisation again.
 */
export const providerInboxRoutes: FastifyPluginAsyncTypebox<{
  settings: RequestSettings;
  uploadContentTypes: readonly string[];
}> = async (app, { settings, uploadContentTypes }) => {
  app.addContentTypeParser(
    [...uploadContentTypes],
    { parseAs: "buffer", bodyLimit: settings.uploadMaxBytes },
    (_request, body, done) => done(null, body),
  );

  const contextOf = (request: FastifyRequest): ProviderContext => {
    const access = accessContextOf(request);
    return {
      store: request.server.services.store,
      db: access.db,
      caller: providerUserCaller(access.caller),
      settings,
      uploadDir: uploadDirOf(request.server.services.settings.dataDir),
      keys: access.keys,
    };
  };

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
      // The role is checked before the body, so that a caller without it
      // gets 403 whatever it sent.
      await authorizeUpload(context, request.params.requestId);
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

  app.get("/card-companies", async (request) => {
    const companies = await listCardCompanies(contextOf(request));
    return { items: companies };
  });
};

const UPLOAD_ACTION: Action = "provider.answer";

function authorizeUpload(
  context: ProviderContext,
  requestId: string,
): Promise<void> {
  return authorizeProviderAction(context, UPLOAD_ACTION, "provider.upload", {
    requestId,
    partId: null,
  });
}
