import { PostgresAdapter, sql, type Kysely } from "kysely";

import type { TimeInterval } from "../analysis/contacts/index.js";
import {
  buildRoute,
  type AreaLabelFunction,
  type Route,
} from "../analysis/route/index.js";
import { seoulDateOf } from "../domain/index.js";
import {
  withinBlockBounds,
  type Database,
  type Stay as StoredStay,
} from "../store/index.js";
import {
  ROUTE_RECORD_COLUMNS,
  routeInputOfStored,
  type RouteRecordRow,
} from "./route-records.js";
import { invalidAnalysisInput } from "./scope.js";
import {
  reachesOf,
  selectInReaches,
  selectPersonsWithSeries,
  type StoredRows,
} from "./store-reaches.js";

/**
 * Milliseconds of records read before and after a window to build the
 * routes in it (one day), so that a base-station run or a card dwell
 * crossing an edge is detected from all of its records.
 */
export const ROUTE_CONTEXT_MS = 86_400_000;

/** Persons per `in (...)` list, well under SQLite's bound-parameter limit. */
const PERSON_BATCH = 500;

/** Settings of `buildStoredRoutes`. */
export interface StoredRouteOptions {
  /** Reads the records from `ROUTE_CONTEXT_MS` before this interval to as long after it; without it, every record. */
  readonly window?: TimeInterval;
  /**
   * Reads, for each person, only the records from `contextMs` before to
   * `contextMs` after each of these intervals, in place of `window`.
   */
  readonly windowsByPerson?: ReadonlyMap<string, readonly TimeInterval[]>;
  /** Milliseconds read around each of `windowsByPerson`. Default `ROUTE_CONTEXT_MS`. */
  readonly contextMs?: number;
  /** Radius in metres of interview entries and disclosed visits without one. */
  readonly defaultRadiusMeters: number;
  /** Labeller of administrative areas for the stays' `area`. */
  readonly labelArea?: AreaLabelFunction;
}

/**
 * Builds the fused route of each person from the stored records and
 * stays, with the same stay detection and fusion as `epitrace route`.
 * Returns one route per person with any record, in the order of
 * `personIds`. Raises `validation_failed` when a stored record is invalid
 * for its source.
 */
export async function buildStoredRoutes(
  db: Kysely<Database>,
  personIds: readonly string[],
  options: StoredRouteOptions,
): Promise<Route[]> {
  if (personIds.length === 0) {
    return [];
  }
  const { storedStays, records } =
    options.windowsByPerson === undefined
      ? await selectInWindow(db, personIds, options.window)
      : await selectAroundWindows(
          db,
          personIds,
          options.windowsByPerson,
          options.contextMs ?? ROUTE_CONTEXT_MS,
        );

  const recordsByPerson = groupByPerson(records);
  const staysByPerson = groupByPerson(storedStays);
  const routes: Route[] = [];
  for (const personId of personIds) {
    const ownRecords = recordsByPerson.get(personId) ?? [];
    const ownStays = staysByPerson.get(personId) ?? [];
    if (ownRecords.length === 0 && ownStays.length === 0) {
      continue;
    }
    routes.push(buildPersonRoute(personId, ownRecords, ownStays, options));
  }
  return routes;
}

async function selectInWindow(
  db: Kysely<Database>,
  personIds: readonly string[],
  window: TimeInterval | undefined,
): Promise<StoredRows> {
  const reach =
    window === undefined
      ? undefined
      : {
          startsAt: window.startsAt - ROUTE_CONTEXT_MS,
          endsAt: window.endsAt + ROUTE_CONTEXT_MS,
        };
  const storedStays = await selectStoredStays(db, personIds, reach);
  const withStays = new Set(storedStays.map((stay) => stay.person_id));
  const records = await selectRecords(db, personIds, withStays, reach);
  return { storedStays, records };
}

/**
 * Selects each person's rows around each of its windows and keeps each
 * row once. On SQLite the persons without series records are read in one
 * statement per table, the others window by window. Exported for tests.
 *
 * NOTE: persons with series records still cost two statements per window
 * and batch, because the view cannot be joined to the reaches without
 * reading every series record; a store of base-station series gains less.
 */
export async function selectAroundWindows(
  db: Kysely<Database>,
  personIds: readonly string[],
  windowsByPerson: ReadonlyMap<string, readonly TimeInterval[]>,
  contextMs: number,
): Promise<StoredRows> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return selectWindowByWindow(db, personIds, windowsByPerson, contextMs);
  }
  const withSeries = await selectPersonsWithSeries(db, personIds);
  const joined = await selectInReaches(
    db,
    reachesOf(
      personIds.filter((personId) => !withSeries.has(personId)),
      windowsByPerson,
      contextMs,
    ),
  );
  const byWindow = await selectWindowByWindow(
    db,
    personIds.filter((personId) => withSeries.has(personId)),
    windowsByPerson,
    contextMs,
  );
  return {
    storedStays: distinctInStoredOrder([
      ...joined.storedStays,
      ...byWindow.storedStays,
    ]),
    records: distinctInStoredOrder([...joined.records, ...byWindow.records]),
  };
}

/**
 * Selects each person's rows around each of its windows, one query per
 * distinct window and batch of persons, and keeps each row once. Exported
 * for tests, which compare `selectAroundWindows` with it.
 */
