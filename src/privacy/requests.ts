import type { DataRequest } from "../store/index.js";
import { lookupHashOf, openField, sealField } from "./fields.js";
import type { FieldKeys } from "./keys.js";

/** The identifiers a data request names, in clear text. */
export interface RequestIdentifiers {
  phoneNumber: string | null;
  cardHolder: string | null;
}

/** The stored columns of a request's identifiers. */
export type SealedRequestColumns = Pick<
  DataRequest,
  "phone_number" | "phone_number_hash" | "card_holder" | "card_holder_hash"
>;

/** Encrypts a request's identifiers under the data key of its case. */
export function sealRequestIdentifiers(
  keys: FieldKeys,
  caseId: string,
  requestId: string,
  identifiers: RequestIdentifiers,
): SealedRequestColumns {
  const place = (column: string) => ({
    table: "data_requests",
    column,
    rowId: requestId,
  });
  return {
    phone_number: sealField(
      keys,
      caseId,
      place("phone_number"),
      identifiers.phoneNumber,
    ),
    phone_number_hash: lookupHashOf(keys, "phone", identifiers.phoneNumber),
    card_holder: sealField(
      keys,
      caseId,
      place("card_holder"),
      identifiers.cardHolder,
    ),
    card_holder_hash: lookupHashOf(keys, "card_holder", identifiers.cardHolder),
  };
}

/**
 * Returns a copy of a request row with `phone_number` and `card_holder`
 * decrypted, for the presenters and the upload check that need them.
 * Raises DataKeyMissingError once the case's key is destroyed.
 */
export function openRequestRow(
  keys: FieldKeys,
  request: DataRequest,
): DataRequest {
  const place = (column: string) => ({
    table: "data_requests",
    column,
    rowId: request.id,
  });
  return {
    ...request,
    phone_number: openField(
      keys,
      request.case_id,
      place("phone_number"),
      request.phone_number,
    ),
    card_holder: openField(
      keys,
      request.case_id,
      place("card_holder"),
      request.card_holder,
    ),
  };
}
