import { sql, type Kysely } from "kysely";

import type { TimeInterval } from "../analysis/contacts/index.js";
import { EARTH_RADIUS_METERS } from "../analysis/geo/index.js";
import type {
  AreaLabelFunction,
  RouteDateOnlyStay,
  RouteStay,
} from "../analysis/route/index.js";
import { seoulDateOf } from "../domain/index.js";
import type { Database } from "../store/index.js";
import { selectPersonsInBox } from "./contact-candidates.js";
import {
  buildStoredRoutes,
  ROUTE_CONTEXT_MS,
  type StoredRouteOptions,
} from "./store-routes.js";

/**
 * Uncertainty radius in metres given to an interview entry or a disclosed
 * visit that has none: the place of a disclosed visit is known to the venue
 * or the block, not to the metre. Card payments and check-ins without a
 * radius get the route's own default of 30 m, base-station records that of
 * their cell type.
 */
export const DEFAULT_RECORD_RADIUS_METERS = 100;

/**
 * Metres by which the person search of a box query reaches past the box. A
 * fused stay's centre is the mean of its records' positions or the position
 * of its finest member, so it may lie outside the box while records inside
 * the box made it, and the other way round.
 */
const BOUNDS_MARGIN_METERS = 1_000;

/** Persons per `in (...)` list, well under SQLite's bound-parameter limit. */
const PERSON_BATCH = 500;

/** A latitude and longitude box in decimal degrees, edges included. */
export interface Bounds {
  readonly minLatitude: number;
  readonly maxLatitude: number;
  readonly minLongitude: number;
  readonly maxLongitude: number;
}

/** A selection of stays to load. Each field narrows it, and without any field every stay loads. */
export interface StayQuery {
  /**
   * Loads the timed stays that overlap this interval (a stay of no length
   * when its instant lies in it) and the date-only stays of the Seoul days
   * it touches.
   */
  readonly window?: TimeInterval;
  /** Loads only the stays of these persons. */
  readonly personIds?: readonly string[];
  /** Loads only the stays whose centre lies in the box. */
  readonly bounds?: Bounds;
  /** Radius in metres for interview entries and disclosed visits without one. Default `DEFAULT_RECORD_RADIUS_METERS`. */
  readonly defaultRadiusMeters?: number;
  /** Labeller that sets each stay's `area`; without it, `area` is null. */
  readonly labelArea?: AreaLabelFunction;
}

/** A stay of a person's fused route, timed or date-only, with an id unique across persons. */
export type StoredRouteStay = RouteStay | RouteDateOnlyStay;

/**
 * Loads stays in the form the analyses read: each person's fused route, as
 * `epitrace route` builds it from files. The stays of every source are
 * detected from the stored location records (base-station runs, card
 * dwells, check-ins, interview entries and disclosed visits, GPS fixes) and
 * from the GPS stays detected at import, then fused. Stay ids are
 * `<personId>/stay-<n>` and `<personId>/date-stay-<n>`, numbered along the
 * route that was built, so an id is stable only for the same query.
 *
 * Records from `ROUTE_CONTEXT_MS` before to `ROUTE_CONTEXT_MS` after the
 * window are read, so that stays crossing its edges are detected whole.
 */
export async function loadStays(
  db: Kysely<Database>,
  query: StayQuery = {},
): Promise<StoredRouteStay[]> {
  const personIds = query.personIds ?? (await selectPersons(db, query));
  return loadRouteStays(db, personIds, query, {
    ...(query.window === undefined ? {} : { window: query.window }),
    ...(query.labelArea === undefined ? {} : { labelArea: query.labelArea }),
    defaultRadiusMeters:
      query.defaultRadiusMeters ?? DEFAULT_RECORD_RADIUS_METERS,
  });
}

/**
 * Loads the stays of the given persons as `loadStays` does. Each person's
 * route is built only from the records from `contextMs` before to
 * `contextMs` after each of its windows, so a search reads the records
 * near what it looks for and not a person's whole period.
 */
export function loadStaysAroundWindows(
  db: Kysely<Database>,
  windowsByPerson: ReadonlyMap<string, readonly TimeInterval[]>,
  query: StayQuery & { readonly contextMs: number },
): Promise<StoredRouteStay[]> {
  return loadRouteStays(db, [...windowsByPerson.keys()].sort(), query, {
    windowsByPerson,
    contextMs: query.contextMs,
    defaultRadiusMeters:
      query.defaultRadiusMeters ?? DEFAULT_RECORD_RADIUS_METERS,
  });
}

async function loadRouteStays(
  db: Kysely<Database>,
  personIds: readonly string[],
  query: StayQuery,
  options: StoredRouteOptions,
): Promise<StoredRouteStay[]> {
  const stays: StoredRouteStay[] = [];
  for (let start = 0; start < personIds.length; start += PERSON_BATCH) {
    const batch = personIds.slice(start, start + PERSON_BATCH);
    const routes = await buildStoredRoutes(db, batch, options);
    for (const route of routes) {
      for (const stay of [...route.stays, ...route.dateOnlyStays]) {
        if (matches(stay, query)) {
          stays.push({ ...stay, id: `${route.personId}/${stay.id}` });
        }
      }
    }
  }
  return stays;
}

/**
 * Selects the persons with a record or a stored stay that may yield a stay
 * of the query, through the space-time index when the query has a window
 * and a box.
 */
