import {
  PostgresAdapter,
  sql,
  type ExpressionBuilder,
  type Kysely,
} from "kysely";

import type { Database, SourceKind } from "./schema.js";

/**
 * A selection of series for a count or deletion. A series is taken when it
 * belongs to one of `personIds` or to `caseId` (either, when both are
 * given), comes from `importId` when that is given, and has a source kind
 * that `sourceKinds` and `excludedSourceKinds` let through. At least one
 * of `personIds`, `caseId` and `importId` is required.
 */
export interface SeriesSelection {
  readonly personIds?: readonly string[];
  readonly caseId?: string;
  readonly importId?: string;
  /** Takes only series of these source kinds. */
  readonly sourceKinds?: readonly SourceKind[];
  /** Leaves out series of these source kinds. */
  readonly excludedSourceKinds?: readonly SourceKind[];
}

/** Records of the selected series, by source kind. */
export type SeriesRecordCounts = Partial<Record<SourceKind, number>>;

/** Counts of the rows that `deleteSeries` removed. */
export interface SeriesDeletion {
  series: number;
  records: number;
  recordsBySourceKind: SeriesRecordCounts;
  /** Sites that no remaining series of their import names. */
  sites: number;
  /** Entries of the `series_space_time` R*Tree. */
  segments: number;
}

/** Series per statement, well under SQLite's bound-parameter limit. */
const SERIES_BATCH = 500;

/** Persons per `in (...)` list when selecting series. */
const PERSON_BATCH = 500;

interface SelectedSeries {
  id: number;
  import_id: string | null;
  source_kind: SourceKind;
}

/**
 * Counts the records of the selected series by source kind, from the
 * blocks that hold them.
 */
export async function countSeriesRecords(
  db: Kysely<Database>,
  selection: SeriesSelection,
): Promise<SeriesRecordCounts> {
  const counts: SeriesRecordCounts = {};
  const series = await selectSeries(db, selection);
  for (const [kind, ids] of groupBySourceKind(series)) {
    for (const batch of batches(ids, SERIES_BATCH)) {
      const row = await db
        .selectFrom("series_blocks")
        .select((eb) => eb.fn.sum<number>("record_count").as("count"))
        .where("series_id", "in", batch)
        .executeTakeFirstOrThrow();
      counts[kind] = (counts[kind] ?? 0) + Number(row.count);
    }
  }
  return counts;
}

/**
 * Deletes the selected series whole: their `series_blocks` rows, their
 * `series_space_time` entries, their `record_series` rows, and then every
 * site of their imports that no remaining series names. Run it inside a
 * transaction, because the steps are separate statements.
 */
export async function deleteSeries(
  db: Kysely<Database>,
  selection: SeriesSelection,
): Promise<SeriesDeletion> {
  const series = await selectSeries(db, selection);
  const deletion: SeriesDeletion = {
    series: series.length,
    records: 0,
    recordsBySourceKind: {},
    sites: 0,
    segments: 0,
  };

  for (const [kind, ids] of groupBySourceKind(series)) {
    for (const batch of batches(ids, SERIES_BATCH)) {
      const counted = await db
        .selectFrom("series_blocks")
        .select((eb) => eb.fn.sum<number>("record_count").as("count"))
        .where("series_id", "in", batch)
        .executeTakeFirstOrThrow();
      await db
        .deleteFrom("series_blocks")
        .where("series_id", "in", batch)
        .execute();
      const count = Number(counted.count ?? 0);
      deletion.records += count;
      deletion.recordsBySourceKind[kind] =
        (deletion.recordsBySourceKind[kind] ?? 0) + count;
      deletion.segments += await deleteSegments(db, batch);
      await db.deleteFrom("record_series").where("id", "in", batch).execute();
    }
  }

  const importIds = new Set(series.map((row) => row.import_id));
  for (const importId of importIds) {
    deletion.sites += await deleteUnusedSites(db, importId);
  }
  return deletion;
}

