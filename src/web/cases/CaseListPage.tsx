import { useEffect, useState, type FormEvent } from "react";

import {
  api,
  type CaseSearch,
  type CaseStatus,
  type CaseSummary,
  type Page,
} from "../api/index.js";
import { Link, navigate, useLocation } from "../app/router.js";
import { ErrorMessage, Field, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { PROVINCES, regionLabel } from "./regions.js";

const PAGE_SIZES = [20, 50, 100, 200];
const DEFAULT_PAGE_SIZE = 50;

interface Filters {
  q: string;
  province: string;
  confirmedFrom: string;
  confirmedTo: string;
  status: "" | CaseStatus;
}

type Sort = NonNullable<CaseSearch["sort"]>;
type Order = NonNullable<CaseSearch["order"]>;

interface ListQuery extends Filters {
  sort: Sort;
  order: Order;
  page: number;
  pageSize: number;
}

/** Reads the list query from the location's query string, filling in defaults. */
function parseQuery(search: string): ListQuery {
  const params = new URLSearchParams(search);
  const text = (name: string) => params.get(name) ?? "";
  const positive = (name: string, fallback: number) => {
    const value = Number(params.get(name));
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  const status = text("status");
  return {
    q: text("q"),
    province: text("province"),
    confirmedFrom: text("confirmedFrom"),
    confirmedTo: text("confirmedTo"),
    status: status === "open" || status === "closed" ? status : "",
    sort: text("sort") === "caseNumber" ? "caseNumber" : "confirmedDate",
    order: text("order") === "asc" ? "asc" : "desc",
    page: positive("page", 1),
    pageSize: PAGE_SIZES.includes(Number(params.get("pageSize")))
      ? Number(params.get("pageSize"))
      : DEFAULT_PAGE_SIZE,
  };
}

function toSearchParams(query: ListQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== "" && value !== undefined) {
      params.set(key, String(value));
    }
  }
  return `/cases?${params.toString()}`;
}

function toApiSearch(query: ListQuery): CaseSearch {
  const search: CaseSearch = {
    sort: query.sort,
    order: query.order,
    page: query.page,
    pageSize: query.pageSize,
  };
  if (query.q.trim() !== "") search.q = query.q.trim();
  if (query.province !== "") search.province = query.province;
  if (query.confirmedFrom !== "") search.confirmedFrom = query.confirmedFrom;
  if (query.confirmedTo !== "") search.confirmedTo = query.confirmedTo;
  if (query.status !== "") search.status = query.status;
  return search;
}

/** Renders case search with filters, sorting and paging, all kept in the URL. */
export function CaseListPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const query = parseQuery(search);
  const [result, setResult] = useState<Page<CaseSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    api
      .searchCases(toApiSearch(parseQuery(search)), controller.signal)
      .then(setResult)
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(errorText(caught));
      });
    return () => controller.abort();
  }, [search]);

  const go = (change: Partial<ListQuery>) =>
    navigate(toSearchParams({ ...query, ...change }));

  return (
    <div className="case-list">
      <div className="page-header">
        <h1>{t("cases.title")}</h1>
      </div>
      <CaseFilters
        key={search}
        initial={query}
        onApply={(filters) => go({ ...filters, page: 1 })}
      />
      <ErrorMessage message={error} />
      <ResultBar query={query} result={result} onChange={go} />
      <CaseTable items={result?.items ?? null} />
    </div>
  );
}

interface CaseFiltersProps {
  initial: Filters;
  onApply(filters: Filters): void;
}

