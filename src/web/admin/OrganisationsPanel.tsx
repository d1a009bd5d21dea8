import { useState, type FormEvent } from "react";

import {
  api,
  ORGANISATION_KINDS,
  type NewOrganisation,
  type Organisation,
  type OrganisationKind,
} from "../api/index.js";
import { ErrorMessage, Field, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { PROVINCES } from "../cases/regions.js";

interface OrganisationsPanelProps {
  organisations: readonly Organisation[];
  canCreate: boolean;
  onCreated(): void;
}

/** Renders the organisations and, for users allowed to, a form to add one. */
export function OrganisationsPanel({
  organisations,
  canCreate,
  onCreated,
}: OrganisationsPanelProps) {
  const { t, label } = useI18n();
  return (
    <section className="organisations">
      <h2>{t("orgs.title")}</h2>
      {organisations.length === 0 ? (
        <p className="empty">{t("orgs.empty")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t("orgs.name")}</th>
              <th>{t("orgs.kind")}</th>
              <th>{t("orgs.jurisdiction")}</th>
            </tr>
          </thead>
          <tbody>
            {organisations.map((organisation) => (
              <tr key={organisation.id} data-testid="organisation-row">
                <td>{organisation.name}</td>
                <td>{label("orgKind", organisation.kind)}</td>
                <td className="mono">
                  {organisation.jurisdictionCode ?? t("common.none")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canCreate ? <CreateOrganisationForm onCreated={onCreated} /> : null}
    </section>
  );
}

function CreateOrganisationForm({ onCreated }: { onCreated(): void }) {
  const { t, label, locale } = useI18n();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<OrganisationKind>("health_office");
  const [jurisdictionCode, setJurisdictionCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    const input: NewOrganisation = { name: name.trim(), kind };
    if (jurisdictionCode.trim() !== "")
      input.jurisdictionCode = jurisdictionCode.trim();
    try {
      await api.createOrganisation(input);
      setName("");
      setJurisdictionCode("");
      onCreated();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel form-grid" onSubmit={(event) => void submit(event)}>
      <h2>{t("orgs.create")}</h2>
      <Field label={t("orgs.name")}>
        {(id) => (
          <input
            id={id}
            name="name"
            required
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>
      <Field label={t("orgs.kind")}>
        {(id) => (
          <select
            id={id}
            name="kind"
            value={kind}
            onChange={(event) =>
              setKind(event.target.value as OrganisationKind)
            }
          >
            {ORGANISATION_KINDS.map((value) => (
              <option key={value} value={value}>
                {label("orgKind", value)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("orgs.jurisdiction")} hint={t("orgs.jurisdictionHint")}>
        {(id) => (
          <>
            <input
              id={id}
              name="jurisdictionCode"
              list={`${id}-codes`}
              inputMode="numeric"
              value={jurisdictionCode}
              onChange={(event) => setJurisdictionCode(event.target.value)}
            />
            <datalist id={`${id}-codes`}>
              {PROVINCES.map((province) => (
                <option key={province.code} value={province.code}>
                  {locale === "ko" ? province.name : province.english}
                </option>
              ))}
            </datalist>
          </>
        )}
      </Field>
      <div className="form-footer">
        <ErrorMessage message={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t("orgs.create")}
        </button>
      </div>
    </form>
  );
}
