import type { ReactNode } from "react";

import { useI18n } from "../i18n/index.js";
import { AccountCell, PersonLink, ResultBadge } from "./AuditEventTable.js";
import { formatAuditTime } from "./format.js";
import type { MonthlyReview } from "./types.js";

interface SectionProps {
  review: MonthlyReview;
}

interface ReviewSectionProps {
  name: string;
  title: string;
  /** The rule of the section with its counts. */
  rule: string;
  count: number;
  children: ReactNode;
}

function ReviewSection({
  name,
  title,
  rule,
  count,
  children,
}: ReviewSectionProps) {
  const { t, number } = useI18n();
  return (
    <section className="panel audit-section" data-testid={`review-${name}`}>
      <h2>
        {title} <span className="badge audit-count">{number(count)}</span>
      </h2>
      <p className="muted">{rule}</p>
      {count === 0 ? (
        <p className="empty">{t("audit.review.none")}</p>
      ) : (
        children
      )}
    </section>
  );
}

/** Renders the accounts that accessed more than the limit of persons in a day. */
export function BulkViewsSection({ review }: SectionProps) {
  const { t, date, number, locale } = useI18n();
  const items = review.bulkViews;
  return (
    <ReviewSection
      name="bulk"
      title={t("audit.review.bulk.title")}
      rule={t("audit.review.bulk.rule", {
        limit: number(review.settings.bulkPersonsPerDay),
      })}
      count={items.length}
    >
      <table className="data-table">
        <thead>
          <tr>
            <th>{t("audit.column.date")}</th>
            <th>{t("audit.column.account")}</th>
            <th>{t("audit.column.organisation")}</th>
            <th className="numeric">{t("audit.column.persons")}</th>
            <th className="numeric">{t("audit.column.events")}</th>
            <th>{t("audit.column.first")}</th>
            <th>{t("audit.column.last")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr
              key={`${item.account.userId}-${item.date}`}
              data-testid="review-row"
            >
              <td>{date(item.date)}</td>
              <td>
                <AccountCell account={item.account} />
              </td>
              <td>{item.account.organisation?.name ?? t("common.none")}</td>
              <td className="numeric">{number(item.distinctPersons)}</td>
              <td className="numeric">{number(item.events)}</td>
              <td>{formatAuditTime(item.firstAt, locale)}</td>
              <td>{formatAuditTime(item.lastAt, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ReviewSection>
  );
}

/** Renders the accesses to personal data outside working hours, by account and day. */
export function OutsideHoursSection({ review }: SectionProps) {
  const { t, label, date, number, locale } = useI18n();
  const { settings, outsideHours } = review;
  const weekend =
    settings.weekendDays.length === 0
      ? t("common.none")
      : settings.weekendDays
          .map((day) => label("audit.weekday", day))
          .join(", ");
  return (
    <ReviewSection
      name="outside-hours"
      title={t("audit.review.outside.title")}
      rule={t("audit.review.outside.rule", {
        start: settings.workdayStart,
        end: settings.workdayEnd,
        weekend,
        events: number(outsideHours.events),
      })}
      count={outsideHours.items.length}
    >
      <table className="data-table">
        <thead>
          <tr>
            <th>{t("audit.column.date")}</th>
            <th>{t("audit.column.account")}</th>
            <th>{t("audit.column.organisation")}</th>
            <th className="numeric">{t("audit.column.events")}</th>
            <th className="numeric">{t("audit.column.persons")}</th>
            <th>{t("audit.column.first")}</th>
            <th>{t("audit.column.last")}</th>
          </tr>
        </thead>
        <tbody>
          {outsideHours.items.map((item) => (
            <tr
              key={`${item.account.userId}-${item.date}`}
              data-testid="review-row"
            >
              <td>
                {date(item.date)}
                {item.weekend ? (
                  <span className="tag">{t("audit.review.weekend")}</span>
                ) : null}
              </td>
              <td>
                <AccountCell account={item.account} />
              </td>
              <td>{item.account.organisation?.name ?? t("common.none")}</td>
              <td className="numeric">{number(item.events)}</td>
              <td className="numeric">{number(item.distinctPersons)}</td>
              <td>{formatAuditTime(item.firstAt, locale)}</td>
              <td>{formatAuditTime(item.lastAt, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ReviewSection>
  );
}

/** Renders the accesses to cases of another jurisdiction, denied and allowed. */
export function ForeignCasesSection({ review }: SectionProps) {
  const { t, number, locale } = useI18n();
  const section = review.foreignCases;
  return (
    <ReviewSection
      name="foreign-cases"
      title={t("audit.review.foreign.title")}
      rule={t("audit.review.foreign.rule", {
        denied: number(section.denied),
        allowed: number(section.allowed),
      })}
      count={section.items.length}
    >
      <table className="data-table">
        <thead>
          <tr>
            <th>{t("audit.column.result")}</th>
            <th>{t("audit.column.account")}</th>
            <th>{t("audit.column.organisation")}</th>
            <th>{t("audit.column.case")}</th>
            <th>{t("audit.column.caseOrganisation")}</th>
            <th>{t("audit.column.person")}</th>
            <th className="numeric">{t("audit.column.events")}</th>
            <th>{t("audit.column.first")}</th>
            <th>{t("audit.column.last")}</th>
          </tr>
        </thead>
        <tbody>
          {section.items.map((item) => (
            <tr
              key={`${item.account.userId}-${item.case.id}-${item.result}`}
              data-testid="review-row"
            >
              <td>
                <ResultBadge result={item.result} />
              </td>
              <td>
                <AccountCell account={item.account} />
              </td>
              <td>{item.account.organisation?.name ?? t("common.none")}</td>
              <td>{item.case.caseNumber}</td>
              <td>
                {item.case.organisation.name ?? item.case.organisation.id}
              </td>
              <td>
                <PersonLink person={item.person} />
              </td>
              <td className="numeric">{number(item.events)}</td>
              <td>{formatAuditTime(item.firstAt, locale)}</td>
              <td>{formatAuditTime(item.lastAt, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ReviewSection>
  );
}

/** Renders every download and export of the month with its stated reason. */
export function ExportsSection({ review }: SectionProps) {
  const { t, number, locale } = useI18n();
  const section = review.exports;
  return (
    <ReviewSection
      name="exports"
      title={t("audit.review.exports.title")}
      rule={t("audit.review.exports.rule", {
        count: number(section.items.length),
        missing: number(section.missingReason),
      })}
      count={section.items.length}
    >
      <table className="data-table">
        <thead>
          <tr>
            <th>{t("audit.column.time")}</th>
            <th>{t("audit.column.account")}</th>
            <th>{t("audit.column.action")}</th>
            <th>{t("audit.column.person")}</th>
            <th>{t("audit.column.case")}</th>
            <th>{t("audit.column.purpose")}</th>
          </tr>
        </thead>
        <tbody>
          {section.items.map((item) => (
            <tr key={item.id} data-testid="review-row">
              <td>{formatAuditTime(item.occurredAt, locale)}</td>
              <td>
                <AccountCell account={item.account} />
              </td>
              <td className="mono">{item.action}</td>
              <td>
                <PersonLink person={item.person} />
              </td>
              <td>{item.case?.caseNumber ?? t("common.none")}</td>
              <td>
                {item.reasonMissing ? (
                  <span className="badge audit-result-denied">
                    {t("audit.review.exports.reasonMissing")}
                  </span>
                ) : (
                  item.purpose
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ReviewSection>
  );
}

/** Renders the failed logins and account locks by account. */
export function FailedLoginsSection({ review }: SectionProps) {
  const { t, label, number, locale } = useI18n();
  const section = review.failedLogins;
  return (
    <ReviewSection
      name="failed-logins"
      title={t("audit.review.logins.title")}
      rule={t("audit.review.logins.rule", {
        failures: number(section.failures),
        locks: number(section.locks),
      })}
      count={section.items.length}
    >
      <table className="data-table">
        <thead>
          <tr>
            <th>{t("audit.column.account")}</th>
            <th className="numeric">{t("audit.column.failures")}</th>
            <th>{t("audit.column.reasons")}</th>
            <th className="numeric">{t("audit.column.locks")}</th>
            <th>{t("audit.column.address")}</th>
            <th>{t("audit.column.first")}</th>
            <th>{t("audit.column.last")}</th>
          </tr>
        </thead>
        <tbody>
          {section.items.map((item) => (
            <tr
              key={`${item.account.userId}-${item.account.username}`}
              data-testid="review-row"
            >
              <td>
                <AccountCell account={item.account} />
              </td>
              <td className="numeric">{number(item.failures)}</td>
              <td>
                {Object.entries(item.reasons)
                  .map(
                    ([reason, count]) =>
                      `${label("audit.loginReason", reason)} ${number(count)}`,
                  )
                  .join(", ")}
              </td>
              <td className="numeric">{number(item.locks)}</td>
              <td className="mono">{item.sourceAddresses.join(", ")}</td>
              <td>{formatAuditTime(item.firstAt, locale)}</td>
              <td>{formatAuditTime(item.lastAt, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ReviewSection>
  );
}
