import type { Kysely } from "kysely";

import type { TimeInterval } from "../analysis/contacts/index.js";
import type { Stay } from "../analysis/stays/index.js";
import { seoulDateOf } from "../domain/index.js";
import type {
  Database,
  LocationRecord,
  Stay as StoredStay,
} from "../store/index.js";

/**
 * Uncertainty radius in metres given to a location record that has none,
 * such as a DS4C disclosed visit or an interview visit: the place of a
 * disclosed visit is known to the venue or the block, not to the metre.
 */
export const DEFAULT_RECORD_RADIUS_METERS = 100;

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
   * Loads the timed stays and records that overlap this interval (a record
   * of no length when its instant lies in it) and the date-only visits of
   * the Seoul days it touches.
   */
  readonly window?: TimeInterval;
  /** Loads only the stays of these persons. */
  readonly personIds?: readonly string[];
  /** Loads only the stays whose centre lies in the box. */
  readonly bounds?: Bounds;
  /** Radius in metres for records without one. Default `DEFAULT_RECORD_RADIUS_METERS`. */
  readonly defaultRadiusMeters?: number;
}

/**
 * Loads stays in the form the analyses read: the stays detected from
 * position fixes (ids `stay-<id>`) and every location record with a
 * position except raw GPS fixes (ids `record-<id>`), the same ids the case
 * timeline uses. A record with a `visit_date` becomes a date-only stay, any
 * other a timed stay from `started_at` to `ended_at` (both ends certain).
 *
 * NOTE: a base-station or card record is a single instant, so it becomes a
 * stay of no length, which overlaps nothing in a contact search until stays
 * are detected from such records.
 */
export async function loadStays(
  db: Kysely<Database>,
  query: StayQuery = {},
): Promise<Stay[]> {
  const radius = query.defaultRadiusMeters ?? DEFAULT_RECORD_RADIUS_METERS;
  if (query.personIds === undefined) {
    return loadBatch(db, query, undefined, radius);
  }

  const stays: Stay[] = [];
  for (let start = 0; start < query.personIds.length; start += PERSON_BATCH) {
    const batch = query.personIds.slice(start, start + PERSON_BATCH);
    stays.push(...(await loadBatch(db, query, batch, radius)));
  }
  return stays;
}

async function loadBatch(
  db: Kysely<Database>,
  query: StayQuery,
  personIds: readonly string[] | undefined,
  defaultRadiusMeters: number,
): Promise<Stay[]> {
  const detected = await selectDetectedStays(db, query, personIds);
  const records = await selectRecords(db, query, personIds);
  return [
    ...detected.map(stayOfDetected),
    ...records.flatMap((record) => {
      const stay = stayOfRecord(record, defaultRadiusMeters);
      return stay === undefined ? [] : [stay];
    }),
  ];
}

function selectDetectedStays(
  db: Kysely<Database>,
  query: StayQuery,
  personIds: readonly string[] | undefined,
): Promise<StoredStay[]> {
  let select = db.selectFrom("stays").selectAll();
  if (personIds !== undefined) {
    if (personIds.length === 0) {
      return Promise.resolve([]);
    }
    select = select.where("person_id", "in", [...personIds]);
  }
  if (query.window !== undefined) {
    const { startsAt, endsAt } = query.window;
    select = select
      .where("started_at", "<", endsAt)
      .where("finished_at", ">=", startsAt);
  }
  if (query.bounds !== undefined) {
    const box = query.bounds;
    select = select
      .where("latitude", ">=", box.minLatitude)
      .where("latitude", "<=", box.maxLatitude)
      .where("longitude", ">=", box.minLongitude)
      .where("longitude", "<=", box.maxLongitude);
  }
  return select.orderBy("id").execute();
}

function selectRecords(
  db: Kysely<Database>,
  query: StayQuery,
  personIds: readonly string[] | undefined,
): Promise<LocationRecord[]> {
  let select = db
    .selectFrom("location_records")
    .selectAll()
    .where("source_kind", "!=", "gps")
    .where("latitude", "is not", null)
    .where("longitude", "is not", null);
  if (personIds !== undefined) {
    if (personIds.length === 0) {
      return Promise.resolve([]);
    }
    select = select.where("person_id", "in", [...personIds]);
  }
  if (query.window !== undefined) {
    const { startsAt, endsAt } = query.window;
    const firstDate = seoulDateOf(startsAt);
    const lastDate = seoulDateOf(endsAt - 1);
    select = select.where((eb) =>
      eb.or([
        eb.and([
          eb("visit_date", ">=", firstDate),
          eb("visit_date", "<=", lastDate),
        ]),
        eb.and([
          eb("started_at", "<", endsAt),
          eb(eb.fn.coalesce("ended_at", "started_at"), ">=", startsAt),
        ]),
      ]),
    );
  }
  if (query.bounds !== undefined) {
    const box = query.bounds;
    select = select
      .where("latitude", ">=", box.minLatitude)
      .where("latitude", "<=", box.maxLatitude)
      .where("longitude", ">=", box.minLongitude)
      .where("longitude", "<=", box.maxLongitude);
  }
  return select.orderBy("id").execute();
}

function stayOfDetected(stay: StoredStay): Stay {
  return {
    id: `stay-${stay.id}`,
    personId: stay.person_id,
    source: stay.source_kind,
    startedAt: Number(stay.started_at),
    lastFixAt: Number(stay.last_fix_at),
    finishedAt: Number(stay.finished_at),
    latitude: stay.latitude,
    longitude: stay.longitude,
    radiusMeters: stay.radius_meters,
  };
}

/** Converts a record with a position, or returns undefined for one without a time or date. */
function stayOfRecord(
  record: LocationRecord,
  defaultRadiusMeters: number,
): Stay | undefined {
  if (record.latitude === null || record.longitude === null) {
    return undefined;
  }
  const common = {
    id: `record-${record.id}`,
    personId: record.person_id,
    source: record.source_kind,
    latitude: record.latitude,
    longitude: record.longitude,
    radiusMeters: record.radius_meters ?? defaultRadiusMeters,
  };
  if (record.visit_date !== null) {
    return { ...common, visitDate: record.visit_date };
  }
  if (record.started_at === null) {
    return undefined;
  }

  const startedAt = Number(record.started_at);
  const endedAt = Math.max(startedAt, Number(record.ended_at ?? startedAt));
  return { ...common, startedAt, lastFixAt: endedAt, finishedAt: endedAt };
}