async function selectPersons(
  db: Kysely<Database>,
  query: StayQuery,
): Promise<string[]> {
  if (query.window !== undefined && query.bounds !== undefined) {
    const indexed = await selectPersonsInBox(db, query.window, query.bounds);
    if (indexed !== undefined) {
      return indexed;
    }
  }
  const bounds =
    query.bounds === undefined
      ? undefined
      : widenBounds(query.bounds, BOUNDS_MARGIN_METERS);
  const reach =
    query.window === undefined
      ? undefined
      : {
          startsAt: query.window.startsAt - ROUTE_CONTEXT_MS,
          endsAt: query.window.endsAt + ROUTE_CONTEXT_MS,
        };

  let records = db
    .selectFrom("location_records")
    .select("person_id")
    .distinct()
    .where("latitude", "is not", null)
    .where("longitude", "is not", null);
  if (reach !== undefined) {
    const firstDate = seoulDateOf(query.window!.startsAt);
    const lastDate = seoulDateOf(query.window!.endsAt - 1);
    records = records.where((eb) =>
      eb.or([
        eb.and([
          eb("visit_date", ">=", firstDate),
          eb("visit_date", "<=", lastDate),
        ]),
        eb.and([
          eb("started_at", "<", reach.endsAt),
          eb(eb.fn.coalesce("ended_at", "started_at"), ">=", reach.startsAt),
        ]),
      ]),
    );
  }
  if (bounds !== undefined) {
    records = records
      .where("latitude", ">=", bounds.minLatitude)
      .where("latitude", "<=", bounds.maxLatitude)
      .where("longitude", ">=", bounds.minLongitude)
      .where("longitude", "<=", bounds.maxLongitude);
  }

  let stays = db.selectFrom("stays").select("person_id").distinct();
  if (reach !== undefined) {
    stays = stays
      .where("started_at", "<", reach.endsAt)
      .where("finished_at", ">=", reach.startsAt);
  }
  if (bounds !== undefined) {
    stays = stays
      .where("latitude", ">=", bounds.minLatitude)
      .where("latitude", "<=", bounds.maxLatitude)
      .where("longitude", ">=", bounds.minLongitude)
      .where("longitude", "<=", bounds.maxLongitude);
  }

  const rows = [
    ...(await records.execute()),
    ...(await selectSeriesPersons(db, reach, bounds)),
    ...(await stays.execute()),
  ];
  return [...new Set(rows.map((row) => row.person_id))].sort();
}

/**
 * Selects the persons with a series record in reach and in the box. A
 * series outside the reach is skipped by its first and last instant,
 * and the records of the others are searched only until one matches.
 */
function selectSeriesPersons(
  db: Kysely<Database>,
  reach: TimeInterval | undefined,
  bounds: Bounds | undefined,
): Promise<{ person_id: string }[]> {
  let series = db
    .selectFrom("record_series as s")
    .select("s.person_id")
    .distinct();
  if (reach !== undefined) {
    series = series
      .where("s.started_at", "<", reach.endsAt)
      .where("s.ended_at", ">=", reach.startsAt);
  }
  if (reach === undefined && bounds === undefined) {
    return series.execute();
  }
  return series
    .where((eb) => {
      let records = eb
        .selectFrom("series_records as r")
        .innerJoin("record_sites as t", "t.id", "r.site_id")
        .select(sql<number>`1`.as("found"))
        .whereRef("r.series_id", "=", "s.id");
      if (reach !== undefined) {
        records = records
          .where("r.block_started_at", "<", reach.endsAt)
          .where("r.block_ended_at", ">=", reach.startsAt)
          .where("r.instant", "<", reach.endsAt)
          .where((inner) =>
            inner(
              inner.fn.coalesce("r.ended_at", "r.instant"),
              ">=",
              reach.startsAt,
            ),
          );
      }
      if (bounds !== undefined) {
        records = records
          .where("t.latitude", ">=", bounds.minLatitude)
          .where("t.latitude", "<=", bounds.maxLatitude)
          .where("t.longitude", ">=", bounds.minLongitude)
          .where("t.longitude", "<=", bounds.maxLongitude);
      }
      return eb.exists(records);
    })
    .execute();
}

function matches(stay: StoredRouteStay, query: StayQuery): boolean {
  if (query.window !== undefined && !overlapsWindow(stay, query.window)) {
    return false;
  }
  const box = query.bounds;
  return (
    box === undefined ||
    (stay.latitude >= box.minLatitude &&
      stay.latitude <= box.maxLatitude &&
      stay.longitude >= box.minLongitude &&
      stay.longitude <= box.maxLongitude)
  );
}

function overlapsWindow(stay: StoredRouteStay, window: TimeInterval): boolean {
  if (stay.visitDate !== undefined) {
    return (
      stay.visitDate >= seoulDateOf(window.startsAt) &&
      stay.visitDate <= seoulDateOf(window.endsAt - 1)
    );
  }
  return stay.startedAt < window.endsAt && stay.finishedAt >= window.startsAt;
}

/** Returns the box grown by a distance on every side; it does not wrap across the antimeridian. */
export function widenBounds(bounds: Bounds, meters: number): Bounds {
  const degrees = (meters / EARTH_RADIUS_METERS) * (180 / Math.PI);
  const widest = Math.max(
    Math.abs(bounds.minLatitude),
    Math.abs(bounds.maxLatitude),
  );
  const cosLatitude = Math.max(Math.cos((widest * Math.PI) / 180), 0.01);
  return {
    minLatitude: bounds.minLatitude - degrees,
    maxLatitude: bounds.maxLatitude + degrees,
    minLongitude: bounds.minLongitude - degrees / cosLatitude,
    maxLongitude: bounds.maxLongitude + degrees / cosLatitude,
  };
}
