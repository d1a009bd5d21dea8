export { KEY_BYTES, open, seal } from "./aead.js";
export { deriveLookupKey, lookupHash } from "./keyed-hash.js";
export {
  loadMasterKey,
  masterKeyId,
  masterKeySource,
  MASTER_KEY_FILE_NAME,
  type MasterKey,
  type MasterKeySource,
} from "./master-key.js";
export { DATA_KEY_FILE_NAME, DataKeyStore } from "./data-keys.js";
