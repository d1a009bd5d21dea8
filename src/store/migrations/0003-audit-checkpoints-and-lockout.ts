import type { Kysely } from "kysely";

import { addAutoIncrementId } from "./column-types.js";

/** Adds signed audit checkpoints and the counters of failed logins. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await addAutoIncrementId(db, db.schema.createTable("audit_checkpoints"))
    .addColumn("audit_event_id", "bigint", (c) => c.notNull())
    .addColumn("event_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("signature", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable("users")
    .addColumn("failed_login_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("locked_at", "bigint")
    .execute();
}

/** Removes what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("locked_at").execute();
  await db.schema
    .alterTable("users")
    .dropColumn("failed_login_count")
    .execute();
  await db.schema.dropTable("audit_checkpoints").execute();
}
