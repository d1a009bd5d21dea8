import type { Kysely } from "kysely";

import type { Database } from "../store/index.js";
import { SEALED_PREFIX } from "./fields.js";
import type { FieldKeys } from "./keys.js";
import { sealPersonIdentifiers } from "./persons.js";
import { sealRequestIdentifiers } from "./requests.js";

/** Counts of the rows `sealClearFields` encrypted and of those it left. */
export interface ClearFieldsResult {
  personsSealed: number;
  requestsSealed: number;
  /** Persons with a clear name but no case whose key could encrypt it. */
  personsWithoutCase: number;
}

/**
 * Encrypts the names and request identifiers that a store written before
 * field encryption contains in clear text. Safe to run on every start: rows
 * already encrypted are skipped.
 */
export async function sealClearFields(
  db: Kysely<Database>,
  keys: FieldKeys,
): Promise<ClearFieldsResult> {
  const persons = await sealClearPersons(db, keys);
  const requestsSealed = await sealClearRequests(db, keys);
  return { ...persons, requestsSealed };
}

async function sealClearPersons(
  db: Kysely<Database>,
  keys: FieldKeys,
): Promise<Omit<ClearFieldsResult, "requestsSealed">> {
  const rows = await db
    .selectFrom("persons")
    .leftJoin("cases", "cases.person_id", "persons.id")
    .select(["persons.id", "persons.name", "cases.id as case_id"])
    .where("persons.name", "is not", null)
    .where("persons.name", "not like", `${SEALED_PREFIX}%`)
    .execute();

  let personsSealed = 0;
  let personsWithoutCase = 0;
  for (const row of rows) {
    if (row.case_id === null) {
      // NOTE: a person with a clear name and no case keeps the name in
      // clear text, because no case's data key can encrypt it.
      personsWithoutCase += 1;
      continue;
    }
    const sealed = sealPersonIdentifiers(keys, row.case_id, row.id, {
      name: row.name,
      phoneNumber: null,
      cardNumber: null,
    });
    await db
      .updateTable("persons")
      .set({ name: sealed.name, key_case_id: sealed.key_case_id })
      .where("id", "=", row.id)
      .execute();
    personsSealed += 1;
  }
  return { personsSealed, personsWithoutCase };
}

async function sealClearRequests(
  db: Kysely<Database>,
  keys: FieldKeys,
): Promise<number> {
  const rows = await db
    .selectFrom("data_requests")
    .select(["id", "case_id", "phone_number", "card_holder"])
    .where((eb) =>
      eb.or([
        eb("phone_number", "not like", `${SEALED_PREFIX}%`),
        eb("card_holder", "not like", `${SEALED_PREFIX}%`),
      ]),
    )
    .execute();

  for (const row of rows) {
    const clear = (value: string | null) =>
      value === null || value.startsWith(SEALED_PREFIX) ? null : value;
    const sealed = sealRequestIdentifiers(keys, row.case_id, row.id, {
      phoneNumber: clear(row.phone_number),
      cardHolder: clear(row.card_holder),
    });
    await db
      .updateTable("data_requests")
      .set({
        ...(clear(row.phone_number) === null
          ? {}
          : {
              phone_number: sealed.phone_number,
              phone_number_hash: sealed.phone_number_hash,
            }),
        ...(clear(row.card_holder) === null
          ? {}
          : {
              card_holder: sealed.card_holder,
              card_holder_hash: sealed.card_holder_hash,
            }),
      })
      .where("id", "=", row.id)
      .execute();
  }
  return rows.length;
}
