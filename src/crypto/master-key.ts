import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { KEY_BYTES } from "./aead.js";

/** A master key and the short id that names it in wrapped data keys. */
export interface MasterKey {
  /** First 16 hex digits of the SHA-256 of the key; names the key, reveals nothing of it. */
  id: string;
  key: Buffer;
}

export interface MasterKeySource {
  /** The key as base64 (`EPITRACE_MASTER_KEY`). */
  base64?: string | undefined;
  /** File with the key as base64, created on first use when missing. */
  file: string;
}

/** File name of the master key, in its own folder beside the store. */
export const MASTER_KEY_FILE_NAME = "master.key";

/**
 * Returns where the master key comes from. The default file lives in the
 * `keys` folder of the data folder, which `epitrace backup` leaves out.
 * Production deployments should set the key in the environment from their
 * secret store instead.
 */
export function masterKeySource(
  dataDir: string,
  env: Record<string, string | undefined> = process.env,
): MasterKeySource {
  return {
    base64: env.EPITRACE_MASTER_KEY,
    file:
      env.EPITRACE_MASTER_KEY_FILE ??
      path.join(dataDir, "keys", MASTER_KEY_FILE_NAME),
  };
}

/**
 * The master keys a process can use: the current one, which wraps new
 * data keys, and the previous ones, which a key file lists while
 * `epitrace keys rotate` runs so that a running server can still unwrap
 * keys not yet rewrapped.
 */
export interface MasterKeyRing {
  current: MasterKey;
  previous: MasterKey[];
}

/**
 * Loads the current master key, generating and saving one (mode 0600)
 * when none exists.
 */
export function loadMasterKey(source: MasterKeySource): MasterKey {
  return loadMasterKeyRing(source).current;
}

/**
 * Loads the master key ring. A key file has one base64 key per line, the
 * current one first. A key from the environment is the current key and
 * has no previous keys.
 */
export function loadMasterKeyRing(source: MasterKeySource): MasterKeyRing {
  const text = source.base64 ?? readOrCreateKeyFile(source.file);
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const [first, ...rest] = lines.map((line, index) =>
    parseMasterKey(
      line,
      source.base64 === undefined ? source.file : null,
      index + 1,
    ),
  );
  if (first === undefined) {
    throw new Error(
      `Invalid master key file ${source.file}: it is empty. Restore it from the key's safe copy.`,
    );
  }
  return { current: first, previous: rest };
}

/**
 * Writes a key file with the keys in order, the current one first (mode
 * 0600). The file is replaced by a rename, so that a reader sees the old
 * or the new contents, never a part.
 */
export function writeMasterKeyFile(
  file: string,
  keys: readonly MasterKey[],
): void {
  const text = keys.map((key) => `${key.key.toString("base64")}\n`).join("");
  const temporary = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(temporary, text, { mode: 0o600, flag: "w" });
  fs.renameSync(temporary, file);
}

/** Generates a new random master key. */
export function generateMasterKey(): MasterKey {
  const key = randomBytes(KEY_BYTES);
  return { id: masterKeyId(key), key };
}

function parseMasterKey(
  base64: string,
  file: string | null,
  line: number,
): MasterKey {
  const key = Buffer.from(base64, "base64");
  if (key.length !== KEY_BYTES) {
    const where =
      file === null ? "EPITRACE_MASTER_KEY" : `${file} line ${line}`;
    throw new Error(
      `Invalid master key in ${where}: expected ${KEY_BYTES} bytes in base64, got ${key.length} bytes. Generate one with \`openssl rand -base64 32\`.`,
    );
  }
  return { id: masterKeyId(key), key };
}

/** Returns the id of a master key. */
export function masterKeyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

function readOrCreateKeyFile(file: string): string {
  if (fs.existsSync(file)) {
    return fs.readFileSync(file, "utf8");
  }

  const base64 = randomBytes(KEY_BYTES).toString("base64");
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${base64}\n`, { mode: 0o600, flag: "wx" });
  return base64;
}
