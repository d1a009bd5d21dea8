import SqliteDatabase from "better-sqlite3";

import type { Template } from "./fast-csv.js";
import type { ProviderRecord } from "./records.js";
import { sortInstant } from "./records.js";

/**
 * A record as staged and read back: the fields of a ProviderRecord, with
 * the file and subject as indexes and the list fields as JSON text, so
 * that rows go to the store without being parsed again.
 */
export interface StagedRecord {
  /** Position in input order, over all files. */
  seq: number;
  /** Instant by which the record sorts, in epoch milliseconds. */
  instant: number;
  /** Index of the subject in the scan's subject list, or -1 for none. */
  subjectIndex: number;
  /** The subject as the file wrote it, or null. */
  subject: string | null;
  /** Index of the input file. */
  fileIndex: number;
  rows: number[];
  startedAt: number | null;
  endedAt: number | null;
  visitDate: string | null;
  latitude: number | null;
  longitude: number | null;
  radiusMeters: number | null;
  altitudeMeters: number | null;
  placeName: string | null;
  address: string | null;
  placeTypesJson: string;
  note: string | null;
  detailsJson: string;
  flagsJson: string;
  /** The record's `sharedPlace`, kept while it is in memory, not in the staging database. */
  sharedPlace?: Template | undefined;
}

/** Order in which staged records are read back. */
export type StagedOrder = "input" | "instant" | "subject-instant";

/** Rows inserted per statement: 19 columns each, well under SQLite's limit of 32,766 parameters. */
const ROWS_PER_INSERT = 200;
const COLUMNS = 19;

const EMPTY_LIST = "[]";
const EMPTY_OBJECT = "{}";

/**
 * A private SQLite database on disk that contains the records of a scan,
 * so that sorting them and merging duplicates never needs them all in
 * memory. An empty file name makes SQLite create it and delete it when the
 * connection closes. Its page cache is bounded, and the sorter spills to
 * temporary files beyond it.
 */
export class RecordStaging {
  readonly #database: SqliteDatabase.Database;
  readonly #insertMany: SqliteDatabase.Statement;
  readonly #insertOne: SqliteDatabase.Statement;
  readonly #pending: unknown[] = [];
  #seq = 0;

  constructor(cacheMebibytes = 4) {
    this.#database = new SqliteDatabase("");
    this.#database.pragma("journal_mode = OFF");
    this.#database.pragma("synchronous = OFF");
    this.#database.pragma("temp_store = FILE");
    this.#database.pragma(`cache_size = -${cacheMebibytes * 1024}`);
    // Columns without a type keep values as given, so numbers and text
    // read back exactly as they were written.
    this.#database.exec(`CREATE TABLE staged (
      seq INTEGER PRIMARY KEY, instant, subject_index, subject, file_index,
      row, started_at, ended_at, visit_date, latitude, longitude,
      radius_meters, altitude_meters, place_name, address, place_types,
      note, details, flags
    )`);
    const placeholders = `(${new Array(COLUMNS).fill("?").join(",")})`;
    this.#insertOne = this.#database.prepare(
      `INSERT INTO staged VALUES ${placeholders}`,
    );
    this.#insertMany = this.#database.prepare(
      `INSERT INTO staged VALUES ${new Array(ROWS_PER_INSERT).fill(placeholders).join(",")}`,
    );
    this.#database.exec("BEGIN");
  }

  /** Number of records added. */
  get count(): number {
    return this.#seq;
  }

  /** Adds a record of one row; returns its sort instant. */
  add(record: ProviderRecord, fileIndex: number, subjectIndex: number): number {
    const instant = sortInstant(record);
    this.#pending.push(
      this.#seq++,
      instant,
      subjectIndex,
      record.subject,
      fileIndex,
      record.rows[0],
      record.startedAt,
      record.endedAt,
      record.visitDate,
      record.latitude,
      record.longitude,
      record.radiusMeters,
      record.altitudeMeters,
      record.placeName,
      record.address,
      listJson(record.placeTypes),
      record.note,
      objectJson(record.details),
      listJson(record.flags),
    );
    if (this.#pending.length === ROWS_PER_INSERT * COLUMNS) {
      this.#insertMany.run(this.#pending);
      this.#pending.length = 0;
    }
    return instant;
  }

  /** Removes the records of a file that turned out unreadable. */
  dropFile(fileIndex: number): void {
    this.#flush();
    this.#database
      .prepare("DELETE FROM staged WHERE file_index = ?")
      .run(fileIndex);
  }

  /** Reads every staged record back in the given order, ties by input order. */
  *read(order: StagedOrder): Generator<StagedRecord> {
    this.#flush();
    this.#database.exec("COMMIT");
    const orderBy = {
      input: "seq",
      instant: "instant, seq",
      "subject-instant": "subject_index, instant, seq",
    }[order];
    const rows = this.#database
      .prepare(`SELECT * FROM staged ORDER BY ${orderBy}`)
      .raw()
      .iterate() as IterableIterator<unknown[]>;
    try {
      for (const row of rows) {
        yield stagedRecordOf(row);
      }
    } finally {
      this.#database.exec("BEGIN");
    }
  }

  /** Closes the database, which SQLite then deletes. */
  close(): void {
    this.#database.close();
  }

  #flush(): void {
    for (let start = 0; start < this.#pending.length; start += COLUMNS) {
      this.#insertOne.run(this.#pending.slice(start, start + COLUMNS));
    }
    this.#pending.length = 0;
  }
}

function stagedRecordOf(row: unknown[]): StagedRecord {
  return {
    seq: row[0] as number,
    instant: row[1] as number,
    subjectIndex: row[2] as number,
    subject: row[3] as string | null,
    fileIndex: row[4] as number,
    rows: [row[5] as number],
    startedAt: row[6] as number | null,
    endedAt: row[7] as number | null,
    visitDate: row[8] as string | null,
    latitude: row[9] as number | null,
    longitude: row[10] as number | null,
    radiusMeters: row[11] as number | null,
    altitudeMeters: row[12] as number | null,
    placeName: row[13] as string | null,
    address: row[14] as string | null,
    placeTypesJson: row[15] as string,
    note: row[16] as string | null,
    detailsJson: row[17] as string,
    flagsJson: row[18] as string,
  };
}

function listJson(list: readonly string[]): string {
  return list.length === 0 ? EMPTY_LIST : JSON.stringify(list);
}

function objectJson(object: Record<string, unknown>): string {
  for (const _key in object) {
    return JSON.stringify(object);
  }
  return EMPTY_OBJECT;
}
