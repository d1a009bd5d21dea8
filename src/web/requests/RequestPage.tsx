import { useState } from "react";

import { Link } from "../app/router.js";
import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { can, useUser } from "../session/session.js";
import { requestApi } from "./api.js";
import { RecordPlaceholder, useLoadedRecord } from "./loaded-record.js";
import {
  DataKinds,
  DecisionButton,
  Deadline,
  RequestFacts,
  StateBadge,
  TransitionTable,
} from "./parts.js";
import { REQUEST_LIST_PATH } from "./routes.js";
import { RequestTimingFacts } from "./timing.js";
import { ExposureSubscribersPanel } from "./ExposureSubscribersPanel.js";
import type {
  DataRequestDetail,
  RequestPart,
  RequestState,
  UploadReceipt,
} from "./types.js";

/** States from which an investigator may still withdraw a request. */
const WITHDRAWABLE: readonly RequestState[] = [
  "draft",
  "submitted",
  "awaiting_police_approval",
  "approved",
  "sent_to_providers",
  "partly_answered",
];

/** Renders one request for investigators: its scope, parts, uploads to review and history. */
export function RequestPage({ requestId }: { requestId: string }) {
  const { t } = useI18n();
  const { loaded, setValue: setRequest } = useLoadedRecord(
    requestId,
    (id, signal) => requestApi.getRequest(id, signal),
  );

  if (loaded.status !== "ready") {
    return (
      <RecordPlaceholder
        loaded={loaded}
        backPath={REQUEST_LIST_PATH}
        backLabel={t("requests.back")}
      />
    );
  }
  return <RequestView request={loaded.value} onChange={setRequest} />;
}

interface RequestViewProps {
  request: DataRequestDetail;
  onChange(request: DataRequestDetail): void;
}

function RequestView({ request, onChange }: RequestViewProps) {
  const { t } = useI18n();
  const user = useUser();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      onChange(await requestApi.submitRequest(request.id));
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="request-page" data-testid="request-page">
      <div className="panel request-header">
        <div className="request-title-row">
          <Link to={REQUEST_LIST_PATH} className="back-link">
            {t("requests.back")}
          </Link>
          <h1>{t("requests.titleOf", { caseNumber: request.caseNumber })}</h1>
          <Link to={`/cases/${encodeURIComponent(request.caseId)}`}>
            {t("requests.openCase")}
          </Link>
          <div className="request-actions">
            {request.state === "draft" && can(user, "request.submit") ? (
              <button
                type="button"
                className="primary"
                data-testid="request-submit"
                disabled={busy}
                onClick={() => void submit()}
              >
                {t("requests.submit")}
              </button>
            ) : null}
            {WITHDRAWABLE.includes(request.state) &&
            can(user, "request.withdraw") ? (
              <DecisionButton
                confirmText={t("requests.withdraw")}
                testId="request-withdraw"
                danger
                onConfirm={async (reason) =>
                  onChange(await requestApi.withdrawRequest(request.id, reason))
                }
              />
            ) : null}
          </div>
        </div>
        <ErrorMessage message={error} />
        <RequestFacts request={request} />
      </div>
      <PartTable parts={request.parts} />
      <UploadTable
        request={request}
        canReview={can(user, "request.review_upload")}
        onChange={onChange}
      />
      <ExposureSubscribersPanel
        request={request}
        canLink={can(user, "request.review_upload")}
      />
      <RequestTimingFacts
        key={`${request.id} ${request.state} ${request.uploads.length}`}
        requestId={request.id}
      />
      <TransitionTable transitions={request.transitions} />
    </div>
  );
}

