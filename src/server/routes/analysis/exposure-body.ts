import type { Static } from "typebox";

import { AppError } from "../../../errors.js";
import type { ExposureRequest } from "../../../investigation/index.js";
import { instantOf } from "./instant.js";
import type { ExposureBody } from "./schema.js";

/**
 * Converts the body of `POST /api/exposure` to a request: the place is
 * `latitude` and `longitude` (with `radiusMeters`) or `polygon`, and the
 * windows are `from` and `to` or `windows`. Raises `validation_failed` when
 * neither or both of a pair are given.
 */
export function exposureRequestOf(
  body: Static<typeof ExposureBody>,
): ExposureRequest {
  return {
    place: placeOf(body),
    windows: windowsOf(body),
    ...(body.minDwellMinutes === undefined
      ? {}
      : { minimumDwellMinutes: body.minDwellMinutes }),
  };
}

function placeOf(body: Static<typeof ExposureBody>): ExposureRequest["place"] {
  const hasCentre = body.latitude !== undefined || body.longitude !== undefined;
  if (body.polygon !== undefined) {
    if (hasCentre || body.radiusMeters !== undefined) {
      throw new AppError(
        "validation_failed",
        "Invalid place: give either polygon, or latitude and longitude with radiusMeters, not both.",
      );
    }
    return { type: "Polygon", coordinates: body.polygon.coordinates };
  }
  if (body.latitude === undefined || body.longitude === undefined) {
    throw new AppError(
      "validation_failed",
      "Missing place: give latitude and longitude (with radiusMeters), or a GeoJSON polygon.",
    );
  }
  return {
    latitude: body.latitude,
    longitude: body.longitude,
    ...(body.radiusMeters === undefined
      ? {}
      : { radiusMeters: body.radiusMeters }),
  };
}

function windowsOf(
  body: Static<typeof ExposureBody>,
): ExposureRequest["windows"] {
  const hasSingle = body.from !== undefined || body.to !== undefined;
  if (body.windows !== undefined) {
    if (hasSingle) {
      throw new AppError(
        "validation_failed",
        "Invalid window: give either from and to, or windows, not both.",
      );
    }
    return body.windows.map((window, index) => ({
      startsAt: instantOf(`windows[${index}].from`, window.from),
      endsAt: instantOf(`windows[${index}].to`, window.to),
    }));
  }
  if (body.from === undefined || body.to === undefined) {
    throw new AppError(
      "validation_failed",
      "Missing window: give from and to, or windows.",
    );
  }
  return [
    {
      startsAt: instantOf("from", body.from),
      endsAt: instantOf("to", body.to),
    },
  ];
}
