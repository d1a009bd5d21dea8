export { EARTH_RADIUS_METERS, haversineMeters } from "./haversine.js";
export { meanPosition, type GeoPosition } from "./mean.js";
