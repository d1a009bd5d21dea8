import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import SqliteDatabase from "better-sqlite3";

import { KEY_BYTES, open, seal } from "./aead.js";
import type { MasterKey, MasterKeyRing } from "./master-key.js";

/** File name of the data key store, in the `keys` folder of the data folder. */
export const DATA_KEY_FILE_NAME = "data-keys.sqlite";

interface DataKeyRow {
  case_id: string;
  master_key_id: string;
  wrapped_key: Buffer;
  created_at: number;
}

/** Options of a data key store: the master keys it may unwrap with besides the current one. */
export interface DataKeyStoreOptions {
  /** Master keys, besides the current one, that may still wrap data keys. */
  previous?: readonly MasterKey[];
  /**
   * Reads the key ring again, called when the store meets a master key id
   * it does not hold: a rotation by another process has switched it.
   */
  reload?: () => MasterKeyRing;
}

/**
 * The data keys of cases, each wrapped (AES-256-GCM) under the master key.
 * They live in a store of their own, apart from the main store and from its
 * backups, so that destroying a case's key here makes every copy of the
 * case's encrypted data unreadable. Deleted rows are overwritten
 * (`secure_delete`) and no write-ahead log is kept, so a destroyed key
 * leaves no bytes behind in this file. The store records the id of the
 * current master key, so that every process switches to a new master key
 * when `epitrace keys rotate` commits.
 */
export class DataKeyStore {
  readonly #database: SqliteDatabase.Database;
  readonly #reload: (() => MasterKeyRing) | undefined;
  readonly #ring = new Map<string, MasterKey>();
  #master: MasterKey;
  readonly #cache = new Map<string, Buffer>();
  readonly #readCurrentId: SqliteDatabase.Statement<
    [],
    { current_master_key_id: string }
  >;

  constructor(
    file: string,
    master: MasterKey,
    options: DataKeyStoreOptions = {},
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.#database = new SqliteDatabase(file);
    this.#database.pragma("journal_mode = DELETE");
    this.#database.pragma("secure_delete = ON");
    this.#database.pragma("busy_timeout = 5000");
    this.#database.exec(DATA_KEY_SCHEMA);
    this.#master = master;
    this.#reload = options.reload;
    for (const key of [master, ...(options.previous ?? [])]) {
      this.#ring.set(key.id, key);
    }
    this.#readCurrentId = this.#database.prepare(
      "SELECT current_master_key_id FROM master_key_state WHERE id = 1",
    );
    this.#database
      .prepare(
        "INSERT OR IGNORE INTO master_key_state (id, current_master_key_id) VALUES (1, ?)",
      )
      .run(master.id);
  }

  /**
   * Returns the current master key: the one the store records, which
   * changes when a rotation commits. Raises when this process cannot load
   * that key.
   */
  currentMaster(): MasterKey {
    const recorded = this.#readCurrentId.get()?.current_master_key_id;
    if (recorded === undefined || recorded === this.#master.id) {
      return this.#master;
    }
    this.#master = this.#masterKeyById(recorded, "the current master key");
    return this.#master;
  }

  /** Returns the data key of a case, creating it on first use. */
  keyFor(caseId: string, now: number = Date.now()): Buffer {
    const existing = this.find(caseId);
    if (existing !== null) {
      return existing;
    }
    const key = randomBytes(KEY_BYTES);
    // The current master key is read under the write lock, so that a
    // rotation committing meanwhile cannot miss the new row.
    const insert = this.#database.transaction(() => {
      const master = this.currentMaster();
      this.#database
        .prepare(
          "INSERT INTO data_keys (case_id, master_key_id, wrapped_key, created_at) VALUES (?, ?, ?, ?)",
        )
        .run(caseId, master.id, wrapDataKey(master, caseId, key), now);
    });
    insert.immediate();
    this.#cache.set(caseId, key);
    return key;
  }

  /** Returns the data key of a case, or null when it never existed or was destroyed. */
  find(caseId: string): Buffer | null {
    const cached = this.#cache.get(caseId);
    if (cached !== undefined) {
      return cached;
    }
    const row = this.#database
      .prepare("SELECT * FROM data_keys WHERE case_id = ?")
      .get(caseId) as DataKeyRow | undefined;
    if (row === undefined) {
      return null;
    }
    const master = this.#masterKeyById(
      row.master_key_id,
      `the master key of case ${caseId}'s data key`,
    );
    const key = unwrapDataKey(master, caseId, row.wrapped_key);
    this.#cache.set(caseId, key);
    return key;
  }

  /** Destroys the data key of a case and returns whether there was one. */
  destroy(caseId: string): boolean {
    this.#cache.delete(caseId);
    const result = this.#database
      .prepare("DELETE FROM data_keys WHERE case_id = ?")
      .run(caseId);
    this.#database.exec("VACUUM");
    return result.changes > 0;
  }

  /**
   * Wraps every data key under a new master key in one transaction and
   * records it as the current one. Returns how many keys were rewrapped.
   * `epitrace keys rotate` does the same together with the main store.
   */
  rotateMasterKey(next: MasterKey): number {
    this.#ring.set(next.id, next);
    const rewrap = this.#database.transaction(() =>
      rewrapDataKeys(this.#database, "main", [...this.#ring.values()], next),
    );
    const count = rewrap().size;
    this.#master = next;
    return count;
  }

  close(): void {
    this.#cache.clear();
    this.#database.close();
  }

  /** Returns the master key of an id, reading the key ring again once when it is unknown. */
  #masterKeyById(id: string, what: string): MasterKey {
    const known = this.#ring.get(id);
    if (known !== undefined) {
      return known;
    }
    if (this.#reload !== undefined) {
      const ring = this.#reload();
      for (const key of [ring.current, ...ring.previous]) {
        this.#ring.set(key.id, key);
      }
    }
    const reloaded = this.#ring.get(id);
    if (reloaded === undefined) {
      throw new Error(
        `${capitalise(what)} is ${id}, which this process has not loaded (it has ${[...this.#ring.keys()].join(", ")}): finish the key rotation or load the key file that \`epitrace keys rotate\` wrote.`,
      );
    }
    return reloaded;
  }
}

