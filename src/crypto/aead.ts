import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** Length of an AES-256 key in bytes. */
export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Version byte at the start of every ciphertext, for later changes of format. */
const FORMAT_VERSION = 1;

/**
 * Encrypts with AES-256-GCM under a fresh random 96-bit nonce. The output is
 * version, nonce, tag and ciphertext in one buffer. The associated data
 * binds the ciphertext to its place (table, column, record), so that a
 * value copied to another record does not decrypt.
 */
export function seal(
  key: Buffer,
  plaintext: Buffer,
  associatedData: string,
): Buffer {
  checkKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);

  return Buffer.concat([
    Buffer.from([FORMAT_VERSION]),
    nonce,
    cipher.getAuthTag(),
    ciphertext,
  ]);
}

/** Decrypts what `seal` produced, raising if the key, data or associated data differ. */
export function open(
  key: Buffer,
  sealed: Buffer,
  associatedData: string,
): Buffer {
  checkKey(key);
  if (
    sealed.length < 1 + NONCE_BYTES + TAG_BYTES ||
    sealed[0] !== FORMAT_VERSION
  ) {
    throw new Error("Invalid ciphertext: unknown format or truncated value.");
  }

  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tag = sealed.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
  const ciphertext = sealed.subarray(1 + NONCE_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) {
    throw new RangeError(
      `Invalid AES-256 key: expected ${KEY_BYTES} bytes, got ${key.length}.`,
    );
  }
}
