import type { Kysely } from "kysely";

/**
 * Adds `person_card_numbers`: the full card numbers of a person beyond the
 * one in `persons.card_number`, each encrypted under the data key of
 * `key_case_id` and found by its keyed hash, as that column is. A person
 * who paid with several cards keeps every one of them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("person_card_numbers")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("person_id", "text", (column) =>
      column.notNull().references("persons.id"),
    )
    .addColumn("card_number", "text", (column) => column.notNull())
    .addColumn("card_number_hash", "text")
    .addColumn("key_case_id", "text")
    .addColumn("created_at", "bigint", (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex("person_card_numbers_person_id")
    .on("person_card_numbers")
    .column("person_id")
    .execute();
  await db.schema
    .createIndex("person_card_numbers_card_number_hash")
    .on("person_card_numbers")
    .column("card_number_hash")
    .execute();
}

/** Removes what `up` added, with the card numbers stored in it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("person_card_numbers").execute();
}
