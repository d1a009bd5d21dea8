import { PostgresAdapter, sql, type Kysely } from "kysely";

import { allRecordsViewSql } from "./0012-cell-series.js";

/** Records of a series per row of `series_blocks`, at most. */
export const RECORDS_PER_BLOCK = 1_024;

/**
 * Stores the records of a series in blocks: one `series_blocks` row holds
 * up to `RECORDS_PER_BLOCK` consecutive records as a JSON array. A record
 * is `[instant, site, source row]`, with the instant in milliseconds
 * after the block's `first_instant`. A record with flags adds a fourth
 * member, the index of its flag list in the block's `flag_lists` (or the
 * list itself, as this migration writes it). A record that ends after its
 * instant or merges several source rows adds a fifth and sixth: its end,
 * also after `first_instant`, and the array of its source rows. Members
 * that do not apply are null.
 *
 * An import of millions of base-station records spent most of its
 * SQLite time inserting one narrow row per record; a block costs one
 * row per thousand records. `series_records` becomes a view over the
 * blocks with the columns the table had, so readers and the view of all
 * location records read the same rows as before. Both views gain the
 * columns `block_started_at` and `block_ended_at`, the first instant and
 * latest end of a record's block, so that a query by time can leave out
 * whole blocks before their records are read. Existing records are moved
 * into blocks.
 *
 * NOTE: only the SQLite store runs this migration in tests; the
 * PostgreSQL view below has not been run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql
    .raw(
      `CREATE TABLE series_blocks (
        series_id bigint NOT NULL,
        first_seq bigint NOT NULL,
        record_count integer NOT NULL,
        first_instant bigint NOT NULL,
        last_instant bigint NOT NULL,
        records text NOT NULL,
        flag_lists text,
        PRIMARY KEY (series_id, first_seq)
      )${postgres ? "" : " WITHOUT ROWID"}`,
    )
    .execute(db);
  if (!postgres) {
    await moveRowsIntoBlocks(db);
  }
  await sql.raw("DROP VIEW location_records_all").execute(db);
  await sql.raw("DROP TABLE series_records").execute(db);
  await sql
    .raw(postgres ? postgresRecordsViewSql() : sqliteRecordsViewSql())
    .execute(db);
  await sql.raw(allRecordsViewSql(true)).execute(db);
}

/** Puts the blocks back into one row per record. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql
    .raw(
      `CREATE TABLE series_record_rows (
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
  await sql
    .raw(
      `INSERT INTO series_record_rows
        SELECT series_id, seq, instant, ended_at, site_id, source_row, source_rows, flags
        FROM series_records`,
    )
    .execute(db);
  await sql.raw("DROP VIEW location_records_all").execute(db);
  await sql.raw("DROP VIEW series_records").execute(db);
  await sql.raw("DROP TABLE series_blocks").execute(db);
  await sql
    .raw("ALTER TABLE series_record_rows RENAME TO series_records")
    .execute(db);
  await sql.raw(allRecordsViewSql()).execute(db);
}

/**
 * Copies the rows of the old table into blocks of consecutive records,
 * in `seq` order within each block.
 */
async function moveRowsIntoBlocks(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `INSERT INTO series_blocks
        (series_id, first_seq, record_count, first_instant, last_instant, records)
      WITH numbered AS (
        SELECT r.*, r.seq / ${RECORDS_PER_BLOCK} AS block,
          first_value(r.instant) OVER (
            PARTITION BY r.series_id, r.seq / ${RECORDS_PER_BLOCK} ORDER BY r.seq
          ) AS block_instant
        FROM series_records r
      ),
      elements AS (
        SELECT series_id, block, seq, instant, ended_at, block_instant,
          CASE
            WHEN ended_at IS NULL AND source_rows IS NULL AND flags IS NULL
              THEN json_array(instant - block_instant, site_id, source_row)
            WHEN ended_at IS NULL AND source_rows IS NULL
              THEN json_array(
                instant - block_instant, site_id, source_row, json(flags))
            ELSE json_array(
              instant - block_instant, site_id, source_row, json(flags),
              ended_at - block_instant, json(source_rows))
          END AS element
        FROM numbered
        ORDER BY series_id, seq
      )
      SELECT series_id, min(seq), count(*), min(block_instant),
        max(coalesce(ended_at, instant)), json_group_array(json(element))
      FROM elements
      GROUP BY series_id, block`,
    )
    .execute(db);
}

/** The view of the blocks as one row per record, in SQLite. */
function sqliteRecordsViewSql(): string {
  return `CREATE VIEW series_records AS
    SELECT b.series_id AS series_id,
      b.first_seq + j.key AS seq,
      b.first_instant + (j.value ->> 0) AS instant,
      b.first_instant + (j.value ->> 4) AS ended_at,
      j.value ->> 1 AS site_id,
      j.value ->> 2 AS source_row,
      nullif(j.value -> 5, 'null') AS source_rows,
      CASE json_type(j.value, '$[3]')
        WHEN 'integer' THEN b.flag_lists -> (j.value ->> 3)
        WHEN 'array' THEN j.value -> 3
      END AS flags,
      b.first_instant AS block_started_at,
      b.last_instant AS block_ended_at
    FROM series_blocks b, json_each(b.records) j`;
}

/** The same view in PostgreSQL. */
function postgresRecordsViewSql(): string {
  return `CREATE VIEW series_records AS
    SELECT b.series_id AS series_id,
      b.first_seq + j.ordinality - 1 AS seq,
      b.first_instant + (j.value ->> 0)::bigint AS instant,
      b.first_instant + (j.value ->> 4)::bigint AS ended_at,
      (j.value ->> 1)::bigint AS site_id,
      (j.value ->> 2)::bigint AS source_row,
      nullif((j.value -> 5)::text, 'null') AS source_rows,
      CASE jsonb_typeof(j.value -> 3)
        WHEN 'number' THEN (b.flag_lists::jsonb -> (j.value ->> 3)::int)::text
        WHEN 'array' THEN (j.value -> 3)::text
      END AS flags,
      b.first_instant AS block_started_at,
      b.last_instant AS block_ended_at
    FROM series_blocks b,
      jsonb_array_elements(b.records::jsonb) WITH ORDINALITY AS j(value, ordinality)`;
}
