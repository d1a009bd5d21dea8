import {
  WEEKDAY_NAMES,
  formatTimeOfDay,
  type AuditPage,
  type AuditRecord,
  type MonthlyReview,
  type PersonHistory,
  type ReviewSettings,
} from "../../audit/review/index.js";

const iso = (instant: number): string => new Date(instant).toISOString();

/** Shapes an audit event for auditors, with its instant as ISO 8601 in UTC. */
export function presentAuditRecord(record: AuditRecord) {
  return { ...record, occurredAt: iso(record.occurredAt) };
}

/** Shapes a page of audit events. */
export function presentAuditPage(page: AuditPage) {
  return { ...page, items: page.items.map(presentAuditRecord) };
}

/** Shapes the access history of one person. */
export function presentPersonHistory(history: PersonHistory) {
  return { ...presentAuditPage(history), person: history.person };
}

/**
 * Shapes the review settings with times of day as `HH:MM` and weekdays by
 * name, Monday first, so that a weekend reads `sat, sun`.
 */
export function presentReviewSettings(settings: ReviewSettings) {
  const mondayFirst = (day: number) => (day + 6) % 7;
  return {
    bulkPersonsPerDay: settings.bulkPersonsPerDay,
    workdayStart: formatTimeOfDay(settings.workdayStartMinute),
    workdayEnd: formatTimeOfDay(settings.workdayEndMinute),
    weekendDays: [...settings.weekendDays]
      .sort((a, b) => mondayFirst(a) - mondayFirst(b))
      .map((day) => WEEKDAY_NAMES[day] ?? String(day)),
  };
}

/** Shapes the monthly review, every instant as ISO 8601 in UTC. */
export function presentMonthlyReview(review: MonthlyReview) {
  const span = <T extends { firstAt: number; lastAt: number }>(item: T) => ({
    ...item,
    firstAt: iso(item.firstAt),
    lastAt: iso(item.lastAt),
  });

  return {
    month: review.month,
    timeZone: "Asia/Seoul",
    startsAt: iso(review.startsAt),
    endsAt: iso(review.endsAt),
    settings: presentReviewSettings(review.settings),
    eventCount: review.eventCount,
    bulkViews: review.bulkViews.map(span),
    outsideHours: {
      ...review.outsideHours,
      items: review.outsideHours.items.map(span),
    },
    foreignCases: {
      ...review.foreignCases,
      items: review.foreignCases.items.map(span),
    },
    exports: {
      ...review.exports,
      items: review.exports.items.map((item) => ({
        ...item,
        occurredAt: iso(item.occurredAt),
      })),
    },
    failedLogins: {
      ...review.failedLogins,
      items: review.failedLogins.items.map(span),
    },
  };
}
