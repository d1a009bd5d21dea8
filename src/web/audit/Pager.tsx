import { useI18n } from "../i18n/index.js";

interface PagerProps {
  page: number;
  pageSize: number;
  /** Null while the first page is loading. */
  total: number | null;
  onPage(page: number): void;
}

/** Renders the range shown and the previous and next buttons of a paged list. */
export function Pager({ page, pageSize, total, onPage }: PagerProps) {
  const { t, number } = useI18n();
  const count = total ?? 0;
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const from = count === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(count, page * pageSize);

  return (
    <div className="result-bar">
      <span className="result-count" data-testid="audit-total">
        {total === null
          ? t("common.loading")
          : t("audit.range", {
              from: number(from),
              to: number(to),
              total: number(count),
            })}
      </span>
      <span className="muted">{t("audit.timeZone")}</span>
      <div className="pager">
        <button
          type="button"
          disabled={page <= 1}
          onClick={() => onPage(page - 1)}
        >
          {t("audit.previous")}
        </button>
        <span>
          {t("audit.page", { page: number(page), pages: number(pages) })}
        </span>
        <button
          type="button"
          disabled={page >= pages}
          onClick={() => onPage(page + 1)}
        >
          {t("audit.next")}
        </button>
      </div>
    </div>
  );
}
