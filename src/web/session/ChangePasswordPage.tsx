import { useState, type FormEvent } from "react";

import { api } from "../api/index.js";
import { ErrorMessage, Field, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { AuthFrame } from "./LoginPage.js";
import { useSession } from "./session.js";

/** Renders the password change that a user with a one-time password must make first. */
export function ChangePasswordPage() {
  const { t } = useI18n();
  const { refresh, logout } = useSession();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (newPassword !== confirmation) {
      setError(t("password.mismatch"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.changePassword(currentPassword, newPassword);
      await refresh();
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={t("password.title")}>
      <p className="muted">{t("password.intro")}</p>
      <form className="stack" onSubmit={(event) => void submit(event)}>
        <Field label={t("password.current")}>
          {(id) => (
            <input
              id={id}
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              required
              autoFocus
              value={currentPassword}
              onChange={(event) => setCurrentPassword(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("password.new")} hint={t("password.rule")}>
          {(id) => (
            <input
              id={id}
              name="newPassword"
              type="password"
              autoComplete="new-password"
              required
              value={newPassword}
              onChange={(event) => setNewPassword(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("password.confirm")}>
          {(id) => (
            <input
              id={id}
              name="confirmPassword"
              type="password"
              autoComplete="new-password"
              required
              value={confirmation}
              onChange={(event) => setConfirmation(event.target.value)}
            />
          )}
        </Field>
        <ErrorMessage message={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t("password.submit")}
          </button>
          <button type="button" onClick={() => void logout()}>
            {t("nav.logout")}
          </button>
        </div>
      </form>
    </AuthFrame>
  );
}
