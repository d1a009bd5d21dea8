import type { Kysely } from "kysely";

import type { ProgressReporter } from "../ingest/progress.js";
import type { Database } from "../store/index.js";
import {
  areaCodeColumns,
  NO_AREA_CODES,
  type AreaCodes,
  type AreaLabeller,
} from "./labeller.js";

/** Tables whose rows carry area labels. */
type LabelledTable = "location_records" | "stays" | "record_sites";

/** Rows whose labels changed, by table. */
export interface RelabelCounts {
  locationRecords: number;
  stays: number;
  /** Sites of series records, each labelling every record that names it. */
  recordSites: number;
}

const ROWS_PER_PAGE = 5_000;
const IDS_PER_UPDATE = 500;

/**
 * Labels every location record, series site and stay in the store again
 * with the given labeller, and writes only the labels that changed.
 * Records without a position keep empty labels. Run it inside the
 * transaction that changed the areas.
 */
export async function relabelStoredLocations(
  db: Kysely<Database>,
  labeller: AreaLabeller,
  progress: ProgressReporter,
): Promise<RelabelCounts> {
  const locationRecords = await relabelTable(
    db,
    "location_records",
    labeller,
    progress,
  );
  const recordSites = await relabelTable(
    db,
    "record_sites",
    labeller,
    progress,
  );
  const stays = await relabelTable(db, "stays", labeller, progress);
  return { locationRecords, stays, recordSites };
}

async function relabelTable(
  db: Kysely<Database>,
  table: LabelledTable,
  labeller: AreaLabeller,
  progress: ProgressReporter,
): Promise<number> {
  progress.start(await countRows(db, table), `${table} labelled`);
  let changed = 0;
  let lastId = 0;

  for (;;) {
    const page = await readPage(db, table, lastId);
    const last = page[page.length - 1];
    if (last === undefined) {
      break;
    }
    lastId = last.id;
    changed += await writeChangedLabels(db, table, labeller, page);
    progress.increment(page.length);
  }

  progress.stop();
  return changed;
}

async function countRows(
  db: Kysely<Database>,
  table: LabelledTable,
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

interface LabelledRow {
  id: number;
  latitude: number | null;
  longitude: number | null;
  province_code: string | null;
  municipality_code: string | null;
  submunicipality_code: string | null;
}

function readPage(
  db: Kysely<Database>,
  table: LabelledTable,
  afterId: number,
): Promise<LabelledRow[]> {
  return db
    .selectFrom(table)
    .select([
      "id",
      "latitude",
      "longitude",
      "province_code",
      "municipality_code",
      "submunicipality_code",
    ])
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(ROWS_PER_PAGE)
    .execute();
}

/** Groups the rows whose labels changed by their new labels and updates each group with one statement per chunk of ids. */
async function writeChangedLabels(
  db: Kysely<Database>,
  table: LabelledTable,
  labeller: AreaLabeller,
  rows: readonly LabelledRow[],
): Promise<number> {
  const idsByLabel = new Map<string, { codes: AreaCodes; ids: number[] }>();
  for (const row of rows) {
    const codes = labelOf(labeller, row);
    if (hasSameLabels(row, codes)) {
      continue;
    }
    const key = JSON.stringify(codes);
    const group = idsByLabel.get(key) ?? { codes, ids: [] };
    group.ids.push(row.id);
    idsByLabel.set(key, group);
  }

  let changed = 0;
  for (const { codes, ids } of idsByLabel.values()) {
    for (let start = 0; start < ids.length; start += IDS_PER_UPDATE) {
      const chunkIds = ids.slice(start, start + IDS_PER_UPDATE);
      await db
        .updateTable(table)
        .set(areaCodeColumns(codes))
        .where("id", "in", chunkIds)
        .execute();
    }
    changed += ids.length;
  }
  return changed;
}

function labelOf(labeller: AreaLabeller, row: LabelledRow): AreaCodes {
  if (row.latitude === null || row.longitude === null) {
    return NO_AREA_CODES;
  }
  return labeller.label(row.latitude, row.longitude);
}

function hasSameLabels(row: LabelledRow, codes: AreaCodes): boolean {
  return (
    row.province_code === codes.provinceCode &&
    row.municipality_code === codes.municipalityCode &&
    row.submunicipality_code === codes.submunicipalityCode
  );
}
