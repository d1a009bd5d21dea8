export { DEFAULT_MAX_LINE_LENGTH } from "./csv.js";
export {
  decodeBuffer,
  detectEncoding,
  ENCODING_CHOICES,
  TEXT_ENCODINGS,
  type EncodingChoice,
  type TextEncoding,
} from "./encoding.js";
export { ProviderFileError } from "./errors.js";
export {
  importProviderFiles,
  PROVIDER_SOURCE,
  type ProviderImportOptions,
  type ProviderImportResult,
} from "./import.js";
export { PROVIDER_FORMATS, type ProviderFormat } from "./formats/index.js";
export {
  CELL_TYPE_ALIASES,
  DEFAULT_CELL_RADIUS_METERS,
  DEFAULT_CELL_TYPE,
  isProviderKind,
  KIND_SPECS,
  PROVIDER_KINDS,
  type FieldSpec,
  type KindSpec,
  type ProviderKind,
} from "./kinds.js";
export { recordJson, rejectedJson, summaryJson } from "./output.js";
export {
  DEFAULT_MAX_SPEED_METERS_PER_SECOND,
  RECORD_FLAGS,
  type ProviderRecord,
  type RecordFlag,
} from "./records.js";
export { fillImportReport, formatValidation } from "./report.js";
export {
  compileDateFormat,
  parseClock,
  parseTime,
  type CalendarDate,
  type ClockTime,
  type ParsedTime,
  type TimeOptions,
} from "./time.js";
export {
  validateProviderFiles,
  type ProviderFileSummary,
  type ProviderFlagCount,
  type ProviderReadOptions,
  type ProviderValidateOptions,
  type ProviderValidation,
  type RecordProblem,
} from "./validate.js";
export { providerSourceRef } from "./persons.js";
export { comparableSubject } from "./subjects.js";
export { DEFAULT_ZONE, isKnownZone, zonedToInstant } from "./zone.js";
