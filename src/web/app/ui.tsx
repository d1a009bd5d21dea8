import { useEffect, useId, type ReactNode } from "react";

import { useI18n, type Locale } from "../i18n/index.js";
import { navigate } from "./router.js";

/** Replaces the current location, for routes that only forward elsewhere. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return null;
}

interface FieldProps {
  label: string;
  hint?: string;
  className?: string;
  /** Renders the control with the id that the label points to. */
  children: (id: string) => ReactNode;
}

/** Renders a labelled form control with an optional hint below it. */
export function Field({ label, hint, className, children }: FieldProps) {
  const id = useId();
  return (
    <div className={className === undefined ? "field" : `field ${className}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint === undefined ? null : <small className="hint">{hint}</small>}
    </div>
  );
}

/** Renders an error message box, or nothing when there is no message. */
export function ErrorMessage({ message }: { message: string | null }) {
  if (message === null) {
    return null;
  }
  return (
    <p className="message message-error" role="alert">
      {message}
    </p>
  );
}

/** Renders a confirmation message box, or nothing when there is no message. */
export function SuccessMessage({ message }: { message: string | null }) {
  if (message === null) {
    return null;
  }
  return (
    <p className="message message-success" role="status">
      {message}
    </p>
  );
}

/** Renders the toggle between Korean and English. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  const options: { value: Locale; label: string }[] = [
    { value: "ko", label: "한국어" },
    { value: "en", label: "English" },
  ];
  return (
    <div
      className="language-switch"
      role="group"
      aria-label={t("nav.language")}
    >
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          lang={option.value}
          aria-pressed={locale === option.value}
          className={locale === option.value ? "active" : undefined}
          onClick={() => setLocale(option.value)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}

/** Returns the message of a caught error for display. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
