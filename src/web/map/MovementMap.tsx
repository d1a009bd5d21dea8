import * as maplibregl from "maplibre-gl";
import { useEffect, useRef, useState } from "react";

import type { Movement } from "../api/types.js";
import { ErrorMessage } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import type { MapBaseStyle } from "./base.js";
import { createBaseMap, fitMapTo } from "./create-map.js";
import {
  addCaseLayers,
  setCaseData,
  setHighlightedCircle,
} from "./case-layers.js";
import { useMapBaseStyle } from "./use-map-base-style.js";
import {
  DATE_ONLY_MARKER_PX,
  hasPosition,
  isDateOnly,
  markerDiameterPx,
  stackedMarkerOffsets,
  type PositionedMovement,
} from "./movement-features.js";

const FIT_PADDING_PX = 48;

export interface MovementMapProps {
  /** Movements to show, in time order. Those without a position get no marker. */
  movements: readonly Movement[];
  /** Number shown in each marker, the movement's place in the whole timeline. */
  ordinals: ReadonlyMap<string, number>;
  highlightedId: string | null;
  selectedId: string | null;
  onHover(movementId: string | null): void;
  onSelect(movementId: string): void;
  /** When set, a click on the map reports the clicked position. */
  onPick?:
    ((position: { latitude: number; longitude: number }) => void) | undefined;
}

/** Renders the case map: base style, route line, uncertainty circles and one HTML marker per movement. */
export function MovementMap(props: MovementMapProps) {
  const { t } = useI18n();
  const { style, error } = useMapBaseStyle();

  return (
    <div className="map-panel" aria-label={t("map.label")} role="region">
      <ErrorMessage message={error} />
      {style === null ? null : <MapCanvas style={style} {...props} />}
      <MapLegend />
    </div>
  );
}

interface MapCanvasProps extends MovementMapProps {
  style: MapBaseStyle;
}

function MapCanvas({ style, ...props }: MapCanvasProps) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const markersRef = useRef(new Map<string, maplibregl.Marker>());
  const [layersReady, setLayersReady] = useState(false);
  const [unsupported, setUnsupported] = useState(false);

  // The latest callbacks, read by marker and map listeners created earlier.
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
      addCaseLayers(map);
      setLayersReady(true);
    });
    map.on("click", (event) => {
      const pick = callbacks.current.onPick;
      if (pick !== undefined) {
        pick({ latitude: event.lngLat.lat, longitude: event.lngLat.lng });
      }
    });
    mapRef.current = map;

    const markers = markersRef.current;
    return () => {
      markers.clear();
      map.remove();
      mapRef.current = null;
      setLayersReady(false);
    };
  }, [style]);

  const positioned = props.movements.filter(hasPosition);
  const positionKey = positioned.map((movement) => movement.id).join(",");

  // Markers and the camera follow the set of shown movements.
  useEffect(() => {
    const map = mapRef.current;
    if (map === null) return;
    replaceMarkers(
      map,
      markersRef.current,
      positioned,
      props.ordinals,
      callbacks,
    );
    fitToMovements(map, positioned);
    // positionKey stands for `positioned`, which is a new array on every render.
  }, [positionKey, props.ordinals]);

  useEffect(() => {
    const map = mapRef.current;
    if (map !== null && layersReady) setCaseData(map, positioned);
  }, [positionKey, layersReady]);

  const activeId = props.highlightedId ?? props.selectedId;
  useEffect(() => {
    for (const [id, marker] of markersRef.current) {
      const element = marker.getElement();
      element.classList.toggle("highlighted", id === activeId);
      element.classList.toggle("selected", id === props.selectedId);
    }
    const map = mapRef.current;
    if (map !== null && layersReady) setHighlightedCircle(map, activeId);
  }, [activeId, props.selectedId, layersReady, positionKey]);

  // A selection made in the timeline brings its marker into view.
  useEffect(() => {
    const map = mapRef.current;
    const marker =
      props.selectedId === null
        ? undefined
        : markersRef.current.get(props.selectedId);
    if (map === null || marker === undefined) return;
    const point = map.project(marker.getLngLat());
    const canvas = map.getCanvas();
    const inView =
      point.x >= 0 &&
      point.y >= 0 &&
      point.x <= canvas.clientWidth &&
      point.y <= canvas.clientHeight;
    if (!inView) map.easeTo({ center: marker.getLngLat() });
  }, [props.selectedId]);

  useEffect(() => {
    const canvas = mapRef.current?.getCanvas();
    if (canvas !== undefined)
      canvas.style.cursor = props.onPick === undefined ? "" : "crosshair";
  }, [props.onPick]);

  if (unsupported) {
    return <p className="map-unavailable">{t("map.unavailable")}</p>;
  }
  return (
    <div ref={containerRef} className="map-canvas" data-testid="movement-map" />
  );
}

type CallbackRef = { current: MovementMapProps };

function replaceMarkers(
  map: maplibregl.Map,
  markers: Map<string, maplibregl.Marker>,
  movements: readonly PositionedMovement[],
  ordinals: ReadonlyMap<string, number>,
  callbacks: CallbackRef,
): void {
  for (const marker of markers.values()) marker.remove();
  markers.clear();

  const offsets = stackedMarkerOffsets(movements);
  for (const movement of movements) {
    const element = createMarkerElement(movement, ordinals.get(movement.id));
    element.addEventListener("mouseenter", () =>
      callbacks.current.onHover(movement.id),
    );
    element.addEventListener("mouseleave", () =>
      callbacks.current.onHover(null),
    );
    element.addEventListener("click", (event) => {
      event.stopPropagation();
      callbacks.current.onSelect(movement.id);
    });
    const offset = offsets.get(movement.id) ?? [0, 0];
    const marker = new maplibregl.Marker({ element, offset })
      .setLngLat([movement.longitude, movement.latitude])
      .addTo(map);
    markers.set(movement.id, marker);
  }
}

function createMarkerElement(
  movement: PositionedMovement,
  ordinal: number | undefined,
): HTMLElement {
  const element = document.createElement("div");
  const size = markerDiameterPx(movement);
  element.className = isDateOnly(movement)
    ? "movement-marker date-only"
    : "movement-marker";
  element.dataset["testid"] = "movement-marker";
  element.dataset["movementId"] = movement.id;
  element.style.width = `${size}px`;
  element.style.height = `${size}px`;
  element.setAttribute("role", "button");
  element.tabIndex = -1;
  const label = document.createElement("span");
  label.textContent = ordinal === undefined ? "" : String(ordinal);
  element.append(label);
  return element;
}

function fitToMovements(
  map: maplibregl.Map,
  movements: readonly PositionedMovement[],
): void {
  fitMapTo(
    map,
    movements.map((movement) => [movement.longitude, movement.latitude]),
    FIT_PADDING_PX,
  );
}

function MapLegend() {
  const { t } = useI18n();
  return (
    <div className="map-legend">
      <span className="legend-item">
        <span
          className="legend-swatch movement-marker"
          style={{ width: 18, height: 18 }}
        />
        {t("map.legend.timed")}
      </span>
      <span className="legend-item">
        <span
          className="legend-swatch movement-marker date-only"
          style={{ width: DATE_ONLY_MARKER_PX, height: DATE_ONLY_MARKER_PX }}
        />
        {t("map.legend.dateOnly")}
      </span>
      <span className="legend-item">
        <span className="legend-swatch uncertainty" />
        {t("map.legend.uncertainty")}
      </span>
    </div>
  );
}
