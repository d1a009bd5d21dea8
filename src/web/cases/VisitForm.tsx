import { useEffect, useState, type FormEvent } from "react";

import { api, type Movement } from "../api/index.js";
import { ErrorMessage, Field, SuccessMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import {
  buildVisit,
  EMPTY_VISIT_DRAFT,
  type VisitDraft,
} from "./visit-input.js";

interface VisitFormProps {
  caseId: string;
  picking: boolean;
  onPickingChange(picking: boolean): void;
  /** The last position clicked on the map while picking. */
  pickedPosition: { latitude: number; longitude: number } | null;
  onAdded(movement: Movement): void;
}

/** Renders the form for a visit reported in the interview. */
export function VisitForm(props: VisitFormProps) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<VisitDraft>(EMPTY_VISIT_DRAFT);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (change: Partial<VisitDraft>) =>
    setDraft((current) => ({ ...current, ...change }));

  const picked = props.pickedPosition;
  useEffect(() => {
    if (picked === null) return;
    setDraft((current) => ({
      ...current,
      latitude: picked.latitude.toFixed(6),
      longitude: picked.longitude.toFixed(6),
    }));
  }, [picked]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    const result = buildVisit(draft);
    if ("error" in result) {
      setError(t(result.error));
      return;
    }
    setBusy(true);
    try {
      props.onAdded(await api.addVisit(props.caseId, result.visit));
      setDraft(EMPTY_VISIT_DRAFT);
      props.onPickingChange(false);
      setNotice(t("visit.added"));
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  const input =
    (
      name: keyof VisitDraft,
      type = "text",
      extra: Record<string, string> = {},
    ) =>
    (id: string) => (
      <input
        id={id}
        name={name}
        type={type}
        value={draft[name]}
        onChange={(event) => set({ [name]: event.target.value })}
        {...extra}
      />
    );

  return (
    <form
      className="panel form-grid visit-form"
      onSubmit={(event) => void submit(event)}
    >
      <h2>{t("visit.title")}</h2>
      <Field label={t("visit.placeName")} className="wide">
        {input("placeName")}
      </Field>
      <Field label={t("visit.latitude")}>
        {input("latitude", "text", { inputMode: "decimal" })}
      </Field>
      <Field label={t("visit.longitude")}>
        {input("longitude", "text", { inputMode: "decimal" })}
      </Field>
      <div className="field">
        <span className="field-label-spacer" aria-hidden="true" />
        <button
          type="button"
          aria-pressed={props.picking}
          className={props.picking ? "active" : undefined}
          onClick={() => props.onPickingChange(!props.picking)}
        >
          {props.picking ? t("visit.picking") : t("visit.pick")}
        </button>
      </div>
      <Field label={t("visit.address")} className="wide">
        {input("address")}
      </Field>
      <fieldset className="wide time-mode">
        <legend>{t("visit.when")}</legend>
        {(["date", "interval"] as const).map((mode) => (
          <label key={mode} className="radio">
            <input
              type="radio"
              name="mode"
              value={mode}
              checked={draft.mode === mode}
              onChange={() => set({ mode })}
            />
            {t(mode === "date" ? "visit.mode.date" : "visit.mode.interval")}
          </label>
        ))}
      </fieldset>
      {draft.mode === "date" ? (
        <Field label={t("visit.date")}>{input("visitDate", "date")}</Field>
      ) : (
        <>
          <Field label={t("visit.arrival")}>
            {input("arrival", "datetime-local")}
          </Field>
          <Field label={t("visit.departure")}>
            {input("departure", "datetime-local")}
          </Field>
        </>
      )}
      <Field label={t("visit.note")} className="wide">
        {(id) => (
          <textarea
            id={id}
            name="note"
            rows={2}
            value={draft.note}
            onChange={(event) => set({ note: event.target.value })}
          />
        )}
      </Field>
      <div className="form-footer">
        <ErrorMessage message={error} />
        <SuccessMessage message={notice} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("common.saving") : t("visit.submit")}
        </button>
      </div>
    </form>
  );
}
