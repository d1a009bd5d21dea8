import path from "node:path";

import {
  DATA_KEY_FILE_NAME,
  DataKeyStore,
  deriveLookupKey,
  loadMasterKey,
  masterKeySource,
  type MasterKey,
} from "../crypto/index.js";

/** Name of the folder inside the data folder that contains the keys; backups leave it out. */
export const KEY_FOLDER_NAME = "keys";

/** The keys that encrypt personal fields, loaded once per process. */
export interface FieldKeys {
  master: MasterKey;
  /** Per-case data keys, wrapped by the master key. */
  dataKeys: DataKeyStore;
  /** Key of the keyed hashes by which identifiers are found. */
  lookupKey: Buffer;
  close(): void;
}

/** Returns the keys folder of a data folder. */
export function keyFolderOf(dataDir: string): string {
  return path.join(dataDir, KEY_FOLDER_NAME);
}

/**
 * Loads the master key (from `EPITRACE_MASTER_KEY`, or the key file in the
 * keys folder, created on first use) and opens the data key store.
 */
export function openFieldKeys(
  dataDir: string,
  env: Record<string, string | undefined> = process.env,
): FieldKeys {
  const master = loadMasterKey(masterKeySource(dataDir, env));
  const dataKeys = new DataKeyStore(
    path.join(keyFolderOf(dataDir), DATA_KEY_FILE_NAME),
    master,
  );
  return {
    master,
    dataKeys,
    lookupKey: deriveLookupKey(master),
    close: () => dataKeys.close(),
  };
}
