import type {
  Feature,
  FeatureCollection,
  MultiPolygon,
  Point,
  Polygon,
} from "geojson";
import * as maplibregl from "maplibre-gl";
import { useEffect, useRef, useState, type ReactNode } from "react";

import { ErrorMessage } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import type { MapBaseStyle } from "../map/base.js";
import { createBaseMap, fitMapTo } from "../map/create-map.js";
import { useMapBaseStyle } from "../map/use-map-base-style.js";

const FIT_PADDING_PX = 40;
const SOURCE = "analysis";

/** Properties every feature of the analysis map carries. */
export interface AnalysisFeatureProperties {
  id: string;
  /** CSS colour of the fill or the point. */
  fill: string;
  /** CSS colour of the outline. */
  outline: string;
  /** Fill opacity from 0 to 1. */
  opacity: number;
  /** Outline width in pixels. */
  outlineWidth: number;
  /** Radius of a point in pixels; polygons ignore it. */
  size?: number;
}

export type AnalysisFeature = Feature<
  Polygon | MultiPolygon | Point,
  AnalysisFeatureProperties
>;

/** Filter of the polygon layers; it names MultiPolygon too, for map library versions that report it apart. */
const POLYGON_FILTER: maplibregl.FilterSpecification = [
  "in",
  ["geometry-type"],
  ["literal", ["Polygon", "MultiPolygon"]],
];

export interface AnalysisMapProps {
  features: readonly AnalysisFeature[];
  /** The view fits the features again whenever this changes. */
  fitKey: string;
  /** The features the view fits; default all of them. */
  fitFeatures?: readonly AnalysisFeature[];
  selectedId?: string | null;
  onSelect?: (id: string | null) => void;
  /** When set, a click on the map reports the clicked position. */
  onPick?:
    ((position: { latitude: number; longitude: number }) => void) | undefined;
  legend?: ReactNode;
  testId: string;
}

/** Renders polygons and points of an analysis on the offline base map, with a legend. */
export function AnalysisMap(props: AnalysisMapProps) {
  const { t } = useI18n();
  const { style, error } = useMapBaseStyle();

  return (
    <div
      className="map-panel analysis-map"
      aria-label={t("map.label")}
      role="region"
    >
      <ErrorMessage message={error} />
      {style === null ? null : <AnalysisCanvas style={style} {...props} />}
      {props.legend === undefined ? null : (
        <div className="map-legend">{props.legend}</div>
      )}
    </div>
  );
}

function AnalysisCanvas({
  style,
  ...props
}: AnalysisMapProps & { style: MapBaseStyle }) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [ready, setReady] = useState(false);
  const [unsupported, setUnsupported] = useState(false);
  const callbacks = useRef(props);
  callbacks.current = props;

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return;
    const created = createBaseMap(container, style);
    if (created === null) {
      setUnsupported(true);
      return;
    }
    const map = created;
    map.on("load", () => {
      addAnalysisLayers(map);
      setReady(true);
    });
    map.on("idle", () => {
      container.setAttribute("data-source-features", sourceFeatureIds(map));
    });
    map.on("click", (event) => {
      const hit = map.queryRenderedFeatures(event.point, {
        layers: ["analysis-fill", "analysis-points"],
      })[0];
      const id = hit?.properties?.["id"];
      callbacks.current.onSelect?.(typeof id === "string" ? id : null);
      callbacks.current.onPick?.({
        latitude: event.lngLat.lat,
        longitude: event.lngLat.lng,
      });
    });
    mapRef.current = map;
    return () => {
      map.remove();
      mapRef.current = null;
      setReady(false);
    };
  }, [style]);

  const { features, fitFeatures, fitKey, selectedId } = props;
  useEffect(() => {
    const map = mapRef.current;
    if (map === null || !ready) return;
    const collection: FeatureCollection<
      Polygon | MultiPolygon | Point,
      AnalysisFeatureProperties
    > = { type: "FeatureCollection", features: [...features] };
    map.getSource<maplibregl.GeoJSONSource>(SOURCE)?.setData(collection);
  }, [features, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (map === null || !ready) return;
    fitToFeatures(map, fitFeatures ?? features);
    // Only a new fitKey moves the camera, so that a new selection does not.
  }, [fitKey, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (map === null || !ready) return;
    map.setFilter("analysis-selected", ["==", ["get", "id"], selectedId ?? ""]);
  }, [selectedId, ready]);

  useEffect(() => {
    const canvas = mapRef.current?.getCanvas();
    if (canvas !== undefined)
      canvas.style.cursor = props.onPick === undefined ? "" : "crosshair";
  }, [props.onPick, ready]);

  if (unsupported) {
    return <p className="map-unavailable">{t("map.unavailable")}</p>;
  }
  return (
    <div ref={containerRef} className="map-canvas" data-testid={props.testId} />
  );
}

/**
 * Lists the features in the loaded tiles of the map's source, as
 * `id:GeometryType` separated by spaces, each once. The container carries
 * the list as `data-source-features`, so that a test or a reader of the
 * page can tell what the map draws.
 */
function sourceFeatureIds(map: maplibregl.Map): string {
  if (map.getSource(SOURCE) === undefined) {
    return "";
  }
  const ids = map.querySourceFeatures(SOURCE).map((feature) => {
    const id = feature.properties["id"];
    return `${typeof id === "string" ? id : ""}:${feature.geometry.type}`;
  });
  return [...new Set(ids)].sort().join(" ");
}

function addAnalysisLayers(map: maplibregl.Map): void {
  map.addSource(SOURCE, {
    type: "geojson",
    data: { type: "FeatureCollection", features: [] },
  });
  map.addLayer({
    id: "analysis-fill",
    type: "fill",
    source: SOURCE,
    filter: POLYGON_FILTER,
    paint: {
      "fill-color": ["get", "fill"],
      "fill-opacity": ["get", "opacity"],
    },
  });
  map.addLayer({
    id: "analysis-outline",
    type: "line",
    source: SOURCE,
    filter: POLYGON_FILTER,
    paint: {
      "line-color": ["get", "outline"],
      "line-width": ["get", "outlineWidth"],
    },
  });
  map.addLayer({
    id: "analysis-points",
    type: "circle",
    source: SOURCE,
    filter: ["==", ["geometry-type"], "Point"],
    paint: {
      "circle-color": ["get", "fill"],
      "circle-radius": ["coalesce", ["get", "size"], 5],
      "circle-opacity": ["get", "opacity"],
      "circle-stroke-color": ["get", "outline"],
      "circle-stroke-width": ["get", "outlineWidth"],
    },
  });
  map.addLayer({
    id: "analysis-selected",
    type: "line",
    source: SOURCE,
    filter: ["==", ["get", "id"], ""],
    paint: { "line-color": "#e8590c", "line-width": 3 },
  });
}

function fitToFeatures(
  map: maplibregl.Map,
  features: readonly AnalysisFeature[],
): void {
  const points: [number, number][] = [];
  for (const feature of features) {
    const geometry = feature.geometry;
    if (geometry.type === "Point") {
      points.push([geometry.coordinates[0]!, geometry.coordinates[1]!]);
      continue;
    }
    const polygons =
      geometry.type === "Polygon"
        ? [geometry.coordinates]
        : geometry.coordinates;
    for (const polygon of polygons) {
      for (const position of polygon[0] ?? []) {
        points.push([position[0]!, position[1]!]);
      }
    }
  }
  fitMapTo(map, points, FIT_PADDING_PX);
}
