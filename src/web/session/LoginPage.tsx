import { useState, type FormEvent, type ReactNode } from "react";

import { api } from "../api/index.js";
import { navigate, useLocation } from "../app/router.js";
import { ErrorMessage, Field, LanguageSwitch, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { useSession } from "./session.js";

/** Returns the in-app path to open after login, ignoring anything that leaves the app. */
function nextPath(search: string): string {
  const next = new URLSearchParams(search).get("next");
  const isAppPath =
    next !== null && next.startsWith("/") && !next.startsWith("//");
  return isAppPath ? next : "/";
}

/** Renders the username and password form, with the server's message when login fails. */
export function LoginPage() {
  const { t } = useI18n();
  const { accept } = useSession();
  const { search } = useLocation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // A half-open session shows its next step on whatever path it opens.
      accept(await api.login(username, password));
      navigate(nextPath(search), { replace: true });
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={t("login.title")}>
      <form className="stack" onSubmit={(event) => void submit(event)}>
        <Field label={t("login.username")}>
          {(id) => (
            <input
              id={id}
              name="username"
              autoComplete="username"
              required
              autoFocus
              value={username}
              onChange={(event) => setUsername(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("login.password")}>
          {(id) => (
            <input
              id={id}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          )}
        </Field>
        <ErrorMessage message={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("login.submitting") : t("login.submit")}
        </button>
      </form>
    </AuthFrame>
  );
}

/** Renders the centred card around the login, password-change and second-factor forms. */
export function AuthFrame({
  title,
  children,
}: {
  title: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <main className="auth-page">
      <section className="auth-card">
        <header className="auth-header">
          <div>
            <div className="brand">epitrace</div>
            <div className="brand-tagline">{t("app.tagline")}</div>
          </div>
          <LanguageSwitch />
        </header>
        <h1>{title}</h1>
        {children}
      </section>
    </main>
  );
}
