import path from "node:path";

import {
  DATA_KEY_FILE_NAME,
  DataKeyStore,
  deriveLookupKey,
  loadMasterKeyRing,
  masterKeySource,
  type MasterKey,
} from "../crypto/index.js";

/** Name of the folder inside the data folder that contains the keys; backups leave it out. */
export const KEY_FOLDER_NAME = "keys";

/** The keys that encrypt personal fields, loaded once per process. */
export interface FieldKeys {
  /** The current master key; it changes when a key rotation commits. */
  readonly master: MasterKey;
  /** Per-case data keys, wrapped by the master key. */
  dataKeys: DataKeyStore;
  /** Key of the keyed hashes by which identifiers are found, derived from the current master key. */
  readonly lookupKey: Buffer;
  close(): void;
}

/** Returns the keys folder of a data folder. */
export function keyFolderOf(dataDir: string): string {
  return path.join(dataDir, KEY_FOLDER_NAME);
}

/**
 * Loads the master key ring (from `EPITRACE_MASTER_KEY`, or the key file in
 * the keys folder, created on first use) and opens the data key store.
 * The master key and the lookup key follow the data key store's record of
 * the current master key, so that a running process keeps working across
 * `epitrace keys rotate`. The process reads the key file again when the
 * record names a key it has not loaded.
 */
export function openFieldKeys(
  dataDir: string,
  env: Record<string, string | undefined> = process.env,
): FieldKeys {
  const source = masterKeySource(dataDir, env);
  const ring = loadMasterKeyRing(source);
  const dataKeys = new DataKeyStore(
    path.join(keyFolderOf(dataDir), DATA_KEY_FILE_NAME),
    ring.current,
    { previous: ring.previous, reload: () => loadMasterKeyRing(source) },
  );
  let lookup: { masterKeyId: string; key: Buffer } = {
    masterKeyId: "",
    key: Buffer.alloc(0),
  };
  return {
    get master() {
      return dataKeys.currentMaster();
    },
    dataKeys,
    get lookupKey() {
      const master = dataKeys.currentMaster();
      if (lookup.masterKeyId !== master.id) {
        lookup = { masterKeyId: master.id, key: deriveLookupKey(master) };
      }
      return lookup.key;
    },
    close: () => dataKeys.close(),
  };
}
