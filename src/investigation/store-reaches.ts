import { sql, type Kysely } from "kysely";

import type { TimeInterval } from "../analysis/contacts/index.js";
import { seoulDateOf } from "../domain/index.js";
import type { Database, Stay as StoredStay } from "../store/index.js";
import { ROUTE_RECORD_COLUMNS, type RouteRecordRow } from "./route-records.js";

/** The stored stays and location records read for a set of routes. */
export interface StoredRows {
  storedStays: StoredStay[];
  records: RouteRecordRow[];
}

/** An interval of one person's rows to read. */
export interface PersonReach extends TimeInterval {
  readonly personId: string;
}

/**
 * Returns each person's windows grown by `contextMs` on both sides, sorted
 * by start, with the intervals that overlap or touch joined. The rows
 * that meet the joined intervals are exactly those that meet one of the
 * grown windows, so one probe per joined interval reads them.
 */
export function reachesOf(
  personIds: readonly string[],
  windowsByPerson: ReadonlyMap<string, readonly TimeInterval[]>,
  contextMs: number,
): PersonReach[] {
  const reaches: PersonReach[] = [];
  for (const personId of personIds) {
    const grown = (windowsByPerson.get(personId) ?? [])
      .map((window) => ({
        startsAt: window.startsAt - contextMs,
        endsAt: window.endsAt + contextMs,
      }))
      .sort((a, b) => a.startsAt - b.startsAt);
    let last: { personId: string; startsAt: number; endsAt: number } | null =
      null;
    for (const interval of grown) {
      if (last !== null && interval.startsAt <= last.endsAt) {
        last.endsAt = Math.max(last.endsAt, interval.endsAt);
        continue;
      }
      last = { personId, startsAt: interval.startsAt, endsAt: interval.endsAt };
      reaches.push(last);
    }
  }
  return reaches;
}

/**
 * Selects the persons that have a series of records, whose rows only the
 * view `location_records_all` reads (see migration 0012).
 */
export async function selectPersonsWithSeries(
  db: Kysely<Database>,
  personIds: readonly string[],
): Promise<Set<string>> {
  const { rows } = await sql<{ person_id: string }>`
    select distinct person_id from record_series
    where person_id in (select value from json_each(${JSON.stringify(personIds)}))`.execute(
    db,
  );
  return new Set(rows.map((row) => row.person_id));
}

/**
 * Selects, in one statement per table, the stored stays and the rows of
 * `location_records` that meet each reach, as `selectInReach` does for a
 * single reach. The reaches travel as one JSON parameter, so the number
 * of statements does not grow with the number of persons or windows.
 * Raw GPS fixes are left out for the persons with a stored stay in one of
 * their reaches, because their routes fuse those stays instead.
 *
 * SQLite only (`json_each`); series records are not read, so call it for
 * persons without series. A row that meets two reaches of its person
 * comes twice.
 */
export async function selectInReaches(
  db: Kysely<Database>,
  reaches: readonly PersonReach[],
): Promise<StoredRows> {
  if (reaches.length === 0) {
    return { storedStays: [], records: [] };
  }
  const storedStays = await selectStaysInReaches(db, reaches);
  const withStays = new Set(storedStays.map((stay) => stay.person_id));
  const records = await selectRecordsInReaches(db, reaches, withStays);
  return { storedStays, records };
}

/**
 * Builds the `with` clause that turns the reaches into a materialised
 * table, so that each probe reads its bounds once. The cross join after it
 * makes SQLite probe the person index from each reach and never scan the
 * records. `->>` and `materialized` need SQLite 3.38 or later, which the
 * bundled SQLite of better-sqlite3 12 is.
 */
function reachTable(rows: readonly (readonly (string | number)[])[]) {
  return sql`with reach (person_id, starts_at, ends_at, first_date, last_date, without_fixes)
    as materialized (
      select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5
      from json_each(${JSON.stringify(rows)}))`;
}

async function selectStaysInReaches(
  db: Kysely<Database>,
  reaches: readonly PersonReach[],
): Promise<StoredStay[]> {
  const rows = reaches.map((reach) => [
    reach.personId,
    reach.startsAt,
    reach.endsAt,
    "",
    "",
    0,
  ]);
  const { rows: stays } = await sql<StoredStay>`${reachTable(rows)}
    select s.* from reach w cross join stays s on s.person_id = w.person_id
    where s.started_at < w.ends_at and s.finished_at >= w.starts_at`.execute(
    db,
  );
  return stays;
}

/**
 * Selects the placed records that meet each reach: a timed record that
 * overlaps it, or one whose visit date lies on a Seoul day it touches.
 */
async function selectRecordsInReaches(
  db: Kysely<Database>,
  reaches: readonly PersonReach[],
  personsWithStays: ReadonlySet<string>,
): Promise<RouteRecordRow[]> {
  // Most reaches share their bounds, because they grow the same windows.
  const dates = new Map<number, string>();
  const dateOf = (instant: number): string => {
    let date = dates.get(instant);
    if (date === undefined) {
      date = seoulDateOf(instant);
      dates.set(instant, date);
    }
    return date;
  };
  const rows = reaches.map((reach) => [
    reach.personId,
    reach.startsAt,
    reach.endsAt,
    dateOf(reach.startsAt),
    dateOf(reach.endsAt - 1),
    personsWithStays.has(reach.personId) ? 1 : 0,
  ]);
  const columns = sql.join(
    ROUTE_RECORD_COLUMNS.map((column) => sql.ref(`r.${column}`)),
  );
  const { rows: records } = await sql<RouteRecordRow>`${reachTable(rows)}
    select ${columns} from reach w
      cross join location_records r on r.person_id = w.person_id
    where r.latitude is not null and r.longitude is not null
      and (w.without_fixes = 0 or r.source_kind != 'gps' or r.started_at is null
        or (r.ended_at is not null and r.ended_at != r.started_at))
      and ((r.visit_date >= w.first_date and r.visit_date <= w.last_date)
        or (r.started_at < w.ends_at
          and coalesce(r.ended_at, r.started_at) >= w.starts_at))`.execute(db);
  return records;
}
