import type { FeatureCollection, Geometry } from "geojson";
import type { GeoJSONSource, Map as MaplibreMap } from "maplibre-gl";

import {
  routeLine,
  uncertaintyCircles,
  type PositionedMovement,
} from "./movement-features.js";

const ROUTE_SOURCE = "case-route";
const UNCERTAINTY_SOURCE = "case-uncertainty";
const HIGHLIGHT_LAYER = "case-uncertainty-highlight";

const EMPTY: FeatureCollection<Geometry> = {
  type: "FeatureCollection",
  features: [],
};

/** Adds the sources and layers of a case's route and uncertainty circles on top of the style. */
export function addCaseLayers(map: MaplibreMap): void {
  map.addSource(UNCERTAINTY_SOURCE, { type: "geojson", data: EMPTY });
  map.addSource(ROUTE_SOURCE, {
    type: "geojson",
    data: EMPTY,
    lineMetrics: true,
  });

  map.addLayer({
    id: "case-uncertainty-fill",
    type: "fill",
    source: UNCERTAINTY_SOURCE,
    paint: { "fill-color": "#2f6fd0", "fill-opacity": 0.1 },
  });
  map.addLayer({
    id: "case-uncertainty-outline",
    type: "line",
    source: UNCERTAINTY_SOURCE,
    paint: { "line-color": "#2f6fd0", "line-opacity": 0.45, "line-width": 1 },
  });
  map.addLayer({
    id: HIGHLIGHT_LAYER,
    type: "fill",
    source: UNCERTAINTY_SOURCE,
    filter: ["==", ["get", "id"], ""],
    paint: { "fill-color": "#e8590c", "fill-opacity": 0.22 },
  });
  // The route fades from light to dark blue along its length, so the
  // direction of travel shows without arrow icons (which would need a sprite).
  map.addLayer({
    id: "case-route",
    type: "line",
    source: ROUTE_SOURCE,
    layout: { "line-join": "round", "line-cap": "round" },
    paint: {
      "line-width": 2.5,
      "line-gradient": [
        "interpolate",
        ["linear"],
        ["line-progress"],
        0,
        "#9dbce8",
        1,
        "#0d3b8c",
      ],
    },
  });
}

/** Replaces the route and circle data with those of the given movements, in time order. */
export function setCaseData(
  map: MaplibreMap,
  movements: readonly PositionedMovement[],
): void {
  map.getSource<GeoJSONSource>(ROUTE_SOURCE)?.setData(routeLine(movements));
  map
    .getSource<GeoJSONSource>(UNCERTAINTY_SOURCE)
    ?.setData(uncertaintyCircles(movements));
}

/** Shades the uncertainty circle of one movement, or none. */
export function setHighlightedCircle(
  map: MaplibreMap,
  movementId: string | null,
): void {
  if (map.getLayer(HIGHLIGHT_LAYER) === undefined) {
    return;
  }
  map.setFilter(HIGHLIGHT_LAYER, ["==", ["get", "id"], movementId ?? ""]);
}
