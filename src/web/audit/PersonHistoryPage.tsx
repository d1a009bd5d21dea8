import { useEffect, useState } from "react";

import { ApiError } from "../api/index.js";
import { Link, navigate, useLocation } from "../app/router.js";
import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { auditApi } from "./api.js";
import { AuditEventTable } from "./AuditEventTable.js";
import { Pager } from "./Pager.js";
import { AUDIT_SEARCH_PATH, personHistoryPath } from "./routes.js";
import type { PersonHistory } from "./types.js";

/** Renders every access to one person's data, newest first, a page at a time. */
export function PersonHistoryPage({ personId }: { personId: string }) {
  const { t } = useI18n();
  const { search } = useLocation();
  const page = pageOf(search);
  const [history, setHistory] = useState<PersonHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    auditApi
      .personHistory(personId, page, controller.signal)
      .then(setHistory)
      .catch((caught: unknown) => {
        if (controller.signal.aborted) return;
        if (caught instanceof ApiError && caught.status === 404) {
          setMissing(true);
        } else {
          setError(errorText(caught));
        }
      });
    return () => controller.abort();
  }, [personId, page]);

  if (missing) {
    return (
      <div className="page-message" data-testid="person-not-found">
        <p>{t("audit.history.notFound")}</p>
        <Link to={AUDIT_SEARCH_PATH}>{t("audit.history.back")}</Link>
      </div>
    );
  }

  return (
    <div className="audit-page">
      <div className="page-header">
        <h1 data-testid="history-title">
          {history === null
            ? t("common.loading")
            : t("audit.history.title", {
                label: history.person.label ?? history.person.id,
              })}
        </h1>
        <Link to={AUDIT_SEARCH_PATH} className="back-link">
          {t("audit.history.back")}
        </Link>
      </div>
      <p className="muted">{t("audit.history.intro")}</p>
      <ErrorMessage message={error} />
      <Pager
        page={page}
        pageSize={history?.pageSize ?? 100}
        total={history?.total ?? null}
        onPage={(next) =>
          navigate(`${personHistoryPath(personId)}?page=${next}`)
        }
      />
      <AuditEventTable items={history?.items ?? null} />
    </div>
  );
}

function pageOf(search: string): number {
  const page = Number(new URLSearchParams(search).get("page"));
  return Number.isInteger(page) && page > 0 ? page : 1;
}
