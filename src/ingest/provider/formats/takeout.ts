import { ProviderFileError } from "../errors.js";
import type { ReadItem, SourceRow } from "../row-reader.js";
import { parseTime } from "../time.js";
import { textOf } from "./geojson.js";

type Json = unknown;
type JsonObject = Record<string, Json>;

const DAY_MILLIS = 86_400_000;
const HOUR_MILLIS = 3_600_000;

/** Tells whether parsed JSON looks like a Google Takeout location history file. */
export function isTakeoutDocument(document: Json): boolean {
  const object = asObject(document);
  return (
    Array.isArray(object?.timelineObjects) || Array.isArray(object?.locations)
  );
}

/**
 * Reads a Google Takeout location history file: Semantic Location History
 * (`timelineObjects` with `placeVisit` and `activitySegment`) or
 * Records.json (`locations`). Rows are numbered by timeline object or by
 * location. A place visit is a stay from its start to its end. A visit that
 * lasts exactly 24 hours from a whole hour is taken as a visit known only
 * to the day. An activity segment gives two fixes, at its start and its end.
 */
export function* readTakeoutRows(
  document: Json,
  file: string,
): Generator<ReadItem> {
  const object = asObject(document);
  if (Array.isArray(object?.timelineObjects)) {
    yield* timelineRows(object.timelineObjects as Json[], file);
    return;
  }
  if (Array.isArray(object?.locations)) {
    yield* recordsRows(object.locations as Json[], file);
    return;
  }
  throw new ProviderFileError(
    `${file} is not a Google Takeout location history: expected "timelineObjects" (Semantic Location History) or "locations" (Records.json).`,
    file,
    "takeout_structure",
  );
}

function* timelineRows(
  objects: readonly Json[],
  file: string,
): Generator<ReadItem> {
  for (let index = 0; index < objects.length; index++) {
    const row = index + 1;
    const object = asObject(objects[index]) ?? {};
    const visit = asObject(object.placeVisit);
    const segment = asObject(object.activitySegment);
    if (visit !== undefined) {
      yield* placeVisitRow(visit, file, row);
    } else if (segment !== undefined) {
      yield* activitySegmentRows(segment, file, row);
    } else {
      yield {
        type: "rejected",
        rejection: {
          file,
          row,
          field: "timelineObjects",
          value: Object.keys(object).join(","),
          rule: "takeout_structure",
          hint: "Each timeline object must hold a placeVisit or an activitySegment.",
        },
      };
    }
  }
}

function* placeVisitRow(
  visit: JsonObject,
  file: string,
  row: number,
): Generator<ReadItem> {
  const location = asObject(visit.location) ?? {};
  const rejections = e7Rejections(location, "location.", file, row);
  if (rejections.length > 0) {
    yield* rejections;
    return;
  }
  const duration = asObject(visit.duration) ?? {};
  const start = timestampText(duration, "start");
  const end = timestampText(duration, "end");
  const values: Record<string, string> = {
    ...e7Position(location),
    place_name: textOf(location.name),
    address: textOf(location.address),
  };
  const visitDate = wholeDayDate(start, end);
  if (visitDate !== undefined) {
    values.visit_date = visitDate;
  } else {
    values.tracked_at = start;
    values.ended_at = end;
  }
  yield {
    type: "row",
    row: takeoutRow(file, row, values, {
      latitude: "location.latitudeE7",
      longitude: "location.longitudeE7",
      tracked_at: "duration.startTimestamp",
      ended_at: "duration.endTimestamp",
    }),
  };
}

function* activitySegmentRows(
  segment: JsonObject,
  file: string,
  row: number,
): Generator<ReadItem> {
  const duration = asObject(segment.duration) ?? {};
  for (const end of ["start", "end"] as const) {
    const location = asObject(segment[`${end}Location`]) ?? {};
    const rejections = e7Rejections(location, `${end}Location.`, file, row);
    if (rejections.length > 0) {
      yield* rejections;
      continue;
    }
    const values = {
      ...e7Position(location),
      tracked_at: timestampText(duration, end),
    };
    yield {
      type: "row",
      row: takeoutRow(file, row, values, {
        latitude: `${end}Location.latitudeE7`,
        longitude: `${end}Location.longitudeE7`,
        tracked_at: `duration.${end}Timestamp`,
      }),
    };
  }
}

function* recordsRows(
  locations: readonly Json[],
  file: string,
): Generator<ReadItem> {
  for (let index = 0; index < locations.length; index++) {
    const location = asObject(locations[index]) ?? {};
    const rejections = e7Rejections(location, "", file, index + 1);
    if (rejections.length > 0) {
      yield* rejections;
      continue;
    }
    const values = {
      ...e7Position(location),
      tracked_at: instantText(location.timestamp, location.timestampMs),
      accuracy_meters: textOf(location.accuracy),
      altitude_meters: textOf(location.altitude),
    };
    yield {
      type: "row",
      row: takeoutRow(file, index + 1, values, {
        latitude: "latitudeE7",
        longitude: "longitudeE7",
        tracked_at: "timestamp",
        accuracy_meters: "accuracy",
        altitude_meters: "altitude",
      }),
    };
  }
}

