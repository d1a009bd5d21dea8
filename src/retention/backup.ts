import fs from "node:fs";
import path from "node:path";

import SqliteDatabase from "better-sqlite3";

import { open, seal } from "../crypto/index.js";
import {
  keyFolderOf,
  openFieldKeys,
  type FieldKeys,
} from "../privacy/index.js";
import { openUploadFile, uploadDirOf } from "../requests/index.js";
import { SQLITE_FILE_NAME } from "../store/sqlite/connect.js";

/** Result of a backup. */
export interface BackupResult {
  file: string;
  sizeBytes: number;
  pages: number;
  /** Provider upload files copied into the backup, each encrypted under its case's data key. */
  uploadFiles: number;
  /** Upload files left out: no upload row names them, or their case's data key is destroyed. */
  uploadFilesSkipped: number;
}

export interface BackupOptions {
  /** Keys that encrypt the upload files; default: opened from the data folder and closed after. */
  keys?: FieldKeys;
}

/** Table of the backup file that contains the encrypted provider upload files. */
export const BACKUP_UPLOADS_TABLE = "backup_upload_files";

/**
 * Copies the main store to `destination` with SQLite's online backup, a
 * consistent copy while the server keeps running, and adds the provider
 * upload files to it, each encrypted (AES-256-GCM) under the data key of
 * its case. The keys folder is never copied, so destroying a case's data
 * key later makes that case's encrypted fields and upload files in this
 * backup unreadable. Rejects a destination that exists or lies inside the
 * keys folder.
 */
export async function backupStore(
  dataDir: string,
  destination: string,
  options: BackupOptions = {},
): Promise<BackupResult> {
  const file = checkDestination(dataDir, destination);
  const source = path.join(dataDir, SQLITE_FILE_NAME);
  if (!fs.existsSync(source)) {
    throw new Error(
      `Store not found at ${source}: set EPITRACE_DATA_DIR to the data folder.`,
    );
  }

  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const database = new SqliteDatabase(source, { fileMustExist: true });
  let pages: number;
  try {
    ({ totalPages: pages } = await database.backup(file));
    fs.chmodSync(file, 0o600);
  } finally {
    database.close();
  }

  const keys = options.keys ?? openFieldKeys(dataDir);
  try {
    const uploads = addUploadFiles(file, uploadDirOf(dataDir), keys);
    return { file, sizeBytes: fs.statSync(file).size, pages, ...uploads };
  } finally {
    if (options.keys === undefined) {
      keys.close();
    }
  }
}

/**
 * Decrypts one provider upload file of a backup, for a restore. Returns
 * null when the backup has no such file and raises when the case's data
 * key is destroyed.
 */
export function openBackupUpload(
  backupFile: string,
  uploadId: string,
  keys: FieldKeys,
): Buffer | null {
  const backup = new SqliteDatabase(backupFile, {
    readonly: true,
    fileMustExist: true,
  });
  try {
    const row = backup
      .prepare(
        `SELECT case_id, sealed FROM ${BACKUP_UPLOADS_TABLE} WHERE upload_id = ?`,
      )
      .get(uploadId) as { case_id: string; sealed: Buffer } | undefined;
    if (row === undefined) {
      return null;
    }
    const key = keys.dataKeys.find(row.case_id);
    if (key === null) {
      throw new Error(
        `Upload file ${uploadId} of the backup cannot be decrypted: the data key of case ${row.case_id} is destroyed.`,
      );
    }
    return open(key, row.sealed, associatedDataOf(uploadId));
  } finally {
    backup.close();
  }
}

function checkDestination(dataDir: string, destination: string): string {
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
  return file;
}

interface UploadRow {
  id: string;
  stored_file: string;
  case_id: string;
}

/** Encrypts every upload file of a live case into the backup file. */
function addUploadFiles(
  backupFile: string,
  uploadDir: string,
  keys: FieldKeys,
): Pick<BackupResult, "uploadFiles" | "uploadFilesSkipped"> {
  const backup = new SqliteDatabase(backupFile, { fileMustExist: true });
  try {
    // The copy keeps no write-ahead log beside it, so it stays one file.
    backup.pragma("journal_mode = DELETE");
    backup.exec(`CREATE TABLE ${BACKUP_UPLOADS_TABLE} (
      upload_id TEXT PRIMARY KEY,
      case_id TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      sealed BLOB NOT NULL
    )`);
    const uploads = backup
      .prepare(
        `SELECT data_request_uploads.id, data_request_uploads.stored_file, data_requests.case_id
         FROM data_request_uploads
         JOIN data_requests ON data_requests.id = data_request_uploads.request_id`,
      )
      .all() as UploadRow[];
    const insert = backup.prepare(
      `INSERT INTO ${BACKUP_UPLOADS_TABLE} (upload_id, case_id, size_bytes, sealed) VALUES (?, ?, ?, ?)`,
    );

    const named = new Set<string>();
    let uploadFiles = 0;
    let skipped = 0;
    for (const upload of uploads) {
      const name = path.basename(upload.stored_file);
      named.add(name);
      const filePath = path.join(uploadDir, name);
      if (!fs.existsSync(filePath)) {
        continue;
      }
      const key = keys.dataKeys.find(upload.case_id);
      if (key === null) {
        skipped += 1;
        continue;
      }
      const content = openUploadFile(fs.readFileSync(filePath), upload.id, key);
      insert.run(
        upload.id,
        upload.case_id,
        content.length,
        seal(key, content, associatedDataOf(upload.id)),
      );
      uploadFiles += 1;
    }
    skipped += countUnnamedFiles(uploadDir, named);
    return { uploadFiles, uploadFilesSkipped: skipped };
  } finally {
    backup.close();
  }
}

/** Counts files of the uploads folder that no upload row names; they are left out of the backup. */
function countUnnamedFiles(
  uploadDir: string,
  named: ReadonlySet<string>,
): number {
  if (!fs.existsSync(uploadDir)) {
    return 0;
  }
  return fs
    .readdirSync(uploadDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !named.has(entry.name)).length;
}

function associatedDataOf(uploadId: string): string {
  return `backup.provider_upload:${uploadId}`;
}
