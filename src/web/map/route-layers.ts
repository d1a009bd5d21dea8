import type {
  FeatureCollection,
  Geometry,
  LineString,
  Point,
  Polygon,
} from "geojson";
import type {
  ExpressionSpecification,
  GeoJSONSource,
  Map as MaplibreMap,
} from "maplibre-gl";

import { circlePolygon } from "./geometry.js";

const CIRCLE_SOURCE = "route-stay-circles";
const CENTRE_SOURCE = "route-stay-centres";
const MOVE_SOURCE = "route-moves";
const HIGHLIGHT_LAYER = "route-stay-highlight";

/** A fused stay as the route layers draw it. */
export interface MappedStay {
  id: string;
  latitude: number;
  longitude: number;
  radiusMeters: number;
  confidenceLevel: "high" | "medium" | "low";
  inConflict: boolean;
}

/** A move as the route layers draw it: the ids of the stays it connects. */
export interface MappedMove {
  id: string;
  fromStayId: string;
  toStayId: string;
  /** True for a gap with no data, which gets no line. */
  noData?: boolean;
}

interface StayProperties {
  id: string;
  level: string;
  conflict: boolean;
}

const EMPTY: FeatureCollection<Geometry> = {
  type: "FeatureCollection",
  features: [],
};

/** Colour of a stay by its confidence, and red for a stay in conflict. */
const STAY_COLOUR: ExpressionSpecification = [
  "case",
  ["get", "conflict"],
  "#c92a2a",
  [
    "match",
    ["get", "level"],
    "high",
    "#2b8a3e",
    "medium",
    "#1c7ed6",
    "#868e96",
  ],
];

/** Adds the sources and layers of fused stays (uncertainty circles and centres) and moves. */
export function addRouteLayers(map: MaplibreMap): void {
  map.addSource(CIRCLE_SOURCE, { type: "geojson", data: EMPTY });
  map.addSource(CENTRE_SOURCE, { type: "geojson", data: EMPTY });
  map.addSource(MOVE_SOURCE, { type: "geojson", data: EMPTY });

  map.addLayer({
    id: "route-stay-fill",
    type: "fill",
    source: CIRCLE_SOURCE,
    paint: { "fill-color": STAY_COLOUR, "fill-opacity": 0.12 },
  });
  map.addLayer({
    id: "route-stay-outline",
    type: "line",
    source: CIRCLE_SOURCE,
    paint: {
      "line-color": STAY_COLOUR,
      "line-opacity": 0.6,
      "line-width": 1.2,
    },
  });
  map.addLayer({
    id: HIGHLIGHT_LAYER,
    type: "fill",
    source: CIRCLE_SOURCE,
    filter: ["==", ["get", "id"], ""],
    paint: { "fill-color": "#e8590c", "fill-opacity": 0.25 },
  });
  map.addLayer({
    id: "route-moves",
    type: "line",
    source: MOVE_SOURCE,
    layout: { "line-join": "round", "line-cap": "round" },
    paint: {
      "line-color": "#0d3b8c",
      "line-width": 2,
      "line-dasharray": [2, 1],
    },
  });
  map.addLayer({
    id: "route-stay-centres",
    type: "circle",
    source: CENTRE_SOURCE,
    paint: {
      "circle-radius": 5,
      "circle-color": STAY_COLOUR,
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 1.5,
    },
  });
}

/** Replaces the stays and moves that the route layers show. */
export function setRouteData(
  map: MaplibreMap,
  stays: readonly MappedStay[],
  moves: readonly MappedMove[],
): void {
  map.getSource<GeoJSONSource>(CIRCLE_SOURCE)?.setData(stayCircles(stays));
  map.getSource<GeoJSONSource>(CENTRE_SOURCE)?.setData(stayCentres(stays));
  map.getSource<GeoJSONSource>(MOVE_SOURCE)?.setData(moveLines(stays, moves));
}

/** Shades the uncertainty circle of one stay, or none. */
export function setHighlightedStay(
  map: MaplibreMap,
  stayId: string | null,
): void {
  if (map.getLayer(HIGHLIGHT_LAYER) !== undefined) {
    map.setFilter(HIGHLIGHT_LAYER, ["==", ["get", "id"], stayId ?? ""]);
  }
}

function propertiesOf(stay: MappedStay): StayProperties {
  return {
    id: stay.id,
    level: stay.confidenceLevel,
    conflict: stay.inConflict,
  };
}

/** Returns the uncertainty circle of every stay with a positive radius. */
export function stayCircles(
  stays: readonly MappedStay[],
): FeatureCollection<Polygon, StayProperties> {
  return {
    type: "FeatureCollection",
    features: stays
      .filter((stay) => stay.radiusMeters > 0)
      .map((stay) => ({
        type: "Feature",
        properties: propertiesOf(stay),
        geometry: circlePolygon(
          stay.longitude,
          stay.latitude,
          stay.radiusMeters,
        ),
      })),
  };
}

function stayCentres(
  stays: readonly MappedStay[],
): FeatureCollection<Point, StayProperties> {
  return {
    type: "FeatureCollection",
    features: stays.map((stay) => ({
      type: "Feature",
      properties: propertiesOf(stay),
      geometry: { type: "Point", coordinates: [stay.longitude, stay.latitude] },
    })),
  };
}

/** Returns a straight line for each move whose two stays are shown. */
export function moveLines(
  stays: readonly MappedStay[],
  moves: readonly MappedMove[],
): FeatureCollection<LineString, { id: string }> {
  const byId = new Map(stays.map((stay) => [stay.id, stay]));
  return {
    type: "FeatureCollection",
    features: moves.flatMap((move) => {
      const from = byId.get(move.fromStayId);
      const to = byId.get(move.toStayId);
      // A gap with no data gets no line, so it is not read as travel.
      if (move.noData === true) return [];
      if (from === undefined || to === undefined) return [];
      return [
        {
          type: "Feature" as const,
          properties: { id: move.id },
          geometry: {
            type: "LineString" as const,
            coordinates: [
              [from.longitude, from.latitude],
              [to.longitude, to.latitude],
            ],
          },
        },
      ];
    }),
  };
}
