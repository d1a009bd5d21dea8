/** A WGS 84 position in decimal degrees. */
export interface GeoPosition {
  readonly latitude: number;
  readonly longitude: number;
}

const RADIANS_PER_DEGREE = Math.PI / 180;

/**
 * Computes the centre of positions: the arithmetic mean of the latitudes and
 * the circular mean of the longitudes, so that positions on both sides of the
 * antimeridian average to a longitude near ±180 instead of near 0.
 *
 * The returned longitude lies in [-180, 180]. When the longitudes cancel out
 * exactly (for example 0 and 180), the circular mean is undefined and the
 * first longitude is returned. Throws a RangeError for an empty list.
 */
export function meanPosition(positions: readonly GeoPosition[]): GeoPosition {
  const count = positions.length;
  if (count === 0) {
    throw new RangeError(
      "Invalid positions: expected at least one position to average",
    );
  }

  // Angles are taken relative to the first longitude. The circular mean does
  // not change, but one position, or several at one longitude, then returns
  // that longitude exactly instead of after a sin/cos/atan2 round trip.
  const referenceLongitude = positions[0]!.longitude;
  let latitudeSum = 0;
  let sinSum = 0;
  let cosSum = 0;
  for (let i = 0; i < count; i++) {
    const position = positions[i]!;
    const offsetRadians =
      (position.longitude - referenceLongitude) * RADIANS_PER_DEGREE;
    latitudeSum += position.latitude;
    sinSum += Math.sin(offsetRadians);
    cosSum += Math.cos(offsetRadians);
  }

  const meanOffset = Math.atan2(sinSum, cosSum) / RADIANS_PER_DEGREE;
  return {
    latitude: latitudeSum / count,
    longitude: wrapLongitude(referenceLongitude + meanOffset),
  };
}

function wrapLongitude(longitude: number): number {
  if (longitude > 180) {
    return longitude - 360;
  }
  return longitude < -180 ? longitude + 360 : longitude;
}
