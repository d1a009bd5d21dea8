import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";

import type { Action } from "../../../access/index.js";
import { providerUserCaller } from "../../../providers/index.js";
import {
  authorizeProviderAction,
  listCardCompanies,
  uploadDirOf,
  type ProviderContext,
  type RequestSettings,
} from "../../../requests/index.js";
import { accessContextOf } from "../../context.js";
import { providerPartRoutes } from "./part-routes.js";

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

  await app.register(providerPartRoutes, {
    settings,
    uploadContentTypes,
    contextOf,
    // The role is checked before the body, so that a caller without it
    // gets 403 whatever it sent.
    authorizeUpload,
  });

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
