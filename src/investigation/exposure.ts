import type { Polygon } from "geojson";

import { withPersonalDataSearch, type AccessContext } from "../access/index.js";
import type { TimeInterval } from "../analysis/contacts/index.js";
import {
  findExposures,
  type ExposureResult,
  type LooserSetting,
} from "../analysis/exposure/index.js";
import {
  auditDetailOf,
  checkExposureRequest,
  searchBoundsOf,
  type CheckedExposureRequest,
  type ExposureRequest,
} from "./exposure-request.js";
import {
  loadPersonReferences,
  unknownPerson,
  type PersonReference,
} from "./persons.js";
import { invalidAnalysisInput } from "./scope.js";
import { loadStays } from "./store-stays.js";

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

/** A person whose visit to the place is known only to a Seoul day in the windows. */
export interface DayLevelPresence {
  person: PersonReference;
  dates: string[];
}

/** The persons present at a place during the windows. */
export interface ExposureQueryResult {
  /** Centre and radius of a circular place; null for a polygon. */
  latitude: number | null;
  longitude: number | null;
  radiusMeters: number | null;
  /** The polygon place, or null for a circle. */
  polygon: Polygon | null;
  /** First start of the windows, epoch milliseconds. */
  from: number;
  /** Last end of the windows, epoch milliseconds. */
  to: number;
  /** The windows as requested, epoch milliseconds. */
  windows: TimeInterval[];
  minimumDwellMinutes: number;
  persons: PresentPerson[];
  dayLevelPersons: DayLevelPresence[];
  /** How many persons wider radii or shorter dwell times would find, and how many of them are new. */
  looserSettings: LooserSetting[];
  /** Persons listed, day-level ones included. */
  total: number;
}

/**
 * Lists the persons whose stays lie within a circle or a polygon during one
 * or more windows for at least a minimum dwell time, by label, and counts
 * what looser settings would add. Writes one audit event with the query's
 * parameters and the number of persons listed. Raises `validation_failed`
 * for a request that `checkExposureRequest` rejects.
 */
export function queryExposure(
  context: AccessContext,
  request: ExposureRequest,
): Promise<ExposureQueryResult> {
  const checked = checkExposureRequest(request);
  return withPersonalDataSearch(
    context,
    "exposure.query",
    async () => {
      const stays = await loadStays(context.db, {
        window: checked.span,
        bounds: searchBoundsOf(checked),
      });
      const result = findExposuresOf(checked, stays);
      const persons = await loadPersonReferences(
        context.db,
        [...result.persons, ...result.dayLevelPersons].map((p) => p.personId),
        context.caller.organisation,
      );
      return presentResult(checked, result, (personId) => {
        return persons.get(personId) ?? unknownPerson(personId);
      });
    },
    auditDetailOf(checked),
  );
}

function findExposuresOf(
  request: CheckedExposureRequest,
  stays: Parameters<typeof findExposures>[1],
): ExposureResult {
  try {
    return findExposures(
      {
        place: request.polygon ?? request.circle!,
        window: request.windows,
      },
      stays,
      {
        ...(request.circle === null
          ? {}
          : { radiusMeters: request.circle.radiusMeters }),
        minimumDwellMinutes: request.minimumDwellMinutes,
      },
    );
  } catch (error) {
    throw invalidAnalysisInput(error, "the exposure query");
  }
}

function presentResult(
  request: CheckedExposureRequest,
  result: ExposureResult,
  referenceOf: (personId: string) => PersonReference,
): ExposureQueryResult {
  return {
    latitude: request.circle?.latitude ?? null,
    longitude: request.circle?.longitude ?? null,
    radiusMeters: request.circle?.radiusMeters ?? null,
    polygon: request.polygon,
    from: request.span.startsAt,
    to: request.span.endsAt,
    windows: request.windows.map((window) => ({ ...window })),
    minimumDwellMinutes: request.minimumDwellMinutes,
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
}
