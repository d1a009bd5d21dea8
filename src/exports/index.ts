export {
  checkReason,
  exportCaseMovements,
  EXPORT_REASON_MAX_LENGTH,
  type ExportFile,
  type ExportRequest,
} from "./export-case.js";
export {
  EXPORT_FORMATS,
  movementsToCsv,
  movementsToGeoJson,
  type ExportFormat,
} from "./formats.js";
