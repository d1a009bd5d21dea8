import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import SqliteDatabase from "better-sqlite3";

import { KEY_BYTES, open, seal } from "./aead.js";
import type { MasterKey } from "./master-key.js";

/** File name of the data key store, in the `keys` folder of the data folder. */
export const DATA_KEY_FILE_NAME = "data-keys.sqlite";

interface DataKeyRow {
  case_id: string;
  master_key_id: string;
  wrapped_key: Buffer;
  created_at: number;
}

/**
 * The data keys of cases, each wrapped (AES-256-GCM) under the master key.
 * They live in a store of their own, apart from the main store and from its
 * backups, so that destroying a case's key here makes every copy of the
 * case's encrypted data unreadable. Deleted rows are overwritten
 * (`secure_delete`) and no write-ahead log is kept, so a destroyed key
 * leaves no bytes behind in this file.
 */
export class DataKeyStore {
  readonly #database: SqliteDatabase.Database;
  #master: MasterKey;
  readonly #cache = new Map<string, Buffer>();

  constructor(file: string, master: MasterKey) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.#database = new SqliteDatabase(file);
    this.#database.pragma("journal_mode = DELETE");
    this.#database.pragma("secure_delete = ON");
    this.#database.exec(`CREATE TABLE IF NOT EXISTS data_keys (
      case_id TEXT PRIMARY KEY,
      master_key_id TEXT NOT NULL,
      wrapped_key BLOB NOT NULL,
      created_at INTEGER NOT NULL
    )`);
    this.#master = master;
  }

  /** Returns the data key of a case, creating it on first use. */
  keyFor(caseId: string, now: number = Date.now()): Buffer {
    const existing = this.find(caseId);
    if (existing !== null) {
      return existing;
    }

    const key = randomBytes(KEY_BYTES);
    this.#database
      .prepare(
        "INSERT INTO data_keys (case_id, master_key_id, wrapped_key, created_at) VALUES (?, ?, ?, ?)",
      )
      .run(caseId, this.#master.id, this.#wrap(caseId, key), now);
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
    if (row.master_key_id !== this.#master.id) {
      throw new Error(
        `The data key of case ${caseId} is wrapped by master key ${row.master_key_id}, not by the loaded key ${this.#master.id}: finish the key rotation first.`,
      );
    }

    const key = open(this.#master.key, row.wrapped_key, `data-key:${caseId}`);
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
   * Wraps every data key under a new master key, one key at a time, so that
   * the store stays readable during the rotation. Returns how many keys
   * were rewrapped.
   */
  rotateMasterKey(next: MasterKey): number {
    const rows = this.#database
      .prepare("SELECT * FROM data_keys WHERE master_key_id = ?")
      .all(this.#master.id) as DataKeyRow[];
    const update = this.#database.prepare(
      "UPDATE data_keys SET master_key_id = ?, wrapped_key = ? WHERE case_id = ?",
    );

    const rewrap = this.#database.transaction((all: DataKeyRow[]) => {
      for (const row of all) {
        const key = open(
          this.#master.key,
          row.wrapped_key,
          `data-key:${row.case_id}`,
        );
        update.run(
          next.id,
          seal(next.key, key, `data-key:${row.case_id}`),
          row.case_id,
        );
      }
    });
    rewrap(rows);
    this.#master = next;
    return rows.length;
  }

  close(): void {
    this.#cache.clear();
    this.#database.close();
  }

  #wrap(caseId: string, key: Buffer): Buffer {
    return seal(this.#master.key, key, `data-key:${caseId}`);
  }
}
