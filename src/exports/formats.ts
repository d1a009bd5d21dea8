import type { Movement } from "../cases/index.js";

/** File formats a case's movements can be exported in. */
export const EXPORT_FORMATS = ["csv", "geojson"] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Media type and file extension of each export format. */
export const FORMAT_FILES: Readonly<
  Record<ExportFormat, { contentType: string; extension: string }>
> = {
  csv: { contentType: "text/csv; charset=utf-8", extension: "csv" },
  geojson: { contentType: "application/geo+json", extension: "geojson" },
};

const CSV_COLUMNS = [
  "case_number",
  "ordinal",
  "type",
  "source_kind",
  "visit_date",
  "started_at",
  "ended_at",
  "dwell_minutes",
  "latitude",
  "longitude",
  "radius_meters",
  "place_name",
  "place_types",
  "address",
  "province",
  "municipality",
  "submunicipality",
  "flags",
] as const;

/** Byte order mark, so that spreadsheet programs read the file as UTF-8. */
const UTF8_BOM = "\uFEFF";

/**
 * Writes movements as CSV (RFC 4180, CRLF line ends, UTF-8 with a byte
 * order mark), one row per movement in timeline order. Times are ISO 8601
 * instants in Seoul time (+09:00).
 */
export function movementsToCsv(
  caseNumber: string,
  movements: readonly Movement[],
): string {
  const rows = movements.map((movement, index) =>
    [
      text(caseNumber),
      String(index + 1),
      movement.type,
      movement.sourceKind,
      movement.visitDate ?? "",
      seoulInstant(movement.startedAt),
      seoulInstant(movement.endedAt),
      numberCell(movement.dwellMinutes),
      numberCell(movement.latitude),
      numberCell(movement.longitude),
      numberCell(movement.radiusMeters),
      text(movement.placeName),
      text(movement.placeTypes.join(";")),
      text(movement.address),
      text(movement.area?.provinceName ?? null),
      text(movement.area?.municipalityName ?? null),
      text(movement.area?.submunicipalityName ?? null),
      text(movement.flags.join(";")),
    ]
      .map(quote)
      .join(","),
  );
  return `${UTF8_BOM}${[CSV_COLUMNS.join(","), ...rows].join("\r\n")}\r\n`;
}

/**
 * Writes movements as a GeoJSON FeatureCollection (RFC 7946) of Point
 * features in timeline order. A movement without a position keeps its
 * place in the order with a null geometry.
 */
export function movementsToGeoJson(
  caseNumber: string,
  movements: readonly Movement[],
): string {
  const features = movements.map((movement, index) => ({
    type: "Feature",
    id: movement.id,
    geometry:
      movement.latitude === null || movement.longitude === null
        ? null
        : {
            type: "Point",
            coordinates: [movement.longitude, movement.latitude],
          },
    properties: {
      caseNumber,
      ordinal: index + 1,
      type: movement.type,
      sourceKind: movement.sourceKind,
      visitDate: movement.visitDate,
      startedAt: nullableSeoulInstant(movement.startedAt),
      endedAt: nullableSeoulInstant(movement.endedAt),
      dwellMinutes: movement.dwellMinutes,
      radiusMeters: movement.radiusMeters,
      placeName: movement.placeName,
      placeTypes: movement.placeTypes,
      address: movement.address,
      area: movement.area,
      flags: movement.flags,
    },
  }));
  return `${JSON.stringify({ type: "FeatureCollection", features }, null, 2)}\n`;
}

const SEOUL_OFFSET_MS = 9 * 3_600_000;

/** Formats an epoch-ms instant as ISO 8601 in Seoul time, which has no daylight saving. */
function nullableSeoulInstant(instant: number | null): string | null {
  if (instant === null) {
    return null;
  }
  const shifted = new Date(Number(instant) + SEOUL_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 19)}+09:00`;
}

function seoulInstant(instant: number | null): string {
  return nullableSeoulInstant(instant) ?? "";
}

function numberCell(value: number | null): string {
  return value === null ? "" : String(value);
}

/**
 * Returns a text cell that a spreadsheet program will not run as a
 * formula: a value starting with =, +, -, @, tab or carriage return gets a
 * leading apostrophe.
 */
function text(value: string | null): string {
  if (value === null) {
    return "";
  }
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
