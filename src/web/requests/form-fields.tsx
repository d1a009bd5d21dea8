import type { ReactNode } from "react";

import { ErrorMessage, Field } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { seoulToday } from "./window.js";

export interface WindowFieldsProps {
  /** Earliest start date the form offers, as YYYY-MM-DD. */
  earliestStart: string;
  startDate: string;
  endDate: string;
  startHint?: string;
  endHint?: string;
  onStartChange(value: string): void;
  onEndChange(value: string): void;
}

/** Renders the start and end date inputs of a request window, which ends today in Seoul at the latest. */
export function WindowFields(props: WindowFieldsProps) {
  const { t } = useI18n();
  return (
    <>
      <Field
        label={t("requests.windowStart")}
        {...(props.startHint === undefined ? {} : { hint: props.startHint })}
      >
        {(id) => (
          <input
            id={id}
            name="windowStartDate"
            type="date"
            min={props.earliestStart}
            max={seoulToday()}
            value={props.startDate}
            onChange={(event) => props.onStartChange(event.target.value)}
          />
        )}
      </Field>
      <Field
        label={t("requests.windowEnd")}
        {...(props.endHint === undefined ? {} : { hint: props.endHint })}
      >
        {(id) => (
          <input
            id={id}
            name="windowEndDate"
            type="date"
            min={props.startDate}
            max={seoulToday()}
            value={props.endDate}
            onChange={(event) => props.onEndChange(event.target.value)}
          />
        )}
      </Field>
    </>
  );
}

/** Renders the text area for the purpose of a request, at most 2000 characters. */
export function PurposeField({
  value,
  onChange,
}: {
  value: string;
  onChange(value: string): void;
}) {
  const { t } = useI18n();
  return (
    <Field label={t("requests.purpose")} className="wide">
      {(id) => (
        <textarea
          id={id}
          name="purpose"
          rows={2}
          maxLength={2000}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * Renders the footer of a request form: the error, a cancel button, any
 * further buttons in `children`, and the button that creates and submits
 * the request. Every button is disabled while `busy`.
 */
export function RequestFormFooter({
  error,
  busy,
  onCancel,
  submitTestId,
  children,
}: {
  error: string | null;
  busy: boolean;
  onCancel(): void;
  submitTestId: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="form-footer">
      <ErrorMessage message={error} />
      <button type="button" onClick={onCancel} disabled={busy}>
        {t("common.cancel")}
      </button>
      {children}
      <button
        type="submit"
        className="primary"
        data-testid={submitTestId}
        disabled={busy}
      >
        {t("requests.createAndSubmit")}
      </button>
    </div>
  );
}
