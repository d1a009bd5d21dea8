import path from "node:path";

import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";

import { AppError } from "../../../errors.js";
import type { ProviderKind } from "../../../ingest/provider/index.js";
import {
  TEMPLATE_FILES,
  TEMPLATE_VERSIONS,
  templateFileName,
  templateHeader,
  templateSample,
  templateSchema,
  type TemplateFile,
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
  TEMPLATE_FILE_PATTERN,
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
      return sendTemplate(
        reply,
        templateOf(kind, templateRequestOf(kind, file)),
      );
    },
  );
};

/**
 * Reads the requested template file and checks its version, which may be
 * left out for the current one.
 */
function templateRequestOf(kind: ProviderKind, name: string): TemplateFile {
  const match = TEMPLATE_FILE_PATTERN.exec(name);
  const file = match === null ? undefined : `${match[1]}.${match[3]}`;
  if (file === undefined || !isTemplateFile(file)) {
    throw new AppError("not_found", `Template file ${name} not found.`);
  }
  const current = TEMPLATE_VERSIONS[kind];
  const version = match?.[2];
  if (version !== undefined && Number(version) !== current) {
    throw new AppError(
      "not_found",
      `Template version ${version} of ${kind} not found. The current version is ${current}.`,
    );
  }
  return file;
}

function isTemplateFile(file: string): file is TemplateFile {
  return (TEMPLATE_FILES as readonly string[]).includes(file);
}

/** Sends a template file as a download under its versioned name. */
function sendTemplate(reply: FastifyReply, template: Template) {
  return reply
    .header("content-type", template.contentType)
    .header("epitrace-template-version", template.version)
    .header(
      "content-disposition",
      `attachment; filename="${template.fileName}"`,
    )
    .send(template.content);
}

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
  version: number;
  contentType: string;
  content: string;
}

function templateOf(kind: ProviderKind, file: TemplateFile): Template {
  const fileName = templateFileName(kind, file);
  const version = TEMPLATE_VERSIONS[kind];
  switch (file) {
    case "schema.json":
      return {
        fileName,
        version,
        contentType: "application/schema+json; charset=utf-8",
        content: `${JSON.stringify(templateSchema(kind), null, 2)}\n`,
      };
    case "header.csv":
      return {
        fileName,
        version,
        contentType: "text/csv; charset=utf-8",
        content: templateHeader(kind),
      };
    case "sample.csv":
      return {
        fileName,
        version,
        contentType: "text/csv; charset=utf-8",
        content: templateSample(kind),
      };
  }
}
