import type SqliteDatabase from "better-sqlite3";
import type { Transaction } from "kysely";

import { loadAreaLabeller, type AreaLabeller } from "../../areas/index.js";
import type { FieldKeys } from "../../privacy/index.js";
import type { Database, SourceKind } from "../../store/index.js";
import {
  RECORD_INSERT_TRIGGER,
  recordIndexFillSql,
} from "../../store/migrations/0010-space-time-index.js";
import type { ProgressReporter } from "../progress.js";
import { RecordFinisher, type FlagTotals, type RunMode } from "./finish.js";
import { GarbageSchedule } from "./heap.js";
import { KIND_SPECS, type ProviderKind } from "./kinds.js";
import { resolveProviderPersons, sealCardNumbers } from "./persons.js";
import type { ProviderScan } from "./scan.js";
import { SeriesWriter, type AreaColumns } from "./series-writer.js";
import type { StagedOrder, StagedRecord } from "./staging.js";

export interface WriteOptions {
  /** The connection beneath `trx`, whose open transaction the rows join. */
  sqlite: SqliteDatabase.Database;
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

/** Rows between two progress updates. */
const ROWS_PER_PROGRESS = 5_000;

/** Page cache of the store's connection while the rows go in, in KiB. */
const IMPORT_CACHE_KIB = 32 * 1024;

/** Positions whose area codes are kept; the cache is emptied when it grows past this. */
const MAX_CACHED_POSITIONS = 100_000;

const NO_AREA: AreaColumns = [null, null, null];

/**
 * Writes the staged records of a scan into `location_records` in time
 * order per subject, merging exact duplicates and flagging implausible
 * speeds on the way, with one prepared INSERT on the store's SQLite
 * connection inside the transaction of `trx`. Creates the persons of new
 * subjects first.
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

  const personOf = (subjectIndex: number): string =>
    subjectIndex === -1 ? options.personId! : personIds[subjectIndex]!;
  if (options.keys !== undefined) {
    await sealCardNumbers(
      trx,
      cardNumbersByPerson(scan.cardNumbers, personOf),
      {
        keys: options.keys,
        keyId: keyIdOf(options),
      },
    );
  }
  options.progress.start(scan.staging.count, "records");
  const series =
    options.kind === "base-station"
      ? new SeriesWriter({
          sqlite: options.sqlite,
          importId: options.importId,
          caseId: fixed.caseId,
          sourceKind: fixed.sourceKind,
          now,
          label: (latitude, longitude) => labeller.label(latitude, longitude),
        })
      : undefined;
  const rowsValid = withBulkIndex(options.sqlite, () => {
    const insert = options.sqlite.prepare(INSERT_SQL);
    const values: unknown[] = new Array(INSERT_COLUMNS.length).fill(null);
    let valid = 0;
    let pending = 0;
    const garbage = new GarbageSchedule();
    for (const record of finisher.finish(scan.staging.read(order))) {
      garbage.tick();
      valid += record.rows.length;
      if (series !== undefined && SeriesWriter.accepts(record)) {
        series.add(record.subjectIndex, record);
      } else {
        fillRow(values, record, personOf(record.subjectIndex), fixed, labeller);
        insert.run(values);
      }
      if (++pending === ROWS_PER_PROGRESS) {
        options.progress.increment(pending);
        pending = 0;
      }
    }
    options.progress.increment(pending);
    series?.finish(personOf);
    return valid;
  });
  options.progress.stop();

  return {
    personsCreated: created,
    locationRecords: finisher.records,
    rowsValid,
    duplicateRowsMerged: finisher.duplicateRowsMerged,
    flags: finisher.flagTotals(),
  };
}

/** Persons of the scan's subjects by subject index, creating those not found. */
export async function personsOf(
  trx: Transaction<Database>,
  scan: Pick<ProviderScan, "subjects">,
  options: Pick<WriteOptions, "importId" | "keys" | "personId" | "caseId">,
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
    keyId: keyIdOf(options),
    now,
  });
}

