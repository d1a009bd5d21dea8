import { PostgresAdapter, sql, type Kysely } from "kysely";

import { EARTH_RADIUS_METERS } from "../analysis/geo/index.js";
import { seoulDayStart } from "../domain/index.js";
import { withinBlockBounds, type Database } from "../store/index.js";
import { SPACE_TIME_MARGIN_MINUTES } from "../store/migrations/0010-space-time-index.js";
import type { Bounds, StoredRouteStay } from "./store-stays.js";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Settings of the candidate search. */
export interface CandidateSearch {
  /** Person whose stays are searched around; never a candidate. */
  readonly casePersonId: string;
  /** Metres added to the two stays' radii for a contact. */
  readonly contactDistanceMeters: number;
}

/** An interval in epoch milliseconds, start inclusive and end exclusive. */
export interface CandidateWindow {
  readonly startsAt: number;
  readonly endsAt: number;
}

/**
 * Selects the persons whose records or stored stays lie near a stay of the
 * case in space and time, by the R*Tree indexes of migrations 0010 and
 * 0012, with the time windows of the case stays they lie near. Each
 * indexed row reaches `SPACE_TIME_MARGIN_MINUTES` and the movement of a
 * stay's centre past its record, and each indexed run of series records
 * reaches the records before and after it. So the persons of every stay
 * that may meet a case stay are selected, along with some that do not.
 *
 * The window of a person found through runs of series records reaches
 * over those runs, so that a stay built from records hours apart, such as
 * those of a phone that is seldom used, is read whole.
 *
 * NOTE: a base-station stay from rows of `location_records` whose records
 * near the meeting lie more than two hours from it on both sides is
 * missed. The runs of series records have no such gap.
 */
export async function selectCandidates(
  db: Kysely<Database>,
  caseStays: readonly StoredRouteStay[],
  search: CandidateSearch,
): Promise<Map<string, CandidateWindow[]>> {
  const windows = new Map<string, CandidateWindow[]>();
  const usesIndex = !(db.getExecutor().adapter instanceof PostgresAdapter);
  for (const box of mergeBoxes(caseStays.map((stay) => boxOf(stay, search)))) {
    const rows = usesIndex
      ? await selectIndexed(db, box, search.casePersonId)
      : await selectUnindexed(db, box, search.casePersonId);
    const boxWindow = {
      startsAt: box.minMinute * MINUTE_MS,
      endsAt: box.maxMinute * MINUTE_MS,
    };
    for (const row of rows) {
      const window = widenedWindow(boxWindow, row);
      const own = windows.get(row.person_id);
      if (own === undefined) {
        windows.set(row.person_id, [window]);
      } else if (own.at(-1) !== window) {
        own.push(window);
      }
    }
  }
  return windows;
}

/**
 * Selects the persons with a record or stored stay whose indexed box meets
 * the window and the latitude and longitude box, or returns undefined on
 * PostgreSQL, which has no such index.
 */
export async function selectPersonsInBox(
  db: Kysely<Database>,
  window: CandidateWindow,
  bounds: Bounds,
): Promise<string[] | undefined> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return undefined;
  }
  const rows = await selectIndexed(
    db,
    {
      minMinute: Math.floor(window.startsAt / MINUTE_MS),
      maxMinute: Math.ceil(window.endsAt / MINUTE_MS),
      ...bounds,
    },
    null,
  );
  return [...new Set(rows.map((row) => row.person_id))].sort();
}

/** A person near a box, with the minutes its runs of series records span when found by them. */
interface CandidateRow {
  person_id: string;
  reach_from?: number | null;
  reach_to?: number | null;
}

/** Returns the box's window, widened to the runs that found the person. */
function widenedWindow(
  window: CandidateWindow,
  row: CandidateRow,
): CandidateWindow {
  if (
    row.reach_from === undefined ||
    row.reach_from === null ||
    row.reach_to === undefined ||
    row.reach_to === null
  ) {
    return window;
  }
  const startsAt = Math.min(window.startsAt, row.reach_from * MINUTE_MS);
  const endsAt = Math.max(window.endsAt, row.reach_to * MINUTE_MS);
  return startsAt === window.startsAt && endsAt === window.endsAt
    ? window
    : { startsAt, endsAt };
}

/** A query box: minutes since the epoch and WGS 84 degrees. */
interface SpaceTimeBox {
  minMinute: number;
  maxMinute: number;
  minLatitude: number;
  maxLatitude: number;
  minLongitude: number;
  maxLongitude: number;
}

function boxOf(stay: StoredRouteStay, search: CandidateSearch): SpaceTimeBox {
  const [startsAt, endsAt] =
    stay.visitDate === undefined
      ? [stay.startedAt, stay.finishedAt]
      : [seoulDayStart(stay.visitDate), seoulDayStart(stay.visitDate) + DAY_MS];
  const reachMeters = stay.radiusMeters + search.contactDistanceMeters;
  const latitudeDegrees = (reachMeters / EARTH_RADIUS_METERS) * (180 / Math.PI);
  const cosLatitude = Math.max(Math.cos((stay.latitude * Math.PI) / 180), 0.01);
  return {
    minMinute: Math.floor(startsAt / MINUTE_MS),
    maxMinute: Math.ceil(endsAt / MINUTE_MS),
    minLatitude: stay.latitude - latitudeDegrees,
    maxLatitude: stay.latitude + latitudeDegrees,
    minLongitude: stay.longitude - latitudeDegrees / cosLatitude,
    maxLongitude: stay.longitude + latitudeDegrees / cosLatitude,
  };
}

