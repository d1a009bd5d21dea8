import { useState, type FormEvent } from "react";

import { api, ROLES, type Organisation, type Role } from "../api/index.js";
import { ErrorMessage, Field, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";

/** A one-time password that the server returned, shown to the administrator once. */
export interface IssuedPassword {
  username: string;
  password: string;
}

/** Renders a one-time password until the administrator dismisses it. */
export function OneTimePassword({
  issued,
  onDismiss,
}: {
  issued: IssuedPassword;
  onDismiss(): void;
}) {
  const { t } = useI18n();
  return (
    <div className="one-time-password" role="status">
      <p>{t("users.oneTimePassword", { username: issued.username })}</p>
      <code data-testid="one-time-password">{issued.password}</code>
      <button type="button" onClick={onDismiss}>
        {t("users.dismiss")}
      </button>
    </div>
  );
}

interface CreateUserFormProps {
  organisations: readonly Organisation[];
  onCreated(issued: IssuedPassword): void;
}

/** Renders the form that creates an account, whose response carries its one-time password. */
export function CreateUserForm({
  organisations,
  onCreated,
}: CreateUserFormProps) {
  const { t, label } = useI18n();
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [role, setRole] = useState<Role>("investigator");
  const [organisationId, setOrganisationId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const created = await api.createUser({
        username: username.trim(),
        displayName: displayName.trim(),
        role,
        organisationId,
      });
      onCreated({
        username: created.user.username,
        password: created.oneTimePassword,
      });
      setUsername("");
      setDisplayName("");
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel form-grid" onSubmit={(event) => void submit(event)}>
      <h2>{t("users.create")}</h2>
      <Field label={t("users.username")}>
        {(id) => (
          <input
            id={id}
            name="username"
            required
            autoComplete="off"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        )}
      </Field>
      <Field label={t("users.displayName")}>
        {(id) => (
          <input
            id={id}
            name="displayName"
            required
            value={displayName}
            onChange={(event) => setDisplayName(event.target.value)}
          />
        )}
      </Field>
      <Field label={t("users.role")}>
        {(id) => (
          <select
            id={id}
            name="role"
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
          >
            {ROLES.map((value) => (
              <option key={value} value={value}>
                {label("role", value)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("users.organisation")}>
        {(id) => (
          <select
            id={id}
            name="organisationId"
            required
            value={organisationId}
            onChange={(event) => setOrganisationId(event.target.value)}
          >
            <option value="">{t("users.selectOrganisation")}</option>
            {organisations.map((organisation) => (
              <option key={organisation.id} value={organisation.id}>
                {organisation.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="form-footer">
        <ErrorMessage message={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t("users.create")}
        </button>
      </div>
    </form>
  );
}
