import path from "node:path";

import { readCsvRows, type CsvItem, type CsvReadOptions } from "../csv.js";
import { ProviderFileError } from "../errors.js";
import type { KindSpec } from "../kinds.js";
import type { ReadItem } from "../row-reader.js";
import { readWholeText, readText, type InspectedFile } from "../source.js";
import { readGeojsonRows } from "./geojson.js";
import { readGpxRows } from "./gpx.js";
import { readKmlRows } from "./kml.js";
import { isTakeoutDocument, readTakeoutRows } from "./takeout.js";

/** File formats, as `--format` names them. Formats other than CSV hold GPS data only. */
export const PROVIDER_FORMATS = [
  "csv",
  "geojson",
  "gpx",
  "kml",
  "takeout",
] as const;
export type ProviderFormat = (typeof PROVIDER_FORMATS)[number];

const FORMAT_BY_EXTENSION: Readonly<Record<string, ProviderFormat | "json">> = {
  ".csv": "csv",
  ".tsv": "csv",
  ".txt": "csv",
  ".geojson": "geojson",
  ".gpx": "gpx",
  ".kml": "kml",
  ".json": "json",
};

/**
 * Returns the format of a file from its extension, a trailing `.gz`
 * ignored: `json` means GeoJSON or Takeout, distinguished by content. Returns
 * undefined for an unknown extension.
 */
export function formatOfPath(
  filePath: string,
): ProviderFormat | "json" | undefined {
  const name = filePath.toLowerCase().replace(/\.gz$/, "");
  return FORMAT_BY_EXTENSION[path.extname(name)];
}

/**
 * Reads the rows of one provider file in the given format (by default, the
 * one its extension names). Throws a ProviderFileError when the file cannot
 * be read as that format, or when the kind has no data in that format.
 */
export async function* readFormatRows(
  file: InspectedFile,
  spec: KindSpec,
  declared: ProviderFormat | undefined,
  csvOptions: CsvReadOptions,
): AsyncGenerator<CsvItem | ReadItem> {
  const format = declared ?? formatOfPath(file.path) ?? "csv";
  if (format !== "csv" && spec.kind !== "gps") {
    throw new ProviderFileError(
      `${file.name} is read as ${format}, which contains GPS data only; ${spec.kind} files must be CSV. Give --format csv, or check --kind.`,
      file.name,
      "format_for_kind",
    );
  }

  switch (format) {
    case "csv":
      yield* readCsvRows(readText(file), file.name, spec, csvOptions);
      return;
    case "gpx":
      yield* readGpxRows(await readWholeText(file), file.name);
      return;
    case "kml":
      yield* readKmlRows(await readWholeText(file), file.name);
      return;
    default:
      yield* readJsonRows(file, format);
  }
}

async function* readJsonRows(
  file: InspectedFile,
  format: "geojson" | "takeout" | "json",
): AsyncGenerator<ReadItem> {
  // NOTE: JSON and XML files are parsed whole, so their size is bounded by
  // memory; only CSV is read as a stream.
  const document = parseJson(await readWholeText(file), file.name);
  const isTakeout =
    format === "takeout" || (format === "json" && isTakeoutDocument(document));
  if (isTakeout) {
    yield* readTakeoutRows(document, file.name);
  } else {
    yield* readGeojsonRows(document, file.name);
  }
}

function parseJson(text: string, file: string): unknown {
  if (text.trim() === "") {
    throw new ProviderFileError(
      `${file} is empty. Export the data again.`,
      file,
      "empty_file",
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProviderFileError(
      `${file} is not valid JSON: ${(error as Error).message}. Export the file again.`,
      file,
      "json_syntax",
      { cause: error },
    );
  }
}
