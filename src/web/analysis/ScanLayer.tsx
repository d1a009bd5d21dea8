import { useI18n } from "../i18n/index.js";
import type { AnalysisFeature } from "./AnalysisMap.js";
import { formatDecimal, formatProbability } from "./format.js";
import type { ScanCluster, SpaceTimeClusters } from "./types.js";

/** Vertices of a cluster's circle on the map. */
const CIRCLE_VERTICES = 64;
/** Radius in km drawn for a cluster of one location, whose radius is 0, so that it stays visible. */
const MIN_DRAWN_RADIUS_KM = 0.2;
const KM_PER_DEGREE_LATITUDE = 111.32;
/** Rows shown in the cluster table. */
const TABLE_ROWS = 100;
/** Locations named in a row before the rest are counted. */
const NAMED_LOCATIONS = 3;

export const clusterId = (cluster: ScanCluster) => `cluster-${cluster.rank}`;

/**
 * Returns the clusters as circles of their radius around their centre,
 * the most likely cluster red and bold, secondary ones orange.
 */
export function scanFeatures(result: SpaceTimeClusters): AnalysisFeature[] {
  return result.clusters.map((cluster) => {
    const isMostLikely = cluster.rank === 1;
    return {
      type: "Feature",
      geometry: {
        type: "Polygon",
        coordinates: [
          circleRing(
            cluster.center.latitude,
            cluster.center.longitude,
            Math.max(cluster.radiusKm, MIN_DRAWN_RADIUS_KM),
          ),
        ],
      },
      properties: {
        id: clusterId(cluster),
        fill: isMostLikely ? "#d6451b" : "#f59f00",
        outline: isMostLikely ? "#7a2308" : "#a86b00",
        opacity: isMostLikely ? 0.45 : 0.25,
        outlineWidth: isMostLikely ? 2.5 : 1,
      },
    };
  });
}

/** Returns a closed ring approximating a circle, by an equirectangular offset that is close enough for a few kilometres. */
function circleRing(
  latitude: number,
  longitude: number,
  radiusKm: number,
): [number, number][] {
  const latitudeDelta = radiusKm / KM_PER_DEGREE_LATITUDE;
  const longitudeDelta = latitudeDelta / Math.cos((latitude * Math.PI) / 180);
  const ring: [number, number][] = [];
  for (let i = 0; i <= CIRCLE_VERTICES; i++) {
    const angle = (2 * Math.PI * (i % CIRCLE_VERTICES)) / CIRCLE_VERTICES;
    ring.push([
      longitude + longitudeDelta * Math.cos(angle),
      latitude + latitudeDelta * Math.sin(angle),
    ]);
  }
  return ring;
}

export function ScanLegend() {
  const { t } = useI18n();
  return (
    <>
      <span className="legend-item">
        <span className="legend-swatch cluster-swatch most-likely" />
        {t("hotspots.legend.mostLikely")}
      </span>
      <span className="legend-item">
        <span className="legend-swatch cluster-swatch" />
        {t("hotspots.legend.secondary")}
      </span>
    </>
  );
}

interface ScanTableProps {
  result: SpaceTimeClusters;
  selectedId: string | null;
  onSelect(id: string | null): void;
}

/** Lists the clusters: locations, period, observed and expected cases, relative risk, log-likelihood ratio and p-value. */
export function ScanTable({ result, selectedId, onSelect }: ScanTableProps) {
  const { t, number, locale } = useI18n();
  if (result.clusters.length === 0) {
    return <p className="empty">{t("hotspots.noClusters")}</p>;
  }
  return (
    <>
      <table className="data-table" data-testid="scan-table">
        <thead>
          <tr>
            <th>#</th>
            <th>{t("hotspots.column.locations")}</th>
            <th>{t("hotspots.column.period")}</th>
            <th>{t("hotspots.column.observed")}</th>
            <th>{t("hotspots.column.expected")}</th>
            <th>{t("hotspots.column.relativeRisk")}</th>
            <th>{t("hotspots.column.llr")}</th>
            <th>p</th>
          </tr>
        </thead>
        <tbody>
          {result.clusters.slice(0, TABLE_ROWS).map((cluster) => (
            <tr
              key={clusterId(cluster)}
              data-testid="cluster-row"
              className={
                clusterId(cluster) === selectedId ? "selected" : undefined
              }
              onClick={() => onSelect(clusterId(cluster))}
            >
              <td className="numeric">{cluster.rank}</td>
              <td>{locationsText(cluster, t)}</td>
              <td className="nowrap">{periodText(cluster)}</td>
              <td className="numeric">{number(cluster.observed)}</td>
              <td className="numeric">
                {formatDecimal(cluster.expected, locale, 2)}
              </td>
              <td className="numeric">
                {cluster.relativeRisk === null
                  ? "∞"
                  : formatDecimal(cluster.relativeRisk, locale, 2)}
              </td>
              <td className="numeric">
                {formatDecimal(cluster.logLikelihoodRatio, locale, 2)}
              </td>
              <td className="numeric">{formatProbability(cluster.pValue)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {t("hotspots.scanNote", {
          replications: number(result.replications),
          radius: formatDecimal(result.maxRadiusKm, locale, 1),
          days: number(result.maxDays),
        })}
      </p>
    </>
  );
}

/** Formats a cluster's Seoul days compactly, `2020-02-11 – 02-13`, the end's year only when it differs. */
function periodText(cluster: ScanCluster): string {
  if (cluster.from === cluster.to) {
    return cluster.from;
  }
  const sameYear = cluster.from.slice(0, 4) === cluster.to.slice(0, 4);
  return `${cluster.from} – ${sameYear ? cluster.to.slice(5) : cluster.to}`;
}

/** Names the first locations of a cluster, areas by name and cells by index, and counts the rest. */
function locationsText(
  cluster: ScanCluster,
  t: ReturnType<typeof useI18n>["t"],
): string {
  const named = cluster.locations
    .slice(0, NAMED_LOCATIONS)
    .map((location) => location.name ?? location.id)
    .join(", ");
  const rest = cluster.locations.length - NAMED_LOCATIONS;
  return rest > 0
    ? `${named} ${t("hotspots.moreLocations", { count: rest })}`
    : named;
}
