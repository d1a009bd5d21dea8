import { ProviderFileError } from "../errors.js";
import type { ReadItem, SourceRow } from "../row-reader.js";

/** Property names read as the time of a GeoJSON point, in order of preference. */
const TIME_PROPERTIES = ["time", "timestamp", "tracked_at", "datetime", "when"];
/** Property names of per-coordinate times of a LineString or MultiPoint (as togeojson writes them). */
const TIMES_PROPERTIES = ["coordTimes", "times"];
const ACCURACY_PROPERTIES = [
  "accuracy",
  "accuracy_meters",
  "horizontal_accuracy",
];
const SUBJECT_PROPERTIES = ["subject", "user_id", "user", "uid"];

type Json = unknown;

/**
 * Reads position fixes from a GeoJSON FeatureCollection, Feature or
 * geometry. A Point feature is one fix, with its time in a property such as
 * `time`. A LineString or MultiPoint gives one fix per coordinate, timed by
 * a `coordTimes` array of the same length. Rows are numbered by feature.
 */
export function* readGeojsonRows(
  document: Json,
  file: string,
): Generator<ReadItem> {
  const features = featuresOf(document, file);
  for (let index = 0; index < features.length; index++) {
    yield* featureRows(features[index], file, index + 1);
  }
}

function featuresOf(document: Json, file: string): Json[] {
  const object = asObject(document);
  if (object?.type === "FeatureCollection" && Array.isArray(object.features)) {
    return object.features as Json[];
  }
  if (object?.type === "Feature") {
    return [object];
  }
  if (typeof object?.type === "string" && "coordinates" in object) {
    return [{ type: "Feature", geometry: object, properties: {} }];
  }
  throw new ProviderFileError(
    `${file} is not GeoJSON: expected a FeatureCollection, a Feature or a geometry. Export the track as GeoJSON, or give --format.`,
    file,
    "geojson_structure",
  );
}

function* featureRows(
  feature: Json,
  file: string,
  row: number,
): Generator<ReadItem> {
  const properties = asObject(asObject(feature)?.properties) ?? {};
  const geometry = asObject(asObject(feature)?.geometry);
  const common = {
    subject: firstText(properties, SUBJECT_PROPERTIES),
    accuracy_meters: firstText(properties, ACCURACY_PROPERTIES),
  };

  if (geometry?.type === "Point") {
    yield pointRow(file, row, geometry.coordinates, {
      ...common,
      tracked_at: firstText(properties, TIME_PROPERTIES),
    });
    return;
  }
  if (geometry?.type === "LineString" || geometry?.type === "MultiPoint") {
    yield* timedLineRows(file, row, geometry.coordinates, properties, common);
    return;
  }
  yield rejected(
    file,
    row,
    "geometry",
    String(geometry?.type ?? "null"),
    "geometry_type",
    "Give each feature a Point geometry, or a LineString or MultiPoint with a coordTimes property.",
  );
}

function* timedLineRows(
  file: string,
  row: number,
  coordinates: Json,
  properties: Record<string, Json>,
  common: Record<string, string>,
): Generator<ReadItem> {
  const points = Array.isArray(coordinates) ? coordinates : [];
  const times = TIMES_PROPERTIES.map((name) => properties[name]).find(
    Array.isArray,
  );
  if (times === undefined || times.length !== points.length) {
    yield rejected(
      file,
      row,
      "coordTimes",
      "",
      "required",
      `Give the feature a coordTimes array with one time per coordinate (${points.length}).`,
    );
    return;
  }
  for (let index = 0; index < points.length; index++) {
    const item = pointRow(file, row, points[index], {
      ...common,
      tracked_at: textOf(times[index]),
    });
    if (item.type === "row") {
      item.row.columnNames = positionColumnNames(index);
    }
    yield item;
  }
}

function pointRow(
  file: string,
  row: number,
  coordinates: Json,
  values: Record<string, string>,
): ReadItem {
  if (!Array.isArray(coordinates) || coordinates.length < 2) {
    return rejected(
      file,
      row,
      "coordinates",
      JSON.stringify(coordinates ?? null),
      "required",
      "Give the point coordinates as [longitude, latitude] or [longitude, latitude, altitude].",
    );
  }
  const [longitude, latitude, altitude] = coordinates as Json[];
  const source: SourceRow = {
    file,
    row,
    values: withoutEmpty({
      ...values,
      longitude: textOf(longitude),
      latitude: textOf(latitude),
      altitude_meters: textOf(altitude),
    }),
    columnNames: positionColumnNames(undefined),
  };
  return { type: "row", row: source };
}

function positionColumnNames(
  index: number | undefined,
): Record<string, string> {
  const at = index === undefined ? "" : `[${index}]`;
  return {
    longitude: `coordinates${at}[0]`,
    latitude: `coordinates${at}[1]`,
    altitude_meters: `coordinates${at}[2]`,
    tracked_at:
      index === undefined
        ? "properties.time"
        : `properties.coordTimes[${index}]`,
  };
}

function rejected(
  file: string,
  row: number,
  field: string,
  value: string,
  rule: string,
  hint: string,
): ReadItem {
  return {
    type: "rejected",
    rejection: { file, row, field, value, rule, hint },
  };
}

function asObject(value: Json): Record<string, Json> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, Json>)
    : undefined;
}

function firstText(
  object: Record<string, Json>,
  names: readonly string[],
): string {
  for (const name of names) {
    const text = textOf(object[name]);
    if (text !== "") {
      return text;
    }
  }
  return "";
}

/** Returns a string or a finite number as text, and "" for anything else. */
export function textOf(value: Json): string {
  if (typeof value === "string") {
    return value;
  }
  return typeof value === "number" ? String(value) : "";
}

function withoutEmpty(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== ""),
  );
}
