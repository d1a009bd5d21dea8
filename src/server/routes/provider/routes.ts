import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";

import {
  createProviderApiKey,
  listProviderApiKeys,
  revokeProviderApiKey,
} from "../../../providers/index.js";
import {
  readRequestSettings,
  uploadDirOf,
  type ProviderContext,
  type RequestSettings,
} from "../../../requests/index.js";
import { accessContextOf } from "../../context.js";
import { presentProviderKey } from "../../presenters/request.js";
import { withoutUndefined } from "../without-undefined.js";
import { providerPartRoutes } from "./part-routes.js";
import { providerInboxRoutes } from "./inbox-routes.js";
import {
  providerCallerOf,
  registerProviderKeyAuthentication,
} from "./authenticate.js";
import { registerProviderRateLimit } from "./rate-limit.js";
import { KeyIdParams, KeyListQuery, NewKeyBody } from "./schema.js";

export interface ProviderRoutesOptions {
  /** Default: read from the environment when the routes are registered. */
  requestSettings?: RequestSettings;
}

/** Content types an uploaded file may be sent as; the body is taken as bytes whatever it holds. */
const UPLOAD_CONTENT_TYPES = [
  "application/octet-stream",
  "application/gzip",
  "text/csv",
];

/**
 * The provider API under /provider, which takes API keys, and the
 * administration of those keys under /provider-keys, which takes a
 * session.
 */
export const providerRoutes: FastifyPluginAsyncTypebox<
  ProviderRoutesOptions
> = async (app, options) => {
  const settings = options.requestSettings ?? readRequestSettings();

  await app.register(providerKeyRoutes);
  await app.register(
    async (provider) => {
      registerProviderKeyAuthentication(provider);
      registerProviderRateLimit(
        provider,
        provider.services.settings.providerRequestsPerMinute,
      );
      provider.addContentTypeParser(
        UPLOAD_CONTENT_TYPES,
        { parseAs: "buffer", bodyLimit: settings.uploadMaxBytes },
        (_request, body, done) => done(null, body),
      );
      await provider.register(providerApiRoutes, { settings });
    },
    { prefix: "/provider" },
  );
  await app.register(providerInboxRoutes, {
    prefix: "/provider-inbox",
    settings,
    uploadContentTypes: UPLOAD_CONTENT_TYPES,
  });
};

const providerKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/provider-keys",
    { schema: { body: NewKeyBody } },
    async (request, reply) => {
      const created = await createProviderApiKey(
        accessContextOf(request),
        withoutUndefined(request.body),
      );
      return reply.status(201).send({
        key: presentProviderKey(created),
        secret: created.secret,
      });
    },
  );

  app.get(
    "/provider-keys",
    { schema: { querystring: KeyListQuery } },
    async (request) => {
      const listings = await listProviderApiKeys(
        accessContextOf(request),
        request.query.organisationId,
      );
      return { items: listings.map(presentProviderKey) };
    },
  );

  app.post(
    "/provider-keys/:id/revoke",
    { schema: { params: KeyIdParams } },
    async (request) =>
      presentProviderKey(
        await revokeProviderApiKey(accessContextOf(request), request.params.id),
      ),
  );
};

const providerApiRoutes: FastifyPluginAsyncTypebox<{
  settings: RequestSettings;
}> = async (app, { settings }) => {
  const contextOf = (request: FastifyRequest): ProviderContext => ({
    store: request.server.services.store,
    db: request.server.services.store.db,
    caller: providerCallerOf(request),
    settings,
    uploadDir: uploadDirOf(request.server.services.settings.dataDir),
    keys: request.server.services.keys,
  });

  await app.register(providerPartRoutes, {
    settings,
    uploadContentTypes: UPLOAD_CONTENT_TYPES,
    contextOf,
  });
};
