import { queryString, request } from "./client.js";
import type {
  AppConfig,
  AreaCollection,
  AreaLevel,
  CaseDetail,
  CaseSearch,
  CaseSummary,
  CaseUpdate,
  EnrolmentConfirmation,
  EnrolmentStart,
  Movement,
  NewCase,
  NewOrganisation,
  NewUser,
  NewVisit,
  Organisation,
  Page,
  SecondFactorProof,
  SecondFactorStatus,
  SessionReply,
  UserSummary,
} from "./types.js";

export { ApiError, setUnauthorizedListener } from "./client.js";
export type * from "./types.js";
export { CASE_DATE_FIELDS, ORGANISATION_KINDS, ROLES } from "./types.js";

const caseUrl = (id: string): string => `/api/cases/${encodeURIComponent(id)}`;
const userUrl = (id: string): string => `/api/users/${encodeURIComponent(id)}`;

/** One function per API endpoint that the web app calls. */
export const api = {
  getConfig: () => request<AppConfig>("GET", "/api/config"),

  getSession: () =>
    request<SessionReply>("GET", "/api/session", { expectUnauthorized: true }),
  login: (username: string, password: string) =>
    request<SessionReply>("POST", "/api/session", {
      body: { username, password },
      expectUnauthorized: true,
    }),
  getSecondFactorStatus: () =>
    request<SecondFactorStatus>("GET", "/api/session/second-factor", {
      expectUnauthorized: true,
    }),
  completeSecondFactor: (proof: SecondFactorProof) =>
    request<SessionReply>("POST", "/api/session/second-factor", {
      body: proof,
      expectUnauthorized: true,
    }),
  startEnrolment: () =>
    request<EnrolmentStart>("POST", "/api/session/second-factor/enrolment", {
      expectUnauthorized: true,
    }),
  confirmEnrolment: (code: string) =>
    request<EnrolmentConfirmation>(
      "POST",
      "/api/session/second-factor/enrolment/confirmation",
      { body: { code }, expectUnauthorized: true },
    ),
  logout: () =>
    request<void>("DELETE", "/api/session", { expectUnauthorized: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>("POST", "/api/session/password", {
      body: { currentPassword, newPassword },
      expectUnauthorized: true,
    }),

  searchCases: (search: CaseSearch, signal?: AbortSignal) =>
    request<Page<CaseSummary>>(
      "GET",
      `/api/cases${queryString({ ...search })}`,
      signal === undefined ? {} : { signal },
    ),
  createCase: (input: NewCase) =>
    request<CaseDetail>("POST", "/api/cases", { body: input }),
  getCase: (id: string) => request<CaseDetail>("GET", caseUrl(id)),
  updateCase: (id: string, update: CaseUpdate) =>
    request<CaseDetail>("PATCH", caseUrl(id), { body: update }),
  closeCase: (id: string, closedDate?: string) =>
    request<CaseDetail>("POST", `${caseUrl(id)}/close`, {
      body: closedDate === undefined ? {} : { closedDate },
    }),
  listMovements: (id: string) =>
    request<{ caseId: string; items: Movement[] }>(
      "GET",
      `${caseUrl(id)}/movements`,
    ),
  addVisit: (id: string, visit: NewVisit) =>
    request<Movement>("POST", `${caseUrl(id)}/visits`, { body: visit }),

  getAreas: (level: AreaLevel) =>
    request<AreaCollection>("GET", `/api/areas${queryString({ level })}`),

  listUsers: () => request<{ items: UserSummary[] }>("GET", "/api/users"),
  createUser: (input: NewUser) =>
    request<{ user: UserSummary; oneTimePassword: string }>(
      "POST",
      "/api/users",
      {
        body: input,
      },
    ),
  setUserDisabled: (id: string, disabled: boolean) =>
    request<unknown>("PATCH", userUrl(id), { body: { disabled } }),
  unlockUser: (id: string) => request<unknown>("POST", `${userUrl(id)}/unlock`),
  resetSecondFactor: (id: string) =>
    request<unknown>("POST", `${userUrl(id)}/second-factor-reset`),
  resetPassword: (id: string) =>
    request<{ oneTimePassword: string }>(
      "POST",
      `${userUrl(id)}/password-reset`,
    ),

  listOrganisations: () =>
    request<{ items: Organisation[] }>("GET", "/api/organisations"),
  createOrganisation: (input: NewOrganisation) =>
    request<Organisation>("POST", "/api/organisations", { body: input }),
};
