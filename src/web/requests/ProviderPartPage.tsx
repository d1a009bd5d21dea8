import { useState, type FormEvent } from "react";

import { Link } from "../app/router.js";
import { ErrorMessage, SuccessMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { can, useUser } from "../session/session.js";
import { inboxApi } from "./api.js";
import {
  RecordPlaceholder,
  useLoadedRecord,
  type LoadedRecord,
} from "./loaded-record.js";
import {
  DataKinds,
  Deadline,
  DecisionButton,
  StateBadge,
  WindowRange,
} from "./parts.js";
import { forwardingPath, INBOX_PATH } from "./routes.js";
import type { DataKind, ProviderPart, UploadReceipt } from "./types.js";

/** Loads the caller's part of one request, for the part and forwarding pages. */
export function useProviderPart(requestId: string) {
  const { loaded, reload, setValue } = useLoadedRecord(
    requestId,
    (id, signal) => inboxApi.getPart(id, signal),
  );
  return { loaded, reload, setPart: setValue };
}

/** Renders the loading, not-found and failure states of a provider's part. */
export function PartPlaceholder({
  loaded,
}: {
  loaded: LoadedRecord<ProviderPart>;
}) {
  const { t } = useI18n();
  return (
    <RecordPlaceholder
      loaded={loaded}
      backPath={INBOX_PATH}
      backLabel={t("inbox.back")}
    />
  );
}

/**
 * Renders a provider's part of one request for a person who answers by
 * hand: the identifier and window, a file upload per data kind, the
 * receipts with their withdrawal, and declining the part.
 */
export function ProviderPartPage({ requestId }: { requestId: string }) {
  const { loaded, reload, setPart } = useProviderPart(requestId);
  if (loaded.status !== "ready") {
    return <PartPlaceholder loaded={loaded} />;
  }
  return (
    <PartView
      part={loaded.value}
      onChange={setPart}
      onReload={() => void reload()}
    />
  );
}

interface PartViewProps {
  part: ProviderPart;
  onChange(part: ProviderPart): void;
  onReload(): void;
}

function PartView({ part, onChange, onReload }: PartViewProps) {
  const { t } = useI18n();
  const user = useUser();
  const answers = can(user, "provider.answer");
  const open = part.state === "sent" || part.state === "answered";

  return (
    <div className="request-page" data-testid="provider-part-page">
      <PartHeader
        part={part}
        title={t("inbox.titleOf", { office: part.requestingOrganisation })}
        offerForward
        onChange={onChange}
      />
      {answers && open ? (
        <section className="panel request-section">
          <h2>{t("inbox.uploadTitle")}</h2>
          <p className="muted">
            {part.exposurePlace === null
              ? t("inbox.uploadHint")
              : t("inbox.exposureUploadHint")}
          </p>
          {part.dataKinds.map((kind) => (
            <UploadForm
              key={kind}
              requestId={part.requestId}
              kind={kind}
              onUploaded={onReload}
            />
          ))}
        </section>
      ) : null}
      <ReceiptTable part={part} canWithdraw={answers} onWithdrawn={onReload} />
    </div>
  );
}

/** Renders what a provider needs to answer a part, and nothing of the case. */
export function PartFacts({ part }: { part: ProviderPart }) {
  const { t, label, instant } = useI18n();
  return (
    <dl className="facts">
      <div className="fact">
        <dt>{t("requests.state")}</dt>
        <dd>
          <StateBadge state={part.state} />
        </dd>
      </div>
      <div className="fact">
        <dt>{t("requests.deadline")}</dt>
        <dd>
          <Deadline fields={part} />
        </dd>
      </div>
      <div className="fact">
        <dt>{t("requests.dataKinds")}</dt>
        <dd>
          <DataKinds kinds={part.dataKinds} />
        </dd>
      </div>
      <div className="fact">
        <dt>
          {part.identifier.kind === "phone_number"
            ? t("requests.phoneNumber")
            : t("requests.cardHolder")}
        </dt>
        <dd className="mono" data-testid="part-identifier">
          {part.identifier.value ?? t("common.none")}
        </dd>
      </div>
      {part.exposurePlace === null ? null : (
        <div className="fact">
          <dt>{t("exposureRequest.subscribers")}</dt>
          <dd data-testid="part-exposure-place">
            {t("exposureRequest.placeSummary", {
              latitude: String(part.exposurePlace.latitude),
              longitude: String(part.exposurePlace.longitude),
              radius: String(part.exposurePlace.radiusMeters),
              dwell: String(part.exposurePlace.minDwellMinutes),
            })}
          </dd>
        </div>
      )}
      <div className="fact">
        <dt>{t("requests.window")}</dt>
        <dd>
          <WindowRange window={part.window} />
        </dd>
      </div>
      <div className="fact">
        <dt>{t("requests.legalBasis")}</dt>
        <dd>{label("legalBasis", part.legalBasis)}</dd>
      </div>
      <div className="fact">
        <dt>{t("requests.expiresAt")}</dt>
        <dd>
          {part.expiresAt === null ? t("common.none") : instant(part.expiresAt)}
        </dd>
      </div>
    </dl>
  );
}

interface UploadFormProps {
  requestId: string;
  kind: DataKind;
  onUploaded(): void;
}

function UploadForm({ requestId, kind, onUploaded }: UploadFormProps) {
  const { t, label, number } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<UploadReceipt | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (file === null) {
      setError(t("inbox.fileMissing"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setReceipt(await inboxApi.upload(requestId, kind, file));
      onUploaded();
    } catch (caught) {
      setReceipt(null);
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="upload-form"
      data-testid={`upload-form-${kind}`}
      onSubmit={(event) => void submit(event)}
    >
      <label className="inline-field">
        {label("dataKind", kind)}
        <input
          type="file"
          name="file"
          accept=".csv,text/csv,application/gzip"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t("common.saving") : t("inbox.upload")}
      </button>
      <ErrorMessage message={error} />
      <SuccessMessage
        message={
          receipt === null
            ? null
            : t("inbox.received", {
                records: number(receipt.recordCount),
                sha256: receipt.sha256,
              })
        }
      />
    </form>
  );
}

interface ReceiptTableProps {
  part: ProviderPart;
  canWithdraw: boolean;
  onWithdrawn(): void;
}

function ReceiptTable({ part, canWithdraw, onWithdrawn }: ReceiptTableProps) {
  const { t, label, instant, number } = useI18n();
  return (
    <section className="panel request-section">
      <h2>{t("requests.uploads")}</h2>
      {part.uploads.length === 0 ? (
        <p className="empty">{t("requests.noUploads")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t("requests.column.kind")}</th>
              <th>{t("requests.column.records")}</th>
              <th>{t("requests.column.received")}</th>
              <th>{t("requests.column.sha256")}</th>
              <th>{t("requests.state")}</th>
              <th>{t("requests.column.reason")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {part.uploads.map((upload) => (
              <tr
                key={upload.uploadId}
                data-testid="part-upload"
                data-upload-id={upload.uploadId}
              >
                <td>{label("dataKind", upload.dataKind)}</td>
                <td>{number(upload.recordCount)}</td>
                <td>{instant(upload.receivedAt)}</td>
                <td className="mono sha256" title={upload.sha256}>
                  {upload.sha256.slice(0, 16)}…
                </td>
                <td>
                  <StateBadge state={upload.state} />
                </td>
                <td className="request-reason">
                  {upload.decisionReason ?? t("common.none")}
                </td>
                <td>
                  {canWithdraw && upload.state === "received" ? (
                    <DecisionButton
                      confirmText={t("inbox.withdraw")}
                      reasonOptional
                      testId="upload-withdraw"
                      danger
                      onConfirm={async (reason) => {
                        await inboxApi.withdrawUpload(
                          part.requestId,
                          upload.uploadId,
                          reason,
                        );
                        onWithdrawn();
                      }}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * Renders the header of a provider's part: the link back to the inbox, the
 * title, the forwarding link when `offerForward` is set, the decline
 * decision while the part is open, and the part's facts.
 */
export function PartHeader({
  part,
  title,
  offerForward,
  onChange,
}: {
  part: ProviderPart;
  title: string;
  offerForward: boolean;
  onChange(part: ProviderPart): void;
}) {
  const { t } = useI18n();
  const user = useUser();
  return (
    <div className="panel request-header">
      <div className="request-title-row">
        <Link to={INBOX_PATH} className="back-link">
          {t("inbox.back")}
        </Link>
        <h1>{title}</h1>
        <div className="request-actions">
          {offerForward &&
          part.state === "sent" &&
          can(user, "provider.forward") ? (
            <Link to={forwardingPath(part.requestId)}>
              {t("inbox.forward")}
            </Link>
          ) : null}
          {part.state === "sent" && can(user, "provider.decline") ? (
            <DecisionButton
              confirmText={t("inbox.decline")}
              testId="part-decline"
              danger
              onConfirm={async (reason) =>
                onChange(await inboxApi.decline(part.requestId, reason))
              }
            />
          ) : null}
        </div>
      </div>
      <PartFacts part={part} />
    </div>
  );
}
