import { PostgresAdapter, sql, type Kysely } from "kysely";

/**
 * Largest number of minutes added before and after an indexed row: that of
 * a base-station record, whose stay lasts from one record of its run to the
 * next, however far apart they are.
 */
export const SPACE_TIME_MARGIN_MINUTES = 120;

/**
 * Minutes added before and after a record, by how far a stay built from it
 * may reach past its recorded times. Every kind gets 15 minutes, because
 * the fusion joins stays at one place up to 15 minutes apart. A card
 * payment implies up to 90 minutes of dwell around it, and a check-in
 * without a check-out 60 minutes after it.
 */
function recordMarginMinutes(row: string): string {
  return `CASE ${row}.source_kind
    WHEN 'base_station' THEN ${SPACE_TIME_MARGIN_MINUTES}
    WHEN 'card' THEN 105
    WHEN 'checkin' THEN CASE
      WHEN ${row}.ended_at IS NULL OR ${row}.flags LIKE '%end_unknown%' THEN 75
      ELSE 15 END
    ELSE 15 END`;
}

/** Metres per degree of latitude on the haversine sphere (radius 6,371,008.8 m). */
const METERS_PER_DEGREE = 111_195.08;

/**
 * Metres indexed around a record's position: its radius, or the default of
 * its kind, plus how far a stay built from it may move its centre. A
 * base-station stay's centre is the mean of antennas up to 500 m apart,
 * and a GPS stay's the mean of fixes up to 100 m apart, so a contact of
 * such a stay may lie twice as far from one record as from the centre.
 */
function recordReachMeters(row: string): string {
  return `CASE ${row}.source_kind
    WHEN 'base_station' THEN coalesce(${row}.radius_meters, 1000) + 1000
    WHEN 'gps' THEN coalesce(${row}.radius_meters, 10) + 200
    WHEN 'card' THEN coalesce(${row}.radius_meters, 30)
    WHEN 'checkin' THEN coalesce(${row}.radius_meters, 30)
    ELSE coalesce(${row}.radius_meters, 100) END`;
}

/** Columns of an R*Tree row for a record: a date-only visit spans its Seoul day. */
function recordBox(row: string): string {
  const dayStart = `((julianday(${row}.visit_date) - 2440587.5) * 1440 - 540)`;
  const start = `CASE WHEN ${row}.started_at IS NULL THEN ${dayStart} ELSE ${row}.started_at / 60000.0 END`;
  const end = `CASE WHEN ${row}.started_at IS NULL THEN ${dayStart} + 1440 ELSE coalesce(${row}.ended_at, ${row}.started_at) / 60000.0 END`;
  return spaceTimeColumns(
    row,
    { start, end, margin: recordMarginMinutes(row) },
    recordReachMeters(row),
  );
}

function stayBox(row: string): string {
  return spaceTimeColumns(
    row,
    {
      start: `${row}.started_at / 60000.0`,
      end: `${row}.finished_at / 60000.0`,
      margin: "15",
    },
    `${row}.radius_meters + 200`,
  );
}

/** SQL expressions of a row's interval in minutes and the margin added on both sides. */
interface MinuteSpan {
  start: string;
  end: string;
  margin: string;
}

function spaceTimeColumns(
  row: string,
  minutes: MinuteSpan,
  reachMeters: string,
): string {
  const latitudeDegrees = `((${reachMeters}) / ${METERS_PER_DEGREE})`;
  const longitudeDegrees = `(${latitudeDegrees} / max(cos(radians(${row}.latitude)), 0.01))`;
  return [
    `${row}.id`,
    `(${minutes.start}) - (${minutes.margin})`,
    `(${minutes.end}) + (${minutes.margin})`,
    `${row}.latitude - ${latitudeDegrees}`,
    `${row}.latitude + ${latitudeDegrees}`,
    `${row}.longitude - ${longitudeDegrees}`,
    `${row}.longitude + ${longitudeDegrees}`,
  ].join(", ");
}

