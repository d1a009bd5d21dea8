import fs from "node:fs";
import path from "node:path";

import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";

import type { Database } from "../schema.js";

/** File name of the embedded store inside the data folder. */
export const SQLITE_FILE_NAME = "epitrace.sqlite";

/**
 * Opens (creating if needed) the SQLite store in `dataDir`, in write-ahead
 * mode with foreign keys enforced.
 */
export function connectSqlite(dataDir: string): Kysely<Database> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const database = new SqliteDatabase(path.join(dataDir, SQLITE_FILE_NAME));
  database.pragma("journal_mode = WAL");
  database.pragma("foreign_keys = ON");
  database.pragma("busy_timeout = 5000");
  database.pragma("synchronous = NORMAL");

  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}
