export { KEY_BYTES, open, seal } from "./aead.js";
export { deriveLookupKey, lookupHash } from "./keyed-hash.js";
export {
  generateMasterKey,
  loadMasterKey,
  loadMasterKeyRing,
  writeMasterKeyFile,
  type MasterKeyRing,
  masterKeyId,
  masterKeySource,
  MASTER_KEY_FILE_NAME,
  type MasterKey,
  type MasterKeySource,
} from "./master-key.js";
export {
  DATA_KEY_FILE_NAME,
  DataKeyStore,
  rewrapDataKeys,
  type DataKeyStoreOptions,
} from "./data-keys.js";
