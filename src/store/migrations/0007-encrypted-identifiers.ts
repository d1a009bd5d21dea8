import type { Kysely } from "kysely";

/**
 * Adds the columns of encrypted identifiers: the phone and card numbers of
 * persons with their keyed hashes, the case whose data key encrypts a
 * person's fields, the keyed hashes of data request identifiers, and the
 * instant a case was purged. Values already stored in clear text are
 * encrypted when the server or a command first opens the store with its
 * keys (`sealClearFields`), because a migration has no keys.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of [
    "phone_number",
    "phone_number_hash",
    "card_number",
    "card_number_hash",
    "key_case_id",
  ]) {
    await db.schema.alterTable("persons").addColumn(column, "text").execute();
  }
  await db.schema
    .createIndex("persons_phone_number_hash")
    .on("persons")
    .column("phone_number_hash")
    .execute();
  await db.schema
    .createIndex("persons_card_number_hash")
    .on("persons")
    .column("card_number_hash")
    .execute();
  await db.schema
    .createIndex("persons_key_case_id")
    .on("persons")
    .column("key_case_id")
    .execute();

  for (const column of ["phone_number_hash", "card_holder_hash"]) {
    await db.schema
      .alterTable("data_requests")
      .addColumn(column, "text")
      .execute();
  }
  await db.schema
    .createIndex("data_requests_phone_number_hash")
    .on("data_requests")
    .column("phone_number_hash")
    .execute();

  await db.schema
    .alterTable("cases")
    .addColumn("purged_at", "bigint")
    .execute();
}

/** Removes what `up` added; encrypted values stay encrypted. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("cases").dropColumn("purged_at").execute();
  await db.schema.dropIndex("data_requests_phone_number_hash").execute();
  for (const column of ["card_holder_hash", "phone_number_hash"]) {
    await db.schema.alterTable("data_requests").dropColumn(column).execute();
  }
  for (const index of [
    "persons_key_case_id",
    "persons_card_number_hash",
    "persons_phone_number_hash",
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  for (const column of [
    "key_case_id",
    "card_number_hash",
    "card_number",
    "phone_number_hash",
    "phone_number",
  ]) {
    await db.schema.alterTable("persons").dropColumn(column).execute();
  }
}