/**
 * Joins consecutive boxes that overlap in time and space into their
 * bounding box, so that a long stay cut into pieces is one query.
 */
function mergeBoxes(boxes: readonly SpaceTimeBox[]): SpaceTimeBox[] {
  const sorted = [...boxes].sort((a, b) => a.minMinute - b.minMinute);
  const merged: SpaceTimeBox[] = [];
  for (const box of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && overlaps(last, box)) {
      last.maxMinute = Math.max(last.maxMinute, box.maxMinute);
      last.minLatitude = Math.min(last.minLatitude, box.minLatitude);
      last.maxLatitude = Math.max(last.maxLatitude, box.maxLatitude);
      last.minLongitude = Math.min(last.minLongitude, box.minLongitude);
      last.maxLongitude = Math.max(last.maxLongitude, box.maxLongitude);
    } else {
      merged.push({ ...box });
    }
  }
  return merged;
}

function overlaps(a: SpaceTimeBox, b: SpaceTimeBox): boolean {
  return (
    b.minMinute <= a.maxMinute &&
    b.minLatitude <= a.maxLatitude &&
    b.maxLatitude >= a.minLatitude &&
    b.minLongitude <= a.maxLongitude &&
    b.maxLongitude >= a.minLongitude
  );
}

/**
 * Selects the persons of the indexed rows that meet the box, leaving out
 * `casePersonId` when given. Series records are indexed by runs in
 * `series_space_time`, whose auxiliary column names the series.
 */
async function selectIndexed(
  db: Kysely<Database>,
  box: SpaceTimeBox,
  casePersonId: string | null,
): Promise<CandidateRow[]> {
  const query = sql<CandidateRow>`
    select distinct r.person_id, null as reach_from, null as reach_to
      from location_records_space_time t
      join location_records r on r.id = t.id
      where t.max_minute >= ${box.minMinute} and t.min_minute <= ${box.maxMinute}
        and t.max_latitude >= ${box.minLatitude} and t.min_latitude <= ${box.maxLatitude}
        and t.max_longitude >= ${box.minLongitude} and t.min_longitude <= ${box.maxLongitude}
        and r.person_id is not ${casePersonId}
    union all
    select s.person_id, min(t.min_minute), max(t.max_minute)
      from series_space_time t
      join record_series s on s.id = t.series_id
      where t.max_minute >= ${box.minMinute} and t.min_minute <= ${box.maxMinute}
        and t.max_latitude >= ${box.minLatitude} and t.min_latitude <= ${box.maxLatitude}
        and t.max_longitude >= ${box.minLongitude} and t.min_longitude <= ${box.maxLongitude}
        and s.person_id is not ${casePersonId}
      group by s.person_id
    union all
    select distinct s.person_id, null, null from stays_space_time t
      join stays s on s.id = t.id
      where t.max_minute >= ${box.minMinute} and t.min_minute <= ${box.maxMinute}
        and t.max_latitude >= ${box.minLatitude} and t.min_latitude <= ${box.maxLatitude}
        and t.max_longitude >= ${box.minLongitude} and t.min_longitude <= ${box.maxLongitude}
        and s.person_id is not ${casePersonId}`;
  return (await query.execute(db)).rows;
}

/**
 * Filters both tables by the box without an index. The box is widened by
 * the margins that the R*Tree rows carry: the time margin, and 2 km, the
 * largest reach indexed around a record (a macro cell's 1 km plus a 1 km
 * centre shift).
 */
async function selectUnindexed(
  db: Kysely<Database>,
  box: SpaceTimeBox,
  casePersonId: string,
): Promise<{ person_id: string }[]> {
  const marginMs = SPACE_TIME_MARGIN_MINUTES * MINUTE_MS;
  const startsAt = box.minMinute * MINUTE_MS - marginMs;
  const endsAt = box.maxMinute * MINUTE_MS + marginMs;
  const degrees = (2_000 / EARTH_RADIUS_METERS) * (180 / Math.PI);
  const cosLatitude = Math.max(
    Math.cos((((box.minLatitude + box.maxLatitude) / 2) * Math.PI) / 180),
    0.01,
  );
  const inBox = {
    minLatitude: box.minLatitude - degrees,
    maxLatitude: box.maxLatitude + degrees,
    minLongitude: box.minLongitude - degrees / cosLatitude,
    maxLongitude: box.maxLongitude + degrees / cosLatitude,
  };
  const records = await db
    .selectFrom("location_records_all")
    .select("person_id")
    .distinct()
    .where("person_id", "!=", casePersonId)
    .where("latitude", ">=", inBox.minLatitude)
    .where("latitude", "<=", inBox.maxLatitude)
    .where("longitude", ">=", inBox.minLongitude)
    .where("longitude", "<=", inBox.maxLongitude)
    .where((eb) =>
      eb.or([
        eb("visit_date", "is not", null),
        eb.and([
          eb("started_at", "<=", endsAt),
          eb(eb.fn.coalesce("ended_at", "started_at"), ">=", startsAt),
        ]),
      ]),
    )
    .where((eb) => withinBlockBounds(eb, startsAt, endsAt + 1))
    .execute();
  const stays = await db
    .selectFrom("stays")
    .select("person_id")
    .distinct()
    .where("person_id", "!=", casePersonId)
    .where("latitude", ">=", inBox.minLatitude)
    .where("latitude", "<=", inBox.maxLatitude)
    .where("longitude", ">=", inBox.minLongitude)
    .where("longitude", "<=", inBox.maxLongitude)
    .where("started_at", "<=", endsAt)
    .where("finished_at", ">=", startsAt)
    .execute();
  return [...records, ...stays];
}
