import type { Kysely } from "kysely";

import { withCaseAccess, type AccessContext } from "../access/index.js";
import type { TimeInterval } from "../analysis/contacts/index.js";
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
import {
  isCalendarDate,
  seoulDateOf,
  seoulDayEnd,
  seoulDayStart,
} from "../domain/index.js";
import { AppError } from "../errors.js";
import type { Case, Database } from "../store/index.js";
import { invalidAnalysisInput } from "./scope.js";
import { DEFAULT_RECORD_RADIUS_METERS } from "./store-stays.js";
import { buildStoredRoutes } from "./store-routes.js";

/** Maximum Seoul days of hourly slots a route returns, to keep the response bounded. */
export const MAX_SLOT_DAYS = 62;

const DAY_MS = 86_400_000;

/** The fused route of a case's person and its hourly view. */
export interface CaseRoute {
  caseId: string;
  stays: readonly RouteStay[];
  dateOnlyStays: readonly RouteDateOnlyStay[];
  moves: readonly RouteMove[];
  excluded: readonly ExcludedRecord[];
  /** Hourly slots over the requested Seoul days, else over the days of the stays or the last `MAX_SLOT_DAYS` of them. */
  timeSlots: readonly TimeSlot[];
}

/** Seoul calendar dates of the hourly slot view, both days included. */
export interface SlotPeriod {
  /** First Seoul date, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last Seoul date, `YYYY-MM-DD`, at most `MAX_SLOT_DAYS` days after `from` counting both. */
  readonly to: string;
}

/**
 * Builds the fused route of a case's person from every stored record, as
 * `epitrace route` builds it from files, with each stay's administrative
 * area. The hourly slots cover `slotPeriod` when it is given, else the days
 * of the stays. Runs through the case's access check as `movement.view`, so
 * the call writes one audit event. Raises `validation_failed` for an invalid
 * period before any access.
 */
export function loadCaseRoute(
  context: AccessContext,
  caseId: string,
  slotPeriod?: SlotPeriod,
): Promise<CaseRoute> {
  if (slotPeriod !== undefined) {
    checkSlotPeriod(slotPeriod);
  }
  return withCaseAccess(
    context,
    {
      action: "movement.view",
      caseId,
      ...(slotPeriod === undefined
        ? {}
        : { detail: { slotsFrom: slotPeriod.from, slotsTo: slotPeriod.to } }),
    },
    (kase) => buildCaseRoute(context.db, kase, slotPeriod),
  );
}

/** Raises `validation_failed` unless the period is real dates, in order, of at most `MAX_SLOT_DAYS` days. */
export function checkSlotPeriod(period: SlotPeriod): void {
  for (const [field, value] of Object.entries(period)) {
    if (!isCalendarDate(value)) {
      throw new AppError(
        "validation_failed",
        `Invalid ${field} ${JSON.stringify(value)}: expected a Seoul date YYYY-MM-DD.`,
      );
    }
  }
  if (period.from > period.to) {
    throw new AppError(
      "validation_failed",
      `Invalid slot period: from ${period.from} is after to ${period.to}.`,
    );
  }
  const days = (seoulDayEnd(period.to) - seoulDayStart(period.from)) / DAY_MS;
  if (days > MAX_SLOT_DAYS) {
    throw new AppError(
      "validation_failed",
      `Invalid slot period ${period.from} to ${period.to}: ${days} days, but the hourly view covers at most ${MAX_SLOT_DAYS}. Narrow the period.`,
    );
  }
}

async function buildCaseRoute(
  db: Kysely<Database>,
  kase: Case,
  slotPeriod: SlotPeriod | undefined,
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
    timeSlots: timeSlotsOf(route, kase, slotPeriod),
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

/**
 * Hourly slots over the Seoul days of `slotPeriod`, else over the days that
 * the route's stays cover, at most the last `MAX_SLOT_DAYS`.
 */
function timeSlotsOf(
  route: Route,
  kase: Case,
  slotPeriod: SlotPeriod | undefined,
): TimeSlot[] {
  const interval =
    slotPeriod === undefined
      ? stayDaysOf(route)
      : {
          startsAt: seoulDayStart(slotPeriod.from),
          endsAt: seoulDayEnd(slotPeriod.to),
        };
  if (interval === undefined) {
    return [];
  }
  try {
    return routeTimeSlots(route, interval);
  } catch (error) {
    throw invalidAnalysisInput(error, `the route of case ${kase.case_number}`);
  }
}

/** Returns the Seoul days that the route's stays cover, at most the last `MAX_SLOT_DAYS`. */
function stayDaysOf(route: Route): TimeInterval | undefined {
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
    return undefined;
  }
  const endsAt = seoulDayEnd(last);
  const startsAt = Math.max(
    seoulDayStart(first),
    endsAt - MAX_SLOT_DAYS * DAY_MS,
  );
  return { startsAt, endsAt };
}
