import fs from "node:fs/promises";
import path from "node:path";

import { open, seal } from "../crypto/index.js";

/** Folder inside the data folder where uploaded provider files are kept. */
export const UPLOAD_FOLDER_NAME = "provider-uploads";

/** Folder inside the uploads folder for the clear copy that one import reads. */
const WORK_FOLDER_NAME = "work";

/** Returns the uploads folder of a data folder. */
export function uploadDirOf(dataDir: string): string {
  return path.join(dataDir, UPLOAD_FOLDER_NAME);
}

/** Returns the associated data that binds a sealed upload file to its upload. */
function associatedDataOf(uploadId: string): string {
  return `provider_upload:${uploadId}`;
}

/**
 * Writes an uploaded file under its upload id, sealed with the case's data
 * key and readable by the server's user only, and returns its path.
 * Destroying the case's key makes the file unreadable. The file is kept
 * after its upload is withdrawn or rejected, so that what was received can
 * be shown later.
 */
export async function saveUploadFile(
  uploadDir: string,
  uploadId: string,
  body: Buffer,
  caseKey: Buffer,
): Promise<string> {
  await fs.mkdir(uploadDir, { recursive: true, mode: 0o700 });
  const filePath = path.join(uploadDir, uploadId);
  const sealed = seal(caseKey, body, associatedDataOf(uploadId));
  await fs.writeFile(filePath, sealed, { mode: 0o600, flag: "wx" });
  return filePath;
}

/** Returns the content of a sealed upload file. Throws when the key or the upload id does not match. */
export function openUploadFile(
  sealed: Buffer,
  uploadId: string,
  caseKey: Buffer,
): Buffer {
  return open(caseKey, sealed, associatedDataOf(uploadId));
}

/**
 * Writes the clear content of an upload to a file of its own that only
 * the server's user reads, runs `work` on its path, and deletes it again,
 * whatever `work` does.
 */
export async function withClearUploadFile<T>(
  uploadDir: string,
  uploadId: string,
  body: Buffer,
  work: (filePath: string) => Promise<T>,
): Promise<T> {
  const folder = path.join(uploadDir, WORK_FOLDER_NAME);
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  const filePath = path.join(folder, uploadId);
  await fs.writeFile(filePath, body, { mode: 0o600, flag: "wx" });
  try {
    return await work(filePath);
  } finally {
    await fs.rm(filePath, { force: true });
  }
}

/** Deletes a file saved for an upload that was then not stored. */
export async function discardUploadFile(filePath: string): Promise<void> {
  await fs.rm(filePath, { force: true });
}
