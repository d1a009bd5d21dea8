import { useState, type ReactNode } from "react";

import { api, CASE_DATE_FIELDS, type CaseDetail } from "../api/index.js";
import { Link } from "../app/router.js";
import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { regionLabel } from "./regions.js";

interface CaseHeaderProps {
  detail: CaseDetail;
  canUpdate: boolean;
  onChange(detail: CaseDetail): void;
}

/** Renders the case number, status, dates and person, with the close-case control. */
export function CaseHeader({ detail, canUpdate, onChange }: CaseHeaderProps) {
  const { t, label, date, number, locale } = useI18n();
  const person = detail.person;
  const none = t("common.none");
  const text = (value: string | number | null) =>
    value === null || value === "" ? none : String(value);

  return (
    <section className="case-header">
      <div className="case-title-row">
        <Link to="/cases" className="back-link">
          ← {t("case.back")}
        </Link>
        <h1 data-testid="case-number">{detail.caseNumber}</h1>
        <span className={`badge status-${detail.status}`}>
          {label("status", detail.status)}
        </span>
        {detail.state === null ? null : (
          <span className={`badge state-${detail.state}`}>
            {label("state", detail.state)}
          </span>
        )}
        <span className="case-org">{detail.organisation.name}</span>
        {canUpdate && detail.status === "open" ? (
          <CloseCaseControl caseId={detail.id} onClosed={onChange} />
        ) : null}
      </div>

      <div className="case-facts">
        <dl className="facts">
          <Fact term={t("case.person")}>{person.label}</Fact>
          {person.name === null ? null : (
            <Fact term={t("person.name")}>{person.name}</Fact>
          )}
          <Fact term={t("person.sex")}>
            {person.sex === null ? none : label("sex", person.sex)}
          </Fact>
          <Fact term={t("person.birthYear")}>{text(person.birthYear)}</Fact>
          <Fact term={t("person.home")}>
            {regionLabel(person.homeProvince, person.homeCity, locale) ?? none}
          </Fact>
          <Fact term={t("person.country")}>{text(person.country)}</Fact>
        </dl>
        <dl className="facts">
          {CASE_DATE_FIELDS.map((field) => (
            <Fact key={field} term={t(`case.${field}`)}>
              {date(detail[field])}
            </Fact>
          ))}
        </dl>
        <dl className="facts">
          <Fact term={t("case.region")}>
            {regionLabel(detail.province, detail.city, locale) ?? none}
          </Fact>
          <Fact term={t("case.infectionCase")}>
            {text(detail.infectionCase)}
          </Fact>
          <Fact term={t("case.infectedBy")}>{text(detail.infectedBy)}</Fact>
          <Fact term={t("case.contactCount")}>
            {detail.contactCount === null ? none : number(detail.contactCount)}
          </Fact>
          <Fact term={t("case.investigators")}>
            {(detail.investigators ?? [])
              .map((person) => person.displayName)
              .join(", ") || none}
          </Fact>
        </dl>
      </div>
    </section>
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

function CloseCaseControl({
  caseId,
  onClosed,
}: {
  caseId: string;
  onClosed(detail: CaseDetail): void;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [closedDate, setClosedDate] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!confirming) {
    return (
      <button
        type="button"
        className="close-case"
        onClick={() => setConfirming(true)}
      >
        {t("case.close")}
      </button>
    );
  }

  const close = async () => {
    setBusy(true);
    setError(null);
    try {
      onClosed(
        await api.closeCase(caseId, closedDate === "" ? undefined : closedDate),
      );
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  return (
    <div className="close-case-confirm">
      <label className="inline-field">
        {t("case.closeDate")}
        <input
          type="date"
          value={closedDate}
          onChange={(event) => setClosedDate(event.target.value)}
        />
      </label>
      <button
        type="button"
        className="danger"
        disabled={busy}
        onClick={() => void close()}
      >
        {t("case.closeConfirm")}
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() => setConfirming(false)}
      >
        {t("common.cancel")}
      </button>
      <ErrorMessage message={error} />
    </div>
  );
}
