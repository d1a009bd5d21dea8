import type * as maplibregl from "maplibre-gl";
import { useEffect, useRef, useState } from "react";

import { ErrorMessage } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import type { MapBaseStyle } from "./base.js";
import { createBaseMap, fitMapTo } from "./create-map.js";
import { useMapBaseStyle } from "./use-map-base-style.js";
import {
  addRouteLayers,
  setHighlightedStay,
  setRouteData,
  type MappedMove,
  type MappedStay,
} from "./route-layers.js";

const FIT_PADDING_PX = 48;

export interface RouteMapProps {
  stays: readonly MappedStay[];
  moves: readonly MappedMove[];
  highlightedId: string | null;
}

/** Renders the fused stays of a route with their uncertainty circles, and the moves between them. */
export function RouteMap(props: RouteMapProps) {
  const { t } = useI18n();
  const { style, error } = useMapBaseStyle();

  return (
    <div
      className="map-panel route-map-panel"
      aria-label={t("route.map.label")}
      role="region"
    >
      <ErrorMessage message={error} />
      {style === null ? null : <RouteMapCanvas style={style} {...props} />}
    </div>
  );
}

function RouteMapCanvas({
  style,
  stays,
  moves,
  highlightedId,
}: RouteMapProps & { style: MapBaseStyle }) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [layersReady, setLayersReady] = useState(false);
  const [unsupported, setUnsupported] = useState(false);

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return;
    const map = createBaseMap(container, style);
    if (map === null) {
      setUnsupported(true);
      return;
    }
    map.on("load", () => {
      addRouteLayers(map);
      setLayersReady(true);
    });
    mapRef.current = map;
    return () => {
      map.remove();
      mapRef.current = null;
      setLayersReady(false);
    };
  }, [style]);

  const stayKey = stays.map((stay) => stay.id).join(",");
  useEffect(() => {
    const map = mapRef.current;
    if (map === null || !layersReady) return;
    setRouteData(map, stays, moves);
    fitMapTo(
      map,
      stays.map((stay) => [stay.longitude, stay.latitude] as const),
      FIT_PADDING_PX,
    );
    // stayKey stands for `stays`, which may be a new array on every render.
  }, [stayKey, layersReady]);

  useEffect(() => {
    const map = mapRef.current;
    if (map !== null && layersReady) setHighlightedStay(map, highlightedId);
  }, [highlightedId, layersReady]);

  if (unsupported) {
    return <p className="map-unavailable">{t("map.unavailable")}</p>;
  }
  return (
    <div
      ref={containerRef}
      className="map-canvas"
      data-testid="route-map"
      data-stay-count={stays.length}
      data-layers-ready={layersReady ? "true" : "false"}
    />
  );
}
