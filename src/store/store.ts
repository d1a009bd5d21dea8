import type SqliteDatabase from "better-sqlite3";
import { Migrator, type Kysely } from "kysely";

import { migrationProvider } from "./migrations/index.js";
import type { Database } from "./schema.js";
import { connectSqlite } from "./sqlite/connect.js";

export type Dialect = "sqlite";

/** An open store: the query builder and the dialect behind it. */
export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /**
   * The SQLite connection that `db` runs on, for bulk writes that need
   * prepared statements of their own. Statements on it take part in a
   * transaction that `db` has open.
   */
  sqlite: SqliteDatabase.Database;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Folder of the embedded SQLite store. */
  dataDir: string;
}

/** Opens the store and applies every pending migration before returning. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const { db, database } = connectSqlite(options.dataDir);
  await migrateToLatest(db);

  return {
    db,
    dialect: "sqlite",
    sqlite: database,
    close: () => db.destroy(),
  };
}

async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();

  const failed = results?.find((result) => result.status === "Error");
  if (error !== undefined || failed !== undefined) {
    const name = failed?.migrationName ?? "unknown";
    throw new Error(`Store migration ${name} failed; the store is unchanged.`, {
      cause: error,
    });
  }
}
