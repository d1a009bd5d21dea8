import { useEffect, useMemo, useState } from "react";

import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { analysisApi } from "./api.js";
import { AnalysisMap, type AnalysisFeature } from "./AnalysisMap.js";
import {
  datesBetween,
  formatDecimal,
  formatInterval,
  formatProbability,
  Z_SCORE_BINS,
  zScoreColour,
} from "./format.js";
import type { HotspotMethod, Hotspots } from "./types.js";

/** Milliseconds between the last move of a slider and the request it causes. */
const SLIDER_DELAY_MS = 300;
/** Rows shown in the tables; the map shows every cell or place. */
const TABLE_ROWS = 100;
/** Adjusted p-value below which a cell's outline is drawn bold. */
const SIGNIFICANT_Q = 0.05;

/** A window of Seoul days, both included. */
interface DayWindow {
  from: string;
  to: string;
}

/**
 * Renders the hotspots of the cases of the user's jurisdiction: Gi* cells
 * on the H3 grid coloured by z-score, or co-location places, with a time
 * slider for the window of Seoul days and a table beside the map.
 */
export function HotspotPage() {
  const { t } = useI18n();
  const [method, setMethod] = useState<HotspotMethod>("gi-star");
  const [resolution, setResolution] = useState(8);
  // Null until a slider moves: the server then picks the whole range of the data.
  const [dayWindow, setDayWindow] = useState<DayWindow | null>(null);
  const [result, setResult] = useState<Hotspots | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [selectedId, setSelectedId] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      analysisApi
        .findHotspots(
          {
            method,
            resolution,
            ...(dayWindow === null
              ? {}
              : { from: dayWindow.from, to: dayWindow.to }),
          },
          controller.signal,
        )
        .then((value) => {
          setResult(value);
          setError(null);
        })
        .catch((caught: unknown) => {
          if (!controller.signal.aborted) setError(errorText(caught));
        })
        .finally(() => {
          if (!controller.signal.aborted) setLoading(false);
        });
    }, SLIDER_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [method, resolution, dayWindow]);

  return (
    <div className="analysis-page hotspot-page">
      <div className="page-header">
        <h1>{t("hotspots.title")}</h1>
        <span className="muted">{t("hotspots.intro")}</span>
      </div>
      <div className="panel analysis-controls">
        <fieldset className="method-switch">
          <legend>{t("hotspots.method")}</legend>
          {(["gi-star", "co-location"] as const).map((value) => (
            <label key={value} className="radio">
              <input
                type="radio"
                name="method"
                value={value}
                checked={method === value}
                onChange={() => {
                  setMethod(value);
                  setSelectedId(null);
                }}
              />
              {t(`hotspots.method.${value}`)}
            </label>
          ))}
        </fieldset>
        {method === "gi-star" ? (
          <label className="inline-field">
            {t("hotspots.resolution")}
            <select
              name="resolution"
              value={resolution}
              onChange={(event) => setResolution(Number(event.target.value))}
            >
              {[6, 7, 8, 9].map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {result?.dataRange === null || result === null ? null : (
          <WindowSlider
            range={result.dataRange}
            value={dayWindow ?? windowOf(result)}
            onChange={setDayWindow}
          />
        )}
      </div>
      <ErrorMessage message={error} />
      {result === null ? (
        <p className="empty">{t("common.loading")}</p>
      ) : (
        <HotspotResult
          result={result}
          loading={loading}
          selectedId={selectedId}
          onSelect={setSelectedId}
        />
      )}
    </div>
  );
}

function windowOf(result: Hotspots): DayWindow | null {
  return result.from === null || result.to === null
    ? null
    : { from: result.from, to: result.to };
}

interface WindowSliderProps {
  range: { firstDate: string; lastDate: string };
  value: DayWindow | null;
  onChange(value: DayWindow): void;
}

/** Two sliders over the days of the data: the first and the last day of the window. */
function WindowSlider({ range, value, onChange }: WindowSliderProps) {
  const { t, date } = useI18n();
  const days = useMemo(
    () => datesBetween(range.firstDate, range.lastDate),
    [range.firstDate, range.lastDate],
  );
  const fromIndex = Math.max(0, days.indexOf(value?.from ?? range.firstDate));
  const toIndex = Math.max(0, days.indexOf(value?.to ?? range.lastDate));
  const last = days.length - 1;

  return (
    <div className="window-slider" data-testid="window-slider">
      <label className="inline-field">
        {t("hotspots.windowFrom")}
        <input
          type="range"
          name="windowFrom"
          min={0}
          max={last}
          value={fromIndex}
          onChange={(event) => {
            const index = Number(event.target.value);
            onChange({
              from: days[index]!,
              to: days[Math.max(index, toIndex)]!,
            });
          }}
        />
      </label>
      <label className="inline-field">
        {t("hotspots.windowTo")}
        <input
          type="range"
          name="windowTo"
          min={0}
          max={last}
          value={toIndex}
          onChange={(event) => {
            const index = Number(event.target.value);
            onChange({
              from: days[Math.min(index, fromIndex)]!,
              to: days[index]!,
            });
          }}
        />
      </label>
      <span className="window-label" data-testid="window-label">
        {t("hotspots.window", {
          from: date(days[fromIndex] ?? null),
          to: date(days[toIndex] ?? null),
          days: toIndex - fromIndex + 1,
        })}
      </span>
    </div>
  );
}

interface HotspotResultProps {
  result: Hotspots;
  loading: boolean;
  selectedId: string | null;
  onSelect(id: string | null): void;
}

function HotspotResult(props: HotspotResultProps) {
  const { t, number } = useI18n();
  const { result } = props;
  const features = useMemo(() => featuresOf(result), [result]);
  const focus = useMemo(() => focusOf(result, features), [result, features]);
  const fitKey = `${result.method} ${result.resolution} ${result.from ?? ""} ${result.to ?? ""}`;

  return (
    <>
      <p className="muted" data-testid="hotspot-summary">
        {t("hotspots.summary", {
          cases: number(result.caseCount),
          stays: number(result.stayCount),
          shown: number(result.total),
        })}
        {props.loading ? ` · ${t("common.loading")}` : ""}
      </p>
      <div className="analysis-body">
        <AnalysisMap
          features={features}
          fitKey={fitKey}
          fitFeatures={focus}
          selectedId={props.selectedId}
          onSelect={props.onSelect}
          legend={<HotspotLegend method={result.method} />}
          testId="hotspot-map"
        />
        <div className="analysis-table-panel">
          {result.method === "gi-star" ? (
            <CellTable {...props} />
          ) : (
            <PlaceTable {...props} />
          )}
        </div>
      </div>
    </>
  );
}

function featuresOf(result: Hotspots): AnalysisFeature[] {
  if (result.method === "gi-star") {
    return result.cells.map((cell) => ({
      type: "Feature",
      geometry: { type: "Polygon", coordinates: [cell.boundary] },
      properties: {
        id: cell.cell,
        fill: zScoreColour(cell.zScore),
        outline: cell.qValue <= SIGNIFICANT_Q ? "#5b1a0f" : "#8c8c8c",
        opacity: 0.75,
        outlineWidth: cell.qValue <= SIGNIFICANT_Q ? 1.6 : 0.4,
      },
    }));
  }
  return result.places.map((place, index) => ({
    type: "Feature",
    geometry: { type: "Point", coordinates: [place.longitude, place.latitude] },
    properties: {
      id: placeId(index),
      fill: "#d6451b",
      outline: "#7a2308",
      opacity: 0.7,
      outlineWidth: 1,
      size: placeRadiusPx(place.personCount),
    },
  }));
}

/** Returns a point's radius in pixels, its area growing with the number of persons: 2 persons 5 px, 50 about 15 px. */
function placeRadiusPx(personCount: number): number {
  return Math.min(18, 3 + 1.7 * Math.sqrt(personCount));
}

/**
 * Returns the features the map first shows: the significant hot cells, or
 * the ten places with the most persons, so that a few far-away stays do
 * not zoom the map out to the whole country.
 */
function focusOf(
  result: Hotspots,
  features: readonly AnalysisFeature[],
): AnalysisFeature[] {
  if (result.method === "co-location") {
    return features.slice(0, 10);
  }
  const hot = new Set(
    result.cells
      .filter((cell) => cell.zScore > 0 && cell.qValue <= SIGNIFICANT_Q)
      .map((cell) => cell.cell),
  );
  const focused = features.filter((feature) => hot.has(feature.properties.id));
  return focused.length > 0 ? focused : [...features];
}

const placeId = (index: number) => `place-${index + 1}`;

function HotspotLegend({ method }: { method: HotspotMethod }) {
  const { t } = useI18n();
  if (method === "co-location") {
    return (
      <span className="legend-item">
        <span className="legend-swatch place-swatch" />
        {t("hotspots.legend.place")}
      </span>
    );
  }
  return (
    <>
      <strong>{t("hotspots.legend.title")}</strong>
      {[...Z_SCORE_BINS].reverse().map((bin) => (
        <span key={bin.key} className="legend-item">
          <span
            className="legend-swatch cell-swatch"
            style={{ background: bin.colour }}
          />
          {t(`hotspots.legend.${bin.key}`)}
        </span>
      ))}
      <span className="legend-item">
        <span className="legend-swatch cell-swatch significant" />
        {t("hotspots.legend.significant")}
      </span>
    </>
  );
}

function CellTable({ result, selectedId, onSelect }: HotspotResultProps) {
  const { t, number, locale } = useI18n();
  // Cells without stays can be hot through their neighbours; the table leaves them out unless asked.
  const [withEmpty, setWithEmpty] = useState(false);
  if (result.cells.length === 0) {
    return <p className="empty">{t("hotspots.empty")}</p>;
  }
  const listed = withEmpty
    ? result.cells
    : result.cells.filter((cell) => cell.caseCount > 0);
  const shown = listed.slice(0, TABLE_ROWS);
  return (
    <>
      <label className="inline-field table-option">
        <input
          type="checkbox"
          name="withEmpty"
          checked={withEmpty}
          onChange={(event) => setWithEmpty(event.target.checked)}
        />
        {t("hotspots.withEmpty")}
      </label>
      <table className="data-table" data-testid="hotspot-table">
        <thead>
          <tr>
            <th>{t("hotspots.column.cell")}</th>
            <th>{t("hotspots.column.cases")}</th>
            <th>{t("hotspots.column.stays")}</th>
            <th>{t("hotspots.column.z")}</th>
            <th>p</th>
            <th>q</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((cell) => (
            <tr
              key={cell.cell}
              data-testid="hotspot-row"
              className={cell.cell === selectedId ? "selected" : undefined}
              onClick={() => onSelect(cell.cell)}
            >
              <td className="mono">{cell.cell}</td>
              <td className="numeric">{number(cell.caseCount)}</td>
              <td className="numeric">{number(cell.stayCount)}</td>
              <td className="numeric">
                {formatDecimal(cell.zScore, locale, 2)}
              </td>
              <td className="numeric">{formatProbability(cell.pValue)}</td>
              <td className="numeric">{formatProbability(cell.qValue)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {t("hotspots.cellsNote", {
          shown: number(shown.length),
          total: number(listed.length),
          study: number(result.studyCellCount),
        })}
      </p>
    </>
  );
}

function PlaceTable({ result, selectedId, onSelect }: HotspotResultProps) {
  const { t, number, locale, date } = useI18n();
  if (result.places.length === 0) {
    return <p className="empty">{t("hotspots.empty")}</p>;
  }
  return (
    <table className="data-table" data-testid="hotspot-table">
      <thead>
        <tr>
          <th>#</th>
          <th>{t("hotspots.column.persons")}</th>
          <th>{t("hotspots.column.cases")}</th>
          <th>{t("hotspots.column.when")}</th>
        </tr>
      </thead>
      <tbody>
        {result.places.slice(0, TABLE_ROWS).map((place, index) => (
          <tr
            key={placeId(index)}
            data-testid="hotspot-row"
            className={placeId(index) === selectedId ? "selected" : undefined}
            onClick={() => onSelect(placeId(index))}
          >
            <td className="numeric">{index + 1}</td>
            <td className="numeric">{number(place.personCount)}</td>
            <td className="numeric">{number(place.caseCount)}</td>
            <td>
              {place.firstOverlapAt !== null && place.lastOverlapAt !== null
                ? formatInterval(
                    place.firstOverlapAt,
                    place.lastOverlapAt,
                    locale,
                  )
                : place.dayLevelDates.map((day) => date(day)).join(", ")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
