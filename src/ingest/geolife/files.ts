import type { Stats } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";

import { parsePlt, type PltFix } from "./plt.js";

/** One PLT file and the GeoLife user it belongs to. */
export interface PltFileEntry {
  /** User id: the name of the user's folder, such as "000". */
  readonly userId: string;
  readonly file: string;
}

/** The fixes of one GeoLife user, from all of the user's PLT files. */
export interface GeolifeUserFixes {
  readonly userId: string;
  /** Fixes in file order: files sorted by name, lines in file order. */
  readonly fixes: PltFix[];
}

/** A path that does not lead to GeoLife PLT files. */
export class GeolifePathError extends Error {
  override readonly name = "GeolifePathError";

  constructor(
    message: string,
    readonly inputPath: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const TRAJECTORY_FOLDER = "Trajectory";
const EXPECTED_LAYOUT =
  "Pass a .plt file, a user folder containing Trajectory/*.plt, or a folder of such user folders.";

/**
 * Lists the PLT files under `inputPath`, which is one of:
 * - a .plt file: the user id is the name of the folder above its
 *   `Trajectory` folder, or the file name without extension when the file
 *   is not in a `Trajectory` folder;
 * - a user folder containing `Trajectory/*.plt`: the user id is the folder
 *   name;
 * - a folder of user folders: each subfolder with a `Trajectory` folder is a
 *   user, and other entries are skipped.
 *
 * The list is sorted by user id and then by file path (by UTF-16 code
 * units, independent of locale). Throws a GeolifePathError when the path does
 * not exist or contains no PLT file.
 */
export async function resolvePltFiles(
  inputPath: string,
): Promise<PltFileEntry[]> {
  const inputStats = await statOrThrow(inputPath);
  const entries = inputStats.isDirectory()
    ? await listFolderPltFiles(inputPath)
    : [singleFileEntry(inputPath)];

  if (entries.length === 0) {
    throw new GeolifePathError(
      `No GeoLife .plt files found in ${inputPath}. ${EXPECTED_LAYOUT}`,
      inputPath,
    );
  }
  return entries.sort(
    (a, b) => compareText(a.userId, b.userId) || compareText(a.file, b.file),
  );
}

/**
 * Reads and parses every PLT file under `inputPath` (see `resolvePltFiles`),
 * and returns the fixes of each user in user id order.
 */
export async function readGeolifeFixes(
  inputPath: string,
): Promise<GeolifeUserFixes[]> {
  const users: GeolifeUserFixes[] = [];
  for (const entry of await resolvePltFiles(inputPath)) {
    const fixes = parsePlt(await readFile(entry.file, "utf8"), entry.file);
    let user = users.at(-1);
    if (user === undefined || user.userId !== entry.userId) {
      user = { userId: entry.userId, fixes: [] };
      users.push(user);
    }
    for (const fix of fixes) {
      user.fixes.push(fix);
    }
  }
  return users;
}

async function statOrThrow(inputPath: string): Promise<Stats> {
  const stats = await statIfExists(inputPath);
  if (stats === undefined) {
    throw new GeolifePathError(
      `GeoLife path not found: ${inputPath}. ${EXPECTED_LAYOUT}`,
      inputPath,
    );
  }
  return stats;
}

function singleFileEntry(file: string): PltFileEntry {
  if (!isPltName(file)) {
    throw new GeolifePathError(
      `Not a GeoLife .plt file: ${file}. ${EXPECTED_LAYOUT}`,
      file,
    );
  }
  const folder = path.dirname(path.resolve(file));
  const userId =
    path.basename(folder) === TRAJECTORY_FOLDER
      ? path.basename(path.dirname(folder))
      : path.basename(file, path.extname(file));
  return { userId, file };
}

async function listFolderPltFiles(folder: string): Promise<PltFileEntry[]> {
  const ownTrajectory = path.join(folder, TRAJECTORY_FOLDER);
  if (await isDirectory(ownTrajectory)) {
    const userId = path.basename(path.resolve(folder));
    return listUserPltFiles(userId, ownTrajectory);
  }

  const entries: PltFileEntry[] = [];
  for (const name of await readdir(folder)) {
    const trajectory = path.join(folder, name, TRAJECTORY_FOLDER);
    if (await isDirectory(trajectory)) {
      entries.push(...(await listUserPltFiles(name, trajectory)));
    }
  }
  return entries;
}

async function listUserPltFiles(
  userId: string,
  trajectoryFolder: string,
): Promise<PltFileEntry[]> {
  const entries: PltFileEntry[] = [];
  for (const name of await readdir(trajectoryFolder)) {
    const file = path.join(trajectoryFolder, name);
    if (isPltName(name) && (await isFile(file))) {
      entries.push({ userId, file });
    }
  }
  return entries;
}

function isPltName(name: string): boolean {
  return path.extname(name).toLowerCase() === ".plt";
}

async function isDirectory(candidate: string): Promise<boolean> {
  return (await statIfExists(candidate))?.isDirectory() ?? false;
}

async function isFile(candidate: string): Promise<boolean> {
  return (await statIfExists(candidate))?.isFile() ?? false;
}

/** Returns undefined when the path or one of its parent folders is missing. */
async function statIfExists(candidate: string): Promise<Stats | undefined> {
  try {
    return await stat(candidate);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      return undefined;
    }
    throw error;
  }
}

function compareText(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}
