export { withRequestAccess } from "./access.js";
export {
  approveLocationRequest,
  listLocationApprovals,
  rejectLocationRequest,
  viewLocationApproval,
  type ApprovalSearch,
} from "./approval.js";
export { userStep, type RequestContext } from "./context.js";
export { createDataRequest, type NewDataRequest } from "./create.js";
export {
  DATA_KINDS,
  LEGAL_BASES,
  identifierOf,
  isDataKind,
  kindsAnsweredBy,
  legalBasisOf,
  needsPoliceApproval,
  providerKindOf,
  type IdentifierKind,
  type LegalBasis,
} from "./data-kinds.js";
export type {
  DataRequestDetails,
  OrganisationRef,
  PartDetails,
} from "./details.js";
export { expireAllDue } from "./expiry.js";
export {
  EXPOSURE_LIST_COLUMNS,
  destroyExpiredExposureLists,
} from "./exposure-lists.js";
export {
  exposurePlaceOf,
  type ExposurePlace,
  type ExposurePlaceInput,
} from "./exposure-place.js";
export {
  EXPOSURE_PERSON_SOURCE,
  linkExposureSubscriber,
  listExposureSubscribers,
  type ExposureList,
  type ExposureSubscriberView,
} from "./exposure-subscribers.js";
export { submitDataRequest, withdrawDataRequest } from "./lifecycle.js";
export {
  authorizeProviderAction,
  type ProviderContext,
} from "./provider-access.js";
export {
  declinePart,
  forwardPart,
  listCardCompanies,
  pullOpenParts,
  viewOwnPart,
  type ProviderPartView,
} from "./provider-parts.js";
export { acceptUpload, rejectUpload } from "./review.js";
export { dataKindsOf, providerIdsOf } from "./rows.js";
export { readRequestSettings, type RequestSettings } from "./settings.js";
export { outcomeOfParts, type PartsOutcome } from "./settle.js";
export {
  PART_TRANSITIONS,
  REQUEST_TRANSITIONS,
  UPLOAD_TRANSITIONS,
} from "./states.js";
export {
  nearestRank,
  summarizeRequestTiming,
  viewRequestTiming,
  type RequestTiming,
  type RequestTimingStatistics,
} from "./timing.js";
export { openUploadFile, uploadDirOf } from "./upload-files.js";
export {
  uploadAnswer,
  withdrawUpload,
  type UploadInput,
  type UploadOutcome,
} from "./uploads.js";
export {
  listDataRequests,
  viewDataRequest,
  type DataRequestSearch,
  type DataRequestSearchResult,
  type DataRequestSummary,
} from "./view.js";
