import type { Kysely } from "kysely";

import { addAutoIncrementId } from "./column-types.js";

/**
 * Adds the investigators' decisions on the contacts of a case: each
 * confirmation or dismissal with its reason, who made it and when. Rows are
 * only ever added, so a changed decision keeps the earlier ones.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await addAutoIncrementId(db, db.schema.createTable("contact_decisions"))
    .addColumn("case_id", "text", (c) => c.notNull().references("cases.id"))
    .addColumn("person_id", "text", (c) => c.notNull().references("persons.id"))
    .addColumn("decision", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("decided_by_user_id", "text", (c) =>
      c.notNull().references("users.id"),
    )
    .addColumn("decided_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("contact_decisions_case_index")
    .on("contact_decisions")
    .columns(["case_id", "person_id", "decided_at"])
    .execute();
}

/** Removes what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("contact_decisions").execute();
}
