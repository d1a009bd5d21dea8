import { useEffect, useState } from "react";

import { ApiError } from "../api/index.js";
import { Link } from "../app/router.js";
import { ErrorMessage, SuccessMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { requestApi } from "./api.js";
import { DecisionButton, RequestFacts, TransitionTable } from "./parts.js";
import { APPROVAL_QUEUE_PATH } from "./routes.js";
import type { LocationApproval } from "./types.js";

type Loaded =
  | { status: "loading" }
  | { status: "notFound" }
  | { status: "failed"; message: string }
  | { status: "ready"; value: LocationApproval };

/**
 * Renders one location data request for the police: its scope and
 * purpose, with the approve and reject decisions while it awaits approval.
 */
export function ApprovalPage({ requestId }: { requestId: string }) {
  const { t, label } = useI18n();
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    requestApi
      .getApproval(requestId, controller.signal)
      .then((value) => setLoaded({ status: "ready", value }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const missing = error instanceof ApiError && error.status === 404;
        setLoaded(
          missing
            ? { status: "notFound" }
            : { status: "failed", message: errorText(error) },
        );
      });
    return () => controller.abort();
  }, [requestId]);

  if (loaded.status === "loading") {
    return <p className="page-message">{t("common.loading")}</p>;
  }
  if (loaded.status === "notFound") {
    return (
      <div className="page-message">
        <p>{t("requests.notFound")}</p>
        <Link to={APPROVAL_QUEUE_PATH}>{t("approvals.back")}</Link>
      </div>
    );
  }
  if (loaded.status === "failed") {
    return <ErrorMessage message={loaded.message} />;
  }

  const request = loaded.value;
  const decided = (value: LocationApproval) => {
    setLoaded({ status: "ready", value });
    setNotice(
      t("approvals.decided", { state: label("requestState", value.state) }),
    );
  };
  return (
    <div className="request-page" data-testid="approval-page">
      <div className="panel request-header">
        <div className="request-title-row">
          <Link to={APPROVAL_QUEUE_PATH} className="back-link">
            {t("approvals.back")}
          </Link>
          <h1>
            {t("approvals.titleOf", { office: request.organisation.name })}
          </h1>
          {request.state === "awaiting_police_approval" ? (
            <div className="request-actions">
              <DecisionButton
                confirmText={t("approvals.approve")}
                reasonOptional
                testId="approval-approve"
                onConfirm={async (reason) =>
                  decided(await requestApi.approve(request.id, reason))
                }
              />
              <DecisionButton
                confirmText={t("approvals.reject")}
                testId="approval-reject"
                danger
                onConfirm={async (reason) =>
                  decided(await requestApi.reject(request.id, reason))
                }
              />
            </div>
          ) : null}
        </div>
        <SuccessMessage message={notice} />
        <RequestFacts request={request} />
      </div>
      <TransitionTable transitions={request.transitions} />
    </div>
  );
}
