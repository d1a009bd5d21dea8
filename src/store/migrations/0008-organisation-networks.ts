import type { Kysely } from "kysely";

/** Adds the networks from which an organisation's users may sign in. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("organisations")
    .addColumn("allowed_networks", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
}

/** Removes what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("organisations")
    .dropColumn("allowed_networks")
    .execute();
}
