import type { Kysely } from "kysely";

import type { Database } from "../store/index.js";
import { lookupHashOf } from "./fields.js";
import type { FieldKeys } from "./keys.js";

/** Returns the ids of the persons with this phone number, found by its keyed hash. */
export async function findPersonsByPhoneNumber(
  db: Kysely<Database>,
  keys: FieldKeys,
  phoneNumber: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom("persons")
    .select("id")
    .where("phone_number_hash", "=", lookupHashOf(keys, "phone", phoneNumber))
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Returns the ids of the persons with this card number, found by its keyed
 * hash in `persons` or among their further cards in `person_card_numbers`.
 */
export async function findPersonsByCardNumber(
  db: Kysely<Database>,
  keys: FieldKeys,
  cardNumber: string,
): Promise<string[]> {
  const hash = lookupHashOf(keys, "card", cardNumber);
  const rows = await db
    .selectFrom("persons")
    .select("id")
    .where((eb) =>
      eb.or([
        eb("card_number_hash", "=", hash),
        eb(
          "id",
          "in",
          eb
            .selectFrom("person_card_numbers")
            .select("person_id")
            .where("card_number_hash", "=", hash),
        ),
      ]),
    )
    .execute();
  return rows.map((row) => row.id);
}
