import path from "node:path";

import SqliteDatabase from "better-sqlite3";

import {
  deriveTotpSecretKey,
  openTotpSecret,
  sealTotpSecret,
} from "../accounts/totp-secrets.js";
import { SEALED_PREFIX } from "../privacy/fields.js";
import { keyFolderOf } from "../privacy/keys.js";
import { SQLITE_FILE_NAME } from "../store/sqlite/connect.js";
import { open } from "./aead.js";
import {
  DATA_KEY_FILE_NAME,
  DataKeyStore,
  rewrapDataKeys,
} from "./data-keys.js";
import { deriveLookupKey, lookupHash } from "./keyed-hash.js";
import {
  generateMasterKey,
  loadMasterKeyRing,
  masterKeySource,
  writeMasterKeyFile,
  type MasterKey,
} from "./master-key.js";

// NOTE: this module reads tables of the main store and the TOTP format of
// accounts, so crypto/index.ts does not export it: the command line
// imports it directly, and the rest of crypto stays free of store code.

/** Counts and key ids of one master key rotation. */
export interface RotationResult {
  previousMasterKeyId: string;
  masterKeyId: string;
  dataKeys: number;
  totpSecrets: number;
  /** TOTP secrets under a master key that no key file lists; they are left and need a reset. */
  totpSecretsUnreadable: number;
  lookupHashes: number;
  /** Lookup hashes cleared because the value they name could no longer be decrypted. */
  lookupHashesCleared: number;
  /** Whether the key file was rewritten; false when the key comes from the environment. */
  keyFileWritten: boolean;
}

export interface RotationOptions {
  /** The new master key; default: a fresh random key. */
  next?: MasterKey;
  env?: Record<string, string | undefined>;
}

/** Columns with a lookup hash: the table, the encrypted column, its hash, the hash kind and the column naming the case whose key encrypts it. */
const HASHED_COLUMNS = [
  {
    table: "persons",
    column: "phone_number",
    hash: "phone_number_hash",
    kind: "phone",
    caseColumn: "key_case_id",
  },
  {
    table: "persons",
    column: "card_number",
    hash: "card_number_hash",
    kind: "card",
    caseColumn: "key_case_id",
  },
  {
    table: "person_card_numbers",
    column: "card_number",
    hash: "card_number_hash",
    kind: "card",
    caseColumn: "key_case_id",
  },
  {
    table: "data_requests",
    column: "phone_number",
    hash: "phone_number_hash",
    kind: "phone",
    caseColumn: "case_id",
  },
  {
    table: "data_requests",
    column: "card_holder",
    hash: "card_holder_hash",
    kind: "card_holder",
    caseColumn: "case_id",
  },
] as const;

/**
 * Replaces the master key without stopping the server. With a key file,
 * it first writes the file with the new key first and the old ones after
 * it, so that every process can load both. Then, in one transaction over
 * the main store and the attached data key store, it rewraps every data
 * key, re-encrypts every TOTP secret and recomputes every lookup hash from
 * the decrypted value, and records the new key as current. A running
 * server switches when it next reads that record. Last, it rewrites the
 * key file with the new key alone. A failure before the commit changes no
 * row, and the key file still lists the old key.
 */
export function rotateMasterKey(
  dataDir: string,
  options: RotationOptions = {},
): RotationResult {
  const source = masterKeySource(dataDir, options.env);
  const ring = loadMasterKeyRing(source);
  const next = options.next ?? generateMasterKey();
  const keyFileWritten = source.base64 === undefined;
  const all = [next, ring.current, ...ring.previous];
  if (keyFileWritten) {
    writeMasterKeyFile(source.file, all);
  }

  const dataKeyFile = path.join(keyFolderOf(dataDir), DATA_KEY_FILE_NAME);
  // Opening the store once creates its tables when no case has a key yet.
  new DataKeyStore(dataKeyFile, ring.current).close();
  const counts = rewriteStores(dataDir, dataKeyFile, all, next);

  if (keyFileWritten) {
    writeMasterKeyFile(source.file, [next]);
  }
  return {
    previousMasterKeyId: ring.current.id,
    masterKeyId: next.id,
    ...counts,
    keyFileWritten,
  };
}

type StoreCounts = Omit<
  RotationResult,
  "previousMasterKeyId" | "masterKeyId" | "keyFileWritten"
>;

