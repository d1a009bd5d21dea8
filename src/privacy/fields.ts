import { lookupHash, open, seal } from "../crypto/index.js";
import type { FieldKeys } from "./keys.js";

/** Prefix of every encrypted field value, followed by the base64 ciphertext. */
export const SEALED_PREFIX = "sealed:";

/** The table, column and row of an encrypted value, bound to it as associated data. */
export interface FieldPlace {
  table: string;
  column: string;
  rowId: string;
}

/** Kinds of identifiers found by keyed hash. */
export type LookupKind = "phone" | "card" | "card_holder";

/** Raised when a case's data key is gone, so its fields can no longer be decrypted. */
export class DataKeyMissingError extends Error {
  constructor(readonly caseId: string) {
    super(
      `The data key of case ${caseId} is destroyed or missing, so its personal fields cannot be decrypted.`,
    );
    this.name = "DataKeyMissingError";
  }
}

/**
 * Encrypts a field value with AES-256-GCM under the data key of a case
 * (created on first use), bound to its table, column and row. Returns null
 * for null.
 */
export function sealField(
  keys: FieldKeys,
  caseId: string,
  place: FieldPlace,
  value: string | null,
): string | null {
  if (value === null) {
    return null;
  }
  const sealed = seal(
    keys.dataKeys.keyFor(caseId),
    Buffer.from(value, "utf8"),
    associatedDataOf(place),
  );
  return `${SEALED_PREFIX}${sealed.toString("base64")}`;
}

/**
 * Decrypts what `sealField` stored. Raises DataKeyMissingError when the
 * case's data key was destroyed, and an Error when the value is not
 * encrypted or belongs to another place.
 */
export function openField(
  keys: FieldKeys,
  caseId: string,
  place: FieldPlace,
  stored: string | null,
): string | null {
  if (stored === null) {
    return null;
  }
  if (!isSealed(stored)) {
    throw new Error(
      `Field ${place.table}.${place.column} of ${place.rowId} is not encrypted: open the store with its keys once to encrypt clear values.`,
    );
  }
  const key = keys.dataKeys.find(caseId);
  if (key === null) {
    throw new DataKeyMissingError(caseId);
  }
  const sealed = Buffer.from(stored.slice(SEALED_PREFIX.length), "base64");
  return open(key, sealed, associatedDataOf(place)).toString("utf8");
}

/** Returns whether a stored value is in the form `sealField` writes. */
export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

/** Computes the keyed hash of an identifier, or null for null. */
export function lookupHashOf(
  keys: FieldKeys,
  kind: LookupKind,
  value: string | null,
): string | null {
  return value === null ? null : lookupHash(keys.lookupKey, kind, value);
}

function associatedDataOf(place: FieldPlace): string {
  return `${place.table}.${place.column}:${place.rowId}`;
}
