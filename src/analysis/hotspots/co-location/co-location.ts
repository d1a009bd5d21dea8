import type { ContactsResult } from "../../contacts/index.js";
import { haversineMeters, meanPosition } from "../../geo/index.js";
import type { Stay } from "../../stays/index.js";
import type { CoLocationHotspot, CoLocationOptions } from "./types.js";

/** Defaults of the co-location options. */
export const DEFAULT_CO_LOCATION_OPTIONS = {
  minimumPersons: 2,
  mergeDistanceMeters: 50,
  includePossibleContacts: false,
  includeDayLevelContacts: false,
} as const satisfies Required<CoLocationOptions>;

interface PlaceVisit {
  readonly personId: string;
  readonly caseStayId: string;
  readonly startsAt?: number;
  readonly endsAt?: number;
  readonly date?: string;
}

/**
 * Finds the hotspots of one case: places where at least `minimumPersons`
 * distinct persons stayed with the case during its infectious period, as
 * the contact search found them. A place is a group of the case's stays
 * whose centres chain together within `mergeDistanceMeters`. Returns the
 * hotspots with the most persons first.
 *
 * `caseStays` are the case's own stays; pairs naming a stay not among them
 * throw a RangeError, as do invalid options.
 */
export function findCoLocationHotspots(
  contacts: ContactsResult,
  caseStays: readonly Stay[],
  options: CoLocationOptions = {},
): CoLocationHotspot[] {
  const resolved = { ...DEFAULT_CO_LOCATION_OPTIONS, ...options };
  if (
    !Number.isInteger(resolved.minimumPersons) ||
    resolved.minimumPersons < 1
  ) {
    throw new RangeError(
      `Invalid minimumPersons ${resolved.minimumPersons}: expected an integer >= 1.`,
    );
  }
  if (!(resolved.mergeDistanceMeters >= 0)) {
    throw new RangeError(
      `Invalid mergeDistanceMeters ${resolved.mergeDistanceMeters}: expected a number >= 0.`,
    );
  }

  const stayIndex = new Map(caseStays.map((stay, i) => [stay.id, i]));
  const places = groupPlaces(caseStays, resolved.mergeDistanceMeters);
  const visitsByPlace = new Map<number, PlaceVisit[]>();
  for (const visit of visitsOf(contacts, resolved)) {
    const index = stayIndex.get(visit.caseStayId);
    if (index === undefined) {
      throw new RangeError(
        `Unknown case stay ${JSON.stringify(visit.caseStayId)}: it is not among the case stays.`,
      );
    }
    const place = places[index]!;
    visitsByPlace.set(place, [...(visitsByPlace.get(place) ?? []), visit]);
  }

  const hotspots: CoLocationHotspot[] = [];
  for (const [place, visits] of visitsByPlace) {
    const personIds = [
      ...new Set(visits.map((visit) => visit.personId)),
    ].sort();
    if (personIds.length < resolved.minimumPersons) {
      continue;
    }
    const stays = caseStays.filter((_, i) => places[i] === place);
    hotspots.push(hotspotOf(stays, personIds, visits));
  }
  return hotspots.sort(
    (a, b) =>
      b.personIds.length - a.personIds.length ||
      (a.firstOverlapAt ?? Infinity) - (b.firstOverlapAt ?? Infinity) ||
      compareText(a.caseStayIds[0]!, b.caseStayIds[0]!),
  );
}

function visitsOf(
  contacts: ContactsResult,
  options: Required<CoLocationOptions>,
): PlaceVisit[] {
  const people = options.includePossibleContacts
    ? [...contacts.contacts, ...contacts.possibleContacts]
    : contacts.contacts;
  const visits: PlaceVisit[] = [];
  for (const contact of people) {
    for (const pair of contact.pairs) {
      visits.push({
        personId: contact.personId,
        caseStayId: pair.caseStayId,
        startsAt: pair.overlapStartsAt,
        endsAt: pair.overlapEndsAt,
      });
    }
  }
  if (options.includeDayLevelContacts) {
    for (const contact of contacts.dayLevelContacts) {
      for (const pair of contact.pairs) {
        visits.push({
          personId: contact.personId,
          caseStayId: pair.caseStayId,
          date: pair.date,
        });
      }
    }
  }
  return visits;
}

/**
 * Labels each case stay with a place number: stays whose centres lie within
 * `mergeDistanceMeters` of each other, directly or through a chain, share one.
 */
function groupPlaces(
  caseStays: readonly Stay[],
  mergeDistanceMeters: number,
): number[] {
  const parent = caseStays.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  // The case has tens to hundreds of stays, so comparing all pairs is cheap.
  for (let i = 0; i < caseStays.length; i++) {
    for (let j = i + 1; j < caseStays.length; j++) {
      if (
        haversineMeters(caseStays[i]!, caseStays[j]!) <= mergeDistanceMeters
      ) {
        parent[find(i)] = find(j);
      }
    }
  }
  return caseStays.map((_, i) => find(i));
}

function hotspotOf(
  stays: readonly Stay[],
  personIds: string[],
  visits: readonly PlaceVisit[],
): CoLocationHotspot {
  const centre = meanPosition(stays);
  const radiusMeters = Math.max(
    ...stays.map((stay) => haversineMeters(centre, stay) + stay.radiusMeters),
  );
  const starts = visits.flatMap((visit) =>
    visit.startsAt === undefined ? [] : [visit.startsAt],
  );
  const ends = visits.flatMap((visit) =>
    visit.endsAt === undefined ? [] : [visit.endsAt],
  );
  const dates = visits.flatMap((visit) =>
    visit.date === undefined ? [] : [visit.date],
  );
  return {
    latitude: centre.latitude,
    longitude: centre.longitude,
    radiusMeters,
    caseStayIds: stays.map((stay) => stay.id).sort(compareText),
    personIds,
    firstOverlapAt: starts.length === 0 ? null : Math.min(...starts),
    lastOverlapAt: ends.length === 0 ? null : Math.max(...ends),
    dayLevelDates: [...new Set(dates)].sort(),
  };
}

function compareText(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}
