export { importBoundaries, type BoundariesImportOptions } from "./import.js";
export {
  parseBoundaryFeatures,
  readBoundaryFeatures,
  type ParsedArea,
  type ParsedFeature,
} from "./parse.js";
