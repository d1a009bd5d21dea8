import { useState, type FormEvent } from "react";

import { api, ApiError, type SecondFactorProof } from "../api/index.js";
import { ErrorMessage, Field, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { AuthFrame } from "./LoginPage.js";
import { useSession } from "./session.js";

/** Error codes after which the session is gone, so only a new login helps. */
const SESSION_ENDED = new Set(["account_locked", "authentication_required"]);

/** Renders the second login step: a code of the authenticator app, or a recovery code. */
export function SecondFactorPage() {
  const { t } = useI18n();
  const { accept, logout } = useSession();
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [ended, setEnded] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const proof: SecondFactorProof = useRecoveryCode
      ? { recoveryCode: value.trim() }
      : { code: value.replace(/\s/g, "") };
    try {
      accept(await api.completeSecondFactor(proof));
    } catch (caught) {
      setError(errorText(caught));
      setEnded(caught instanceof ApiError && SESSION_ENDED.has(caught.code));
      setValue("");
      setBusy(false);
    }
  };

  const switchMode = () => {
    setUseRecoveryCode(!useRecoveryCode);
    setValue("");
    setError(null);
  };

  if (ended) {
    return (
      <AuthFrame title={t("secondFactor.title")}>
        <ErrorMessage message={error} />
        <button type="button" className="primary" onClick={() => void logout()}>
          {t("secondFactor.backToLogin")}
        </button>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title={t("secondFactor.title")}>
      <p className="muted">
        {useRecoveryCode
          ? t("secondFactor.recoveryIntro")
          : t("secondFactor.intro")}
      </p>
      <form className="stack" onSubmit={(event) => void submit(event)}>
        {useRecoveryCode ? (
          <Field label={t("secondFactor.recoveryCode")}>
            {(id) => (
              <input
                id={id}
                name="recoveryCode"
                autoComplete="off"
                required
                autoFocus
                value={value}
                onChange={(event) => setValue(event.target.value)}
              />
            )}
          </Field>
        ) : (
          <Field label={t("secondFactor.code")}>
            {(id) => (
              <input
                id={id}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9 ]{6,7}"
                maxLength={7}
                required
                autoFocus
                value={value}
                onChange={(event) => setValue(event.target.value)}
              />
            )}
          </Field>
        )}
        <ErrorMessage message={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t("secondFactor.submit")}
          </button>
          <button type="button" onClick={() => void logout()}>
            {t("nav.logout")}
          </button>
        </div>
        <button type="button" className="link-button" onClick={switchMode}>
          {useRecoveryCode
            ? t("secondFactor.useCode")
            : t("secondFactor.useRecoveryCode")}
        </button>
      </form>
    </AuthFrame>
  );
}
