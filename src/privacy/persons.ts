import type { Person, PersonCardNumber } from "../store/index.js";
import { lookupHashOf, openField, sealField } from "./fields.js";
import type { FieldKeys } from "./keys.js";

/** The identifying fields of a person, in clear text. */
export interface PersonIdentifiers {
  name: string | null;
  /** Digits only, such as 01012345678. */
  phoneNumber: string | null;
  cardNumber: string | null;
}

/** The stored columns of a person's identifying fields. */
export type SealedPersonColumns = Pick<
  Person,
  | "name"
  | "phone_number"
  | "phone_number_hash"
  | "card_number"
  | "card_number_hash"
  | "key_case_id"
>;

/** Encrypts a person's identifying fields under the data key of `caseId`. */
export function sealPersonIdentifiers(
  keys: FieldKeys,
  caseId: string,
  personId: string,
  identifiers: PersonIdentifiers,
): SealedPersonColumns {
  const place = (column: string) => ({
    table: "persons",
    column,
    rowId: personId,
  });
  return {
    name: sealField(keys, caseId, place("name"), identifiers.name),
    phone_number: sealField(
      keys,
      caseId,
      place("phone_number"),
      identifiers.phoneNumber,
    ),
    phone_number_hash: lookupHashOf(keys, "phone", identifiers.phoneNumber),
    card_number: sealField(
      keys,
      caseId,
      place("card_number"),
      identifiers.cardNumber,
    ),
    card_number_hash: lookupHashOf(keys, "card", identifiers.cardNumber),
    key_case_id: caseId,
  };
}

/** The stored columns of one row of `person_card_numbers`. */
export type SealedCardNumberColumns = Pick<
  PersonCardNumber,
  "card_number" | "card_number_hash" | "key_case_id"
>;

/**
 * Encrypts a further card number of a person, for the row `rowId` of
 * `person_card_numbers`, under the data key of `caseId`.
 */
export function sealCardNumberRow(
  keys: FieldKeys,
  caseId: string,
  rowId: string,
  cardNumber: string,
): SealedCardNumberColumns {
  const place = { table: "person_card_numbers", column: "card_number", rowId };
  return {
    card_number: sealField(keys, caseId, place, cardNumber)!,
    card_number_hash: lookupHashOf(keys, "card", cardNumber),
    key_case_id: caseId,
  };
}

/**
 * Decrypts a person's identifying fields. A person without `key_case_id`
 * has none. Raises DataKeyMissingError once the case's key is destroyed.
 */
export function openPersonIdentifiers(
  keys: FieldKeys,
  person: Person,
): PersonIdentifiers {
  const caseId = person.key_case_id;
  if (caseId === null) {
    return { name: null, phoneNumber: null, cardNumber: null };
  }
  const place = (column: string) => ({
    table: "persons",
    column,
    rowId: person.id,
  });
  return {
    name: openField(keys, caseId, place("name"), person.name),
    phoneNumber: openField(
      keys,
      caseId,
      place("phone_number"),
      person.phone_number,
    ),
    cardNumber: openField(
      keys,
      caseId,
      place("card_number"),
      person.card_number,
    ),
  };
}

/**
 * Returns a copy of a person row with its identifying fields decrypted
 * into the same columns, for presenters that show them.
 */
export function openPersonRow(keys: FieldKeys, person: Person): Person {
  const identifiers = openPersonIdentifiers(keys, person);
  return {
    ...person,
    name: identifiers.name,
    phone_number: identifiers.phoneNumber,
    card_number: identifiers.cardNumber,
  };
}