export async function selectWindowByWindow(
  db: Kysely<Database>,
  personIds: readonly string[],
  windowsByPerson: ReadonlyMap<string, readonly TimeInterval[]>,
  contextMs: number,
): Promise<StoredRows> {
  const personsByWindow = new Map<TimeInterval, string[]>();
  for (const personId of personIds) {
    for (const window of windowsByPerson.get(personId) ?? []) {
      const persons = personsByWindow.get(window) ?? [];
      persons.push(personId);
      personsByWindow.set(window, persons);
    }
  }

  const stays: StoredStay[] = [];
  const records: RouteRecordRow[] = [];
  for (const [window, persons] of personsByWindow) {
    const reach = {
      startsAt: window.startsAt - contextMs,
      endsAt: window.endsAt + contextMs,
    };
    for (let start = 0; start < persons.length; start += PERSON_BATCH) {
      const batch = persons.slice(start, start + PERSON_BATCH);
      const rows = await selectInReach(db, batch, reach);
      stays.push(...rows.storedStays);
      records.push(...rows.records);
    }
  }
  return {
    storedStays: distinctInStoredOrder(stays),
    records: distinctInStoredOrder(records),
  };
}

/** Keeps the first row of each id and sorts the rows by `compareStoredOrder`. */
function distinctInStoredOrder<
  Row extends { id: number; started_at: number | null },
>(rows: readonly Row[]): Row[] {
  const byId = new Map<number, Row>();
  for (const row of rows) {
    if (!byId.has(row.id)) {
      byId.set(row.id, row);
    }
  }
  return [...byId.values()].sort(compareStoredOrder);
}

/**
 * Orders rows by start, then in the order they were stored, as
 * `selectRecords` does: rows of `location_records` and stays by id, then
 * series records by series and position (their ids are negative, see
 * `SERIES_ID_FACTOR`).
 */
function compareStoredOrder(
  a: { id: number; started_at: number | null },
  b: { id: number; started_at: number | null },
): number {
  return (
    Number(a.started_at ?? 0) - Number(b.started_at ?? 0) ||
    Number(a.id < 0) - Number(b.id < 0) ||
    Math.abs(a.id) - Math.abs(b.id)
  );
}

async function selectInReach(
  db: Kysely<Database>,
  personIds: readonly string[],
  reach: TimeInterval,
): Promise<StoredRows> {
  const storedStays = await selectStoredStays(db, personIds, reach);
  const withStays = new Set(storedStays.map((stay) => stay.person_id));
  const records = await selectRecords(db, personIds, withStays, reach);
  return { storedStays, records };
}

function buildPersonRoute(
  personId: string,
  records: readonly RouteRecordRow[],
  storedStays: readonly StoredStay[],
  options: StoredRouteOptions,
): Route {
  const input = routeInputOfStored(personId, records, storedStays);
  try {
    return buildRoute(input, {
      visit: { defaultRadiusMeters: options.defaultRadiusMeters },
      ...(options.labelArea === undefined
        ? {}
        : { fuse: { labelArea: options.labelArea } }),
    });
  } catch (error) {
    throw invalidAnalysisInput(error, "the stored records of a person");
  }
}

/** Selects the stored stays of the persons that overlap `reach`, or all of them. */
function selectStoredStays(
  db: Kysely<Database>,
  personIds: readonly string[],
  reach: TimeInterval | undefined,
): Promise<StoredStay[]> {
  let select = db
    .selectFrom("stays")
    .selectAll()
    .where("person_id", "in", [...personIds]);
  if (reach !== undefined) {
    select = select
      .where("started_at", "<", reach.endsAt)
      .where("finished_at", ">=", reach.startsAt);
  }
  return select.orderBy("started_at").orderBy("id").execute();
}

/**
 * Selects the records of the persons with a position, of both storage
 * shapes, leaving out the raw GPS fixes of persons whose GPS stays were
 * detected at import. Records at one instant come in the order they were
 * stored, because the stay detection keeps that order for them.
 */
function selectRecords(
  db: Kysely<Database>,
  personIds: readonly string[],
  personsWithStays: ReadonlySet<string>,
  reach: TimeInterval | undefined,
): Promise<RouteRecordRow[]> {
  let select = db
    .selectFrom("location_records_all")
    .select(ROUTE_RECORD_COLUMNS)
    .where("person_id", "in", [...personIds])
    .where("latitude", "is not", null)
    .where("longitude", "is not", null);
  if (personsWithStays.size > 0) {
    select = select.where((eb) =>
      eb.or([
        eb("source_kind", "!=", "gps"),
        eb("person_id", "not in", [...personsWithStays]),
        eb("started_at", "is", null),
        eb.and([
          eb("ended_at", "is not", null),
          eb("ended_at", "!=", eb.ref("started_at")),
        ]),
      ]),
    );
  }
  if (reach !== undefined) {
    const { startsAt, endsAt } = reach;
    select = select
      .where((eb) =>
        eb.or([
          eb.and([
            eb("visit_date", ">=", seoulDateOf(startsAt)),
            eb("visit_date", "<=", seoulDateOf(endsAt - 1)),
          ]),
          eb.and([
            eb("started_at", "<", endsAt),
            eb(eb.fn.coalesce("ended_at", "started_at"), ">=", startsAt),
          ]),
        ]),
      )
      .where((eb) => withinBlockBounds(eb, startsAt, endsAt));
  }
  return select
    .orderBy("started_at")
    .orderBy(sql`id < 0`)
    .orderBy(sql`abs(id)`)
    .execute();
}

function groupByPerson<Row extends { person_id: string }>(
  rows: readonly Row[],
): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.person_id);
    if (group === undefined) {
      groups.set(row.person_id, [row]);
    } else {
      group.push(row);
    }
  }
  return groups;
}
