import { useState, type FormEvent } from "react";

import { api, type NewCase } from "../api/index.js";
import { navigate } from "../app/router.js";
import { ErrorMessage, Field, errorText } from "../app/ui.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { PROVINCES } from "./regions.js";

const DATE_FIELDS = [
  "symptomOnsetDate",
  "testDate",
  "confirmedDate",
  "isolationDate",
] as const;
type DateField = (typeof DATE_FIELDS)[number];

interface Draft {
  caseNumber: string;
  label: string;
  name: string;
  sex: string;
  birthYear: string;
  country: string;
  homeProvince: string;
  homeCity: string;
  province: string;
  city: string;
  dates: Record<DateField, string>;
}

const EMPTY_DRAFT: Draft = {
  caseNumber: "",
  label: "",
  name: "",
  sex: "",
  birthYear: "",
  country: "",
  homeProvince: "",
  homeCity: "",
  province: "",
  city: "",
  dates: {
    symptomOnsetDate: "",
    testDate: "",
    confirmedDate: "",
    isolationDate: "",
  },
};

const FIRST_BIRTH_YEAR = 1900;

/** Checks the form and builds the request body, leaving out empty fields. */
function buildCase(draft: Draft): { input: NewCase } | { error: MessageKey } {
  const caseNumber = draft.caseNumber.trim();
  if (caseNumber === "") return { error: "newCase.error.caseNumber" };

  const person: NewCase["person"] = {};
  const text = (value: string) => value.trim();
  if (text(draft.label) !== "") person.label = text(draft.label);
  if (text(draft.name) !== "") person.name = text(draft.name);
  if (draft.sex !== "") person.sex = draft.sex;
  if (text(draft.country) !== "") person.country = text(draft.country);
  if (draft.homeProvince !== "") person.homeProvince = draft.homeProvince;
  if (text(draft.homeCity) !== "") person.homeCity = text(draft.homeCity);
  if (text(draft.birthYear) !== "") {
    const year = Number(draft.birthYear);
    const valid =
      /^\d{4}$/.test(text(draft.birthYear)) &&
      year >= FIRST_BIRTH_YEAR &&
      year <= new Date().getFullYear();
    if (!valid) return { error: "newCase.error.birthYear" };
    person.birthYear = year;
  }

  const input: NewCase = { caseNumber, person };
  if (draft.province !== "") input.province = draft.province;
  if (text(draft.city) !== "") input.city = text(draft.city);
  for (const field of DATE_FIELDS) {
    if (draft.dates[field] !== "") input[field] = draft.dates[field];
  }
  return { input };
}

/** Registers a new case and opens it. */
export function NewCasePage() {
  const { t, locale } = useI18n();
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (change: Partial<Draft>) =>
    setDraft((current) => ({ ...current, ...change }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = buildCase(draft);
    if ("error" in result) {
      setError(t(result.error));
      return;
    }
    setBusy(true);
    try {
      const created = await api.createCase(result.input);
      navigate(`/cases/${encodeURIComponent(created.id)}`);
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  const textInput = (name: Exclude<keyof Draft, "dates">) => (id: string) => (
    <input
      id={id}
      name={name}
      value={draft[name]}
      onChange={(event) => set({ [name]: event.target.value })}
    />
  );
  const provinceSelect =
    (name: "province" | "homeProvince") => (id: string) => (
      <select
        id={id}
        name={name}
        value={draft[name]}
        onChange={(event) => set({ [name]: event.target.value })}
      >
        <option value="">{t("common.none")}</option>
        {PROVINCES.map((province) => (
          <option key={province.code} value={province.english}>
            {locale === "ko" ? province.name : province.english}
          </option>
        ))}
      </select>
    );

  return (
    <div className="new-case">
      <div className="page-header">
        <h1>{t("newCase.title")}</h1>
      </div>
      <form className="stack" onSubmit={(event) => void submit(event)}>
        <section className="panel form-grid">
          <h2>{t("newCase.case")}</h2>
          <Field label={t("newCase.caseNumber")}>
            {(id) => (
              <input
                id={id}
                name="caseNumber"
                required
                autoFocus
                value={draft.caseNumber}
                onChange={(event) => set({ caseNumber: event.target.value })}
              />
            )}
          </Field>
          <Field label={t("newCase.province")}>
            {provinceSelect("province")}
          </Field>
          <Field label={t("newCase.city")}>{textInput("city")}</Field>
          {DATE_FIELDS.map((field) => (
            <Field key={field} label={t(`case.${field}`)}>
              {(id) => (
                <input
                  id={id}
                  name={field}
                  type="date"
                  value={draft.dates[field]}
                  onChange={(event) =>
                    set({
                      dates: { ...draft.dates, [field]: event.target.value },
                    })
                  }
                />
              )}
            </Field>
          ))}
        </section>
        <section className="panel form-grid">
          <h2>{t("newCase.person")}</h2>
          <Field label={t("person.label")}>{textInput("label")}</Field>
          <Field label={t("person.name")}>{textInput("name")}</Field>
          <Field label={t("person.sex")}>
            {(id) => (
              <select
                id={id}
                name="sex"
                value={draft.sex}
                onChange={(event) => set({ sex: event.target.value })}
              >
                <option value="">{t("common.none")}</option>
                <option value="male">{t("sex.male")}</option>
                <option value="female">{t("sex.female")}</option>
              </select>
            )}
          </Field>
          <Field label={t("person.birthYear")}>
            {(id) => (
              <input
                id={id}
                name="birthYear"
                inputMode="numeric"
                maxLength={4}
                value={draft.birthYear}
                onChange={(event) => set({ birthYear: event.target.value })}
              />
            )}
          </Field>
          <Field label={t("person.country")}>{textInput("country")}</Field>
          <Field label={t("person.homeProvince")}>
            {provinceSelect("homeProvince")}
          </Field>
          <Field label={t("person.homeCity")}>{textInput("homeCity")}</Field>
        </section>
        <ErrorMessage message={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t("common.saving") : t("newCase.submit")}
          </button>
        </div>
      </form>
    </div>
  );
}
