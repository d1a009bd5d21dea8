import type {
  Feature,
  GeoJsonProperties,
  Geometry,
  MultiPolygon,
  Polygon,
  Position,
} from "geojson";
import { feature } from "topojson-client";

import { areaLevelOfCode, parentAreaCode } from "../../areas/index.js";
import type { AdministrativeAreaTable } from "../../store/index.js";
import type { RejectionCollector } from "../report.js";

/** A TopoJSON Topology, as topojson-client types it. */
type Topology = Parameters<typeof feature>[0];

/** An area read from a boundary file, ready to be stored. */
export type ParsedArea = AdministrativeAreaTable;

/** An area with the 1-based number of the feature it was read from. */
export interface ParsedFeature {
  featureNumber: number;
  area: ParsedArea;
}

/**
 * Reads the features of a GeoJSON (FeatureCollection or Feature) or
 * TopoJSON (Topology, every object converted with topojson-client's
 * `feature`) boundary file. Throws when the file is not JSON of one of
 * those types.
 */
export function readBoundaryFeatures(
  fileName: string,
  text: string,
): Feature[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `Boundary file ${fileName} is not valid JSON. Give a GeoJSON FeatureCollection or a TopoJSON Topology.`,
      { cause: error },
    );
  }

  const type = (document as { type?: unknown } | null)?.type;
  if (type === "Topology") {
    return topologyFeatures(document as Topology);
  }
  if (type === "FeatureCollection") {
    return (document as { features: Feature[] }).features;
  }
  if (type === "Feature") {
    return [document as Feature];
  }
  throw new Error(
    `Boundary file ${fileName} has type ${JSON.stringify(type)}, but a GeoJSON FeatureCollection or Feature, or a TopoJSON Topology, is expected.`,
  );
}

function topologyFeatures(topology: Topology): Feature[] {
  const features: Feature[] = [];
  for (const object of Object.values(topology.objects)) {
    const converted = feature(topology, object);
    if (converted.type === "FeatureCollection") {
      features.push(...converted.features);
    } else {
      features.push(converted);
    }
  }
  return features;
}

/**
 * Turns the features of one boundary file into areas. A feature with a
 * missing or malformed code, name or geometry is added to `rejections`
 * with its 1-based feature number in the file as the row.
 */
export function parseBoundaryFeatures(
  fileName: string,
  features: readonly Feature[],
  rejections: RejectionCollector,
): ParsedFeature[] {
  const parsed: ParsedFeature[] = [];
  features.forEach((item, index) => {
    const reject = (
      field: string,
      value: unknown,
      rule: string,
      hint: string,
    ) =>
      rejections.add({
        file: fileName,
        row: index + 1,
        field,
        value: describeValue(value),
        rule,
        hint,
      });
    const area = parseFeature(item, reject);
    if (area !== undefined) {
      parsed.push({ featureNumber: index + 1, area });
    }
  });
  return parsed;
}

type Reject = (
  field: string,
  value: unknown,
  rule: string,
  hint: string,
) => void;

function parseFeature(item: Feature, reject: Reject): ParsedArea | undefined {
  const properties: NonNullable<GeoJsonProperties> = item.properties ?? {};
  const code = textOf(properties.code);
  const level = code === null ? undefined : areaLevelOfCode(code);
  if (code === null || level === undefined) {
    reject(
      "properties.code",
      properties.code,
      "area_code",
      "Give the KOSTAT census code: 2 digits for a province, 5 for a si/gun/gu, 7 for an eup/myeon/dong.",
    );
    return undefined;
  }

  const name = textOf(properties.name);
  if (name === null) {
    reject(
      "properties.name",
      properties.name,
      "area_name",
      "Give the Korean name of the area, such as 종로구.",
    );
    return undefined;
  }

  const geometry = polygonalGeometry(item.geometry);
  const bbox = geometry === undefined ? undefined : boundingBox(geometry);
  if (geometry === undefined || bbox === undefined) {
    reject(
      "geometry",
      item.geometry?.type ?? null,
      "area_geometry",
      "Give a Polygon or MultiPolygon with WGS 84 longitude and latitude in degrees.",
    );
    return undefined;
  }

  return {
    code,
    level,
    name,
    name_eng: textOf(properties.name_eng),
    parent_code: parentAreaCode(code),
    base_year: textOf(properties.base_year),
    ...bbox,
    geometry: JSON.stringify(geometry),
  };
}

function textOf(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value === "string" && value.trim() !== "") {
    return value.trim();
  }
  return null;
}

function describeValue(value: unknown): string {
  if (value === undefined) {
    return "";
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Returns a copy with only type and coordinates, or undefined for other geometry types. */
function polygonalGeometry(
  geometry: Geometry | null,
): Polygon | MultiPolygon | undefined {
  if (geometry?.type === "Polygon") {
    return { type: "Polygon", coordinates: geometry.coordinates };
  }
  if (geometry?.type === "MultiPolygon") {
    return { type: "MultiPolygon", coordinates: geometry.coordinates };
  }
  return undefined;
}

interface BoundingBox {
  min_longitude: number;
  min_latitude: number;
  max_longitude: number;
  max_latitude: number;
}

/** Returns the bounding box, or undefined when there is no position or a position is not a WGS 84 longitude and latitude. */
function boundingBox(
  geometry: Polygon | MultiPolygon,
): BoundingBox | undefined {
  const rings =
    geometry.type === "Polygon"
      ? geometry.coordinates
      : geometry.coordinates.flat();
  const positions: Position[] = rings.flat();

  const box = {
    min_longitude: Infinity,
    min_latitude: Infinity,
    max_longitude: -Infinity,
    max_latitude: -Infinity,
  };
  for (const [longitude, latitude] of positions) {
    if (!isLongitude(longitude) || !isLatitude(latitude)) {
      return undefined;
    }
    box.min_longitude = Math.min(box.min_longitude, longitude);
    box.min_latitude = Math.min(box.min_latitude, latitude);
    box.max_longitude = Math.max(box.max_longitude, longitude);
    box.max_latitude = Math.max(box.max_latitude, latitude);
  }
  return positions.length === 0 ? undefined : box;
}

function isLongitude(value: number | undefined): value is number {
  return typeof value === "number" && value >= -180 && value <= 180;
}

function isLatitude(value: number | undefined): value is number {
  return typeof value === "number" && value >= -90 && value <= 90;
}
