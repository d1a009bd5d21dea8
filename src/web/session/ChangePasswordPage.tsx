import { useState, type FormEvent } from "react";

import { api } from "../api/index.js";
import { Link } from "../app/router.js";
import { ErrorMessage, Field, SuccessMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { AuthFrame } from "./LoginPage.js";
import { useSession } from "./session.js";

interface ChangePasswordPageProps {
  /** True for a change the user chose from the user menu, false for the change a one-time password forces. */
  voluntary?: boolean;
}

/**
 * Renders the change of one's own password: the one a user with a
 * one-time password must make first, or a voluntary one inside the app.
 */
export function ChangePasswordPage({
  voluntary = false,
}: ChangePasswordPageProps) {
  const { t } = useI18n();
  const { refresh, logout } = useSession();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (newPassword !== confirmation) {
      setError(t("password.mismatch"));
      return;
    }
    setBusy(true);
    setError(null);
    setChanged(false);
    try {
      await api.changePassword(currentPassword, newPassword);
      if (voluntary) {
        setCurrentPassword("");
        setNewPassword("");
        setConfirmation("");
        setChanged(true);
        setBusy(false);
      } else {
        await refresh();
      }
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  const form = (
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
      <SuccessMessage message={changed ? t("password.changed") : null} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t("password.submit")}
        </button>
        {voluntary ? (
          <Link to="/">{t("common.cancel")}</Link>
        ) : (
          <button type="button" onClick={() => void logout()}>
            {t("nav.logout")}
          </button>
        )}
      </div>
    </form>
  );

  if (voluntary) {
    return (
      <section className="account-page">
        <h1>{t("password.title")}</h1>
        <p className="muted">{t("password.voluntaryIntro")}</p>
        {form}
      </section>
    );
  }
  return (
    <AuthFrame title={t("password.title")}>
      <p className="muted">{t("password.intro")}</p>
      {form}
    </AuthFrame>
  );
}
