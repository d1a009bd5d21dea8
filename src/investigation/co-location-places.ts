import type { Kysely } from "kysely";

import { findContacts, type TimeInterval } from "../analysis/contacts/index.js";
import { haversineMeters, meanPosition } from "../analysis/geo/index.js";
import {
  DEFAULT_CO_LOCATION_OPTIONS,
  findCoLocationHotspots,
  type CoLocationHotspot,
} from "../analysis/hotspots/co-location/index.js";
import type { Case, Database } from "../store/index.js";
import { indexCaseOf, tryInfectiousPeriodOf } from "./scope.js";
import { StaysByDay } from "./stays-by-day.js";
import { loadStays } from "./store-stays.js";

/** A place where persons stayed with one or more cases, with counts only. */
export interface CoLocationPlace {
  latitude: number;
  longitude: number;
  /** Metres from the centre that cover every case stay of the place with its radius. */
  radiusMeters: number;
  /** Distinct persons who stayed there with a case. */
  personCount: number;
  /** Distinct cases whose stays make up the place. */
  caseCount: number;
  caseStayCount: number;
  /** Epoch milliseconds of the timed overlaps, or null when only day-level ones count. */
  firstOverlapAt: number | null;
  lastOverlapAt: number | null;
  /** Seoul dates of the day-level pairs, sorted. */
  dayLevelDates: string[];
}

export interface CoLocationSearch {
  /** Cases whose places are sought. */
  cases: readonly Case[];
  /** Only overlaps inside this interval count, and only inside each case's infectious period. */
  window: TimeInterval;
  includeDayLevel: boolean;
}

interface CasePlace {
  readonly caseId: string;
  readonly hotspot: CoLocationHotspot;
}

/**
 * Finds the co-location hotspots of each case during its infectious period
 * within the window, among the stays of everyone in the store. Places of
 * different cases whose centres chain together within 50 m, the merge
 * distance of one case's places, become one place.
 */
export async function findCaseCoLocations(
  db: Kysely<Database>,
  search: CoLocationSearch,
): Promise<{ places: CoLocationPlace[]; casesWithoutPeriod: number }> {
  const index = new StaysByDay(await loadStays(db, { window: search.window }));
  const casePlaces: CasePlace[] = [];
  let casesWithoutPeriod = 0;

  for (const kase of search.cases) {
    const period = tryInfectiousPeriodOf(kase);
    if (period === undefined) {
      casesWithoutPeriod++;
      continue;
    }
    const searched = intersect(period, search.window);
    if (searched === undefined) {
      continue;
    }

    const stays = index.during(searched);
    const result = findContacts(indexCaseOf(kase), stays, {
      infectiousPeriod: searched,
    });
    const caseStays = stays.filter((stay) => stay.personId === kase.person_id);
    const hotspots = findCoLocationHotspots(result, caseStays, {
      includeDayLevelContacts: search.includeDayLevel,
    });
    casePlaces.push(
      ...hotspots.map((hotspot) => ({ caseId: kase.id, hotspot })),
    );
  }
  return { places: mergePlaces(casePlaces), casesWithoutPeriod };
}

function intersect(a: TimeInterval, b: TimeInterval): TimeInterval | undefined {
  const startsAt = Math.max(a.startsAt, b.startsAt);
  const endsAt = Math.min(a.endsAt, b.endsAt);
  return startsAt < endsAt ? { startsAt, endsAt } : undefined;
}

/** Merges places whose centres chain together within the merge distance, most persons first. */
function mergePlaces(casePlaces: readonly CasePlace[]): CoLocationPlace[] {
  const mergeMeters = DEFAULT_CO_LOCATION_OPTIONS.mergeDistanceMeters;
  const parent = casePlaces.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  // Places number in the hundreds at most, so comparing every pair is cheap.
  for (let i = 0; i < casePlaces.length; i++) {
    for (let j = i + 1; j < casePlaces.length; j++) {
      const a = casePlaces[i]!.hotspot;
      const b = casePlaces[j]!.hotspot;
      if (haversineMeters(a, b) <= mergeMeters) {
        parent[find(i)] = find(j);
      }
    }
  }

  const groups = new Map<number, CasePlace[]>();
  casePlaces.forEach((place, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), place]);
  });
  return [...groups.values()]
    .map(mergedPlaceOf)
    .sort(
      (a, b) =>
        b.personCount - a.personCount ||
        b.caseCount - a.caseCount ||
        a.latitude - b.latitude ||
        a.longitude - b.longitude,
    );
}

function mergedPlaceOf(group: readonly CasePlace[]): CoLocationPlace {
  const hotspots = group.map((place) => place.hotspot);
  const centre = meanPosition(hotspots);
  const starts = hotspots.flatMap((h) =>
    h.firstOverlapAt === null ? [] : [h.firstOverlapAt],
  );
  const ends = hotspots.flatMap((h) =>
    h.lastOverlapAt === null ? [] : [h.lastOverlapAt],
  );
  return {
    latitude: centre.latitude,
    longitude: centre.longitude,
    radiusMeters: Math.max(
      ...hotspots.map((h) => haversineMeters(centre, h) + h.radiusMeters),
    ),
    personCount: new Set(hotspots.flatMap((h) => h.personIds)).size,
    caseCount: new Set(group.map((place) => place.caseId)).size,
    caseStayCount: hotspots.reduce((sum, h) => sum + h.caseStayIds.length, 0),
    firstOverlapAt: starts.length === 0 ? null : Math.min(...starts),
    lastOverlapAt: ends.length === 0 ? null : Math.max(...ends),
    dayLevelDates: [
      ...new Set(hotspots.flatMap((h) => h.dayLevelDates)),
    ].sort(),
  };
}
