import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";

import { authorize } from "../../../access/index.js";
import { accessContextOf } from "../../context.js";
import { AreaCollectionCache } from "./collection-cache.js";

const AreasQuery = Type.Object(
  {
    level: Type.Union([
      Type.Literal("province"),
      Type.Literal("municipality"),
      Type.Literal("submunicipality"),
    ]),
  },
  { additionalProperties: false },
);

/**
 * Cache-Control of the boundaries. `private` because the route needs a
 * session: a shared cache keys on the URL alone and would serve the
 * response to callers who never signed in. `no-cache` makes the browser revalidate
 * its copy with If-None-Match at each use, which costs a 304 without a
 * body, so the session and permission checks run for every user of a
 * shared browser and a new boundary import shows at once.
 */
export const AREAS_CACHE_CONTROL = "private, no-cache";

/**
 * Administrative boundaries as GeoJSON, the base layers of the map. Each
 * level is built once per boundary import, sent gzip-compressed to clients
 * that accept it, and a request whose copy is current gets 304.
 */
export const areaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new AreaCollectionCache();

  app.get(
    "/areas",
    { schema: { querystring: AreasQuery } },
    async (request, reply) => {
      const context = accessContextOf(request);
      authorize(context.caller, "area.view");

      const body = await cache.bodyOf(context.db, request.query.level);
      const useGzip = acceptsGzip(request);
      reply
        .header("cache-control", AREAS_CACHE_CONTROL)
        .header("vary", "Accept-Encoding")
        .header("etag", useGzip ? body.gzipEtag : body.etag);

      if (matchesIfNoneMatch(request, [body.etag, body.gzipEtag])) {
        return reply.code(304).send();
      }
      reply.type("application/geo+json");
      if (useGzip) {
        reply.header("content-encoding", "gzip");
        return reply.send(body.gzipped);
      }
      return reply.send(body.plain);
    },
  );
};

/** Tells whether Accept-Encoding lists gzip (or `*`) with a non-zero q-value. */
function acceptsGzip(request: FastifyRequest): boolean {
  const header = request.headers["accept-encoding"];
  if (header === undefined) {
    return false;
  }
  return header.split(",").some((entry) => {
    const [coding = "", ...parameters] = entry.split(";");
    const name = coding.trim().toLowerCase();
    if (name !== "gzip" && name !== "x-gzip" && name !== "*") {
      return false;
    }
    const quality = parameters
      .map((parameter) => parameter.trim().toLowerCase())
      .find((parameter) => parameter.startsWith("q="));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

/**
 * Tells whether If-None-Match names one of `etags`, by the weak comparison
 * that RFC 9110 section 13.1.2 prescribes for this header. Either encoding's
 * tag matches, because both stand for the same boundaries.
 */
function matchesIfNoneMatch(
  request: FastifyRequest,
  etags: readonly string[],
): boolean {
  const header = request.headers["if-none-match"];
  if (header === undefined) {
    return false;
  }
  if (header.trim() === "*") {
    return true;
  }
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => etags.includes(tag));
}
