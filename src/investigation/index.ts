export {
  decideContact,
  loadLatestDecisions,
  MAX_REASON_LENGTH,
  type ContactDecisionInput,
  type ContactDecisionRecord,
} from "./contact-decisions.js";
export {
  listCaseContacts,
  type CaseContact,
  type CaseContacts,
  type CaseContactsOptions,
  type ContactGroup,
  type ContactPairView,
  type DayLevelPairView,
  type StayView,
} from "./contacts.js";
export type { CoLocationPlace } from "./co-location-places.js";
export {
  queryExposure,
  type DayLevelPresence,
  type ExposureQueryResult,
  type PresentPerson,
} from "./exposure.js";
export {
  MAX_EXPOSURE_POLYGON_METERS,
  MAX_EXPOSURE_RADIUS_METERS,
  MAX_EXPOSURE_WINDOW_MS,
  MAX_EXPOSURE_WINDOWS,
  type ExposureRequest,
} from "./exposure-request.js";
export {
  DEFAULT_AREA_K,
  DEFAULT_AREA_WEIGHTS,
  type AreaWeights,
  type HotspotArea,
} from "./area-gi-star.js";
export {
  findAreaHotspots,
  SIGNIFICANCE_LEVEL,
  type AreaHotspots,
  type HotspotCell,
  type HotspotMethod,
  type HotspotQuery,
  type HotspotUnit,
} from "./hotspots.js";
export {
  findSpaceTimeClusters,
  MAX_SCAN_PERIOD_DAYS,
  MAX_SCAN_REPLICATIONS,
  type SpaceTimeClusters,
  type SpaceTimeScanQuery,
  type StoreScanCluster,
} from "./space-time-scan.js";
export {
  DEFAULT_HOTSPOT_AREA_LEVEL,
  type HotspotAreaLevel,
} from "./study-areas.js";
export type { CandidateLink } from "./link-candidates.js";
export {
  listTransmissionLinks,
  type KnownLink,
  type LinkCase,
  type LinkSummary,
  type ProposedLink,
  type TransmissionLinks,
} from "./links.js";
export type { PersonReference } from "./persons.js";
export { DEFAULT_RECORD_RADIUS_METERS, loadStays } from "./store-stays.js";
export {
  checkSlotPeriod,
  loadCaseRoute,
  MAX_SLOT_DAYS,
  type CaseRoute,
  type SlotPeriod,
} from "./case-route.js";
