import type { Polygon } from "geojson";

import type { TimeInterval } from "../analysis/contacts/index.js";
import {
  boundsExtentMeters,
  checkPolygon,
  DEFAULT_EXPOSURE_OPTIONS,
  polygonBounds,
  type CirclePlace,
} from "../analysis/exposure/index.js";
import { EARTH_RADIUS_METERS } from "../analysis/geo/index.js";
import { AppError } from "../errors.js";
import type { Bounds } from "./store-stays.js";

/** Maximum radius of an exposure query in metres, so that a query stays near one venue. */
export const MAX_EXPOSURE_RADIUS_METERS = 1_000;

/**
 * Maximum east-west or north-south extent of a polygon place in metres: the
 * diameter of the largest circle, so that a polygon also stays near one venue.
 */
export const MAX_EXPOSURE_POLYGON_METERS = 2 * MAX_EXPOSURE_RADIUS_METERS;

/** Maximum span of an exposure query, from its first start to its last end: 31 days, in milliseconds. */
export const MAX_EXPOSURE_WINDOW_MS = 31 * 86_400_000;

/** Maximum number of windows of one query: two a day for 31 days. */
export const MAX_EXPOSURE_WINDOWS = 62;

/** A place and windows to list the persons present in. */
export interface ExposureRequest {
  /**
   * A circle (centre in WGS 84 degrees, `radiusMeters` default 50) or a
   * GeoJSON Polygon: its first ring is the boundary, any others are holes.
   */
  readonly place: CirclePlace | Polygon;
  /** Windows in epoch milliseconds, start inclusive, end exclusive; overlapping ones are merged. */
  readonly windows: readonly TimeInterval[];
  /** Minimum minutes inside the place within the windows. Default 30. */
  readonly minimumDwellMinutes?: number;
}

/** A request whose place and windows were checked, with its defaults filled in. */
export interface CheckedExposureRequest {
  readonly circle: Required<CirclePlace> | null;
  readonly polygon: Polygon | null;
  readonly windows: readonly TimeInterval[];
  /** First start and last end of the windows. */
  readonly span: TimeInterval;
  readonly minimumDwellMinutes: number;
}

/**
 * Checks an exposure request and fills in its defaults. Raises
 * `validation_failed` for a radius above 1,000 m, an invalid polygon or one
 * wider than 2,000 m, an empty window, too many windows, or windows that
 * span more than 31 days.
 */
export function checkExposureRequest(
  request: ExposureRequest,
): CheckedExposureRequest {
  const minimumDwellMinutes =
    request.minimumDwellMinutes ?? DEFAULT_EXPOSURE_OPTIONS.minimumDwellMinutes;
  const span = checkWindows(request.windows);
  if (isPolygon(request.place)) {
    return {
      circle: null,
      polygon: checkPolygonPlace(request.place),
      windows: request.windows,
      span,
      minimumDwellMinutes,
    };
  }
  return {
    circle: checkCircle(request.place),
    polygon: null,
    windows: request.windows,
    span,
    minimumDwellMinutes,
  };
}

/** Returns a box around the place and, for a circle, around its widest looser setting. */
export function searchBoundsOf(request: CheckedExposureRequest): Bounds {
  if (request.polygon !== null) {
    return polygonBounds(request.polygon);
  }
  const circle = request.circle!;
  const searchRadius =
    circle.radiusMeters *
    Math.max(...DEFAULT_EXPOSURE_OPTIONS.looserRadiusFactors);
  return boundsAround(circle, searchRadius);
}

/** Returns the query's parameters as the audit event records them, instants in ISO 8601. */
export function auditDetailOf(
  request: CheckedExposureRequest,
): Record<string, unknown> {
  const place =
    request.polygon === null
      ? { ...request.circle }
      : { polygon: request.polygon.coordinates };
  const windows =
    request.windows.length === 1
      ? {}
      : {
          windows: request.windows.map((window) => ({
            from: new Date(window.startsAt).toISOString(),
            to: new Date(window.endsAt).toISOString(),
          })),
        };
  return {
    ...place,
    from: new Date(request.span.startsAt).toISOString(),
    to: new Date(request.span.endsAt).toISOString(),
    ...windows,
    minimumDwellMinutes: request.minimumDwellMinutes,
  };
}

function isPolygon(place: CirclePlace | Polygon): place is Polygon {
  return "type" in place;
}

function checkCircle(place: CirclePlace): Required<CirclePlace> {
  const radiusMeters =
    place.radiusMeters ?? DEFAULT_EXPOSURE_OPTIONS.radiusMeters;
  if (!(radiusMeters > 0 && radiusMeters <= MAX_EXPOSURE_RADIUS_METERS)) {
    throw new AppError(
      "validation_failed",
      `Invalid radiusMeters ${radiusMeters}: expected more than 0 and at most ${MAX_EXPOSURE_RADIUS_METERS}.`,
    );
  }
  return {
    latitude: place.latitude,
    longitude: place.longitude,
    radiusMeters,
  };
}

function checkPolygonPlace(place: Polygon): Polygon {
  let polygon: Polygon;
  try {
    polygon = checkPolygon(place);
  } catch (error) {
    throw new AppError("validation_failed", (error as Error).message, {
      cause: error,
    });
  }
  const { widthMeters, heightMeters } = boundsExtentMeters(
    polygonBounds(polygon),
  );
  if (Math.max(widthMeters, heightMeters) > MAX_EXPOSURE_POLYGON_METERS) {
    throw new AppError(
      "validation_failed",
      `Invalid polygon: it spans ${Math.round(widthMeters)} m east-west and ${Math.round(heightMeters)} m north-south, but an exposure query may span at most ${MAX_EXPOSURE_POLYGON_METERS} m each way. Draw a smaller place.`,
    );
  }
  return polygon;
}

function checkWindows(windows: readonly TimeInterval[]): TimeInterval {
  if (windows.length === 0) {
    throw new AppError(
      "validation_failed",
      "Missing window: give from and to, or at least one entry in windows.",
    );
  }
  if (windows.length > MAX_EXPOSURE_WINDOWS) {
    throw new AppError(
      "validation_failed",
      `Invalid windows: ${windows.length} given, at most ${MAX_EXPOSURE_WINDOWS}. Merge or drop some.`,
    );
  }
  for (const [index, window] of windows.entries()) {
    if (!(window.startsAt < window.endsAt)) {
      throw new AppError(
        "validation_failed",
        `Invalid window ${index}: from must be before to.`,
      );
    }
  }
  const span = {
    startsAt: Math.min(...windows.map((window) => window.startsAt)),
    endsAt: Math.max(...windows.map((window) => window.endsAt)),
  };
  if (span.endsAt - span.startsAt > MAX_EXPOSURE_WINDOW_MS) {
    throw new AppError(
      "validation_failed",
      "Invalid window: an exposure query may cover at most 31 days from its first start to its last end. Narrow the windows.",
    );
  }
  return span;
}

/** Returns a box that contains the circle, with a small margin for rounding. */
function boundsAround(
  centre: { latitude: number; longitude: number },
  radiusMeters: number,
): Bounds {
  const degrees =
    ((radiusMeters * 1.01) / EARTH_RADIUS_METERS) * (180 / Math.PI);
  const cosLatitude = Math.max(
    Math.cos((centre.latitude * Math.PI) / 180),
    1e-6,
  );
  return {
    minLatitude: centre.latitude - degrees,
    maxLatitude: centre.latitude + degrees,
    minLongitude: centre.longitude - degrees / cosLatitude,
    maxLongitude: centre.longitude + degrees / cosLatitude,
  };
}
