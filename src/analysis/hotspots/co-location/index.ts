export {
  DEFAULT_CO_LOCATION_OPTIONS,
  findCoLocationHotspots,
} from "./co-location.js";
export type { CoLocationHotspot, CoLocationOptions } from "./types.js";
