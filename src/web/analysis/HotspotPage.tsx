import { useEffect, useMemo, useState } from "react";

import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { analysisApi } from "./api.js";
import { AnalysisMap, type AnalysisFeature } from "./AnalysisMap.js";
import {
  datesBetween,
  formatInterval,
  Z_SCORE_BINS,
  zScoreColour,
} from "./format.js";
import {
  AreaTable,
  areaFeatures,
  GiStarCells,
  GiStarHeaders,
} from "./HotspotAreas.js";
import { ScanLegend, ScanTable, scanFeatures } from "./ScanLayer.js";
import type {
  HotspotAreaLevel,
  HotspotMethod,
  Hotspots,
  HotspotUnit,
  SpaceTimeClusters,
} from "./types.js";

/** The layers of the page: the two hotspot methods and the space-time scan. */
type HotspotLayer = HotspotMethod | "space-time-scan";

const LAYERS: readonly HotspotLayer[] = [
  "gi-star",
  "co-location",
  "space-time-scan",
];

/** A layer's result, as its endpoint returns it. */
type LayerResult =
  | { kind: "hotspots"; value: Hotspots }
  | { kind: "scan"; value: SpaceTimeClusters };

/** Settings of the request of a layer. */
interface LayerSettings {
  layer: HotspotLayer;
  unit: HotspotUnit;
  resolution: number;
  areaLevel: HotspotAreaLevel;
  analysis: "retrospective" | "prospective";
  dayWindow: DayWindow | null;
}

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
 * Renders the hotspots of the cases of the user's jurisdiction. The layers
 * are Gi* on H3 cells or administrative areas coloured by z-score,
 * co-location places, and the clusters of the space-time scan. A time
 * slider sets the window of Seoul days, and a table lists the results.
 */
