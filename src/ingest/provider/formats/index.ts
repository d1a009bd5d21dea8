import path from "node:path";

import { readCsvRows, type CsvItem, type CsvReadOptions } from "../csv.js";
import { ProviderFileError } from "../errors.js";
import type { KindSpec, ProviderKind } from "../kinds.js";
import type { ReadItem } from "../row-reader.js";
import { readWholeText, readText, type InspectedFile } from "../source.js";
import {
  isCoronamapLiveDocument,
  readCoronamapLiveRows,
} from "./coronamap-live.js";
import {
  isCoronamapSiteDocument,
  readCoronamapSiteRows,
} from "./coronamap-site.js";
import { readGeojsonRows } from "./geojson.js";
import { readGpxRows } from "./gpx.js";
import { readKmlRows } from "./kml.js";
import { isTakeoutDocument, readTakeoutRows } from "./takeout.js";

/**
 * File formats, as `--format` names them. CSV contains any kind, the
 * coronamap formats contain interview visits and the others GPS data.
 */
export const PROVIDER_FORMATS = [
  "csv",
  "geojson",
  "gpx",
  "kml",
  "takeout",
  "coronamap-site",
  "coronamap-live",
] as const;
export type ProviderFormat = (typeof PROVIDER_FORMATS)[number];

/** Kinds that each format other than CSV can hold. */
const KINDS_BY_FORMAT: Readonly<
  Record<Exclude<ProviderFormat, "csv">, readonly ProviderKind[]>
> = {
  geojson: ["gps"],
  gpx: ["gps"],
  kml: ["gps"],
  takeout: ["gps"],
  "coronamap-site": ["interview"],
  "coronamap-live": ["interview"],
};

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
 * ignored: `json` means GeoJSON, Takeout or a coronamap export,
 * distinguished by content. Returns undefined for an unknown extension.
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
  if (format !== "json") {
    checkFormatForKind(file.name, format, spec.kind);
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
      yield* readJsonRows(file, format, spec.kind);
  }
}

/**
 * Rejects a file whose format cannot hold the kind, such as a GPX file
 * given as `--kind card`. `shownFormat` is the format as the caller gave it
 * (`json` before the content decided).
 */
function checkFormatForKind(
  name: string,
  format: ProviderFormat,
  kind: ProviderKind,
  shownFormat: ProviderFormat | "json" = format,
): void {
  if (format === "csv" || KINDS_BY_FORMAT[format].includes(kind)) {
    return;
  }
  const content = KINDS_BY_FORMAT[format].includes("gps")
    ? "GPS data"
    : "interview visits";
  const others = PROVIDER_FORMATS.filter(
    (other) => other !== "csv" && KINDS_BY_FORMAT[other].includes(kind),
  );
  const allowed = ["CSV", ...others].join(", ");
  throw new ProviderFileError(
    `${name} is read as ${shownFormat}, which contains ${content} only; ${kind} files must be ${allowed}. Give --format csv, or check --kind.`,
    name,
    "format_for_kind",
  );
}

type JsonFormat =
  "geojson" | "takeout" | "coronamap-site" | "coronamap-live" | "json";

async function* readJsonRows(
  file: InspectedFile,
  declared: JsonFormat,
  kind: ProviderKind,
): AsyncGenerator<ReadItem> {
  // NOTE: JSON and XML files are parsed whole, so their size is bounded by
  // memory; only CSV is read as a stream.
  const document = parseJson(await readWholeText(file), file.name);
  const format = declared === "json" ? detectJsonFormat(document) : declared;
  checkFormatForKind(file.name, format, kind, declared);
  switch (format) {
    case "takeout":
      yield* readTakeoutRows(document, file.name);
      return;
    case "coronamap-site":
      yield* readCoronamapSiteRows(document, file.name);
      return;
    case "coronamap-live":
      yield* readCoronamapLiveRows(document, file.name);
      return;
    default:
      yield* readGeojsonRows(document, file.name);
  }
}

/** Tells the format of a `.json` file by its content: GeoJSON unless it is a Takeout or coronamap file. */
function detectJsonFormat(document: unknown): Exclude<JsonFormat, "json"> {
  if (isTakeoutDocument(document)) {
    return "takeout";
  }
  if (isCoronamapSiteDocument(document)) {
    return "coronamap-site";
  }
  if (isCoronamapLiveDocument(document)) {
    return "coronamap-live";
  }
  return "geojson";
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
