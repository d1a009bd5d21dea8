import { queryString, request } from "../api/client.js";
import type {
  AuditEventPage,
  AuditSearch,
  MonthlyReview,
  PersonHistory,
} from "./types.js";

const withSignal = (signal: AbortSignal | undefined) =>
  signal === undefined ? {} : { signal };

/** One function per audit endpoint that the auditors' pages call. */
export const auditApi = {
  searchEvents: (search: AuditSearch, signal?: AbortSignal) =>
    request<AuditEventPage>(
      "GET",
      `/api/audit/events${queryString({ ...search })}`,
      withSignal(signal),
    ),
  personHistory: (personId: string, page: number, signal?: AbortSignal) =>
    request<PersonHistory>(
      "GET",
      `/api/audit/persons/${encodeURIComponent(personId)}/history${queryString({ page })}`,
      withSignal(signal),
    ),
  monthlyReview: (month: string, signal?: AbortSignal) =>
    request<MonthlyReview>(
      "GET",
      `/api/audit/review${queryString({ month })}`,
      withSignal(signal),
    ),
};
