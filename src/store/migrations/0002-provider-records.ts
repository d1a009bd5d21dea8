import type { Kysely } from "kysely";

/**
 * Adds `details` to location records: a JSON object of the fields a
 * provider record has beyond the shared columns, such as the cell id and
 * operator of a base-station record or the amount and card company of a
 * card transaction. Card and phone numbers appear only as their last 4
 * digits.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("location_records")
    .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
}

/** Drops `details` from location records. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("location_records")
    .dropColumn("details")
    .execute();
}
