export {
  DataKeyMissingError,
  isSealed,
  lookupHashOf,
  openField,
  sealField,
  SEALED_PREFIX,
  type FieldPlace,
  type LookupKind,
} from "./fields.js";
export {
  KEY_FOLDER_NAME,
  keyFolderOf,
  openFieldKeys,
  type FieldKeys,
} from "./keys.js";
export { findPersonsByCardNumber, findPersonsByPhoneNumber } from "./lookup.js";
export {
  openPersonIdentifiers,
  openPersonRow,
  sealCardNumberRow,
  sealPersonIdentifiers,
  type PersonIdentifiers,
  type SealedCardNumberColumns,
  type SealedPersonColumns,
} from "./persons.js";
export {
  openRequestRow,
  sealRequestIdentifiers,
  type RequestIdentifiers,
  type SealedRequestColumns,
} from "./requests.js";
export { sealClearFields, type ClearFieldsResult } from "./seal-clear.js";
export type { KeyedAccessContext } from "./context.js";
export { maskIdentifier, maskName, maskPhoneNumber } from "./mask.js";
