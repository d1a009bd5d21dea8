import { Link } from "../app/router.js";
import { useI18n } from "../i18n/index.js";
import { accountName, formatAuditTime, formatDetail } from "./format.js";
import { personHistoryPath } from "./routes.js";
import type { AuditAccount, AuditEvent, AuditPerson } from "./types.js";

/** Renders audit events as a table, where a person's label links to the person's access history. */
export function AuditEventTable({ items }: { items: AuditEvent[] | null }) {
  const { t, locale } = useI18n();
  if (items === null) {
    return null;
  }
  if (items.length === 0) {
    return <p className="empty">{t("audit.empty")}</p>;
  }

  return (
    <div className="audit-table-scroll">
      <table className="data-table audit-table">
        <thead>
          <tr>
            <th>{t("audit.column.time")}</th>
            <th>{t("audit.column.account")}</th>
            <th>{t("audit.column.organisation")}</th>
            <th>{t("audit.column.address")}</th>
            <th>{t("audit.column.action")}</th>
            <th>{t("audit.column.result")}</th>
            <th>{t("audit.column.person")}</th>
            <th>{t("audit.column.case")}</th>
            <th>{t("audit.column.purpose")}</th>
            <th>{t("audit.column.detail")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((event) => (
            <tr key={event.id} data-testid="audit-row" data-event-id={event.id}>
              <td className="numeric">
                {formatAuditTime(event.occurredAt, locale)}
              </td>
              <td>
                <AccountCell account={event.account} />
              </td>
              <td>{event.account.organisation?.name ?? t("common.none")}</td>
              <td className="mono">
                {event.sourceAddress ?? t("common.none")}
              </td>
              <td className="mono">{event.action}</td>
              <td>
                <ResultBadge result={event.result} />
              </td>
              <td>
                <PersonLink person={event.person} />
              </td>
              <td>{event.case?.caseNumber ?? t("common.none")}</td>
              <td>{event.purpose ?? t("common.none")}</td>
              <td className="audit-detail">{formatDetail(event.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Renders an account's username with its role. */
export function AccountCell({ account }: { account: AuditAccount }) {
  const { t, label } = useI18n();
  return (
    <span className="audit-account">
      <span className="mono">
        {accountName(account) ?? t("audit.unknownAccount")}
      </span>
      {account.role === null ? null : (
        <span className="muted"> · {label("role", account.role)}</span>
      )}
    </span>
  );
}

/** Renders the result of an event as a coloured badge. */
export function ResultBadge({ result }: { result: string }) {
  const { label } = useI18n();
  return (
    <span className={`badge audit-result-${result}`}>
      {label("audit.result", result)}
    </span>
  );
}

/** Renders a person's label as a link to the person's access history. */
export function PersonLink({ person }: { person: AuditPerson | null }) {
  const { t } = useI18n();
  if (person === null) {
    return <>{t("common.none")}</>;
  }
  return (
    <Link to={personHistoryPath(person.id)} className="audit-person-link">
      {person.label ?? person.id}
    </Link>
  );
}
