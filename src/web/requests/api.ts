import { queryString, request } from "../api/client.js";
import type {
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
