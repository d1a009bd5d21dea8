import fs from "node:fs/promises";
import path from "node:path";

/** Folder inside the data folder where uploaded provider files are kept. */
export const UPLOAD_FOLDER_NAME = "provider-uploads";

/** Returns the uploads folder of a data folder. */
export function uploadDirOf(dataDir: string): string {
  return path.join(dataDir, UPLOAD_FOLDER_NAME);
}

/**
 * Writes an uploaded file under its upload id, readable by the server's
 * user only, and returns its path. The file is kept after its upload is
 * withdrawn or rejected, so that what was received can be shown later.
 */
export async function saveUploadFile(
  uploadDir: string,
  uploadId: string,
  body: Buffer,
): Promise<string> {
  await fs.mkdir(uploadDir, { recursive: true, mode: 0o700 });
  const filePath = path.join(uploadDir, uploadId);
  await fs.writeFile(filePath, body, { mode: 0o600, flag: "wx" });
  return filePath;
}

/** Deletes a file saved for an upload that was then not stored. */
export async function discardUploadFile(filePath: string): Promise<void> {
  await fs.rm(filePath, { force: true });
}
