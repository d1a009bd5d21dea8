import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** File name of the checkpoint signing key inside the data folder, unless a setting names another. */
export const SIGNING_KEY_FILE_NAME = "audit-signing-key.pem";

export interface SigningKeySource {
  /** PEM text of an Ed25519 private key (`EPITRACE_AUDIT_SIGNING_KEY`). */
  pem?: string | undefined;
  /** File holding the PEM key, created on first use when missing. */
  file: string;
}

/** An Ed25519 key pair for audit checkpoints and the public key as stored. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI DER of the public key, base64. */
  publicKeyBase64: string;
}

/** Returns where the signing key comes from, by the environment and the data folder. */
export function signingKeySource(
  dataDir: string,
  env: Record<string, string | undefined> = process.env,
): SigningKeySource {
  return {
    pem: env.EPITRACE_AUDIT_SIGNING_KEY,
    file:
      env.EPITRACE_AUDIT_KEY_FILE ?? path.join(dataDir, SIGNING_KEY_FILE_NAME),
  };
}

/**
 * Loads the checkpoint signing key, generating and saving one (mode 0600)
 * when neither the setting nor the file exists yet.
 */
export function loadSigningKey(source: SigningKeySource): SigningKey {
  const pem = source.pem ?? readOrCreateKeyFile(source.file);
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new Error(
      `The audit signing key must be an Ed25519 key, not ${privateKey.asymmetricKeyType ?? "unknown"}.`,
    );
  }

  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: "spki", format: "der" });
  return { privateKey, publicKey, publicKeyBase64: der.toString("base64") };
}

function readOrCreateKeyFile(file: string): string {
  if (fs.existsSync(file)) {
    return fs.readFileSync(file, "utf8");
  }

  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, pem, { mode: 0o600, flag: "wx" });
  return pem;
}
