import type { Kysely } from "kysely";

import { withCaseAccess, type AccessContext } from "../access/index.js";
import type {
  ExcludedRecord,
  Route,
  RouteDateOnlyStay,
  RouteMove,
  RouteStay,
  TimeSlot,
} from "../analysis/route/index.js";
import { routeTimeSlots } from "../analysis/route/index.js";
import type { GeoPosition } from "../analysis/geo/index.js";
import {
  findAreaNames,
  formatAreaPath,
  loadAreaLabeller,
  type AreaCodes,
} from "../areas/index.js";
import { seoulDateOf, seoulDayEnd, seoulDayStart } from "../domain/index.js";
import type { Case, Database } from "../store/index.js";
import { invalidAnalysisInput } from "./scope.js";
import { DEFAULT_RECORD_RADIUS_METERS } from "./store-stays.js";
import { buildStoredRoutes } from "./store-routes.js";

/** Most Seoul days of hourly slots a route returns, to keep the response bounded. */
export const MAX_SLOT_DAYS = 62;

/** The fused route of a case's person and its hourly view. */
export interface CaseRoute {
  caseId: string;
  stays: readonly RouteStay[];
  dateOnlyStays: readonly RouteDateOnlyStay[];
  moves: readonly RouteMove[];
  excluded: readonly ExcludedRecord[];
  /** Hourly slots over the Seoul days of the stays, or the last `MAX_SLOT_DAYS` of them. */
  timeSlots: readonly TimeSlot[];
}

/**
 * Builds the fused route of a case's person from every stored record, as
 * `epitrace route` builds it from files, with each stay's administrative
 * area. Runs through the case's access check as `movement.view`, so the
 * call writes one audit event.
 */
export function loadCaseRoute(
  context: AccessContext,
  caseId: string,
): Promise<CaseRoute> {
  return withCaseAccess(context, { action: "movement.view", caseId }, (kase) =>
    buildCaseRoute(context.db, kase),
  );
}

async function buildCaseRoute(
  db: Kysely<Database>,
  kase: Case,
): Promise<CaseRoute> {
  const labelArea = await loadAreaLabels(db);
  const [route] = await buildStoredRoutes(db, [kase.person_id], {
    defaultRadiusMeters: DEFAULT_RECORD_RADIUS_METERS,
    labelArea: labelArea.label,
  });
  if (route === undefined) {
    return {
      caseId: kase.id,
      stays: [],
      dateOnlyStays: [],
      moves: [],
      excluded: [],
      timeSlots: [],
    };
  }

  const named = await labelArea.name(route);
  return {
    caseId: kase.id,
    stays: named.stays,
    dateOnlyStays: named.dateOnlyStays,
    moves: route.moves,
    excluded: route.excluded,
    timeSlots: timeSlotsOf(route, kase),
  };
}

/**
 * Labels positions with area codes during the fusion and names them once
 * the route is built, so the area names are read in one query.
 */
async function loadAreaLabels(db: Kysely<Database>) {
  const labeller = await loadAreaLabeller(db);
  const codesByLabel = new Map<string, AreaCodes>();
  const label = (position: GeoPosition): string | null => {
    if (labeller.isEmpty) {
      return null;
    }
    const codes = labeller.label(position.latitude, position.longitude);
    const key = [
      codes.provinceCode,
      codes.municipalityCode,
      codes.submunicipalityCode,
    ].join("|");
    if (key === "||") {
      return null;
    }
    codesByLabel.set(key, codes);
    return key;
  };

  const name = async (route: Route) => {
    const codes = [...codesByLabel.values()].flatMap((area) =>
      [
        area.provinceCode,
        area.municipalityCode,
        area.submunicipalityCode,
      ].filter((code): code is string => code !== null),
    );
    const names = await findAreaNames(db, codes);
    const areaOf = (key: string | null) => {
      const area = key === null ? undefined : codesByLabel.get(key);
      return area === undefined ? null : formatAreaPath(area, names);
    };
    return {
      stays: route.stays.map((stay) => ({ ...stay, area: areaOf(stay.area) })),
      dateOnlyStays: route.dateOnlyStays.map((stay) => ({
        ...stay,
        area: areaOf(stay.area),
      })),
    };
  };
  return { label, name };
}

/** Hourly slots over the Seoul days that the route's stays cover, at most the last `MAX_SLOT_DAYS`. */
function timeSlotsOf(route: Route, kase: Case): TimeSlot[] {
  const days = [
    ...route.stays.flatMap((stay) => [
      seoulDateOf(stay.startedAt),
      seoulDateOf(stay.finishedAt),
    ]),
    ...route.dateOnlyStays.map((stay) => stay.visitDate),
  ].sort();
  const first = days[0];
  const last = days.at(-1);
  if (first === undefined || last === undefined) {
    return [];
  }
  const endsAt = seoulDayEnd(last);
  const startsAt = Math.max(
    seoulDayStart(first),
    endsAt - MAX_SLOT_DAYS * 86_400_000,
  );
  try {
    return routeTimeSlots(route, { startsAt, endsAt });
  } catch (error) {
    throw invalidAnalysisInput(error, `the route of case ${kase.case_number}`);
  }
}