function CaseFilters({ initial, onApply }: CaseFiltersProps) {
  const { t, locale } = useI18n();
  const [filters, setFilters] = useState<Filters>({
    q: initial.q,
    province: initial.province,
    confirmedFrom: initial.confirmedFrom,
    confirmedTo: initial.confirmedTo,
    status: initial.status,
  });
  const set = (change: Partial<Filters>) =>
    setFilters((current) => ({ ...current, ...change }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(filters);
  };
  const reset = () =>
    onApply({
      q: "",
      province: "",
      confirmedFrom: "",
      confirmedTo: "",
      status: "",
    });

  return (
    <form className="filter-bar" role="search" onSubmit={submit}>
      <Field label={t("cases.q")}>
        {(id) => (
          <input
            id={id}
            name="q"
            type="search"
            placeholder={t("cases.qPlaceholder")}
            value={filters.q}
            onChange={(event) => set({ q: event.target.value })}
          />
        )}
      </Field>
      <Field label={t("cases.province")}>
        {(id) => (
          <select
            id={id}
            name="province"
            value={filters.province}
            onChange={(event) => set({ province: event.target.value })}
          >
            <option value="">{t("common.all")}</option>
            {PROVINCES.map((province) => (
              <option key={province.code} value={province.english}>
                {locale === "ko" ? province.name : province.english}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("cases.confirmedFrom")}>
        {(id) => (
          <input
            id={id}
            name="confirmedFrom"
            type="date"
            value={filters.confirmedFrom}
            onChange={(event) => set({ confirmedFrom: event.target.value })}
          />
        )}
      </Field>
      <Field label={t("cases.confirmedTo")}>
        {(id) => (
          <input
            id={id}
            name="confirmedTo"
            type="date"
            value={filters.confirmedTo}
            onChange={(event) => set({ confirmedTo: event.target.value })}
          />
        )}
      </Field>
      <Field label={t("cases.status")}>
        {(id) => (
          <select
            id={id}
            name="status"
            value={filters.status}
            onChange={(event) =>
              set({ status: event.target.value as Filters["status"] })
            }
          >
            <option value="">{t("common.all")}</option>
            <option value="open">{t("status.open")}</option>
            <option value="closed">{t("status.closed")}</option>
          </select>
        )}
      </Field>
      <div className="filter-actions">
        <button type="submit" className="primary">
          {t("common.search")}
        </button>
        <button type="button" onClick={reset}>
          {t("common.reset")}
        </button>
      </div>
    </form>
  );
}

interface ResultBarProps {
  query: ListQuery;
  result: Page<CaseSummary> | null;
  onChange(change: Partial<ListQuery>): void;
}

function ResultBar({ query, result, onChange }: ResultBarProps) {
  const { t, number } = useI18n();
  const total = result?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const from = total === 0 ? 0 : (query.page - 1) * query.pageSize + 1;
  const to = Math.min(total, query.page * query.pageSize);

  return (
    <div className="result-bar">
      <span className="result-count" data-testid="case-total">
        {result === null
          ? t("common.loading")
          : t("cases.range", {
              from: number(from),
              to: number(to),
              total: number(total),
            })}
      </span>
      <label className="inline-field">
        {t("cases.sort")}
        <select
          value={query.sort}
          onChange={(event) =>
            onChange({ sort: event.target.value as Sort, page: 1 })
          }
        >
          <option value="confirmedDate">{t("cases.sort.confirmedDate")}</option>
          <option value="caseNumber">{t("cases.sort.caseNumber")}</option>
        </select>
      </label>
      <label className="inline-field">
        {t("cases.order")}
        <select
          value={query.order}
          onChange={(event) =>
            onChange({ order: event.target.value as Order, page: 1 })
          }
        >
          <option value="desc">{t("cases.order.desc")}</option>
          <option value="asc">{t("cases.order.asc")}</option>
        </select>
      </label>
      <label className="inline-field">
        {t("cases.pageSize")}
        <select
          value={query.pageSize}
          onChange={(event) =>
            onChange({ pageSize: Number(event.target.value), page: 1 })
          }
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
      <div className="pager">
        <button
          type="button"
          disabled={query.page <= 1}
          onClick={() => onChange({ page: query.page - 1 })}
        >
          {t("cases.previous")}
        </button>
        <span>
          {t("cases.page", { page: number(query.page), pages: number(pages) })}
        </span>
        <button
          type="button"
          disabled={query.page >= pages}
          onClick={() => onChange({ page: query.page + 1 })}
        >
          {t("cases.next")}
        </button>
      </div>
    </div>
  );
}

function CaseTable({ items }: { items: CaseSummary[] | null }) {
  const { t, label, date, number, locale } = useI18n();
  if (items === null) {
    return null;
  }
  if (items.length === 0) {
    return <p className="empty">{t("cases.empty")}</p>;
  }

  return (
    <table className="data-table case-table">
      <thead>
        <tr>
          <th>{t("cases.column.caseNumber")}</th>
          <th>{t("cases.column.region")}</th>
          <th>{t("cases.column.status")}</th>
          <th>{t("cases.column.state")}</th>
          <th>{t("cases.column.onset")}</th>
          <th>{t("cases.column.confirmed")}</th>
          <th className="numeric">{t("cases.column.visits")}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id} data-testid="case-row">
            <td>
              <Link
                to={`/cases/${encodeURIComponent(item.id)}`}
                className="case-link"
              >
                {item.caseNumber}
              </Link>
            </td>
            <td>
              {regionLabel(item.province, item.city, locale) ??
                t("common.none")}
            </td>
            <td>
              <span className={`badge status-${item.status}`}>
                {label("status", item.status)}
              </span>
            </td>
            <td>
              {item.state === null
                ? t("common.none")
                : label("state", item.state)}
            </td>
            <td>{date(item.symptomOnsetDate)}</td>
            <td>{date(item.confirmedDate)}</td>
            <td className="numeric">{number(item.visitCount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
