import { queryString, request } from "../api/client.js";
import type {
  CaseContacts,
  ContactDecision,
  ContactDecisionKind,
  ContactSearch,
  ExposureQuery,
  ExposureResult,
  Hotspots,
  HotspotSearch,
  ScanSearch,
  SpaceTimeClusters,
  TransmissionLinks,
} from "./types.js";

const withSignal = (signal: AbortSignal | undefined) =>
  signal === undefined ? {} : { signal };

const contactsUrl = (caseId: string) =>
  `/api/cases/${encodeURIComponent(caseId)}/contacts`;

/** One function per analysis endpoint that the web app calls. */
export const analysisApi = {
  listContacts: (caseId: string, search: ContactSearch = {}) =>
    request<CaseContacts>(
      "GET",
      `${contactsUrl(caseId)}${queryString({ ...search })}`,
    ),
  decideContact: (
    caseId: string,
    personId: string,
    decision: ContactDecisionKind,
    reason: string,
  ) =>
    request<ContactDecision>(
      "POST",
      `${contactsUrl(caseId)}/${encodeURIComponent(personId)}/decision`,
      { body: { decision, reason } },
    ),
  findHotspots: (search: HotspotSearch, signal?: AbortSignal) =>
    request<Hotspots>(
      "GET",
      `/api/hotspots${queryString({ ...search })}`,
      withSignal(signal),
    ),
  scanSpaceTime: (search: ScanSearch, signal?: AbortSignal) =>
    request<SpaceTimeClusters>(
      "GET",
      `/api/hotspots/space-time-scan${queryString({ ...search })}`,
      withSignal(signal),
    ),
  queryExposure: (query: ExposureQuery) =>
    request<ExposureResult>("POST", "/api/exposure", { body: query }),
  listLinks: (province: string, signal?: AbortSignal) =>
    request<TransmissionLinks>(
      "GET",
      `/api/links${queryString({ province })}`,
      withSignal(signal),
    ),
};
