import { useEffect, useState, type FormEvent } from "react";

import {
  api,
  type EnrolmentConfirmation,
  type EnrolmentStart,
} from "../api/index.js";
import { navigate } from "../app/router.js";
import { ErrorMessage, Field, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { AuthFrame } from "./LoginPage.js";
import { useSession } from "./session.js";

interface EnrolmentPageProps {
  /** True when a user whose role does not require a second factor sets one up from the user menu. */
  voluntary?: boolean;
}

/**
 * Renders the enrolment of a TOTP second factor: the secret and its
 * otpauth:// URI for an authenticator app, the confirmation with a code,
 * and the recovery codes, which are shown only here.
 */
export function EnrolmentPage({ voluntary = false }: EnrolmentPageProps) {
  const { t } = useI18n();
  const { accept, logout } = useSession();
  const [started, setStarted] = useState<EnrolmentStart | null>(null);
  const [confirmed, setConfirmed] = useState<EnrolmentConfirmation | null>(
    null,
  );
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    api.startEnrolment().then(
      (start) => current && setStarted(start),
      (caught: unknown) => current && setError(errorText(caught)),
    );
    return () => {
      current = false;
    };
  }, []);

  const finish = () => {
    if (confirmed !== null) {
      accept(confirmed);
    }
    if (voluntary) {
      navigate("/");
    }
  };

  let body;
  if (confirmed !== null) {
    body = <RecoveryCodes codes={confirmed.recoveryCodes} onDone={finish} />;
  } else if (started === null) {
    body = error === null ? <p>{t("common.loading")}</p> : null;
  } else {
    body = <SecretAndCode start={started} onConfirmed={setConfirmed} />;
  }

  const content = (
    <>
      <p className="muted">
        {voluntary ? t("enrolment.voluntaryIntro") : t("enrolment.intro")}
      </p>
      <ErrorMessage message={error} />
      {body}
      {voluntary || confirmed !== null ? null : (
        <div className="actions">
          <button type="button" onClick={() => void logout()}>
            {t("nav.logout")}
          </button>
        </div>
      )}
    </>
  );

  if (voluntary) {
    return (
      <section className="account-page">
        <h1>{t("enrolment.title")}</h1>
        {content}
      </section>
    );
  }
  return <AuthFrame title={t("enrolment.title")}>{content}</AuthFrame>;
}

interface SecretAndCodeProps {
  start: EnrolmentStart;
  onConfirmed(confirmation: EnrolmentConfirmation): void;
}

/** Shows the secret and requests the first code it produces. */
function SecretAndCode({ start, onConfirmed }: SecretAndCodeProps) {
  const { t } = useI18n();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onConfirmed(await api.confirmEnrolment(code.replace(/\s/g, "")));
    } catch (caught) {
      setError(errorText(caught));
      setCode("");
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(event) => void submit(event)}>
      <div className="field">
        <span>{t("enrolment.secret")}</span>
        <code className="mono" data-testid="totp-secret">
          {groupsOfFour(start.secret)}
        </code>
      </div>
      <div className="field">
        <span>{t("enrolment.uri")}</span>
        <code
          className="mono"
          data-testid="totp-uri"
          style={{ wordBreak: "break-all" }}
        >
          {start.uri}
        </code>
        <small className="hint">{t("enrolment.uriHint")}</small>
      </div>
      <Field label={t("enrolment.code")}>
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
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
        )}
      </Field>
      <ErrorMessage message={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t("enrolment.submit")}
        </button>
      </div>
    </form>
  );
}

/** Shows the recovery codes once, until the user says they are stored. */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }) {
  const { t } = useI18n();
  return (
    <div className="stack">
      <p className="message message-success" role="status">
        {t("enrolment.done")}
      </p>
      <p>{t("enrolment.recoveryIntro")}</p>
      <ol className="mono" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="actions">
        <button
          type="button"
          className="primary"
          data-testid="recovery-codes-done"
          onClick={onDone}
        >
          {t("enrolment.recoveryDone")}
        </button>
      </div>
    </div>
  );
}

/** Splits a secret into groups of four characters, for reading it off the screen. */
function groupsOfFour(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}
