export { findContacts } from "./find-contacts.js";
export {
  dayRelativeTo,
  lastInfectiousDate,
  resolveInfectiousPeriod,
} from "./infectious-period.js";
export {
  DEFAULT_CONTACT_OPTIONS,
  DEFAULT_INFECTIOUSNESS_BUCKETS,
  DEFAULT_PROXIMITY_BUCKETS,
  infectiousnessWeightOf,
  proximityWeightOf,
} from "./options.js";
export type {
  Contact,
  ContactOptions,
  ContactPair,
  ContactsResult,
  DayLevelContact,
  DayLevelPair,
  IndexCase,
  InfectiousnessBucket,
  InfectiousPeriod,
  PeriodAnchor,
  ProximityBucket,
  TimeInterval,
} from "./types.js";
