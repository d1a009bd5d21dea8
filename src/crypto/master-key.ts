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

/** Loads the master key, generating and saving one (mode 0600) when none exists. */
export function loadMasterKey(source: MasterKeySource): MasterKey {
  const base64 = source.base64 ?? readOrCreateKeyFile(source.file);
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== KEY_BYTES) {
    throw new Error(
      `Invalid master key: expected ${KEY_BYTES} bytes in base64, got ${key.length} bytes. Generate one with \`openssl rand -base64 32\`.`,
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
