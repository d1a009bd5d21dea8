export {
  AreaLabeller,
  areaCodeColumns,
  NO_AREA_CODES,
  type AreaCodes,
  type AreaShape,
} from "./labeller.js";
export {
  AREA_LEVELS,
  CODE_LENGTH_BY_LEVEL,
  areaLevelOfCode,
  parentAreaCode,
} from "./levels.js";
export { loadAreaLabeller, shapeOfArea } from "./load.js";
export { labelPoint } from "./point.js";
export { representativePoint, type AreaPoint } from "./representative-point.js";
export { describeAreaCodes, findAreaNames, formatAreaPath } from "./names.js";
export { relabelStoredLocations, type RelabelCounts } from "./relabel.js";
