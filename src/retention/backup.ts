import fs from "node:fs";
import path from "node:path";

import SqliteDatabase from "better-sqlite3";

import { keyFolderOf } from "../privacy/index.js";
import { SQLITE_FILE_NAME } from "../store/sqlite/connect.js";

/** Result of a backup. */
export interface BackupResult {
  file: string;
  sizeBytes: number;
  pages: number;
}

/**
 * Copies the main store to `destination` with SQLite's online backup, a
 * consistent copy while the server keeps running. The keys folder is never
 * copied, so destroying a case's data key later makes that case's
 * encrypted fields in this backup unreadable. Provider upload files are not
 * copied either. Rejects a destination that exists or lies inside the keys
 * folder.
 */
export async function backupStore(
  dataDir: string,
  destination: string,
): Promise<BackupResult> {
  const file = path.resolve(destination);
  const keys = path.resolve(keyFolderOf(dataDir));
  if (file === keys || file.startsWith(`${keys}${path.sep}`)) {
    throw new Error(
      `Invalid backup destination ${file}: it lies inside the keys folder ${keys}, which backups must never hold. Choose a path outside it.`,
    );
  }
  if (fs.existsSync(file)) {
    throw new Error(
      `Backup destination ${file} already exists: choose a new file name.`,
    );
  }

  const source = path.join(dataDir, SQLITE_FILE_NAME);
  if (!fs.existsSync(source)) {
    throw new Error(
      `Store not found at ${source}: set EPITRACE_DATA_DIR to the data folder.`,
    );
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const database = new SqliteDatabase(source, { fileMustExist: true });
  try {
    const { totalPages } = await database.backup(file);
    fs.chmodSync(file, 0o600);
    return { file, sizeBytes: fs.statSync(file).size, pages: totalPages };
  } finally {
    database.close();
  }
}
