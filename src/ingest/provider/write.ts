import { CompiledQuery, type Transaction } from "kysely";

import { loadAreaLabeller, type AreaLabeller } from "../../areas/index.js";
import type { FieldKeys } from "../../privacy/index.js";
import type { Database } from "../../store/index.js";
import type { ProgressReporter } from "../progress.js";
import { RecordFinisher, type FlagTotals, type RunMode } from "./finish.js";
import { GarbageSchedule } from "./heap.js";
import { KIND_SPECS, type ProviderKind } from "./kinds.js";
import { resolveProviderPersons } from "./persons.js";
import type { ProviderScan } from "./scan.js";
import type { StagedOrder, StagedRecord } from "./staging.js";

export interface WriteOptions {
  importId: string;
  kind: ProviderKind;
  keys: FieldKeys | undefined;
  /** Person of every record, in place of the persons of the subjects. */
  personId: string | undefined;
  caseId: string | undefined;
  maxSpeedMetersPerSecond: number | undefined;
  progress: ProgressReporter;
}

/** Counts of the stored records and persons. */
export interface WrittenRecords {
  personsCreated: number;
  locationRecords: number;
  rowsValid: number;
  duplicateRowsMerged: number;
  flags: FlagTotals[];
}

const INSERT_COLUMNS = [
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
];

/** Rows per INSERT: 500 rows of 24 columns stay under SQLite's limit of 32,766 bound parameters. */
const ROWS_PER_INSERT = 500;

/** Positions whose area codes are kept; the cache is emptied when it grows past this. */
const MAX_CACHED_POSITIONS = 100_000;

type AreaColumns = readonly [string | null, string | null, string | null];

const NO_AREA: AreaColumns = [null, null, null];

/**
 * Writes the staged records of a scan into `location_records` in time
 * order per subject, merging exact duplicates and flagging implausible
 * speeds on the way, with multi-row INSERTs of plain SQL. Creates the
 * persons of new subjects first.
 */
export async function writeScannedRecords(
  trx: Transaction<Database>,
  scan: ProviderScan,
  options: WriteOptions,
): Promise<WrittenRecords> {
  const now = Date.now();
  const { personIds, created } = await personsOf(trx, scan, options, now);
  const labeller = new CachedLabeller(await loadAreaLabeller(trx));
  const { order, mode } = readPlan(scan);
  const finisher = new RecordFinisher({
    kind: options.kind,
    mode,
    maxSpeedMetersPerSecond: options.maxSpeedMetersPerSecond,
  });
  const fixed: FixedColumns = {
    caseId: options.caseId ?? null,
    sourceKind: KIND_SPECS[options.kind].sourceKind,
    importId: options.importId,
    now,
  };

  options.progress.start(scan.staging.count, "records");
  let rowsValid = 0;
  let batch: unknown[] = [];
  let batchRows = 0;
  const garbage = new GarbageSchedule();
  for (const record of finisher.finish(scan.staging.read(order))) {
    garbage.tick();
    const personId =
      record.subjectIndex === -1
        ? options.personId!
        : personIds[record.subjectIndex]!;
    pushRow(batch, record, personId, fixed, labeller);
    rowsValid += record.rows.length;
    batchRows++;
    if (batchRows === ROWS_PER_INSERT) {
      await insertRows(trx, batch, batchRows);
      options.progress.increment(batchRows);
      batch = [];
      batchRows = 0;
    }
  }
  await insertRows(trx, batch, batchRows);
  options.progress.stop();

  return {
    personsCreated: created,
    locationRecords: finisher.records,
    rowsValid,
    duplicateRowsMerged: finisher.duplicateRowsMerged,
    flags: finisher.flagTotals(),
  };
}

async function personsOf(
  trx: Transaction<Database>,
  scan: ProviderScan,
  options: WriteOptions,
  now: number,
): Promise<{ personIds: string[]; created: number }> {
  if (options.personId !== undefined) {
    return {
      personIds: scan.subjects.map(() => options.personId!),
      created: 0,
    };
  }
  return resolveProviderPersons(trx, scan.subjects, {
    keys: options.keys!,
    // NOTE: without a case, the numbers of new persons are encrypted under
    // a data key of the import, which no case purge destroys.
    keyId: options.caseId ?? `import:${options.importId}`,
    now,
  });
}

/**
 * Chooses the order in which staged records are read: the input order
 * when it is already sorted over all subjects or within contiguous
 * subjects, else sorted by subject and instant, which SQLite does on
 * disk.
 */
function readPlan(scan: ProviderScan): { order: StagedOrder; mode: RunMode } {
  if (scan.isSortedByInstant) {
    return { order: "input", mode: "global" };
  }
  if (scan.isGroupedBySubject && scan.outOfOrderRecords === 0) {
    return { order: "input", mode: "subject" };
  }
  return { order: "subject-instant", mode: "subject" };
}

interface FixedColumns {
  caseId: string | null;
  sourceKind: string;
  importId: string;
  now: number;
}

function pushRow(
  batch: unknown[],
  record: StagedRecord,
  personId: string,
  fixed: FixedColumns,
  labeller: CachedLabeller,
): void {
  const area =
    record.latitude === null || record.longitude === null
      ? NO_AREA
      : labeller.label(record.latitude, record.longitude);
  batch.push(
    personId,
    fixed.caseId,
    fixed.sourceKind,
    fixed.importId,
    record.startedAt,
    record.endedAt,
    record.visitDate,
    record.latitude,
    record.longitude,
    record.radiusMeters,
    record.altitudeMeters,
    record.placeName,
    record.placeTypesJson,
    record.address,
    null,
    null,
    area[0],
    area[1],
    area[2],
    record.flagsJson,
    record.rows.length === 1
      ? `[${record.rows[0]}]`
      : `[${record.rows.join(",")}]`,
    record.note,
    record.detailsJson,
    fixed.now,
  );
}

const insertSqlByRows = new Map<number, string>();

function insertSqlOf(rows: number): string {
  let text = insertSqlByRows.get(rows);
  if (text === undefined) {
    const placeholders = `(${INSERT_COLUMNS.map(() => "?").join(",")})`;
    text =
      `insert into "location_records" (${INSERT_COLUMNS.map((column) => `"${column}"`).join(",")}) values ` +
      new Array(rows).fill(placeholders).join(",");
    insertSqlByRows.set(rows, text);
  }
  return text;
}

async function insertRows(
  trx: Transaction<Database>,
  values: unknown[],
  rows: number,
): Promise<void> {
  if (rows === 0) {
    return;
  }
  await trx.executeQuery(CompiledQuery.raw(insertSqlOf(rows), values));
}

/**
 * Area codes by exact position: base stations repeat the positions of
 * their cells, so most records find their codes without a polygon test.
 */
class CachedLabeller {
  readonly #labeller: AreaLabeller;
  readonly #cache = new Map<string, AreaColumns>();

  constructor(labeller: AreaLabeller) {
    this.#labeller = labeller;
  }

  label(latitude: number, longitude: number): AreaColumns {
    const key = `${latitude},${longitude}`;
    let columns = this.#cache.get(key);
    if (columns === undefined) {
      const codes = this.#labeller.label(latitude, longitude);
      columns = [
        codes.provinceCode,
        codes.municipalityCode,
        codes.submunicipalityCode,
      ];
      if (this.#cache.size >= MAX_CACHED_POSITIONS) {
        this.#cache.clear();
      }
      this.#cache.set(key, columns);
    }
    return columns;
  }
}
