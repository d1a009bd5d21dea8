import { useMemo, useState, type FormEvent } from "react";

import { ErrorMessage, Field, errorText } from "../app/ui.js";
import { seoulLocalToInstant } from "../i18n/format.js";
import { useI18n } from "../i18n/index.js";
import { analysisApi } from "./api.js";
import { AnalysisMap } from "./AnalysisMap.js";
import {
  EMPTY_DRAWING,
  parsePolygonText,
  polygonOf,
  polygonTextOf,
  type DrawnPolygon,
  type PolygonTextError,
} from "./exposure-polygon.js";
import { circleFeatures, polygonFeatures } from "./exposure-features.js";
import { ExposureResultView } from "./ExposureResultView.js";
import type { ExposureQuery, ExposureResult } from "./types.js";

type PlaceKind = "circle" | "polygon";

interface WindowInput {
  from: string;
  to: string;
}

interface FormState {
  placeKind: PlaceKind;
  latitude: string;
  longitude: string;
  radiusMeters: string;
  drawing: DrawnPolygon;
  /** The polygon as GeoJSON text, as drawn or as pasted. */
  polygonText: string;
  polygonError: PolygonTextError | null;
  windows: WindowInput[];
  minDwellMinutes: string;
}

const INITIAL_FORM: FormState = {
  placeKind: "circle",
  latitude: "",
  longitude: "",
  radiusMeters: "50",
  drawing: EMPTY_DRAWING,
  polygonText: "",
  polygonError: null,
  windows: [{ from: "", to: "" }],
  minDwellMinutes: "30",
};

/**
 * Renders the exposure query and its result. The place is a circle picked
 * on the map or typed, or a polygon drawn on the map or pasted as GeoJSON.
 * The windows are in Seoul time. The result lists the persons present by
 * label and what looser settings would add.
 */
