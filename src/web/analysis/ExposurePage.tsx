import { useMemo, useState, type FormEvent } from "react";

import { Link } from "../app/router.js";
import { ErrorMessage, Field, errorText } from "../app/ui.js";
import { seoulLocalToInstant } from "../i18n/format.js";
import { useI18n } from "../i18n/index.js";
import { circlePolygon } from "../map/geometry.js";
import { analysisApi } from "./api.js";
import { AnalysisMap, type AnalysisFeature } from "./AnalysisMap.js";
import { formatDecimal, formatInterval } from "./format.js";
import type { ExposureQuery, ExposureResult, PersonRef } from "./types.js";

/** Radius factors of the lighter circles drawn around the query, as the server's looser settings use them. */
const LOOSER_FACTORS = [2, 4];

interface FormState {
  latitude: string;
  longitude: string;
  radiusMeters: string;
  from: string;
  to: string;
  minDwellMinutes: string;
}

const INITIAL_FORM: FormState = {
  latitude: "",
  longitude: "",
  radiusMeters: "50",
  from: "",
  to: "",
  minDwellMinutes: "30",
};

/**
 * Renders the exposure query: a place (picked on the map or typed) and a
 * window in Seoul time, the persons present by label, and what looser
 * settings would add.
 */
export function ExposurePage() {
  const { t } = useI18n();
  const [form, setForm] = useState<FormState>(INITIAL_FORM);
  const [result, setResult] = useState<ExposureResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const set = (field: keyof FormState) => (value: string) =>
    setForm((current) => ({ ...current, [field]: value }));
  const query = queryOf(form);
  const features = useMemo(() => placeFeatures(form), [form]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (query === null) {
      setError(t("exposure.invalid"));
      return;
    }
    setRunning(true);
    setError(null);
    try {
      setResult(await analysisApi.queryExposure(query));
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className="analysis-page exposure-page">
      <div className="page-header">
        <h1>{t("exposure.title")}</h1>
        <span className="muted">{t("exposure.intro")}</span>
      </div>
      <form
        className="panel form-grid exposure-form"
        onSubmit={(event) => void submit(event)}
      >
        <NumberField
          label={t("exposure.latitude")}
          name="latitude"
          value={form.latitude}
          onChange={set("latitude")}
        />
        <NumberField
          label={t("exposure.longitude")}
          name="longitude"
          value={form.longitude}
          onChange={set("longitude")}
        />
        <NumberField
          label={t("exposure.radius")}
          name="radiusMeters"
          value={form.radiusMeters}
          onChange={set("radiusMeters")}
        />
        <NumberField
          label={t("exposure.minDwell")}
          name="minDwellMinutes"
          value={form.minDwellMinutes}
          onChange={set("minDwellMinutes")}
        />
        <Field label={t("exposure.from")}>
          {(id) => (
            <input
              id={id}
              type="datetime-local"
              name="from"
              value={form.from}
              onChange={(event) => set("from")(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("exposure.to")}>
          {(id) => (
            <input
              id={id}
              type="datetime-local"
              name="to"
              value={form.to}
              onChange={(event) => set("to")(event.target.value)}
            />
          )}
        </Field>
        <div className="form-footer">
          <span className="muted">{t("exposure.pickHint")}</span>
          <ErrorMessage message={error} />
          <button type="submit" className="primary" disabled={running}>
            {running ? t("common.loading") : t("exposure.submit")}
          </button>
        </div>
      </form>
      <div className="analysis-body">
        <AnalysisMap
          features={features}
          fitKey={`${form.latitude} ${form.longitude} ${form.radiusMeters}`}
          onPick={(position) =>
            setForm((current) => ({
              ...current,
              latitude: position.latitude.toFixed(6),
              longitude: position.longitude.toFixed(6),
            }))
          }
          legend={<ExposureLegend />}
          testId="exposure-map"
        />
        <div className="analysis-table-panel">
          {result === null ? (
            <p className="empty">{t("exposure.noResult")}</p>
          ) : (
            <ExposureResultView result={result} />
          )}
        </div>
      </div>
    </div>
  );
}

interface NumberFieldProps {
  label: string;
  name: string;
  value: string;
  onChange(value: string): void;
}

function NumberField({ label, name, value, onChange }: NumberFieldProps) {
  return (
    <Field label={label}>
      {(id) => (
        <input
          id={id}
          name={name}
          inputMode="decimal"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** Builds the request from the form, or returns null while a field is missing or invalid. */
function queryOf(form: FormState): ExposureQuery | null {
  const latitude = Number(form.latitude);
  const longitude = Number(form.longitude);
  const radiusMeters = Number(form.radiusMeters);
  const minDwellMinutes = Number(form.minDwellMinutes);
  const from = seoulLocalToInstant(form.from);
  const to = seoulLocalToInstant(form.to);
  const valid =
    form.latitude.trim() !== "" &&
    form.longitude.trim() !== "" &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180 &&
    radiusMeters > 0 &&
    minDwellMinutes >= 0 &&
    from !== null &&
    to !== null;
  if (!valid) {
    return null;
  }
  return { latitude, longitude, radiusMeters, minDwellMinutes, from, to };
}

/** Builds the query's circle, and lighter circles at the radii of the looser settings. */
function placeFeatures(form: FormState): AnalysisFeature[] {
  const latitude = Number(form.latitude);
  const longitude = Number(form.longitude);
  const radius = Number(form.radiusMeters);
  if (
    form.latitude.trim() === "" ||
    form.longitude.trim() === "" ||
    !(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180 && radius > 0)
  ) {
    return [];
  }
  const looser: AnalysisFeature[] = LOOSER_FACTORS.map((factor) => ({
    type: "Feature",
    geometry: circlePolygon(longitude, latitude, radius * factor),
    properties: {
      id: `looser-${factor}`,
      fill: "#1f5fbf",
      outline: "#7d9fd6",
      opacity: 0.04,
      outlineWidth: 1,
    },
  }));
  return [
    ...looser.reverse(),
    {
      type: "Feature",
      geometry: circlePolygon(longitude, latitude, radius),
      properties: {
        id: "query",
        fill: "#1f5fbf",
        outline: "#17498f",
        opacity: 0.25,
        outlineWidth: 2,
      },
    },
    {
      type: "Feature",
      geometry: { type: "Point", coordinates: [longitude, latitude] },
      properties: {
        id: "centre",
        fill: "#17498f",
        outline: "#ffffff",
        opacity: 1,
        outlineWidth: 2,
      },
    },
  ];
}

function ExposureLegend() {
  const { t } = useI18n();
  return (
    <>
      <span className="legend-item">
        <span className="legend-swatch uncertainty" />
        {t("exposure.legend.place")}
      </span>
      <span className="legend-item">
        <span className="legend-swatch looser-swatch" />
        {t("exposure.legend.looser")}
      </span>
    </>
  );
}

function PersonLabel({ person }: { person: PersonRef }) {
  return person.case === null ? (
    <span>{person.label}</span>
  ) : (
    <Link to={`/cases/${encodeURIComponent(person.case.id)}`}>
      {person.label}
    </Link>
  );
}

function ExposureResultView({ result }: { result: ExposureResult }) {
  const { t, number, locale, date } = useI18n();
  return (
    <div className="exposure-result" data-testid="exposure-result">
      <p>
        {t("exposure.summary", {
          count: number(result.persons.length),
          radius: number(result.radiusMeters),
          minutes: number(result.minimumDwellMinutes),
          window: formatInterval(result.from, result.to, locale),
        })}
      </p>
      {result.persons.length === 0 ? (
        <p className="muted">{t("exposure.none")}</p>
      ) : (
        <table className="data-table" data-testid="exposure-table">
          <thead>
            <tr>
              <th>{t("exposure.column.person")}</th>
              <th>{t("exposure.column.minutes")}</th>
              <th>{t("exposure.column.when")}</th>
            </tr>
          </thead>
          <tbody>
            {result.persons.map((entry) => (
              <tr key={entry.person.id} data-testid="exposure-row">
                <td>
                  <PersonLabel person={entry.person} />
                </td>
                <td className="numeric">
                  {t("contacts.minutesPossible", {
                    minutes: formatDecimal(entry.minutes, locale),
                    possible: formatDecimal(entry.possibleMinutes, locale),
                  })}
                </td>
                <td>
                  {formatInterval(entry.firstSeenAt, entry.lastSeenAt, locale)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.dayLevelPersons.length === 0 ? null : (
        <>
          <h3>{t("exposure.dayLevel")}</h3>
          <ul className="plain-list">
            {result.dayLevelPersons.map((entry) => (
              <li key={entry.person.id}>
                <PersonLabel person={entry.person} /> ·{" "}
                {entry.dates.map((day) => date(day)).join(", ")}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t("exposure.looser")}</h3>
      <table className="data-table" data-testid="looser-table">
        <thead>
          <tr>
            <th>{t("exposure.radius")}</th>
            <th>{t("exposure.minDwell")}</th>
            <th>{t("exposure.column.found")}</th>
            <th>{t("exposure.column.added")}</th>
          </tr>
        </thead>
        <tbody>
          {result.looserSettings.map((setting) => (
            <tr
              key={`${setting.radiusMeters ?? "polygon"} ${setting.minimumDwellMinutes}`}
            >
              <td className="numeric">
                {setting.radiusMeters === null
                  ? t("common.none")
                  : number(setting.radiusMeters)}
              </td>
              <td className="numeric">{number(setting.minimumDwellMinutes)}</td>
              <td className="numeric">{number(setting.personCount)}</td>
              <td className="numeric">+{number(setting.addedCount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
