import fs from "node:fs";
import path from "node:path";

import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";

import type { Database } from "../schema.js";

/** File name of the embedded store inside the data folder. */
export const SQLITE_FILE_NAME = "epitrace.sqlite";

/** The query builder of the store and the SQLite connection beneath it. */
export interface SqliteConnection {
  db: Kysely<Database>;
  /** The one connection that `db` runs on; statements on it join `db`'s open transaction. */
  database: SqliteDatabase.Database;
}

/**
 * Opens (creating if needed) the SQLite store in `dataDir`, in write-ahead
 * mode with foreign keys enforced.
 */
export function connectSqlite(dataDir: string): SqliteConnection {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const database = new SqliteDatabase(path.join(dataDir, SQLITE_FILE_NAME));
  database.pragma("journal_mode = WAL");
  database.pragma("foreign_keys = ON");
  database.pragma("busy_timeout = 5000");
  database.pragma("synchronous = NORMAL");

  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }),
    database,
  };
}
