import { useState } from "react";

import { Link } from "../app/router.js";
import { SuccessMessage } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { requestApi } from "./api.js";
import { RecordPlaceholder, useLoadedRecord } from "./loaded-record.js";
import { DecisionButton, RequestFacts, TransitionTable } from "./parts.js";
import { APPROVAL_QUEUE_PATH } from "./routes.js";
import type { LocationApproval } from "./types.js";

/**
 * Renders one location data request for the police: its scope and
 * purpose, with the approve and reject decisions while it awaits approval.
 */
export function ApprovalPage({ requestId }: { requestId: string }) {
  const { t, label } = useI18n();
  const { loaded, setValue } = useLoadedRecord(requestId, (id, signal) =>
    requestApi.getApproval(id, signal),
  );
  const [notice, setNotice] = useState<string | null>(null);

  if (loaded.status !== "ready") {
    return (
      <RecordPlaceholder
        loaded={loaded}
        backPath={APPROVAL_QUEUE_PATH}
        backLabel={t("approvals.back")}
      />
    );
  }

  const request = loaded.value;
  const decided = (value: LocationApproval) => {
    setValue(value);
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
