import { withPersonalDataSearch, type AccessContext } from "../access/index.js";
import {
  DEFAULT_EXPOSURE_OPTIONS,
  findExposures,
  type LooserSetting,
} from "../analysis/exposure/index.js";
import { EARTH_RADIUS_METERS } from "../analysis/geo/index.js";
import { AppError } from "../errors.js";
import {
  loadPersonReferences,
  unknownPerson,
  type PersonReference,
} from "./persons.js";
import { invalidAnalysisInput } from "./scope.js";
import { loadStays, type Bounds } from "./store-stays.js";

/** Largest radius of an exposure query in metres, so that a query stays near one venue. */
export const MAX_EXPOSURE_RADIUS_METERS = 1_000;

/** Maximum window of an exposure query: 31 days, in milliseconds. */
export const MAX_EXPOSURE_WINDOW_MS = 31 * 86_400_000;

/** A place and a window to list the persons present in. */
export interface ExposureRequest {
  latitude: number;
  longitude: number;
  /** Radius of the place in metres. Default 50. */
  radiusMeters?: number;
  /** Start of the window, epoch milliseconds, inclusive. */
  from: number;
  /** End of the window, epoch milliseconds, exclusive. */
  to: number;
  /** Minimum minutes inside the place within the window. Default 30. */
  minimumDwellMinutes?: number;
}

/** A person present at the place, by label. */
export interface PresentPerson {
  person: PersonReference;
  minutes: number;
  possibleMinutes: number;
  /** Epoch milliseconds. */
  firstSeenAt: number;
  lastSeenAt: number;
  stayCount: number;
}

/** A person whose visit to the place is known only to a Seoul day in the window. */
export interface DayLevelPresence {
  person: PersonReference;
  dates: string[];
}

/** The persons present at a place during a window. */
export interface ExposureQueryResult {
  latitude: number;
  longitude: number;
  radiusMeters: number;
  from: number;
  to: number;
  minimumDwellMinutes: number;
  persons: PresentPerson[];
  dayLevelPersons: DayLevelPresence[];
  /** How many persons wider radii or shorter dwell times would find, and how many of them are new. */
  looserSettings: LooserSetting[];
  /** Persons listed, day-level ones included. */
  total: number;
}

/**
 * Lists the persons whose stays lie within a circle during a window for at
 * least a minimum dwell time, by label, and counts what looser settings
 * would add. Writes one audit event with the query's parameters and the
 * number of persons listed. Rejects a radius above 1,000 m or a window
 * longer than 31 days.
 */
export function queryExposure(
  context: AccessContext,
  request: ExposureRequest,
): Promise<ExposureQueryResult> {
  const radiusMeters =
    request.radiusMeters ?? DEFAULT_EXPOSURE_OPTIONS.radiusMeters;
  const minimumDwellMinutes =
    request.minimumDwellMinutes ?? DEFAULT_EXPOSURE_OPTIONS.minimumDwellMinutes;
  checkExposureRequest(request, radiusMeters);

  return withPersonalDataSearch(
    context,
    "exposure.query",
    async () => {
      const window = { startsAt: request.from, endsAt: request.to };
      const searchRadius =
        radiusMeters *
        Math.max(...DEFAULT_EXPOSURE_OPTIONS.looserRadiusFactors);
      const stays = await loadStays(context.db, {
        window,
        bounds: boundsAround(request, searchRadius),
      });

      let result;
      try {
        result = findExposures(
          {
            place: {
              latitude: request.latitude,
              longitude: request.longitude,
              radiusMeters,
            },
            window,
          },
          stays,
          { radiusMeters, minimumDwellMinutes },
        );
      } catch (error) {
        throw invalidAnalysisInput(error, "the exposure query");
      }

      const persons = await loadPersonReferences(
        context.db,
        [...result.persons, ...result.dayLevelPersons].map((p) => p.personId),
        context.caller.organisation,
      );
      const referenceOf = (personId: string) =>
        persons.get(personId) ?? unknownPerson(personId);
      return {
        latitude: request.latitude,
        longitude: request.longitude,
        radiusMeters,
        from: request.from,
        to: request.to,
        minimumDwellMinutes,
        persons: result.persons.map((person) => ({
          person: referenceOf(person.personId),
          minutes: person.minutes,
          possibleMinutes: person.possibleMinutes,
          firstSeenAt: person.firstSeenAt,
          lastSeenAt: person.lastSeenAt,
          stayCount: person.stays.length,
        })),
        dayLevelPersons: result.dayLevelPersons.map((person) => ({
          person: referenceOf(person.personId),
          dates: [...person.dates],
        })),
        looserSettings: [...result.looserSettings],
        total: result.persons.length + result.dayLevelPersons.length,
      };
    },
    {
      latitude: request.latitude,
      longitude: request.longitude,
      radiusMeters,
      from: new Date(request.from).toISOString(),
      to: new Date(request.to).toISOString(),
      minimumDwellMinutes,
    },
  );
}

function checkExposureRequest(
  request: ExposureRequest,
  radiusMeters: number,
): void {
  if (!(radiusMeters > 0 && radiusMeters <= MAX_EXPOSURE_RADIUS_METERS)) {
    throw new AppError(
      "validation_failed",
      `Invalid radiusMeters ${radiusMeters}: expected more than 0 and at most ${MAX_EXPOSURE_RADIUS_METERS}.`,
    );
  }
  if (!(request.from < request.to)) {
    throw new AppError(
      "validation_failed",
      "Invalid window: from must be before to.",
    );
  }
  if (request.to - request.from > MAX_EXPOSURE_WINDOW_MS) {
    throw new AppError(
      "validation_failed",
      "Invalid window: an exposure query may cover at most 31 days. Narrow the window.",
    );
  }
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
