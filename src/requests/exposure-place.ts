import { AppError } from "../errors.js";
import type { DataKind, DataRequest } from "../store/index.js";
import type { RequestSettings } from "./settings.js";

/** The place of an exposure request: who was present within the radius for at least the dwell time. */
export interface ExposurePlace {
  /** WGS 84 degrees. */
  latitude: number;
  longitude: number;
  radiusMeters: number;
  minDwellMinutes: number;
}

/** The place as a request names it; radius and dwell default to the settings. */
export interface ExposurePlaceInput {
  latitude: number;
  longitude: number;
  radiusMeters?: number;
  minDwellMinutes?: number;
}

/** Maximum radius an exposure request may name, in metres, so that one request cannot list a district. */
export const MAX_EXPOSURE_RADIUS_METERS = 1000;
/** Maximum dwell time an exposure request may name, in minutes (one day). */
export const MAX_EXPOSURE_DWELL_MINUTES = 1440;

/**
 * Checks the place of an exposure request and fills in the defaults. An
 * exposure request asks telecom operators for base-station presence, so
 * its only data kind is `base_station`.
 */
export function checkExposurePlace(
  input: ExposurePlaceInput,
  dataKinds: readonly DataKind[],
  settings: RequestSettings,
): ExposurePlace {
  if (dataKinds.length !== 1 || dataKinds[0] !== "base_station") {
    throw new AppError(
      "validation_failed",
      `Invalid dataKinds ${dataKinds.join(", ")} for an exposure request: it asks the operators for base-station presence at the place, so name base_station alone.`,
    );
  }
  const place: ExposurePlace = {
    latitude: input.latitude,
    longitude: input.longitude,
    radiusMeters: input.radiusMeters ?? settings.exposureDefaultRadiusMeters,
    minDwellMinutes: input.minDwellMinutes ?? settings.exposureMinDwellMinutes,
  };
  checkRange("latitude", place.latitude, -90, 90, "degrees");
  checkRange("longitude", place.longitude, -180, 180, "degrees");
  checkRange(
    "radiusMeters",
    place.radiusMeters,
    1,
    MAX_EXPOSURE_RADIUS_METERS,
    "metres",
  );
  checkRange(
    "minDwellMinutes",
    place.minDwellMinutes,
    1,
    MAX_EXPOSURE_DWELL_MINUTES,
    "minutes",
  );
  return place;
}

/** Returns the place of an exposure request, or null for a request about the case's person. */
export function exposurePlaceOf(
  request: Pick<DataRequest, "exposure_place">,
): ExposurePlace | null {
  return request.exposure_place === null
    ? null
    : (JSON.parse(request.exposure_place) as ExposurePlace);
}

function checkRange(
  field: string,
  value: number,
  min: number,
  max: number,
  unit: string,
): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new AppError(
      "validation_failed",
      `Invalid exposurePlace.${field} ${value}: expected ${min} to ${max} ${unit}.`,
    );
  }
}
