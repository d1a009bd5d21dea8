import { PostgresAdapter, sql, type Kysely } from "kysely";

/**
 * Columns of `location_records`, in order, as the view of all location
 * records returns them.
 */
const RECORD_COLUMNS = [
  "id",
  "person_id",
  "case_id",
  "source_kind",
  "import_id",
  "started_at",
  "ended_at",
  "visit_date",
  "latitude",
  "longitude",
  "radius_meters",
  "altitude_meters",
  "place_name",
  "place_types",
  "address",
  "province",
  "city",
  "province_code",
  "municipality_code",
  "submunicipality_code",
  "flags",
  "source_rows",
  "note",
  "details",
  "created_at",
] as const;

/**
 * Multiplier of a series id in the id of one of its records in the view:
 * the record `seq` of series `s` has id −(s × 2^32 + seq), which keeps
 * the ids of series records apart from those of `location_records`.
 */
export const SERIES_ID_FACTOR = 4_294_967_296;

/** Ids of R*Tree entries that each series may use: 2^20. */
export const SEGMENTS_PER_SERIES = 1_048_576;

/**
 * Stores base-station records as series: one row per person and import
 * (`record_series`), the places the records name once per import
 * (`record_sites`: a cell with its position, radius, address and
 * details), and one narrow row per record (`series_records`: instant,
 * site, flags and source row). A response of millions of records for a
 * few thousand phones names a few thousand cells, so each record costs
 * a few bytes instead of a full row.
 *
 * Details that every record of a series shares, such as the last digits
 * of the phone number, are kept once on the series and added after the
 * site's own details.
 *
 * `location_records_all` shows both kinds of storage as rows of
 * `location_records`. `series_space_time` is an R*Tree of runs of
 * nearby records of one series, each box reaching as far in time and
 * space as a stay built from the run may reach, with the series as an
 * auxiliary column; the entries of series s have the ids from
 * s × SEGMENTS_PER_SERIES on (`first_segment_id`), `segment_count` of
 * them.
 *
 * Series records have no foreign keys, which would cost two lookups per
 * record on import: they are written and deleted only with their series
 * (src/store/series.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("record_series")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("persons.id"))
    .addColumn("case_id", "text", (c) => c.references("cases.id"))
    .addColumn("import_id", "text", (c) => c.references("imports.id"))
    .addColumn("source_kind", "text", (c) => c.notNull())
    .addColumn("started_at", "bigint", (c) => c.notNull())
    .addColumn("ended_at", "bigint", (c) => c.notNull())
    .addColumn("record_count", "integer", (c) => c.notNull())
    .addColumn("details", "text")
    .addColumn("first_segment_id", "bigint")
    .addColumn("segment_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("record_series_person_index")
    .on("record_series")
    .columns(["person_id", "started_at"])
    .execute();
  await db.schema
    .createIndex("record_series_import_index")
    .on("record_series")
    .column("import_id")
    .execute();
  await db.schema
    .createIndex("record_series_case_index")
    .on("record_series")
    .column("case_id")
    .execute();

  await db.schema
    .createTable("record_sites")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("import_id", "text", (c) => c.references("imports.id"))
    .addColumn("latitude", "double precision", (c) => c.notNull())
    .addColumn("longitude", "double precision", (c) => c.notNull())
    .addColumn("radius_meters", "double precision")
    .addColumn("altitude_meters", "double precision")
    .addColumn("place_name", "text")
    .addColumn("place_types", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("address", "text")
    .addColumn("province_code", "text")
    .addColumn("municipality_code", "text")
    .addColumn("submunicipality_code", "text")
    .addColumn("note", "text")
    .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await db.schema
    .createIndex("record_sites_import_index")
    .on("record_sites")
    .column("import_id")
    .execute();

  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql
    .raw(
      `CREATE TABLE series_records (
        series_id bigint NOT NULL,
        seq bigint NOT NULL,
        instant bigint NOT NULL,
        ended_at bigint,
        site_id bigint NOT NULL,
        source_row bigint NOT NULL,
        source_rows text,
        flags text,
        PRIMARY KEY (series_id, seq)
      )${postgres ? "" : " WITHOUT ROWID"}`,
    )
    .execute(db);

  await sql.raw(allRecordsViewSql()).execute(db);

  if (!postgres) {
    await sql
      .raw(
        `CREATE VIRTUAL TABLE series_space_time USING rtree(
          id, min_minute, max_minute, min_latitude, max_latitude,
          min_longitude, max_longitude, +series_id)`,
      )
      .execute(db);
  }
}

/**
 * The view of every location record: the rows of `location_records` and
 * the records of every series with their site's columns. With
 * `withBlockBounds`, two more columns give a series record's block its
 * first instant and latest end (null for other records), so that a query
 * by time can skip whole blocks (migration 0013-series-blocks).
 */
export function allRecordsViewSql(withBlockBounds = false): string {
  const series: Record<(typeof RECORD_COLUMNS)[number], string> = {
    id: `-(r.series_id * ${SERIES_ID_FACTOR} + r.seq)`,
    person_id: "s.person_id",
    case_id: "s.case_id",
    source_kind: "s.source_kind",
    import_id: "s.import_id",
    started_at: "r.instant",
    ended_at: "coalesce(r.ended_at, r.instant)",
    visit_date: "NULL",
    latitude: "t.latitude",
    longitude: "t.longitude",
    radius_meters: "t.radius_meters",
    altitude_meters: "t.altitude_meters",
    place_name: "t.place_name",
    place_types: "t.place_types",
    address: "t.address",
    province: "NULL",
    city: "NULL",
    province_code: "t.province_code",
    municipality_code: "t.municipality_code",
    submunicipality_code: "t.submunicipality_code",
    flags: "coalesce(r.flags, '[]')",
    source_rows: "coalesce(r.source_rows, '[' || r.source_row || ']')",
    note: "t.note",
    details: `CASE WHEN s.details IS NULL THEN t.details
      WHEN t.details = '{}' THEN s.details
      ELSE json_patch(t.details, s.details) END`,
    created_at: "s.created_at",
  };
  const rowBounds = withBlockBounds
    ? ", NULL AS block_started_at, NULL AS block_ended_at"
    : "";
  const seriesBounds = withBlockBounds
    ? ", r.block_started_at AS block_started_at, r.block_ended_at AS block_ended_at"
    : "";
  return `CREATE VIEW location_records_all AS
    SELECT ${RECORD_COLUMNS.join(", ")}${rowBounds} FROM location_records
    UNION ALL
    SELECT ${RECORD_COLUMNS.map((column) => `${series[column]} AS ${column}`).join(", ")}${seriesBounds}
    FROM series_records r
    JOIN record_series s ON s.id = r.series_id
    JOIN record_sites t ON t.id = r.site_id`;
}

/** Removes what `up` added, and the series records with it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw("DROP VIEW IF EXISTS location_records_all").execute(db);
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    await sql.raw("DROP TABLE IF EXISTS series_space_time").execute(db);
  }
  await db.schema.dropTable("series_records").ifExists().execute();
  await db.schema.dropTable("record_sites").ifExists().execute();
  await db.schema.dropTable("record_series").ifExists().execute();
}
