import { ProviderFileError } from "../errors.js";
import type { ReadItem } from "../row-reader.js";
import {
  attribute,
  childElements,
  childText,
  parseXml,
  type XmlElement,
} from "./xml.js";

const GPX_ARRAYS = new Set(["wpt", "rte", "rtept", "trk", "trkseg", "trkpt"]);

const GPX_COLUMN_NAMES = {
  latitude: "lat",
  longitude: "lon",
  tracked_at: "time",
  altitude_meters: "ele",
};

/**
 * Reads the points of a GPX 1.1 file as position fixes: waypoints, then
 * route points, then track points, as the GPX schema orders them. Rows are
 * numbered by point in that order. A point's `time` is its instant and
 * `ele` its altitude; GPX has no accuracy in metres, so the radius is left
 * empty.
 */
export function* readGpxRows(text: string, file: string): Generator<ReadItem> {
  const document = parseXml(text, file, GPX_ARRAYS);
  const gpx = childElements(document, "gpx")[0];
  if (gpx === undefined) {
    throw new ProviderFileError(
      `${file} has no <gpx> root element. Export the track as GPX 1.1, or give --format.`,
      file,
      "gpx_structure",
    );
  }

  let row = 0;
  for (const point of gpxPoints(gpx)) {
    row++;
    yield {
      type: "row",
      row: {
        file,
        row,
        values: {
          latitude: attribute(point, "lat"),
          longitude: attribute(point, "lon"),
          tracked_at: childText(point, "time"),
          altitude_meters: childText(point, "ele"),
        },
        columnNames: GPX_COLUMN_NAMES,
      },
    };
  }
}

function* gpxPoints(gpx: XmlElement): Generator<XmlElement> {
  yield* childElements(gpx, "wpt");
  for (const route of childElements(gpx, "rte")) {
    yield* childElements(route, "rtept");
  }
  for (const track of childElements(gpx, "trk")) {
    for (const segment of childElements(track, "trkseg")) {
      yield* childElements(segment, "trkpt");
    }
  }
}
