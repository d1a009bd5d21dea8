import { useEffect, useState } from "react";

import { Link } from "../app/router.js";
import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { requestApi } from "./api.js";
import { DataKinds, ResultCount, StateCells, WindowRange } from "./parts.js";
import { requestPath } from "./routes.js";
import { RequestStatisticsLine } from "./timing.js";
import {
  REQUEST_STATES,
  type DataRequestPage,
  type DataRequestSearch,
  type RequestState,
} from "./types.js";

const PAGE_SIZE = 50;

/** Renders the investigators' inbox: every request of their jurisdiction with its state and deadline. */
export function RequestListPage() {
  const { t, label, number } = useI18n();
  const [state, setState] = useState<RequestState | "">("");
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<DataRequestPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const search: DataRequestSearch = { page, pageSize: PAGE_SIZE };
    if (state !== "") search.state = state;
    if (overdueOnly) search.overdue = true;
    setError(null);
    requestApi
      .listRequests(search, controller.signal)
      .then(setResult)
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(errorText(caught));
      });
    return () => controller.abort();
  }, [state, overdueOnly, page]);

  const pages = Math.max(1, Math.ceil((result?.total ?? 0) / PAGE_SIZE));
  return (
    <div className="request-list">
      <div className="page-header">
        <h1>{t("requests.title")}</h1>
        <span className="muted time-zone-note">{t("requests.timeZone")}</span>
      </div>
      <RequestStatisticsLine />
      <div className="filter-bar">
        <label className="inline-field">
          {t("requests.state")}
          <select
            name="state"
            value={state}
            onChange={(event) => {
              setState(event.target.value as RequestState | "");
              setPage(1);
            }}
          >
            <option value="">{t("common.all")}</option>
            {REQUEST_STATES.map((value) => (
              <option key={value} value={value}>
                {label("requestState", value)}
              </option>
            ))}
          </select>
        </label>
        <label className="radio">
          <input
            type="checkbox"
            name="overdue"
            checked={overdueOnly}
            onChange={(event) => {
              setOverdueOnly(event.target.checked);
              setPage(1);
            }}
          />
          {t("requests.overdueOnly")}
        </label>
        <ResultCount
          total={result === null ? null : result.total}
          testId="request-total"
        />
        <div className="pager">
          <button
            type="button"
            disabled={page <= 1}
            onClick={() => setPage(page - 1)}
          >
            {t("cases.previous")}
          </button>
          <span>
            {t("cases.page", { page: number(page), pages: number(pages) })}
          </span>
          <button
            type="button"
            disabled={page >= pages}
            onClick={() => setPage(page + 1)}
          >
            {t("cases.next")}
          </button>
        </div>
      </div>
      <ErrorMessage message={error} />
      <RequestTable result={result} />
    </div>
  );
}

function RequestTable({ result }: { result: DataRequestPage | null }) {
  const { t, label, instant, number } = useI18n();
  if (result === null) {
    return null;
  }
  if (result.items.length === 0) {
    return <p className="empty panel">{t("requests.empty")}</p>;
  }
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>{t("requests.column.case")}</th>
          <th>{t("requests.dataKinds")}</th>
          <th>{t("requests.window")}</th>
          <th>{t("requests.legalBasis")}</th>
          <th>{t("requests.state")}</th>
          <th>{t("requests.deadline")}</th>
          <th className="numeric">{t("requests.column.providers")}</th>
          <th>{t("requests.createdAt")}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {result.items.map((item) => (
          <tr
            key={item.id}
            data-testid="request-row"
            data-request-id={item.id}
            className={item.overdue ? "overdue" : undefined}
          >
            <td>
              <Link to={`/cases/${encodeURIComponent(item.caseId)}`}>
                <span className="case-link">{item.caseNumber}</span>
              </Link>
            </td>
            <td>
              <DataKinds kinds={item.dataKinds} />
            </td>
            <td>
              <WindowRange window={item.window} />
            </td>
            <td>{label("legalBasis", item.legalBasis)}</td>
            <StateCells fields={item} />
            <td className="numeric">{number(item.providerCount)}</td>
            <td>{instant(item.createdAt)}</td>
            <td>
              <Link to={requestPath(item.id)}>{t("requests.open")}</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
