import { useEffect, useState } from "react";

import { Link } from "../app/router.js";
import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { requestApi } from "./api.js";
import { DataKinds, ResultCount, StateCells, WindowRange } from "./parts.js";
import { approvalPath } from "./routes.js";
import {
  REQUEST_STATES,
  type LocationApproval,
  type RequestState,
} from "./types.js";

/** Renders the police queue of location data requests, by default those awaiting approval. */
export function ApprovalQueuePage() {
  const { t, label } = useI18n();
  const [state, setState] = useState<RequestState>("awaiting_police_approval");
  const [items, setItems] = useState<LocationApproval[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    requestApi
      .listApprovals(state, controller.signal)
      .then((result) => setItems(result.items))
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(errorText(caught));
      });
    return () => controller.abort();
  }, [state]);

  return (
    <div className="approval-queue">
      <div className="page-header">
        <h1>{t("approvals.title")}</h1>
        <span className="muted time-zone-note">{t("requests.timeZone")}</span>
      </div>
      <div className="filter-bar">
        <label className="inline-field">
          {t("requests.state")}
          <select
            name="state"
            value={state}
            onChange={(event) => setState(event.target.value as RequestState)}
          >
            {REQUEST_STATES.filter((value) => value !== "draft").map(
              (value) => (
                <option key={value} value={value}>
                  {label("requestState", value)}
                </option>
              ),
            )}
          </select>
        </label>
        <ResultCount
          total={items === null ? null : items.length}
          testId="approval-total"
        />
      </div>
      <ErrorMessage message={error} />
      {items === null ? null : items.length === 0 ? (
        <p className="empty panel">{t("approvals.empty")}</p>
      ) : (
        <ApprovalTable items={items} />
      )}
    </div>
  );
}

function ApprovalTable({ items }: { items: readonly LocationApproval[] }) {
  const { t, label, instant } = useI18n();
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>{t("requests.organisation")}</th>
          <th>{t("requests.dataKinds")}</th>
          <th>{t("requests.phoneNumber")}</th>
          <th>{t("requests.window")}</th>
          <th>{t("requests.legalBasis")}</th>
          <th>{t("requests.purpose")}</th>
          <th>{t("requests.submittedAt")}</th>
          <th>{t("requests.state")}</th>
          <th>{t("requests.deadline")}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr
            key={item.id}
            data-testid="approval-row"
            data-request-id={item.id}
            className={item.overdue ? "overdue" : undefined}
          >
            <td>{item.organisation.name}</td>
            <td>
              <DataKinds kinds={item.dataKinds} />
            </td>
            <td className="mono">{item.phoneNumber ?? t("common.none")}</td>
            <td>
              <WindowRange window={item.window} />
            </td>
            <td>{label("legalBasis", item.legalBasis)}</td>
            <td className="request-purpose-cell" title={item.purpose}>
              {item.purpose}
            </td>
            <td>
              {item.submittedAt === null
                ? t("common.none")
                : instant(item.submittedAt)}
            </td>
            <StateCells fields={item} />
            <td>
              <Link to={approvalPath(item.id)}>{t("approvals.review")}</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
