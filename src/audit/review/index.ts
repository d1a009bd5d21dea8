export { withAuditLogAccess, type AuditLogAction } from "./access.js";
export type { AuditAccount } from "./actor.js";
export type { AuditCase, AuditPerson, AuditRecord } from "./events.js";
export {
  buildMonthlyReview,
  reviewMonth,
  type MonthlyReview,
} from "./monthly-review.js";
export {
  listPersonHistory,
  type HistoryPaging,
  type PersonHistory,
} from "./person-history.js";
export {
  searchAuditEvents,
  type AuditPage,
  type AuditSearch,
} from "./search.js";
export { formatSeoulDateTime } from "./seoul-calendar.js";
export type { BulkView } from "./sections/bulk-views.js";
export type { ExportRecord, ExportsSection } from "./sections/exports.js";
export type {
  FailedLoginsOfAccount,
  FailedLoginsSection,
} from "./sections/failed-logins.js";
export type {
  ForeignCaseAccess,
  ForeignCasesSection,
} from "./sections/foreign-cases.js";
export type {
  OutsideHoursAccess,
  OutsideHoursSection,
} from "./sections/outside-hours.js";
export {
  DEFAULT_REVIEW_SETTINGS,
  WEEKDAY_NAMES,
  formatTimeOfDay,
  readReviewSettings,
  type ReviewSettings,
} from "./settings.js";
