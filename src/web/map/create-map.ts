import * as maplibregl from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";

import type { MapBaseStyle } from "./base.js";
import { boundsOf } from "./geometry.js";

// Vite copies the worker file into the build. Without this, maplibre would look
// for it next to its own module, which no longer exists once bundled.
maplibregl.setWorkerUrl(workerUrl);

/** West, south, east and north edges of South Korea, the first view of every map. */
export const KOREA_BOUNDS: [number, number, number, number] = [
  124.6, 33.0, 130.0, 38.7,
];

/**
 * Creates a map on the base style with the navigation and scale controls,
 * without rotation, and marks the container `data-idle` while the map has
 * drawn everything it was given (only tests read that mark). Returns null
 * when the browser cannot create a WebGL context.
 */
export function createBaseMap(
  container: HTMLElement,
  style: MapBaseStyle,
): maplibregl.Map | null {
  let map: maplibregl.Map;
  try {
    map = new maplibregl.Map({
      container,
      style,
      bounds: KOREA_BOUNDS,
      attributionControl: { compact: true },
      dragRotate: false,
      pitchWithRotate: false,
    });
  } catch {
    return null;
  }

  map.touchZoomRotate.disableRotation();
  map.addControl(
    new maplibregl.NavigationControl({ showCompass: false }),
    "top-right",
  );
  map.addControl(
    new maplibregl.ScaleControl({ unit: "metric" }),
    "bottom-left",
  );
  map.on("idle", () => container.setAttribute("data-idle", "true"));
  map.on("movestart", () => container.removeAttribute("data-idle"));
  map.on("dataloading", () => container.removeAttribute("data-idle"));
  return map;
}

/** Maximum zoom of a fitted view, so that the view around a single point stays at street level. */
const MAX_FIT_ZOOM = 15;

/**
 * Moves the view, without animation, to the box around the [longitude,
 * latitude] points, or to all of South Korea when there are none.
 */
export function fitMapTo(
  map: maplibregl.Map,
  points: readonly (readonly [number, number])[],
  paddingPx: number,
): void {
  map.fitBounds(boundsOf(points) ?? KOREA_BOUNDS, {
    padding: paddingPx,
    maxZoom: MAX_FIT_ZOOM,
    animate: false,
  });
}
