import type { GeoPosition } from "./mean.js";

/** Mean Earth radius in metres, the default of trackintel's `point_haversine_dist`. */
export const EARTH_RADIUS_METERS = 6_371_000;

const RADIANS_PER_DEGREE = Math.PI / 180;

/**
 * Returns the great-circle distance in metres between two WGS 84 positions,
 * by the haversine formula on a sphere of radius `EARTH_RADIUS_METERS`.
 */
export function haversineMeters(from: GeoPosition, to: GeoPosition): number {
  const latitudeFrom = from.latitude * RADIANS_PER_DEGREE;
  const latitudeTo = to.latitude * RADIANS_PER_DEGREE;
  const halfDeltaLatitude = (latitudeTo - latitudeFrom) / 2;
  const halfDeltaLongitude =
    ((to.longitude - from.longitude) * RADIANS_PER_DEGREE) / 2;

  const sinLatitude = Math.sin(halfDeltaLatitude);
  const sinLongitude = Math.sin(halfDeltaLongitude);
  const h =
    sinLatitude * sinLatitude +
    Math.cos(latitudeFrom) * Math.cos(latitudeTo) * sinLongitude * sinLongitude;

  // Rounding can push h a little past 1 for antipodal points, and asin(> 1) is NaN.
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.sqrt(Math.min(1, h)));
}
