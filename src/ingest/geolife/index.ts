export {
  GeolifePathError,
  readGeolifeFixes,
  resolvePltFiles,
  type GeolifeUserFixes,
  type PltFileEntry,
} from "./files.js";
export {
  GeolifeFormatError,
  parsePlt,
  PLT_HEADER_LINE_COUNT,
  type PltErrorLocation,
  type PltFix,
} from "./plt.js";
export {
  GEOLIFE_SOURCE,
  GEOLIFE_STAYPOINT_OPTIONS,
  importGeolife,
  type GeolifeImportOptions,
} from "./store-import.js";
