import type { FastifyError, FastifyInstance } from "fastify";

import { AppError } from "../errors.js";

/**
 * Sends every error as `{ error: { code, message } }`. Errors of the
 * catalogue keep their status; schema validation failures become
 * `validation_failed`; anything else is an internal error whose details
 * stay in the log.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler<FastifyError | AppError>((error, request, reply) => {
    if (error instanceof AppError) {
      const level = error.reported ? "error" : "info";
      request.log[level](
        { code: error.code, err: error.reported ? error : undefined },
        "request rejected",
      );
      return reply
        .status(error.status)
        .send({ error: { code: error.code, message: error.message } });
    }

    if (error.validation !== undefined) {
      request.log.info({ code: "validation_failed" }, "request rejected");
      return reply.status(400).send({
        error: {
          code: "validation_failed",
          message: `Invalid request: ${error.message}.`,
        },
      });
    }

    const status = error.statusCode ?? 500;
    if (status < 500) {
      request.log.info({ code: error.code }, "request rejected");
      return reply
        .status(status)
        .send({ error: { code: "bad_request", message: error.message } });
    }

    request.log.error({ err: error }, "request failed");
    return reply.status(500).send({
      error: {
        code: "internal",
        message: "Internal error; the event is logged for the operators.",
      },
    });
  });
}
