export { computeGiStar, giStarFromNeighbors } from "./gi-star.js";
export {
  DEFAULT_H3_GI_STAR_OPTIONS,
  computeH3GiStar,
  type GridPoint,
  type H3GiStarOptions,
  type H3GiStarResult,
} from "./h3-grid.js";
export type {
  DistanceMetric,
  GiStarArea,
  GiStarResult,
  GiStarWeights,
} from "./types.js";
export { areaDistance, buildNeighborLists } from "./weights.js";
export {
  benjaminiHochberg,
  erfc,
  twoSidedNormalPValue,
} from "../statistics/normal.js";
