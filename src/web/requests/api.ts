import { ApiError, queryString, request } from "../api/client.js";
import type {
  DataKind,
  ExposureSubscriber,
  OrganisationRef,
  ProviderPart,
  RequestStatistics,
  RequestTiming,
  UploadReceipt,
  DataRequestDetail,
  DataRequestPage,
  DataRequestSearch,
  LocationApproval,
  NewDataRequest,
  RequestState,
} from "./types.js";

const requestUrl = (id: string): string =>
  `/api/requests/${encodeURIComponent(id)}`;
const approvalUrl = (id: string): string =>
  `/api/location-approvals/${encodeURIComponent(id)}`;
const uploadUrl = (id: string, uploadId: string): string =>
  `${requestUrl(id)}/uploads/${encodeURIComponent(uploadId)}`;

const withSignal = (signal: AbortSignal | undefined) =>
  signal === undefined ? {} : { signal };

/** One function per data request endpoint that the request pages call. */
export const requestApi = {
  listRequests: (search: DataRequestSearch, signal?: AbortSignal) =>
    request<DataRequestPage>(
      "GET",
      `/api/requests${queryString({
        ...search,
        overdue:
          search.overdue === undefined ? undefined : String(search.overdue),
      })}`,
      withSignal(signal),
    ),
  getRequest: (id: string, signal?: AbortSignal) =>
    request<DataRequestDetail>("GET", requestUrl(id), withSignal(signal)),
  createRequest: (input: NewDataRequest) =>
    request<DataRequestDetail>("POST", "/api/requests", { body: input }),
  submitRequest: (id: string) =>
    request<DataRequestDetail>("POST", `${requestUrl(id)}/submit`),
  withdrawRequest: (id: string, reason: string) =>
    request<DataRequestDetail>("POST", `${requestUrl(id)}/withdraw`, {
      body: { reason },
    }),
  acceptUpload: (id: string, uploadId: string) =>
    request<DataRequestDetail>("POST", `${uploadUrl(id, uploadId)}/accept`),
  rejectUpload: (id: string, uploadId: string, reason: string) =>
    request<DataRequestDetail>("POST", `${uploadUrl(id, uploadId)}/reject`, {
      body: { reason },
    }),

  listApprovals: (state: RequestState | undefined, signal?: AbortSignal) =>
    request<{ items: LocationApproval[] }>(
      "GET",
      `/api/location-approvals${queryString({ state })}`,
      withSignal(signal),
    ),
  getApproval: (id: string, signal?: AbortSignal) =>
    request<LocationApproval>("GET", approvalUrl(id), withSignal(signal)),
  approve: (id: string, reason: string) =>
    request<LocationApproval>("POST", `${approvalUrl(id)}/approve`, {
      body: reason === "" ? {} : { reason },
    }),
  reject: (id: string, reason: string) =>
    request<LocationApproval>("POST", `${approvalUrl(id)}/reject`, {
      body: { reason },
    }),
};

const inboxUrl = (id: string): string =>
  `/api/provider-inbox/requests/${encodeURIComponent(id)}`;

/** The web inbox endpoints of a signed-in provider user. */
export const inboxApi = {
  listParts: (signal?: AbortSignal) =>
    request<{ items: ProviderPart[] }>(
      "GET",
      "/api/provider-inbox/requests",
      withSignal(signal),
    ),
  getPart: (requestId: string, signal?: AbortSignal) =>
    request<ProviderPart>("GET", inboxUrl(requestId), withSignal(signal)),
  upload: (requestId: string, kind: DataKind, file: Blob) =>
    uploadFile(`${inboxUrl(requestId)}/uploads${queryString({ kind })}`, file),
  withdrawUpload: (requestId: string, uploadId: string, reason: string) =>
    request<UploadReceipt>(
      "POST",
      `${inboxUrl(requestId)}/uploads/${encodeURIComponent(uploadId)}/withdraw`,
      { body: reason === "" ? {} : { reason } },
    ),
  decline: (requestId: string, reason: string) =>
    request<ProviderPart>("POST", `${inboxUrl(requestId)}/decline`, {
      body: { reason },
    }),
  forward: (requestId: string, cardCompanyIds: readonly string[]) =>
    request<ProviderPart>("POST", `${inboxUrl(requestId)}/forward`, {
      body: { cardCompanyIds },
    }),
  listCardCompanies: (signal?: AbortSignal) =>
    request<{ items: OrganisationRef[] }>(
      "GET",
      "/api/provider-inbox/card-companies",
      withSignal(signal),
    ),
};

/** The subscriber list endpoints of an exposure request. */
export const exposureApi = {
  listSubscribers: (id: string, signal?: AbortSignal) =>
    request<{ items: ExposureSubscriber[] }>(
      "GET",
      `${requestUrl(id)}/exposure-subscribers`,
      withSignal(signal),
    ),
  linkSubscriber: (id: string, subscriberId: string) =>
    request<ExposureSubscriber>(
      "POST",
      `${requestUrl(id)}/exposure-subscribers/${encodeURIComponent(subscriberId)}/link`,
    ),
};

/** The timing endpoints of investigators. */
export const timingApi = {
  getTiming: (id: string, signal?: AbortSignal) =>
    request<RequestTiming>(
      "GET",
      `${requestUrl(id)}/timing`,
      withSignal(signal),
    ),
  getStatistics: (signal?: AbortSignal) =>
    request<RequestStatistics>(
      "GET",
      "/api/request-statistics",
      withSignal(signal),
    ),
};

/**
 * Sends a file as the raw body of a POST, as the provider API takes it,
 * and returns the receipt. The JSON client cannot send a file body.
 */
async function uploadFile(path: string, file: Blob): Promise<UploadReceipt> {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { accept: "application/json", "content-type": "text/csv" },
    body: file,
  });
  const body = (await response.json().catch(() => null)) as
    UploadReceipt | { error?: { code: string; message: string } } | null;
  if (response.ok) {
    return body as UploadReceipt;
  }
  const error =
    body !== null && "error" in body && body.error !== undefined
      ? body.error
      : { code: "internal", message: `Upload failed with ${response.status}.` };
  throw new ApiError(response.status, error.code, error.message);
}
