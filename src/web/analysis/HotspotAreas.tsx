import { useI18n } from "../i18n/index.js";
import type { AnalysisFeature } from "./AnalysisMap.js";
import { formatDecimal, formatProbability, zScoreColour } from "./format.js";
import type { Hotspots } from "./types.js";

/** Rows shown in the area table; the map shows every area. */
const TABLE_ROWS = 100;

/**
 * Returns the Gi* areas as their stored outlines coloured by z-score, with
 * a bold outline where the adjusted p-value is at most `significantQ`.
 */
export function areaFeatures(
  result: Hotspots,
  significantQ: number,
): AnalysisFeature[] {
  return result.areas.map((area) => ({
    type: "Feature",
    geometry: area.geometry,
    properties: {
      id: area.code,
      fill: zScoreColour(area.zScore),
      outline: area.qValue <= significantQ ? "#5b1a0f" : "#8c8c8c",
      opacity: 0.7,
      outlineWidth: area.qValue <= significantQ ? 1.6 : 0.5,
    },
  }));
}

interface AreaTableProps {
  result: Hotspots;
  selectedId: string | null;
  onSelect(id: string | null): void;
}

/** Lists the Gi* areas with cases, highest z-score first. */
export function AreaTable({ result, selectedId, onSelect }: AreaTableProps) {
  const { t, number } = useI18n();
  const listed = result.areas.filter((area) => area.caseCount > 0);
  if (listed.length === 0) {
    return <p className="empty">{t("hotspots.empty")}</p>;
  }
  const shown = listed.slice(0, TABLE_ROWS);
  return (
    <>
      <table className="data-table" data-testid="hotspot-table">
        <thead>
          <tr>
            <th>{t("hotspots.column.area")}</th>
            <GiStarHeaders />
          </tr>
        </thead>
        <tbody>
          {shown.map((area) => (
            <tr
              key={area.code}
              data-testid="hotspot-row"
              className={area.code === selectedId ? "selected" : undefined}
              onClick={() => onSelect(area.code)}
            >
              <td>
                {area.name} <span className="muted mono">{area.code}</span>
              </td>
              <GiStarCells result={area} />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {t("hotspots.areasNote", {
          shown: number(shown.length),
          study: number(result.studyAreaCount),
          outside: number(result.staysOutsideAreas),
        })}
      </p>
    </>
  );
}

/** Header cells of the Gi* values, in the order `GiStarCells` fills them. */
export function GiStarHeaders() {
  const { t } = useI18n();
  return (
    <>
      <th>{t("hotspots.column.cases")}</th>
      <th>{t("hotspots.column.stays")}</th>
      <th>{t("hotspots.column.z")}</th>
      <th>p</th>
      <th>q</th>
    </>
  );
}

interface GiStarValues {
  caseCount: number;
  stayCount: number;
  zScore: number;
  pValue: number;
  qValue: number;
}

/** Table cells of a cell's or an area's counts, z-score, p-value and q-value. */
export function GiStarCells({ result }: { result: GiStarValues }) {
  const { number, locale } = useI18n();
  return (
    <>
      <td className="numeric">{number(result.caseCount)}</td>
      <td className="numeric">{number(result.stayCount)}</td>
      <td className="numeric">{formatDecimal(result.zScore, locale, 2)}</td>
      <td className="numeric">{formatProbability(result.pValue)}</td>
      <td className="numeric">{formatProbability(result.qValue)}</td>
    </>
  );
}
