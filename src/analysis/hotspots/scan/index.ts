export { DEFAULT_SCAN_OPTIONS, runSpaceTimeScan } from "./scan.js";
export { logLikelihoodRatio, relativeRisk } from "./likelihood.js";
export type {
  ScanAnalysis,
  ScanCaseCount,
  ScanCluster,
  ScanInput,
  ScanLocation,
  ScanModel,
  ScanOptions,
  ScanPopulation,
  ScanResult,
} from "./types.js";
export { dateOfEpochDay, epochDayOf } from "./days.js";