function PartTable({ parts }: { parts: readonly RequestPart[] }) {
  const { t, instant } = useI18n();
  return (
    <section className="panel request-section">
      <h2>{t("requests.parts")}</h2>
      {parts.length === 0 ? (
        <p className="empty">{t("requests.noParts")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t("requests.column.provider")}</th>
              <th>{t("requests.dataKinds")}</th>
              <th>{t("requests.state")}</th>
              <th>{t("requests.deadline")}</th>
              <th>{t("requests.expiresAt")}</th>
              <th>{t("requests.column.pulledAt")}</th>
            </tr>
          </thead>
          <tbody>
            {parts.map((part) => (
              <tr key={part.id} data-testid="request-part">
                <td>
                  {part.provider.name}
                  {part.forwardedFromPartId === null ? null : (
                    <span className="muted"> · {t("requests.forwarded")}</span>
                  )}
                </td>
                <td>
                  <DataKinds kinds={part.dataKinds} />
                </td>
                <td>
                  <StateBadge state={part.state} />
                </td>
                <td>
                  <Deadline fields={part} />
                </td>
                <td>
                  {part.expiresAt === null
                    ? t("common.none")
                    : instant(part.expiresAt)}
                </td>
                <td>
                  {part.firstPulledAt === null
                    ? t("requests.notPulled")
                    : instant(part.firstPulledAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface UploadTableProps {
  request: DataRequestDetail;
  canReview: boolean;
  onChange(request: DataRequestDetail): void;
}

function UploadTable({ request, canReview, onChange }: UploadTableProps) {
  const { t } = useI18n();
  const providerOf = (upload: UploadReceipt) =>
    request.parts.find((part) => part.id === upload.partId)?.provider.name ??
    t("common.none");
  return (
    <section className="panel request-section">
      <h2>{t("requests.uploads")}</h2>
      {request.uploads.length === 0 ? (
        <p className="empty">{t("requests.noUploads")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t("requests.column.provider")}</th>
              <th>{t("requests.column.kind")}</th>
              <th className="numeric">{t("requests.column.records")}</th>
              <th className="numeric">{t("requests.column.size")}</th>
              <th>{t("requests.column.received")}</th>
              <th>{t("requests.state")}</th>
              <th>{t("requests.column.decision")}</th>
              <th>{t("requests.column.sha256")}</th>
              {canReview ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {request.uploads.map((upload) => (
              <UploadRow
                key={upload.uploadId}
                requestId={request.id}
                upload={upload}
                provider={providerOf(upload)}
                canReview={canReview}
                onChange={onChange}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface UploadRowProps {
  requestId: string;
  upload: UploadReceipt;
  provider: string;
  canReview: boolean;
  onChange(request: DataRequestDetail): void;
}

function UploadRow(props: UploadRowProps) {
  const { requestId, upload, provider, canReview, onChange } = props;
  const { t, label, instant, number } = useI18n();
  const [error, setError] = useState<string | null>(null);

  const accept = async () => {
    setError(null);
    try {
      onChange(await requestApi.acceptUpload(requestId, upload.uploadId));
    } catch (caught) {
      setError(errorText(caught));
    }
  };

  return (
    <tr data-testid="request-upload" data-upload-id={upload.uploadId}>
      <td>{provider}</td>
      <td>{label("dataKind", upload.dataKind)}</td>
      <td className="numeric">{number(upload.recordCount)}</td>
      <td className="numeric">
        {t("requests.kib", {
          size: number(Math.ceil(upload.sizeBytes / 1024)),
        })}
      </td>
      <td>{instant(upload.receivedAt)}</td>
      <td>
        <StateBadge state={upload.state} />
      </td>
      <td className="request-reason">
        {upload.decidedAt === null
          ? t("common.none")
          : instant(upload.decidedAt)}
        {upload.decisionReason === null ? null : ` · ${upload.decisionReason}`}
      </td>
      <td className="mono" title={upload.sha256}>
        {upload.sha256.slice(0, 12)}
      </td>
      {canReview ? (
        <td>
          <div className="row-actions">
            {upload.state === "received" ? (
              <button
                type="button"
                className="primary"
                data-testid="upload-accept"
                onClick={() => void accept()}
              >
                {t("requests.accept")}
              </button>
            ) : null}
            {upload.state === "received" || upload.state === "accepted" ? (
              <DecisionButton
                confirmText={t("requests.reject")}
                testId="upload-reject"
                danger
                onConfirm={async (reason) =>
                  onChange(
                    await requestApi.rejectUpload(
                      requestId,
                      upload.uploadId,
                      reason,
                    ),
                  )
                }
              />
            ) : null}
          </div>
          <ErrorMessage message={error} />
        </td>
      ) : null}
    </tr>
  );
}