async function selectSeries(
  db: Kysely<Database>,
  selection: SeriesSelection,
): Promise<SelectedSeries[]> {
  const { personIds, caseId, importId } = selection;
  if (
    personIds === undefined &&
    caseId === undefined &&
    importId === undefined
  ) {
    throw new TypeError(
      "A series selection needs personIds, caseId or importId; an empty one would take every series.",
    );
  }

  const found = new Map<number, SelectedSeries>();
  const add = (rows: readonly SelectedSeries[]) => {
    for (const row of rows) {
      found.set(row.id, row);
    }
  };
  if (personIds !== undefined) {
    for (const batch of batches(personIds, PERSON_BATCH)) {
      add(
        await filteredSeries(db, selection)
          .where("person_id", "in", batch)
          .execute(),
      );
    }
  }
  if (caseId !== undefined) {
    add(
      await filteredSeries(db, selection)
        .where("case_id", "=", caseId)
        .execute(),
    );
  }
  if (personIds === undefined && caseId === undefined) {
    add(await filteredSeries(db, selection).execute());
  }
  return [...found.values()].sort((a, b) => a.id - b.id);
}

/** Builds the series query with the import and source-kind conditions of the selection. */
function filteredSeries(db: Kysely<Database>, selection: SeriesSelection) {
  let query = db
    .selectFrom("record_series")
    .select(["id", "import_id", "source_kind"]);
  if (selection.importId !== undefined) {
    query = query.where("import_id", "=", selection.importId);
  }
  if (selection.sourceKinds !== undefined) {
    query = query.where("source_kind", "in", [...selection.sourceKinds]);
  }
  if (selection.excludedSourceKinds !== undefined) {
    for (const kind of selection.excludedSourceKinds) {
      query = query.where("source_kind", "!=", kind);
    }
  }
  return query;
}

/**
 * Deletes the R*Tree entries of the series, whose ids run from each
 * series' `first_segment_id` for `segment_count` ids. The ids are listed
 * by a recursive query, because the R*Tree looks up single ids but scans
 * every entry for a range of ids. Returns the number of entries deleted.
 */
async function deleteSegments(
  db: Kysely<Database>,
  seriesIds: readonly number[],
): Promise<number> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return 0;
  }
  const result = await sql`
    with recursive segment_ids(id, last_id) as (
      select first_segment_id, first_segment_id + segment_count - 1
        from record_series
        where id in (${sql.join(seriesIds)})
          and first_segment_id is not null and segment_count > 0
      union all
      select id + 1, last_id from segment_ids where id < last_id
    )
    delete from series_space_time
      where id in (select id from segment_ids)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Deletes the sites of an import that no series of the import names. The
 * names are collected in one pass over the records of the import's
 * remaining series, because `series_records` has no index on `site_id`.
 *
 * NOTE: so deleting one person's series from an import of millions of
 * records reads all the other records of that import once.
 */
async function deleteUnusedSites(
  db: Kysely<Database>,
  importId: string | null,
): Promise<number> {
  const result = await db
    .deleteFrom("record_sites")
    .where("import_id", "is", importId)
    .where((eb) =>
      eb(
        "id",
        "not in",
        eb
          .selectFrom("record_series as s")
          .innerJoin("series_records as r", "r.series_id", "s.id")
          .select("r.site_id")
          .where("s.import_id", "is", importId),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

function groupBySourceKind(
  series: readonly SelectedSeries[],
): Map<SourceKind, number[]> {
  const groups = new Map<SourceKind, number[]>();
  for (const row of series) {
    const ids = groups.get(row.source_kind) ?? [];
    ids.push(row.id);
    groups.set(row.source_kind, ids);
  }
  return groups;
}

function batches<Item>(items: readonly Item[], size: number): Item[][] {
  const result: Item[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}

/**
 * Builds the condition that a row of `location_records_all` may lie in
 * [startsAt, endsAt): true for rows that are not series records, and for
 * a series record true when its block reaches into the interval. Added
 * to a query by time, it lets SQLite skip the blocks outside the
 * interval before it reads their records.
 */
export function withinBlockBounds(
  eb: ExpressionBuilder<Database, "location_records_all">,
  startsAt: number,
  endsAt: number,
) {
  return eb.and([
    eb.or([
      eb("block_started_at", "is", null),
      eb("block_started_at", "<", endsAt),
    ]),
    eb.or([
      eb("block_ended_at", "is", null),
      eb("block_ended_at", ">=", startsAt),
    ]),
  ]);
}
