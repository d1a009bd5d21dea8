import { ProviderFileError } from "../errors.js";
import type { ReadItem, SourceRow } from "../row-reader.js";
import {
  childElements,
  childText,
  childTexts,
  parseXml,
  type XmlElement,
} from "./xml.js";

const KML_ARRAYS = new Set([
  "Document",
  "Folder",
  "Placemark",
  "Track",
  "when",
  "coord",
]);

type PointValues = Record<string, string>;

/** Key of PointValues, not a column, present when the times come from a TimeSpan. */
const SPAN_KEY = "\u0000span";

/**
 * Reads the placemarks of a KML file as position fixes and stays, in
 * document order within each folder. A placemark with a Point is one row:
 * a fix at its TimeStamp, or a stay over its TimeSpan (as Google Timeline
 * exports visits), named by its `name` and `address`. A gx:Track gives one
 * row per `when` and `gx:coord` pair. Rows are numbered by point.
 */
export function* readKmlRows(text: string, file: string): Generator<ReadItem> {
  const document = parseXml(text, file, KML_ARRAYS);
  const kml = childElements(document, "kml")[0];
  if (kml === undefined) {
    throw new ProviderFileError(
      `${file} has no <kml> root element. Export the track as KML, or give --format.`,
      file,
      "kml_structure",
    );
  }

  let row = 0;
  for (const placemark of placemarks(kml)) {
    for (const values of placemarkPoints(placemark)) {
      row++;
      yield { type: "row", row: kmlRow(file, row, values) };
    }
  }
}

function kmlRow(file: string, row: number, values: PointValues): SourceRow {
  const { [SPAN_KEY]: span, ...columns } = values;
  return {
    file,
    row,
    values: columns,
    columnNames: {
      latitude: "coordinates latitude",
      longitude: "coordinates longitude",
      tracked_at: span === undefined ? "when" : "TimeSpan begin",
      ended_at: "TimeSpan end",
    },
  };
}

/** Yields the placemarks of a container and of its documents and folders, depth first. */
function* placemarks(container: XmlElement): Generator<XmlElement> {
  yield* childElements(container, "Placemark");
  for (const child of [
    ...childElements(container, "Document"),
    ...childElements(container, "Folder"),
  ]) {
    yield* placemarks(child);
  }
}

function* placemarkPoints(placemark: XmlElement): Generator<PointValues> {
  const point = childElements(placemark, "Point")[0];
  if (point !== undefined) {
    yield pointValues(placemark, point);
  }
  const tracks = [
    ...childElements(placemark, "Track"),
    ...childElements(placemark, "MultiTrack").flatMap((multi) =>
      childElements(multi, "Track"),
    ),
  ];
  for (const track of tracks) {
    yield* trackPoints(track);
  }
}

function pointValues(placemark: XmlElement, point: XmlElement): PointValues {
  // KML writes coordinates as longitude,latitude[,altitude].
  const [longitude = "", latitude = "", altitude = ""] = childText(
    point,
    "coordinates",
  )
    .split(",")
    .map((part) => part.trim());
  const span = childElements(placemark, "TimeSpan")[0];
  const stamp = childElements(placemark, "TimeStamp")[0];
  return withoutEmpty({
    longitude,
    latitude,
    altitude_meters: altitude,
    tracked_at:
      span === undefined ? childText(stamp, "when") : childText(span, "begin"),
    ended_at: span === undefined ? "" : childText(span, "end"),
    [SPAN_KEY]: span === undefined ? "" : "yes",
    place_name: childText(placemark, "name"),
    address: childText(placemark, "address"),
  });
}

function* trackPoints(track: XmlElement): Generator<PointValues> {
  const whens = childTexts(track, "when");
  const coords = childTexts(track, "coord");
  const count = Math.max(whens.length, coords.length);
  for (let index = 0; index < count; index++) {
    // gx:coord separates longitude, latitude and altitude by spaces.
    const [longitude = "", latitude = "", altitude = ""] = (
      coords[index] ?? ""
    ).split(/\s+/);
    yield withoutEmpty({
      longitude,
      latitude,
      altitude_meters: altitude,
      tracked_at: whens[index] ?? "",
    });
  }
}

function withoutEmpty(values: PointValues): PointValues {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== ""),
  );
}