function takeoutRow(
  file: string,
  row: number,
  values: Record<string, string>,
  columnNames: Record<string, string>,
): SourceRow {
  const present = Object.entries(values).filter(([, value]) => value !== "");
  return { file, row, values: Object.fromEntries(present), columnNames };
}

/** Converts Takeout's integer degrees × 10^7 to decimal degrees as text. */
function e7Position(location: JsonObject): Record<string, string> {
  return {
    latitude: e7Text(location.latitudeE7),
    longitude: e7Text(location.longitudeE7),
  };
}

function e7Text(value: Json): string {
  const text = textOf(value);
  if (!/^-?\d+$/.test(text)) {
    return text;
  }
  return String(Number(text) / 1e7);
}

const E7_FORM =
  "E7 values are degrees × 10^7 as whole numbers, such as latitudeE7 375665000 and longitudeE7 1269780000 for Seoul City Hall.";

/**
 * Returns the rejections of a location's latitudeE7 and longitudeE7 that
 * are present but not whole numbers, out of range, or swapped, with the
 * raw values in the message. A missing value is left to the row reader.
 */
function e7Rejections(
  location: JsonObject,
  prefix: string,
  file: string,
  row: number,
): ReadItem[] {
  const latitudeText = textOf(location.latitudeE7);
  const longitudeText = textOf(location.longitudeE7);
  const reject = (axis: string, value: string, rule: string, hint: string) => ({
    type: "rejected" as const,
    rejection: { file, row, field: `${prefix}${axis}E7`, value, rule, hint },
  });

  const rejections: ReadItem[] = [];
  for (const [axis, text] of [
    ["latitude", latitudeText],
    ["longitude", longitudeText],
  ] as const) {
    if (text !== "" && !/^-?\d+$/.test(text)) {
      rejections.push(
        reject(
          axis,
          text,
          "number_format",
          `${prefix}${axis}E7 is ${JSON.stringify(text)}, not a whole number. ${E7_FORM}`,
        ),
      );
    }
  }
  if (rejections.length > 0 || latitudeText === "" || longitudeText === "") {
    return rejections;
  }

  const latitude = Number(latitudeText) / 1e7;
  const longitude = Number(longitudeText) / 1e7;
  if (Math.abs(latitude) > 90 && Math.abs(longitude) <= 90) {
    return [
      reject(
        "latitude",
        latitudeText,
        "coordinates_swapped",
        `${prefix}latitudeE7 ${latitudeText} is ${latitude}°, outside -90 to 90, but ${prefix}longitudeE7 ${longitudeText} would be a valid latitude: the values look swapped. Swap them in the file. ${E7_FORM}`,
      ),
    ];
  }
  if (Math.abs(latitude) > 90) {
    rejections.push(
      reject(
        "latitude",
        latitudeText,
        "latitude_range",
        `${prefix}latitudeE7 ${latitudeText} is ${latitude}°, outside -90 to 90. ${E7_FORM}`,
      ),
    );
  }
  if (Math.abs(longitude) > 180) {
    rejections.push(
      reject(
        "longitude",
        longitudeText,
        "longitude_range",
        `${prefix}longitudeE7 ${longitudeText} is ${longitude}°, outside -180 to 180. ${E7_FORM}`,
      ),
    );
  }
  return rejections;
}

/** Returns `startTimestamp` (ISO 8601) or `startTimestampMs` (epoch milliseconds) as ISO 8601 text. */
function timestampText(duration: JsonObject, end: "start" | "end"): string {
  return instantText(
    duration[`${end}Timestamp`],
    duration[`${end}TimestampMs`],
  );
}

function instantText(iso: Json, epochMillis: Json): string {
  const isoText = textOf(iso);
  if (isoText !== "") {
    return isoText;
  }
  const millisText = textOf(epochMillis);
  if (!/^-?\d+$/.test(millisText)) {
    return millisText;
  }
  const date = new Date(Number(millisText));
  return Number.isNaN(date.getTime()) ? millisText : date.toISOString();
}

/**
 * Returns the day of a visit that lasts exactly 24 hours from a whole hour,
 * as exports that know only the day write it (midnight to midnight in the
 * exporter's zone). The day is the UTC date of the visit's midpoint, which
 * is the exporter's date for any zone from UTC-11:00 to UTC+12:00.
 */
function wholeDayDate(start: string, end: string): string | undefined {
  const startMillis = isoMillis(start);
  const endMillis = isoMillis(end);
  if (startMillis === undefined || endMillis === undefined) {
    return undefined;
  }
  const isWholeDay =
    endMillis - startMillis === DAY_MILLIS &&
    ((startMillis % HOUR_MILLIS) + HOUR_MILLIS) % HOUR_MILLIS === 0;
  if (!isWholeDay) {
    return undefined;
  }
  return new Date(startMillis + DAY_MILLIS / 2).toISOString().slice(0, 10);
}

function isoMillis(text: string): number | undefined {
  const result = parseTime(text, { zone: "UTC" });
  if (!result.ok || result.time.type !== "instant" || result.time.assumedZone) {
    return undefined;
  }
  return result.time.epochMillis;
}

function asObject(value: Json): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}