export function HotspotPage() {
  const { t } = useI18n();
  const [method, setMethod] = useState<HotspotLayer>("gi-star");
  const [unit, setUnit] = useState<HotspotUnit>("h3");
  const [areaLevel, setAreaLevel] = useState<HotspotAreaLevel>("municipality");
  const [analysis, setAnalysis] =
    useState<LayerSettings["analysis"]>("retrospective");
  const [resolution, setResolution] = useState(8);
  // Null until a slider moves: the server then picks its default window.
  const [dayWindow, setDayWindow] = useState<DayWindow | null>(null);
  const [result, setResult] = useState<LayerResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [selectedId, setSelectedId] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      const settings = {
        layer: method,
        unit,
        resolution,
        areaLevel,
        analysis,
        dayWindow,
      };
      fetchLayer(settings, controller.signal)
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
  }, [method, unit, resolution, areaLevel, analysis, dayWindow]);
  const usesUnit = method !== "co-location";

  return (
    <div className="analysis-page hotspot-page">
      <div className="page-header">
        <h1>{t("hotspots.title")}</h1>
        <span className="muted">{t("hotspots.intro")}</span>
      </div>
      <div className="panel analysis-controls">
        <fieldset className="method-switch">
          <legend>{t("hotspots.method")}</legend>
          {LAYERS.map((value) => (
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
        {usesUnit ? (
          <label className="inline-field">
            {t("hotspots.unit")}
            <select
              name="unit"
              value={unit}
              onChange={(event) => {
                setUnit(event.target.value as HotspotUnit);
                setSelectedId(null);
              }}
            >
              <option value="h3">{t("hotspots.unit.h3")}</option>
              <option value="area">{t("hotspots.unit.area")}</option>
            </select>
          </label>
        ) : null}
        {usesUnit && unit === "area" ? (
          <label className="inline-field">
            {t("hotspots.areaLevel")}
            <select
              name="areaLevel"
              value={areaLevel}
              onChange={(event) =>
                setAreaLevel(event.target.value as HotspotAreaLevel)
              }
            >
              <option value="municipality">
                {t("hotspots.areaLevel.municipality")}
              </option>
              <option value="submunicipality">
                {t("hotspots.areaLevel.submunicipality")}
              </option>
            </select>
          </label>
        ) : null}
        {method === "space-time-scan" ? (
          <label className="inline-field">
            {t("hotspots.analysis")}
            <select
              name="analysis"
              value={analysis}
              onChange={(event) =>
                setAnalysis(event.target.value as LayerSettings["analysis"])
              }
            >
              <option value="retrospective">
                {t("hotspots.analysis.retrospective")}
              </option>
              <option value="prospective">
                {t("hotspots.analysis.prospective")}
              </option>
            </select>
          </label>
        ) : null}
        {usesUnit && unit === "h3" ? (
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
        {result === null || result.value.dataRange === null ? null : (
          <WindowSlider
            range={result.value.dataRange}
            value={dayWindow ?? windowOf(result.value)}
            onChange={setDayWindow}
          />
        )}
      </div>
      <ErrorMessage message={error} />
      {result === null ? (
        <p className="empty">{t("common.loading")}</p>
      ) : result.kind === "scan" ? (
        <ScanResult
          result={result.value}
          loading={loading}
          selectedId={selectedId}
          onSelect={setSelectedId}
        />
      ) : (
        <HotspotResult
          result={result.value}
          loading={loading}
          selectedId={selectedId}
          onSelect={setSelectedId}
        />
      )}
    </div>
  );
}

/** Requests the result of a layer from its endpoint. */
async function fetchLayer(
  settings: LayerSettings,
  signal: AbortSignal,
): Promise<LayerResult> {
  const { layer, unit, dayWindow } = settings;
  const place =
    unit === "area"
      ? { unit, areaLevel: settings.areaLevel }
      : { unit, resolution: settings.resolution };
  const window =
    dayWindow === null ? {} : { from: dayWindow.from, to: dayWindow.to };
  if (layer === "space-time-scan") {
    const value = await analysisApi.scanSpaceTime(
      { ...place, ...window, analysis: settings.analysis },
      signal,
    );
    return { kind: "scan", value };
  }
  const search =
    layer === "gi-star"
      ? { method: layer, ...place, ...window }
      : { method: layer, ...window };
  return {
    kind: "hotspots",
    value: await analysisApi.findHotspots(search, signal),
  };
}

function windowOf(result: Hotspots | SpaceTimeClusters): DayWindow | null {
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
  const last = days.length - 1;
  const fromIndex = indexOrDefault(days, value?.from ?? range.firstDate, 0);
  const toIndex = indexOrDefault(days, value?.to ?? range.lastDate, last);

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

/** Returns the index of `day` among `days`, or `fallback` when it is not there. */
function indexOrDefault(
  days: readonly string[],
  day: string,
  fallback: number,
): number {
  const index = days.indexOf(day);
  return index === -1 ? fallback : index;
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
  const fitKey = `${result.method} ${result.unit} ${result.areaLevel ?? result.resolution} ${result.from ?? ""} ${result.to ?? ""}`;

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
          {result.method === "co-location" ? (
            <PlaceTable {...props} />
          ) : result.unit === "area" ? (
            <AreaTable {...props} />
          ) : (
            <CellTable {...props} />
          )}
        </div>
      </div>
    </>
  );
}

function featuresOf(result: Hotspots): AnalysisFeature[] {
  if (result.method === "gi-star" && result.unit === "area") {
    return areaFeatures(result, SIGNIFICANT_Q);
  }
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
    [
      ...result.cells.map((cell) => ({ ...cell, id: cell.cell })),
      ...result.areas.map((area) => ({ ...area, id: area.code })),
    ]
      .filter((item) => item.zScore > 0 && item.qValue <= SIGNIFICANT_Q)
      .map((item) => item.id),
  );
  const focused = features.filter((feature) => hot.has(feature.properties.id));
  return focused.length > 0 ? focused : [...features];
}

const placeId = (index: number) => `place-${index + 1}`;

interface ScanResultProps {
  result: SpaceTimeClusters;
  loading: boolean;
  selectedId: string | null;
  onSelect(id: string | null): void;
}

/** Renders the scan layer: the clusters' circles on the map and their table. */
function ScanResult(props: ScanResultProps) {
  const { t, number } = useI18n();
  const { result } = props;
  const features = useMemo(() => scanFeatures(result), [result]);
  const fitKey = `scan ${result.unit} ${result.areaLevel ?? result.resolution} ${result.from ?? ""} ${result.to ?? ""}`;

  return (
    <>
      <p className="muted" data-testid="hotspot-summary">
        {t("hotspots.scanSummary", {
          cases: number(result.caseCount),
          caseDays: number(result.totalCases),
          locations: number(result.locationCount),
          shown: number(result.total),
        })}
        {props.loading ? ` · ${t("common.loading")}` : ""}
      </p>
      <div className="analysis-body scan-body">
        <AnalysisMap
          features={features}
          fitKey={fitKey}
          selectedId={props.selectedId}
          onSelect={props.onSelect}
          legend={<ScanLegend />}
          testId="hotspot-map"
        />
        <div className="analysis-table-panel">
          <ScanTable {...props} />
        </div>
      </div>
    </>
  );
}

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
  const { t, number } = useI18n();
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
            <GiStarHeaders />
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
              <GiStarCells result={cell} />
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