export function ExposurePage() {
  const { t } = useI18n();
  const [form, setForm] = useState<FormState>(INITIAL_FORM);
  const [fitVersion, setFitVersion] = useState(0);
  const [result, setResult] = useState<ExposureResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const set =
    (field: "latitude" | "longitude" | "radiusMeters" | "minDwellMinutes") =>
    (value: string) =>
      setForm((current) => ({ ...current, [field]: value }));
  const setDrawing = (change: (drawing: DrawnPolygon) => DrawnPolygon) =>
    setForm((current) => {
      const drawing = change(current.drawing);
      return {
        ...current,
        drawing,
        polygonText: polygonTextOf(drawing),
        polygonError: null,
      };
    });
  const pastePolygon = (text: string) => {
    const parsed =
      text.trim() === "" ? { drawing: EMPTY_DRAWING } : parsePolygonText(text);
    setForm((current) =>
      "error" in parsed
        ? { ...current, polygonText: text, polygonError: parsed.error }
        : {
            ...current,
            polygonText: text,
            polygonError: null,
            drawing: parsed.drawing,
          },
    );
    if (!("error" in parsed)) {
      setFitVersion((version) => version + 1);
    }
  };

  const query = queryOf(form);
  const features = useMemo(
    () =>
      form.placeKind === "circle"
        ? circleFeatures(form.latitude, form.longitude, form.radiusMeters)
        : polygonFeatures(form.drawing),
    [
      form.placeKind,
      form.latitude,
      form.longitude,
      form.radiusMeters,
      form.drawing,
    ],
  );
  // The camera moves to a new circle or a pasted polygon, but not when the
  // place kind changes or a corner is clicked, so that drawing stays in view.
  const circleKey = `${form.latitude} ${form.longitude} ${form.radiusMeters}`;
  const fitKey =
    form.placeKind === "polygon" && fitVersion > 0
      ? `polygon ${fitVersion}`
      : circleKey;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (query === null) {
      setError(
        t(
          form.placeKind === "circle"
            ? "exposure.invalid"
            : "exposure.invalidPolygon",
        ),
      );
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

  const pick = (position: { latitude: number; longitude: number }) => {
    if (form.placeKind === "polygon") {
      setDrawing((drawing) => ({
        ...drawing,
        vertices: [
          ...drawing.vertices,
          [round(position.longitude), round(position.latitude)],
        ],
      }));
      return;
    }
    setForm((current) => ({
      ...current,
      latitude: position.latitude.toFixed(6),
      longitude: position.longitude.toFixed(6),
    }));
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
        <PlaceKindField
          value={form.placeKind}
          onChange={(placeKind) =>
            setForm((current) => ({ ...current, placeKind }))
          }
        />
        {form.placeKind === "circle" ? (
          <>
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
          </>
        ) : (
          <PolygonField
            form={form}
            onPaste={pastePolygon}
            onUndo={() =>
              setDrawing((drawing) => ({
                ...drawing,
                vertices: drawing.vertices.slice(0, -1),
              }))
            }
            onClear={() => setDrawing(() => EMPTY_DRAWING)}
          />
        )}
        <NumberField
          label={t("exposure.minDwell")}
          name="minDwellMinutes"
          value={form.minDwellMinutes}
          onChange={set("minDwellMinutes")}
        />
        <WindowFields
          windows={form.windows}
          onChange={(windows) =>
            setForm((current) => ({ ...current, windows }))
          }
        />
        <div className="form-footer">
          <span className="muted">
            {t(
              form.placeKind === "circle"
                ? "exposure.pickHint"
                : "exposure.polygonHint",
            )}
          </span>
          <ErrorMessage message={error} />
          <button type="submit" className="primary" disabled={running}>
            {running ? t("common.loading") : t("exposure.submit")}
          </button>
        </div>
      </form>
      <div className="analysis-body">
        <AnalysisMap
          features={features}
          fitKey={fitKey}
          onPick={pick}
          legend={<ExposureLegend placeKind={form.placeKind} />}
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

/** Rounds a clicked degree to 6 decimals, about 0.1 m, as the circle's centre is. */
function round(degrees: number): number {
  return Number(degrees.toFixed(6));
}

function PlaceKindField({
  value,
  onChange,
}: {
  value: PlaceKind;
  onChange(value: PlaceKind): void;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="field exposure-place-kind">
      <legend>{t("exposure.placeKind")}</legend>
      {(["circle", "polygon"] as const).map((kind) => (
        <label key={kind}>
          <input
            type="radio"
            name="placeKind"
            value={kind}
            checked={value === kind}
            onChange={() => onChange(kind)}
          />{" "}
          {t(`exposure.placeKind.${kind}`)}
        </label>
      ))}
    </fieldset>
  );
}

interface PolygonFieldProps {
  form: FormState;
  onPaste(text: string): void;
  onUndo(): void;
  onClear(): void;
}

function PolygonField({ form, onPaste, onUndo, onClear }: PolygonFieldProps) {
  const { t, number } = useI18n();
  const count = form.drawing.vertices.length;
  return (
    <Field
      label={t("exposure.polygon")}
      className="exposure-polygon"
      hint={t("exposure.polygonPoints", { count: number(count) })}
    >
      {(id) => (
        <>
          <textarea
            id={id}
            name="polygon"
            rows={3}
            value={form.polygonText}
            onChange={(event) => onPaste(event.target.value)}
          />
          {form.polygonError === null ? null : (
            <p className="message message-error" role="alert">
              {t(`exposure.polygonError.${form.polygonError}`)}
            </p>
          )}
          <div className="button-row">
            <button
              type="button"
              name="undoPoint"
              disabled={count === 0}
              onClick={onUndo}
            >
              {t("exposure.undoPoint")}
            </button>
            <button
              type="button"
              name="clearPolygon"
              disabled={count === 0}
              onClick={onClear}
            >
              {t("exposure.clearPolygon")}
            </button>
          </div>
        </>
      )}
    </Field>
  );
}

function WindowFields({
  windows,
  onChange,
}: {
  windows: WindowInput[];
  onChange(windows: WindowInput[]): void;
}) {
  const { t } = useI18n();
  const update = (index: number, change: Partial<WindowInput>) =>
    onChange(
      windows.map((window, at) =>
        at === index ? { ...window, ...change } : window,
      ),
    );
  return (
    <>
      {windows.map((window, index) => {
        const suffix = index === 0 ? "" : `-${index}`;
        return (
          <div className="exposure-window" key={index}>
            <Field label={t("exposure.from")}>
              {(id) => (
                <input
                  id={id}
                  type="datetime-local"
                  name={`from${suffix}`}
                  value={window.from}
                  onChange={(event) =>
                    update(index, { from: event.target.value })
                  }
                />
              )}
            </Field>
            <Field label={t("exposure.to")}>
              {(id) => (
                <input
                  id={id}
                  type="datetime-local"
                  name={`to${suffix}`}
                  value={window.to}
                  onChange={(event) =>
                    update(index, { to: event.target.value })
                  }
                />
              )}
            </Field>
            {index === 0 ? null : (
              <button
                type="button"
                name={`removeWindow${suffix}`}
                onClick={() =>
                  onChange(windows.filter((_, at) => at !== index))
                }
              >
                {t("exposure.removeWindow")}
              </button>
            )}
          </div>
        );
      })}
      <button
        type="button"
        name="addWindow"
        onClick={() => onChange([...windows, { from: "", to: "" }])}
      >
        {t("exposure.addWindow")}
      </button>
    </>
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
  const minDwellMinutes = Number(form.minDwellMinutes);
  const windows = form.windows.map((window) => ({
    from: seoulLocalToInstant(window.from),
    to: seoulLocalToInstant(window.to),
  }));
  const complete = windows.filter(
    (window): window is { from: string; to: string } =>
      window.from !== null && window.to !== null,
  );
  if (
    complete.length !== windows.length ||
    form.minDwellMinutes.trim() === "" ||
    !(minDwellMinutes >= 0)
  ) {
    return null;
  }
  const time =
    complete.length === 1 ? { ...complete[0]! } : { windows: complete };

  if (form.placeKind === "polygon") {
    const polygon = polygonOf(form.drawing);
    return polygon === null || form.polygonError !== null
      ? null
      : { polygon, minDwellMinutes, ...time };
  }
  const latitude = Number(form.latitude);
  const longitude = Number(form.longitude);
  const radiusMeters = Number(form.radiusMeters);
  const valid =
    form.latitude.trim() !== "" &&
    form.longitude.trim() !== "" &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180 &&
    radiusMeters > 0;
  return valid
    ? { latitude, longitude, radiusMeters, minDwellMinutes, ...time }
    : null;
}

function ExposureLegend({ placeKind }: { placeKind: PlaceKind }) {
  const { t } = useI18n();
  if (placeKind === "polygon") {
    return (
      <span className="legend-item">
        <span className="legend-swatch uncertainty" />
        {t("exposure.legend.polygon")}
      </span>
    );
  }
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