const RECORD_IS_PLACED = (row: string) =>
  `${row}.latitude IS NOT NULL AND ${row}.longitude IS NOT NULL AND (${row}.started_at IS NOT NULL OR ${row}.visit_date IS NOT NULL)`;

/** Name of the trigger that indexes each location record as it is inserted. */
export const RECORD_INSERT_TRIGGER = "location_records_space_time_insert";

/**
 * SQL that indexes, in one statement, the placed location records with an
 * id above the one bound parameter: the rows the insert trigger would have
 * added for them, with the same boxes. A bulk import drops that trigger
 * inside its transaction, inserts its rows, runs this and creates the
 * trigger again, all in the one transaction.
 */
export function recordIndexFillSql(): string {
  return `INSERT INTO location_records_space_time
    SELECT ${recordBox("r")} FROM location_records r
    WHERE r.id > ? AND ${RECORD_IS_PLACED("r")} ORDER BY r.id`;
}

/**
 * Adds R*Tree indexes of location records and stays by time and position,
 * which the contact search queries for the persons near a case's stays,
 * and triggers that keep them in step with their tables. Times are in
 * minutes since the epoch; R*Tree stores 32-bit floats and rounds each box
 * outwards, so a query finds every row it should and maybe a few more.
 *
 * NOTE: SQLite only. On PostgreSQL nothing is created, and the contact
 * search filters the tables by time and box without an index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return;
  }
  for (const statement of upStatements()) {
    await sql.raw(statement).execute(db);
  }
}

function upStatements(): string[] {
  const columns =
    "id, min_minute, max_minute, min_latitude, max_latitude, min_longitude, max_longitude";
  return [
    `CREATE VIRTUAL TABLE location_records_space_time USING rtree(${columns})`,
    `INSERT INTO location_records_space_time
       SELECT ${recordBox("r")} FROM location_records r WHERE ${RECORD_IS_PLACED("r")}`,
    `CREATE TRIGGER location_records_space_time_insert AFTER INSERT ON location_records
       WHEN ${RECORD_IS_PLACED("NEW")}
       BEGIN INSERT INTO location_records_space_time SELECT ${recordBox("NEW")}; END`,
    `CREATE TRIGGER location_records_space_time_delete AFTER DELETE ON location_records
       BEGIN DELETE FROM location_records_space_time WHERE id = OLD.id; END`,
    `CREATE TRIGGER location_records_space_time_update
       AFTER UPDATE OF source_kind, started_at, ended_at, visit_date, latitude, longitude, radius_meters, flags
       ON location_records
       BEGIN
         DELETE FROM location_records_space_time WHERE id = OLD.id;
         INSERT INTO location_records_space_time
           SELECT ${recordBox("NEW")} WHERE ${RECORD_IS_PLACED("NEW")};
       END`,
    `CREATE VIRTUAL TABLE stays_space_time USING rtree(${columns})`,
    `INSERT INTO stays_space_time SELECT ${stayBox("s")} FROM stays s`,
    `CREATE TRIGGER stays_space_time_insert AFTER INSERT ON stays
       BEGIN INSERT INTO stays_space_time SELECT ${stayBox("NEW")}; END`,
    `CREATE TRIGGER stays_space_time_delete AFTER DELETE ON stays
       BEGIN DELETE FROM stays_space_time WHERE id = OLD.id; END`,
    `CREATE TRIGGER stays_space_time_update
       AFTER UPDATE OF started_at, finished_at, latitude, longitude, radius_meters ON stays
       BEGIN
         DELETE FROM stays_space_time WHERE id = OLD.id;
         INSERT INTO stays_space_time SELECT ${stayBox("NEW")};
       END`,
  ];
}

/** Removes what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return;
  }
  for (const name of [
    "location_records_space_time_insert",
    "location_records_space_time_delete",
    "location_records_space_time_update",
    "stays_space_time_insert",
    "stays_space_time_delete",
    "stays_space_time_update",
  ]) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${name}`).execute(db);
  }
  await sql.raw("DROP TABLE IF EXISTS location_records_space_time").execute(db);
  await sql.raw("DROP TABLE IF EXISTS stays_space_time").execute(db);
}
