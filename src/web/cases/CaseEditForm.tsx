import { useState, type FormEvent } from "react";

import {
  api,
  CASE_DATE_FIELDS,
  type CaseDetail,
  type CaseStatus,
  type CaseUpdate,
} from "../api/index.js";
import { ErrorMessage, Field, SuccessMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";

/** Dates editable through PATCH. The closed date is set by closing the case. */
const EDITABLE_DATES = CASE_DATE_FIELDS.filter(
  (field) => field !== "closedDate",
);
type EditableDate = (typeof EDITABLE_DATES)[number];

const STATES = ["isolated", "released", "deceased"];

interface Draft {
  dates: Record<EditableDate, string>;
  state: string;
  status: CaseStatus;
}

function draftOf(detail: CaseDetail): Draft {
  const dates = Object.fromEntries(
    EDITABLE_DATES.map((field) => [field, detail[field] ?? ""]),
  ) as Record<EditableDate, string>;
  return { dates, state: detail.state ?? "", status: detail.status };
}

/** Returns only the fields that differ from the case, with an emptied date as null. */
function changesOf(detail: CaseDetail, draft: Draft): CaseUpdate {
  const update: CaseUpdate = {};
  for (const field of EDITABLE_DATES) {
    const value = draft.dates[field] === "" ? null : draft.dates[field];
    if (value !== detail[field]) update[field] = value;
  }
  const state = draft.state === "" ? null : draft.state;
  if (state !== detail.state) update.state = state;
  if (draft.status !== detail.status) update.status = draft.status;
  return update;
}

interface CaseEditFormProps {
  detail: CaseDetail;
  onSaved(detail: CaseDetail): void;
}

/** Renders the form that corrects a case's dates, clinical state and investigation status. */
export function CaseEditForm({ detail, onSaved }: CaseEditFormProps) {
  const { t, label } = useI18n();
  const [draft, setDraft] = useState(() => draftOf(detail));
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const setDate = (field: EditableDate, value: string) =>
    setDraft((current) => ({
      ...current,
      dates: { ...current.dates, [field]: value },
    }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    const update = changesOf(detail, draft);
    if (Object.keys(update).length === 0) {
      setNotice(t("case.unchanged"));
      return;
    }
    setBusy(true);
    try {
      const saved = await api.updateCase(detail.id, update);
      setDraft(draftOf(saved));
      onSaved(saved);
      setNotice(t("common.saved"));
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel form-grid" onSubmit={(event) => void submit(event)}>
      <h2>{t("case.edit")}</h2>
      {EDITABLE_DATES.map((field) => (
        <Field key={field} label={t(`case.${field}`)}>
          {(id) => (
            <input
              id={id}
              name={field}
              type="date"
              value={draft.dates[field]}
              onChange={(event) => setDate(field, event.target.value)}
            />
          )}
        </Field>
      ))}
      <Field label={t("case.state")}>
        {(id) => (
          <select
            id={id}
            name="state"
            value={draft.state}
            onChange={(event) =>
              setDraft({ ...draft, state: event.target.value })
            }
          >
            <option value="">{t("common.none")}</option>
            {STATES.map((state) => (
              <option key={state} value={state}>
                {label("state", state)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("case.status")}>
        {(id) => (
          <select
            id={id}
            name="status"
            value={draft.status}
            onChange={(event) =>
              setDraft({ ...draft, status: event.target.value as CaseStatus })
            }
          >
            <option value="open">{t("status.open")}</option>
            <option value="closed">{t("status.closed")}</option>
          </select>
        )}
      </Field>
      <div className="form-footer">
        <ErrorMessage message={error} />
        <SuccessMessage message={notice} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("common.saving") : t("common.save")}
        </button>
      </div>
    </form>
  );
}