/**
 * Returns the id of the data key that encrypts the numbers of new persons.
 *
 * NOTE: without a case, the numbers of new persons are encrypted under a
 * data key of the import, which no case purge destroys.
 */
function keyIdOf(options: Pick<WriteOptions, "importId" | "caseId">): string {
  return options.caseId ?? `import:${options.importId}`;
}

/** Returns the card numbers of each person, in the order the scan found them. */
function cardNumbersByPerson(
  bySubject: ReadonlyMap<number, ReadonlySet<string>>,
  personOf: (subjectIndex: number) => string,
): Map<string, Set<string>> {
  const byPerson = new Map<string, Set<string>>();
  for (const [subjectIndex, numbers] of bySubject) {
    const personId = personOf(subjectIndex);
    const all = byPerson.get(personId) ?? new Set();
    for (const number of numbers) {
      all.add(number);
    }
    byPerson.set(personId, all);
  }
  return byPerson;
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
  sourceKind: SourceKind;
  importId: string;
  now: number;
}

function fillRow(
  values: unknown[],
  record: StagedRecord,
  personId: string,
  fixed: FixedColumns,
  labeller: CachedLabeller,
): void {
  const area =
    record.latitude === null || record.longitude === null
      ? NO_AREA
      : labeller.label(record.latitude, record.longitude);
  values[0] = personId;
  values[1] = fixed.caseId;
  values[2] = fixed.sourceKind;
  values[3] = fixed.importId;
  values[4] = record.startedAt;
  values[5] = record.endedAt;
  values[6] = record.visitDate;
  values[7] = record.latitude;
  values[8] = record.longitude;
  values[9] = record.radiusMeters;
  values[10] = record.altitudeMeters;
  values[11] = record.placeName;
  values[12] = record.placeTypesJson;
  values[13] = record.address;
  values[14] = null;
  values[15] = null;
  values[16] = area[0];
  values[17] = area[1];
  values[18] = area[2];
  values[19] = record.flagsJson;
  values[20] =
    record.rows.length === 1
      ? `[${record.rows[0]}]`
      : `[${record.rows.join(",")}]`;
  values[21] = record.note;
  values[22] = record.detailsJson;
  values[23] = fixed.now;
}

const INSERT_SQL =
  `insert into "location_records" (${INSERT_COLUMNS.map((column) => `"${column}"`).join(",")}) ` +
  `values (${INSERT_COLUMNS.map(() => "?").join(",")})`;

/**
 * Runs `write`, which inserts location records on `sqlite` inside the
 * open transaction, without the trigger that adds each record to the
 * space-time index, then indexes the new records with one statement and
 * creates the trigger again from its own stored SQL. The index ends with
 * the same rows as the trigger would have written. Dropping and creating a
 * trigger are part of the transaction, so a failed import leaves the
 * trigger as it was. Also enlarges the page cache for the while.
 */
function withBulkIndex<T>(sqlite: SqliteDatabase.Database, write: () => T): T {
  const trigger = sqlite
    .prepare(
      "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
    )
    .pluck()
    .get(RECORD_INSERT_TRIGGER) as string | undefined;
  const lastId = sqlite
    .prepare("SELECT coalesce(max(id), 0) FROM location_records")
    .pluck()
    .get() as number;
  const cacheSize = sqlite.pragma("cache_size", { simple: true }) as number;
  sqlite.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    if (trigger !== undefined) {
      sqlite.exec(`DROP TRIGGER "${RECORD_INSERT_TRIGGER}"`);
    }
    const result = write();
    if (trigger !== undefined) {
      sqlite.prepare(recordIndexFillSql()).run(lastId);
      sqlite.exec(trigger);
    }
    return result;
  } finally {
    sqlite.pragma(`cache_size = ${cacheSize}`);
  }
}

/**
 * Area codes by exact position: base stations repeat the positions of
 * their cells, so most records find their codes without a polygon test.
 */
export class CachedLabeller {
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
