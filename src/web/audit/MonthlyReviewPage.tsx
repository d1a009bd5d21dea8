import { useEffect, useState, type FormEvent } from "react";

import { navigate, useLocation } from "../app/router.js";
import { ErrorMessage, Field, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { auditApi } from "./api.js";
import { previousSeoulMonth } from "./format.js";
import {
  BulkViewsSection,
  ExportsSection,
  FailedLoginsSection,
  ForeignCasesSection,
  OutsideHoursSection,
} from "./ReviewSections.js";
import { AUDIT_REVIEW_PATH } from "./routes.js";
import type { MonthlyReview } from "./types.js";

const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Renders the monthly review of the audit log. The month is kept in the URL
 * and defaults to the previous month in Seoul.
 */
export function MonthlyReviewPage() {
  const { t, number } = useI18n();
  const { search } = useLocation();
  const requested = new URLSearchParams(search).get("month") ?? "";
  const month = MONTH_PATTERN.test(requested)
    ? requested
    : previousSeoulMonth(new Date());
  const [review, setReview] = useState<MonthlyReview | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    setReview(null);
    auditApi
      .monthlyReview(month, controller.signal)
      .then(setReview)
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(errorText(caught));
      });
    return () => controller.abort();
  }, [month]);

  return (
    <div className="audit-page audit-review">
      <div className="page-header">
        <h1>{t("audit.review.title")}</h1>
      </div>
      <MonthForm
        key={month}
        initial={month}
        onApply={(next) => navigate(`${AUDIT_REVIEW_PATH}?month=${next}`)}
      />
      <ErrorMessage message={error} />
      {review === null ? (
        error === null ? (
          <p className="page-message">{t("common.loading")}</p>
        ) : null
      ) : (
        <>
          <p className="audit-review-summary" data-testid="review-summary">
            {t("audit.review.summary", {
              month: review.month,
              events: number(review.eventCount),
            })}
          </p>
          <BulkViewsSection review={review} />
          <OutsideHoursSection review={review} />
          <ForeignCasesSection review={review} />
          <ExportsSection review={review} />
          <FailedLoginsSection review={review} />
        </>
      )}
    </div>
  );
}

function MonthForm({
  initial,
  onApply,
}: {
  initial: string;
  onApply(month: string): void;
}) {
  const { t } = useI18n();
  const [month, setMonth] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (MONTH_PATTERN.test(month)) onApply(month);
  };

  return (
    <form className="filter-bar" onSubmit={submit}>
      <Field label={t("audit.review.month")}>
        {(id) => (
          <input
            id={id}
            name="month"
            type="month"
            value={month}
            onChange={(event) => setMonth(event.target.value)}
          />
        )}
      </Field>
      <div className="filter-actions">
        <button type="submit" className="primary">
          {t("audit.review.show")}
        </button>
      </div>
    </form>
  );
}
