import { createHmac, hkdfSync } from "node:crypto";

import type { MasterKey } from "./master-key.js";

/**
 * Derives the key of lookup hashes from the master key (HKDF-SHA256), so
 * that one secret serves both and the lookup key never encrypts anything.
 */
export function deriveLookupKey(master: MasterKey): Buffer {
  return Buffer.from(
    hkdfSync("sha256", master.key, Buffer.alloc(0), "epitrace lookup hash", 32),
  );
}

/**
 * Computes the keyed hash (HMAC-SHA256, hex) by which an encrypted
 * identifier such as a phone or card number is found, after normalising it
 * to its digits. Without the key, the hash of a 010 number cannot be
 * guessed by trying every number.
 */
export function lookupHash(
  lookupKey: Buffer,
  kind: string,
  value: string,
): string {
  const normalised = value.replace(/[^0-9A-Za-z]/g, "");
  return createHmac("sha256", lookupKey)
    .update(`${kind}:${normalised}`)
    .digest("hex");
}