function rewriteStores(
  dataDir: string,
  dataKeyFile: string,
  ring: readonly MasterKey[],
  next: MasterKey,
): StoreCounts {
  const database = new SqliteDatabase(path.join(dataDir, SQLITE_FILE_NAME), {
    fileMustExist: true,
  });
  try {
    database.pragma("busy_timeout = 10000");
    database.prepare("ATTACH DATABASE ? AS keys").run(dataKeyFile);
    database.pragma("keys.secure_delete = ON");
    // NOTE: the main store keeps a write-ahead log, and SQLite commits a
    // transaction over attached files atomically only when none of them
    // does. A crash inside the commit can leave the data keys rotated and
    // the main store not. Running the rotation again repairs that, because
    // the key file then still lists every key involved.
    const rotate = database.transaction(() => {
      const dataKeys = rewrapDataKeys(database, "keys", ring, next);
      const totp = reencryptTotpSecrets(database, ring, next);
      const hashes = rehashLookups(database, dataKeys, next);
      return { dataKeys: dataKeys.size, ...totp, ...hashes };
    });
    return rotate.immediate();
  } finally {
    database.close();
  }
}

function reencryptTotpSecrets(
  database: SqliteDatabase.Database,
  ring: readonly MasterKey[],
  next: MasterKey,
): Pick<StoreCounts, "totpSecrets" | "totpSecretsUnreadable"> {
  const secretKeys = new Map(
    ring.map((master) => [master.id, deriveTotpSecretKey(master)]),
  );
  const nextKey = deriveTotpSecretKey(next);
  const users = database
    .prepare("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL")
    .all() as { id: string; totp_secret: string }[];
  const update = database.prepare(
    "UPDATE users SET totp_secret = ? WHERE id = ?",
  );

  let totpSecrets = 0;
  let totpSecretsUnreadable = 0;
  for (const user of users) {
    const keyId = user.totp_secret.slice(0, user.totp_secret.indexOf(":"));
    const secretKey = secretKeys.get(keyId);
    if (secretKey === undefined) {
      totpSecretsUnreadable += 1;
      continue;
    }
    const secret = openTotpSecret(secretKey, user.id, user.totp_secret);
    update.run(sealTotpSecret(nextKey, user.id, secret), user.id);
    totpSecrets += 1;
  }
  return { totpSecrets, totpSecretsUnreadable };
}

function rehashLookups(
  database: SqliteDatabase.Database,
  dataKeys: ReadonlyMap<string, Buffer>,
  next: MasterKey,
): Pick<StoreCounts, "lookupHashes" | "lookupHashesCleared"> {
  const lookupKey = deriveLookupKey(next);
  let lookupHashes = 0;
  let lookupHashesCleared = 0;

  for (const place of HASHED_COLUMNS) {
    const rows = database
      .prepare(
        `SELECT id, ${place.column} AS value, ${place.caseColumn} AS case_id FROM ${place.table} WHERE ${place.hash} IS NOT NULL`,
      )
      .all() as { id: string; value: string | null; case_id: string | null }[];
    const update = database.prepare(
      `UPDATE ${place.table} SET ${place.hash} = ? WHERE id = ?`,
    );
    for (const row of rows) {
      const value = clearValueOf(row, dataKeys, place);
      if (value === null) {
        update.run(null, row.id);
        lookupHashesCleared += 1;
        continue;
      }
      update.run(lookupHash(lookupKey, place.kind, value), row.id);
      lookupHashes += 1;
    }
  }
  return { lookupHashes, lookupHashesCleared };
}

/** Decrypts a hashed value as privacy/fields.ts stored it; null when it is gone or its data key is destroyed. */
function clearValueOf(
  row: { id: string; value: string | null; case_id: string | null },
  dataKeys: ReadonlyMap<string, Buffer>,
  place: (typeof HASHED_COLUMNS)[number],
): string | null {
  if (row.value === null) {
    return null;
  }
  if (!row.value.startsWith(SEALED_PREFIX)) {
    return row.value;
  }
  const key = row.case_id === null ? undefined : dataKeys.get(row.case_id);
  if (key === undefined) {
    return null;
  }
  const sealed = Buffer.from(row.value.slice(SEALED_PREFIX.length), "base64");
  return open(key, sealed, `${place.table}.${place.column}:${row.id}`).toString(
    "utf8",
  );
}
