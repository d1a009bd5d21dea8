import {
  templateRouteName,
  type TemplateFile,
} from "../../ingest/provider/template-names.js";
import { ApiError, queryString } from "../api/client.js";
import type {
  UploadImport,
  UploadKind,
  UploadOptions,
  UploadPreview,
} from "./types.js";

/** Result of an upload call: the response body, or a file the server rejected with its preview. */
export type UploadResult<T> =
  | { type: "ok"; body: T }
  | { type: "rejected"; message: string; preview: UploadPreview };

/** Progress of an upload: the fraction of bytes sent, or `processing` once the server has them all. */
export type UploadProgress =
  { phase: "sending"; fraction: number | null } | { phase: "processing" };

interface ErrorBody {
  error?: { code?: string; message?: string };
  preview?: UploadPreview;
}

const uploadsUrl = (caseId: string) =>
  `/api/cases/${encodeURIComponent(caseId)}/uploads`;

/** Returns the address of the current version of one file of a kind's template, such as `…/gps/sample.v1.csv`. */
export function templateUrl(kind: UploadKind, file: TemplateFile): string {
  return `/api/upload-templates/${encodeURIComponent(kind)}/${encodeURIComponent(templateRouteName(kind, file))}`;
}

/** Sends a file to the validation, which stores nothing. */
export function validateUpload(
  caseId: string,
  options: UploadOptions,
  file: File,
  onProgress: (progress: UploadProgress) => void,
): Promise<UploadResult<UploadPreview>> {
  return sendFile(`${uploadsUrl(caseId)}/validate`, options, file, onProgress);
}

/** Sends a file to the import. */
export function importUpload(
  caseId: string,
  options: UploadOptions,
  file: File,
  onProgress: (progress: UploadProgress) => void,
): Promise<UploadResult<UploadImport>> {
  return sendFile(uploadsUrl(caseId), options, file, onProgress);
}

/**
 * Posts a file as the raw request body with XMLHttpRequest, which, unlike
 * fetch, reports the bytes sent. Throws ApiError for a failure other than
 * a rejected file.
 */
function sendFile<T>(
  url: string,
  options: UploadOptions,
  file: File,
  onProgress: (progress: UploadProgress) => void,
): Promise<UploadResult<T>> {
  const query = queryString({ ...options, fileName: file.name });
  return new Promise<UploadResult<T>>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${url}${query}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (event) => {
      onProgress({
        phase: "sending",
        fraction: event.lengthComputable ? event.loaded / event.total : null,
      });
    };
    xhr.upload.onload = () => onProgress({ phase: "processing" });
    xhr.onerror = () =>
      reject(
        new ApiError(
          0,
          "network",
          "The upload failed: no response from the server.",
        ),
      );
    xhr.onload = () => {
      const result = readResult<T>(xhr);
      if (result instanceof ApiError) {
        reject(result);
      } else {
        resolve(result);
      }
    };
    onProgress({ phase: "sending", fraction: 0 });
    xhr.send(file);
  });
}

function readResult<T>(xhr: XMLHttpRequest): UploadResult<T> | ApiError {
  let body: unknown;
  try {
    body = JSON.parse(xhr.responseText);
  } catch {
    return new ApiError(
      xhr.status,
      `http_${xhr.status}`,
      `${xhr.status} ${xhr.statusText}`,
    );
  }
  if (xhr.status >= 200 && xhr.status < 300) {
    return { type: "ok", body: body as T };
  }
  const failure = body as ErrorBody;
  const message = failure.error?.message ?? `${xhr.status} ${xhr.statusText}`;
  if (failure.preview !== undefined) {
    return { type: "rejected", message, preview: failure.preview };
  }
  return new ApiError(
    xhr.status,
    failure.error?.code ?? `http_${xhr.status}`,
    message,
  );
}
