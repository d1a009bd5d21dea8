export { DEFAULT_EXPOSURE_OPTIONS, findExposures } from "./find-exposures.js";
export type {
  CirclePlace,
  DayLevelExposure,
  ExposedPerson,
  ExposureOptions,
  ExposurePlace,
  ExposureQuery,
  ExposureResult,
  ExposureStay,
  LooserSetting,
} from "./types.js";
export {
  boundsExtentMeters,
  checkPolygon,
  polygonBounds,
  type PolygonBounds,
} from "./polygon.js";
