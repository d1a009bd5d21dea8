import type { Kysely } from "kysely";

import type { AccessContext } from "../../access/index.js";
import type { Database } from "../../store/index.js";
import { withAuditLogAccess } from "./access.js";
import { parseSeoulMonth } from "./seoul-calendar.js";
import { findBulkViews, type BulkView } from "./sections/bulk-views.js";
import { findExports, type ExportsSection } from "./sections/exports.js";
import {
  findFailedLogins,
  type FailedLoginsSection,
} from "./sections/failed-logins.js";
import {
  findForeignCaseAccess,
  type ForeignCasesSection,
} from "./sections/foreign-cases.js";
import {
  findOutsideHoursAccess,
  type OutsideHoursSection,
} from "./sections/outside-hours.js";
import type { ReviewSettings } from "./settings.js";

/** The monthly review of the audit log: the accesses an auditor has to look at. */
export interface MonthlyReview {
  /** Seoul calendar month, `YYYY-MM`. */
  month: string;
  startsAt: number;
  /** Start of the next month: the review covers events before this instant. */
  endsAt: number;
  settings: ReviewSettings;
  /** Audit events of the month, of every kind. */
  eventCount: number;
  bulkViews: BulkView[];
  outsideHours: OutsideHoursSection;
  foreignCases: ForeignCasesSection;
  exports: ExportsSection;
  failedLogins: FailedLoginsSection;
}

/**
 * Builds the review of one Seoul month (`YYYY-MM`) for the caller. The
 * review is audited as `audit.review`. An invalid month raises
 * `validation_failed`.
 */
export function reviewMonth(
  context: AccessContext,
  month: string,
  settings: ReviewSettings,
): Promise<MonthlyReview> {
  return withAuditLogAccess(
    context,
    {
      action: "audit.review",
      detail: { month },
      summarize: (review) => ({ events: review.eventCount }),
    },
    () => buildMonthlyReview(context.db, month, settings),
  );
}

/**
 * Builds the review of one Seoul month without access checks or audit
 * event, for commands run on the server host, which write their own event.
 */
export async function buildMonthlyReview(
  db: Kysely<Database>,
  month: string,
  settings: ReviewSettings,
): Promise<MonthlyReview> {
  const range = parseSeoulMonth(month);
  const counted = await db
    .selectFrom("audit_events")
    .where("occurred_at", ">=", range.startsAt)
    .where("occurred_at", "<", range.endsAt)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();

  return {
    month: range.month,
    startsAt: range.startsAt,
    endsAt: range.endsAt,
    settings,
    eventCount: Number(counted.n),
    bulkViews: await findBulkViews(db, range, settings.bulkPersonsPerDay),
    outsideHours: await findOutsideHoursAccess(db, range, settings),
    foreignCases: await findForeignCaseAccess(db, range),
    exports: await findExports(db, range),
    failedLogins: await findFailedLogins(db, range),
  };
}
