import { useState, type FormEvent, type ReactNode } from "react";

import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import type {
  DataKind,
  RequestCore,
  RequestTransition,
  RequestWindow,
  StateFields,
} from "./types.js";

/** Renders the first and last Seoul day of a request window. */
export function WindowRange({ window }: { window: RequestWindow }) {
  const { t, date } = useI18n();
  return (
    <>
      {t("requests.windowRange", {
        start: date(window.startDate),
        end: date(window.endDate),
      })}
    </>
  );
}

/** Renders the state badge and the deadline as two cells of a table row. */
export function StateCells({ fields }: { fields: StateFields<string> }) {
  return (
    <>
      <td>
        <StateBadge state={fields.state} />
      </td>
      <td>
        <Deadline fields={fields} />
      </td>
    </>
  );
}

/** Renders the number of listed items, or a loading note while it is null. */
export function ResultCount({
  total,
  testId,
}: {
  total: number | null;
  testId: string;
}) {
  const { t, number } = useI18n();
  return (
    <span className="result-count" data-testid={testId}>
      {total === null
        ? t("common.loading")
        : t("requests.total", { total: number(total) })}
    </span>
  );
}

/** Renders a request, part or upload state as a coloured badge. */
export function StateBadge({ state }: { state: string }) {
  const { label } = useI18n();
  return (
    <span
      className={`badge request-state request-state-${state}`}
      data-testid="request-state"
      data-state={state}
    >
      {label("requestState", state)}
    </span>
  );
}

/** Renders the deadline of a state, flagged when it has passed. */
export function Deadline({ fields }: { fields: StateFields<string> }) {
  const { t, instant } = useI18n();
  if (fields.deadlineAt === null) {
    return <span className="muted">{t("common.none")}</span>;
  }
  return (
    <span className="request-deadline">
      {instant(fields.deadlineAt)}
      {fields.overdue ? (
        <span className="badge request-overdue" data-testid="request-overdue">
          {t("requests.overdue")}
        </span>
      ) : null}
    </span>
  );
}

/** Renders the data kinds of a request as tags. */
export function DataKinds({ kinds }: { kinds: readonly DataKind[] }) {
  const { label } = useI18n();
  return (
    <span className="request-kinds">
      {kinds.map((kind) => (
        <span key={kind} className="tag">
          {label("dataKind", kind)}
        </span>
      ))}
    </span>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * Renders the scope of a request, its purpose and legal basis, and who
 * requested it. The identifier is shown as the API returns it.
 */
export function RequestFacts({ request }: { request: RequestCore }) {
  const { t, label, instant } = useI18n();
  const identifier = request.phoneNumber ?? request.cardHolder;
  const identifierTerm =
    request.phoneNumber === null
      ? t("requests.cardHolder")
      : t("requests.phoneNumber");
  return (
    <div className="request-facts">
      <dl className="facts">
        <Fact term={t("requests.state")}>
          <StateBadge state={request.state} />
        </Fact>
        <Fact term={t("requests.deadline")}>
          <Deadline fields={request} />
        </Fact>
        <Fact term={t("requests.dataKinds")}>
          <DataKinds kinds={request.dataKinds} />
        </Fact>
        <Fact term={identifierTerm}>
          <span className="mono" data-testid="request-identifier">
            {identifier ?? t("common.none")}
          </span>
        </Fact>
        <Fact term={t("requests.window")}>
          <WindowRange window={request.window} />
        </Fact>
        <Fact term={t("requests.legalBasis")}>
          {label("legalBasis", request.legalBasis)}
        </Fact>
      </dl>
      <dl className="facts">
        <Fact term={t("requests.organisation")}>
          {request.organisation.name}
        </Fact>
        <Fact term={t("requests.requestedBy")}>
          {request.requestedBy.displayName}
        </Fact>
        <Fact term={t("requests.createdAt")}>{instant(request.createdAt)}</Fact>
        <Fact term={t("requests.submittedAt")}>
          {request.submittedAt === null
            ? t("common.none")
            : instant(request.submittedAt)}
        </Fact>
        <Fact term={t("requests.providers")}>
          {request.providers.map((provider) => provider.name).join(", ") ||
            t("common.none")}
        </Fact>
        <Fact term={t("requests.expiresAt")}>
          {request.expiresAt === null
            ? t("common.none")
            : instant(request.expiresAt)}
        </Fact>
      </dl>
      <div className="request-purpose">
        <h3>{t("requests.purpose")}</h3>
        <p data-testid="request-purpose">{request.purpose}</p>
      </div>
    </div>
  );
}

/** Renders every state change of a request and its parts, oldest first. */
export function TransitionTable({
  transitions,
}: {
  transitions: readonly RequestTransition[];
}) {
  const { t, label, instant } = useI18n();
  return (
    <section className="panel request-section">
      <h2>{t("requests.transitions")}</h2>
      <table className="data-table">
        <thead>
          <tr>
            <th>{t("requests.column.at")}</th>
            <th>{t("requests.column.subject")}</th>
            <th>{t("requests.column.from")}</th>
            <th>{t("requests.column.to")}</th>
            <th>{t("requests.column.by")}</th>
            <th>{t("requests.column.reason")}</th>
          </tr>
        </thead>
        <tbody>
          {transitions.map((transition, index) => (
            <tr key={index} data-testid="request-transition">
              <td>{instant(transition.at)}</td>
              <td>
                {transition.partId === null
                  ? t("requests.subject.request")
                  : t("requests.subject.part")}
              </td>
              <td>
                {transition.from === null
                  ? t("common.none")
                  : label("requestState", transition.from)}
              </td>
              <td>{label("requestState", transition.to)}</td>
              <td className="mono">{transition.by}</td>
              <td className="request-reason">
                {transition.reason ?? t("common.none")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface DecisionProps {
  /** Label of the button that confirms, such as "Reject". */
  confirmText: string;
  /** Whether the action goes through without a reason. */
  reasonOptional?: boolean;
  testId: string;
  danger?: boolean;
  onConfirm(reason: string): Promise<void>;
}

/**
 * Renders a button that opens a reason field and a confirm button, for
 * decisions that are stored with their reason.
 */
export function DecisionButton(props: DecisionProps) {
  const { confirmText, reasonOptional, testId, danger, onConfirm } = props;
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = reason.trim();
    if (trimmed === "" && reasonOptional !== true) {
      setError(t("requests.reasonMissing"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onConfirm(trimmed);
      setOpen(false);
      setReason("");
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <button
        type="button"
        className={danger === true ? "danger" : "primary"}
        data-testid={testId}
        onClick={() => setOpen(true)}
      >
        {confirmText}
      </button>
    );
  }
  return (
    <form
      className="decision-form"
      data-testid={`${testId}-form`}
      onSubmit={(event) => void submit(event)}
    >
      <textarea
        name="reason"
        rows={2}
        maxLength={2000}
        placeholder={
          reasonOptional === true
            ? t("requests.reasonOptional")
            : t("requests.reasonRequired")
        }
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      <div className="actions">
        <button
          type="submit"
          className={danger === true ? "danger" : "primary"}
          disabled={busy}
        >
          {confirmText}
        </button>
        <button type="button" onClick={() => setOpen(false)} disabled={busy}>
          {t("common.cancel")}
        </button>
      </div>
      <ErrorMessage message={error} />
    </form>
  );
}
