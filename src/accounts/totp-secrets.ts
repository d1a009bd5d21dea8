import { hkdfSync } from "node:crypto";

import { open, seal, type MasterKey } from "../crypto/index.js";

/** The key that encrypts TOTP secrets at rest, derived from the master key. */
export interface TotpSecretKey {
  /** Id of the master key it was derived from, stored beside each secret. */
  masterKeyId: string;
  key: Buffer;
}

/**
 * Derives the key of TOTP secrets from the master key (HKDF-SHA256 with
 * its own label), so that this key encrypts nothing else.
 */
export function deriveTotpSecretKey(master: MasterKey): TotpSecretKey {
  const key = hkdfSync(
    "sha256",
    master.key,
    Buffer.alloc(0),
    "epitrace totp secret",
    32,
  );
  return { masterKeyId: master.id, key: Buffer.from(key) };
}

/**
 * Encrypts the TOTP secret of one account with AES-256-GCM, bound to the
 * account's id, for `users.totp_secret`. The stored form is
 * `<master key id>:<base64 ciphertext>`.
 */
export function sealTotpSecret(
  secretKey: TotpSecretKey,
  userId: string,
  secret: string,
): string {
  const sealed = seal(
    secretKey.key,
    Buffer.from(secret, "utf8"),
    associatedDataOf(userId),
  );
  return `${secretKey.masterKeyId}:${sealed.toString("base64")}`;
}

/** Decrypts what `sealTotpSecret` stored, raising when the key or the account differ. */
export function openTotpSecret(
  secretKey: TotpSecretKey,
  userId: string,
  stored: string,
): string {
  const separator = stored.indexOf(":");
  const masterKeyId = stored.slice(0, separator);
  if (separator === -1 || masterKeyId !== secretKey.masterKeyId) {
    // `epitrace keys rotate` re-encrypts every TOTP secret, so a secret
    // under another key means a rotation was interrupted or the key file
    // is not the store's.
    throw new Error(
      `The TOTP secret of user ${userId} is not encrypted under the loaded master key ${secretKey.masterKeyId}: reset the user's second factor.`,
    );
  }
  const sealed = Buffer.from(stored.slice(separator + 1), "base64");
  return open(secretKey.key, sealed, associatedDataOf(userId)).toString("utf8");
}

function associatedDataOf(userId: string): string {
  return `users.totp_secret:${userId}`;
}
