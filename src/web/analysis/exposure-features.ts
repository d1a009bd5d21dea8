import { circlePolygon } from "../map/geometry.js";
import type { AnalysisFeature } from "./AnalysisMap.js";
import { polygonOf, type DrawnPolygon } from "./exposure-polygon.js";

/** Radius factors of the lighter circles drawn around the query, as the server's looser settings use them. */
const LOOSER_FACTORS = [2, 4];

const PLACE_STYLE = {
  fill: "#1f5fbf",
  outline: "#17498f",
  opacity: 0.25,
  outlineWidth: 2,
};

/** Builds the query's circle, and lighter circles at the radii of the looser settings. */
export function circleFeatures(
  latitudeText: string,
  longitudeText: string,
  radiusText: string,
): AnalysisFeature[] {
  const latitude = Number(latitudeText);
  const longitude = Number(longitudeText);
  const radius = Number(radiusText);
  if (
    latitudeText.trim() === "" ||
    longitudeText.trim() === "" ||
    !(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180 && radius > 0)
  ) {
    return [];
  }
  const looser: AnalysisFeature[] = LOOSER_FACTORS.map((factor) => ({
    type: "Feature",
    geometry: circlePolygon(longitude, latitude, radius * factor),
    properties: {
      id: `looser-${factor}`,
      fill: "#1f5fbf",
      outline: "#7d9fd6",
      opacity: 0.04,
      outlineWidth: 1,
    },
  }));
  return [
    ...looser.reverse(),
    {
      type: "Feature",
      geometry: circlePolygon(longitude, latitude, radius),
      properties: { id: "query", ...PLACE_STYLE },
    },
    {
      type: "Feature",
      geometry: { type: "Point", coordinates: [longitude, latitude] },
      properties: {
        id: "centre",
        fill: "#17498f",
        outline: "#ffffff",
        opacity: 1,
        outlineWidth: 2,
      },
    },
  ];
}

/**
 * Builds the drawn polygon (feature id `query-polygon`) once it has 3
 * corners, and a point at each corner (`corner-0`, `corner-1`, …) so that
 * the first clicks show on the map too.
 */
export function polygonFeatures(drawing: DrawnPolygon): AnalysisFeature[] {
  const polygon = polygonOf(drawing);
  const corners: AnalysisFeature[] = drawing.vertices.map((vertex, index) => ({
    type: "Feature",
    geometry: { type: "Point", coordinates: vertex },
    properties: {
      id: `corner-${index}`,
      fill: "#17498f",
      outline: "#ffffff",
      opacity: 1,
      outlineWidth: 2,
      size: 4,
    },
  }));
  if (polygon === null) {
    return corners;
  }
  return [
    {
      type: "Feature",
      geometry: polygon,
      properties: { id: "query-polygon", ...PLACE_STYLE },
    },
    ...corners,
  ];
}
