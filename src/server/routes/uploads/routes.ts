import path from "node:path";

import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";

import { AppError } from "../../../errors.js";
import type { ProviderKind } from "../../../ingest/provider/index.js";
import {
  templateHeader,
  templateSample,
  templateSchema,
} from "../../../ingest/provider/templates.js";
import { readRequestSettings } from "../../../requests/index.js";
import { accessContextOf, sessionAt } from "../../context.js";
import { withoutUndefined } from "../without-undefined.js";
import {
  importCaseUpload,
  UPLOAD_CONTENT_TYPE,
  UploadRejectedError,
  validateCaseUpload,
  type CaseUpload,
  type UploadContext,
} from "./case-upload.js";
import {
  TemplateParams,
  UploadCaseParams,
  UploadQuery,
  type TemplateFile,
} from "./schema.js";

export interface CaseUploadRoutesOptions {
  /** Largest file accepted, in bytes. Default: the provider upload limit (`EPITRACE_PROVIDER_UPLOAD_MAX_MIB`, default 64 MiB). */
  maxBytes?: number;
}

/**
 * Uploads of provider files by investigators for one case: a validation
 * that stores nothing, the import, and the templates of each kind.
 */
export const caseUploadRoutes: FastifyPluginAsyncTypebox<
  CaseUploadRoutesOptions
> = async (app, options) => {
  const maxBytes = options.maxBytes ?? readRequestSettings().uploadMaxBytes;
  app.addContentTypeParser(
    UPLOAD_CONTENT_TYPE,
    { parseAs: "buffer", bodyLimit: maxBytes },
    (_request, body, done) => done(null, body),
  );

  const routeOptions = {
    bodyLimit: maxBytes,
    schema: { params: UploadCaseParams, querystring: UploadQuery },
  };

  app.post("/cases/:id/uploads/validate", routeOptions, async (request) =>
    validateCaseUpload(
      uploadContextOf(request),
      caseUploadOf(request.params.id, request.query, request.body),
    ),
  );

  app.post("/cases/:id/uploads", routeOptions, async (request, reply) => {
    try {
      const result = await importCaseUpload(
        uploadContextOf(request),
        caseUploadOf(request.params.id, request.query, request.body),
      );
      return reply.status(result.alreadyImported ? 200 : 201).send(result);
    } catch (error) {
      if (error instanceof UploadRejectedError) {
        return sendRejected(request, reply, error);
      }
      throw error;
    }
  });

  app.get(
    "/upload-templates/:kind/:file",
    { schema: { params: TemplateParams } },
    async (request, reply) => {
      sessionAt(request, ["complete"]);
      const { kind, file } = request.params;
      const template = templateOf(kind, file);
      return reply
        .header("content-type", template.contentType)
        .header(
          "content-disposition",
          `attachment; filename="${template.fileName}"`,
        )
        .send(template.content);
    },
  );
};

function uploadContextOf(request: FastifyRequest): UploadContext {
  const { store, settings } = request.server.services;
  return {
    ...accessContextOf(request),
    store,
    workDir: path.join(settings.dataDir, "upload-work"),
  };
}

/**
 * Builds the upload of a request. A body that is not bytes (sent as JSON,
 * for example) becomes null, which the use case rejects after the access
 * layer has checked the caller and the case.
 */
function caseUploadOf(
  caseId: string,
  query: {
    kind: ProviderKind;
    fileName?: string | undefined;
  } & CaseUpload["options"],
  body: unknown,
): CaseUpload {
  const { fileName, ...options } = query;
  return {
    caseId,
    fileName,
    body: Buffer.isBuffer(body) ? body : null,
    options: withoutUndefined(options) as CaseUpload["options"],
  };
}

function sendRejected(
  request: FastifyRequest,
  reply: FastifyReply,
  error: UploadRejectedError,
) {
  request.log.info(
    {
      code: error.code,
      rowsRejected: error.preview.rowsRejected,
      fileErrors: error.preview.fileErrors.length,
    },
    "upload rejected",
  );
  return reply.status(error.status).send({
    error: { code: error.code, message: error.message },
    preview: error.preview,
  });
}

interface Template {
  fileName: string;
  contentType: string;
  content: string;
}

function templateOf(kind: ProviderKind, file: TemplateFile): Template {
  switch (file) {
    case "schema.json":
      return {
        fileName: `${kind}.schema.json`,
        contentType: "application/schema+json; charset=utf-8",
        content: `${JSON.stringify(templateSchema(kind), null, 2)}\n`,
      };
    case "header.csv":
      return {
        fileName: `${kind}-header.csv`,
        contentType: "text/csv; charset=utf-8",
        content: templateHeader(kind),
      };
    case "sample.csv":
      return {
        fileName: `${kind}-sample.csv`,
        contentType: "text/csv; charset=utf-8",
        content: templateSample(kind),
      };
    default:
      throw new AppError(
        "not_found",
        `Template file ${String(file)} not found.`,
      );
  }
}
