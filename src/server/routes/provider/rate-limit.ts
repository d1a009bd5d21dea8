import type { FastifyInstance } from "fastify";

/** Length of the window in which a key's requests are counted. */
const WINDOW_MS = 60_000;

/**
 * Adds a hook that limits each provider API key to `requestsPerMinute`
 * requests per minute (a fixed window kept in this process's memory by
 * @fastify/rate-limit). A request over the limit gets 429 with a
 * `Retry-After` header and the error code `rate_limited`. It must be
 * added after the key hook, because it counts by the authenticated key.
 */
export function registerProviderRateLimit(
  app: FastifyInstance,
  requestsPerMinute: number,
): void {
  const limiter = app.createRateLimit({
    max: requestsPerMinute,
    timeWindow: WINDOW_MS,
    keyGenerator: (request) =>
      `provider-key:${request.providerCaller?.key?.id ?? request.ip}`,
  });

  app.addHook("onRequest", async (request, reply) => {
    const limit = await limiter(request);
    if (limit.isAllowed || !limit.isExceeded) {
      return;
    }
    request.log.info(
      { keyId: request.providerCaller?.key?.id, code: "rate_limited" },
      "request rejected",
    );
    return reply
      .status(429)
      .header("retry-after", String(limit.ttlInSeconds))
      .send({
        error: {
          code: "rate_limited",
          message: `Too many requests with this API key: at most ${requestsPerMinute} per minute are allowed. Retry in ${limit.ttlInSeconds} seconds.`,
        },
      });
  });
}
