import { useEffect, useState, type FormEvent } from "react";

import { navigate, useLocation } from "../app/router.js";
import { ErrorMessage, Field, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { auditApi } from "./api.js";
import { AuditEventTable } from "./AuditEventTable.js";
import { Pager } from "./Pager.js";
import { AUDIT_SEARCH_PATH } from "./routes.js";
import {
  AUDIT_RESULTS,
  type AuditEventPage,
  type AuditResult,
  type AuditSearch,
} from "./types.js";

const PAGE_SIZE = 50;

const TEXT_FILTERS = [
  "actor",
  "action",
  "personId",
  "caseId",
  "from",
  "to",
] as const;

type TextFilter = (typeof TEXT_FILTERS)[number];

type Filters = Record<TextFilter, string> & { result: "" | AuditResult };

const EMPTY_FILTERS: Filters = {
  actor: "",
  action: "",
  personId: "",
  caseId: "",
  result: "",
  from: "",
  to: "",
};

interface SearchQuery extends Filters {
  page: number;
}

/** Reads the search from the location's query string. */
function parseQuery(search: string): SearchQuery {
  const params = new URLSearchParams(search);
  const query: SearchQuery = { ...EMPTY_FILTERS, page: 1 };
  for (const name of TEXT_FILTERS) {
    query[name] = params.get(name) ?? "";
  }
  const result = params.get("result") ?? "";
  query.result = AUDIT_RESULTS.includes(result as AuditResult)
    ? (result as AuditResult)
    : "";
  const page = Number(params.get("page"));
  query.page = Number.isInteger(page) && page > 0 ? page : 1;
  return query;
}

function pathOf(query: SearchQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== "" && !(key === "page" && value === 1)) {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text === "" ? AUDIT_SEARCH_PATH : `${AUDIT_SEARCH_PATH}?${text}`;
}

function toApiSearch(query: SearchQuery): AuditSearch {
  const search: AuditSearch = { page: query.page, pageSize: PAGE_SIZE };
  for (const name of TEXT_FILTERS) {
    const value = query[name].trim();
    if (value !== "") search[name] = value;
  }
  if (query.result !== "") search.result = query.result;
  return search;
}

/** Renders the search of the audit log, with its filters and page in the URL. */
export function AuditSearchPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const query = parseQuery(search);
  const [result, setResult] = useState<AuditEventPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    auditApi
      .searchEvents(toApiSearch(parseQuery(search)), controller.signal)
      .then(setResult)
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(errorText(caught));
      });
    return () => controller.abort();
  }, [search]);

  return (
    <div className="audit-page">
      <div className="page-header">
        <h1>{t("audit.search.title")}</h1>
      </div>
      <SearchForm
        key={search}
        initial={query}
        onApply={(filters) => navigate(pathOf({ ...filters, page: 1 }))}
      />
      <ErrorMessage message={error} />
      <Pager
        page={query.page}
        pageSize={PAGE_SIZE}
        total={result?.total ?? null}
        onPage={(page) => navigate(pathOf({ ...query, page }))}
      />
      <AuditEventTable items={result?.items ?? null} />
    </div>
  );
}

interface SearchFormProps {
  initial: Filters;
  onApply(filters: Filters): void;
}

function SearchForm({ initial, onApply }: SearchFormProps) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>({
    actor: initial.actor,
    action: initial.action,
    personId: initial.personId,
    caseId: initial.caseId,
    result: initial.result,
    from: initial.from,
    to: initial.to,
  });
  const set = (change: Partial<Filters>) =>
    setFilters((current) => ({ ...current, ...change }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(filters);
  };
  const text = (name: TextFilter, type: "search" | "date" = "search") => (
    <Field
      label={t(`audit.filter.${name}`)}
      {...(name === "action" ? { hint: t("audit.filter.actionHint") } : {})}
    >
      {(id) => (
        <input
          id={id}
          name={name}
          type={type}
          value={filters[name]}
          onChange={(event) => set({ [name]: event.target.value })}
        />
      )}
    </Field>
  );

  return (
    <form className="filter-bar" role="search" onSubmit={submit}>
      {text("actor")}
      {text("action")}
      {text("personId")}
      {text("caseId")}
      <Field label={t("audit.filter.result")}>
        {(id) => (
          <select
            id={id}
            name="result"
            value={filters.result}
            onChange={(event) =>
              set({ result: event.target.value as Filters["result"] })
            }
          >
            <option value="">{t("common.all")}</option>
            {AUDIT_RESULTS.map((result) => (
              <option key={result} value={result}>
                {t(`audit.result.${result}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {text("from", "date")}
      {text("to", "date")}
      <div className="filter-actions">
        <button type="submit" className="primary">
          {t("common.search")}
        </button>
        <button type="button" onClick={() => onApply(EMPTY_FILTERS)}>
          {t("common.reset")}
        </button>
      </div>
    </form>
  );
}