/** Tables of the data key store, created when missing. */
const DATA_KEY_SCHEMA = `
  CREATE TABLE IF NOT EXISTS data_keys (
    case_id TEXT PRIMARY KEY,
    master_key_id TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS master_key_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    current_master_key_id TEXT NOT NULL
  );
`;

/**
 * Rewraps every data key of the store attached as `schema` under `next`,
 * unwrapping each with the key of the ring its row names, and records
 * `next` as the current master key. Runs inside the caller's transaction
 * and returns the data keys it rewrapped, by case id.
 */
export function rewrapDataKeys(
  database: SqliteDatabase.Database,
  schema: string,
  ring: readonly MasterKey[],
  next: MasterKey,
): Map<string, Buffer> {
  const byId = new Map(ring.map((key) => [key.id, key]));
  const rows = database
    .prepare(`SELECT * FROM ${schema}.data_keys`)
    .all() as DataKeyRow[];
  const update = database.prepare(
    `UPDATE ${schema}.data_keys SET master_key_id = ?, wrapped_key = ? WHERE case_id = ?`,
  );
  const keys = new Map<string, Buffer>();
  for (const row of rows) {
    const master = byId.get(row.master_key_id);
    if (master === undefined) {
      throw new Error(
        `The data key of case ${row.case_id} is wrapped by master key ${row.master_key_id}, which is not in the key file: add that key to the file before rotating.`,
      );
    }
    const key = unwrapDataKey(master, row.case_id, row.wrapped_key);
    update.run(next.id, wrapDataKey(next, row.case_id, key), row.case_id);
    keys.set(row.case_id, key);
  }
  database
    .prepare(
      `INSERT INTO ${schema}.master_key_state (id, current_master_key_id) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET current_master_key_id = excluded.current_master_key_id`,
    )
    .run(next.id);
  return keys;
}

function wrapDataKey(master: MasterKey, caseId: string, key: Buffer): Buffer {
  return seal(master.key, key, `data-key:${caseId}`);
}

function unwrapDataKey(
  master: MasterKey,
  caseId: string,
  wrapped: Buffer,
): Buffer {
  return open(master.key, wrapped, `data-key:${caseId}`);
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
