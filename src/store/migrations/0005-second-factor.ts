import type { Kysely } from "kysely";

/**
 * Adds the TOTP second factor: the secret and its state on each account,
 * the one-time recovery codes, and the instant a session completed its
 * second factor.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("totp_secret", "text")
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("totp_enabled_at", "bigint")
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("totp_last_used_step", "bigint")
    .execute();

  await db.schema
    .alterTable("sessions")
    .addColumn("second_factor_at", "bigint")
    .execute();

  await db.schema
    .createTable("recovery_codes")
    .addColumn("user_id", "text", (c) =>
      c.notNull().references("users.id").onDelete("cascade"),
    )
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .addPrimaryKeyConstraint("recovery_codes_key", ["user_id", "code_hash"])
    .execute();
}

/** Removes what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("recovery_codes").execute();
  await db.schema
    .alterTable("sessions")
    .dropColumn("second_factor_at")
    .execute();
  await db.schema
    .alterTable("users")
    .dropColumn("totp_last_used_step")
    .execute();
  await db.schema.alterTable("users").dropColumn("totp_enabled_at").execute();
  await db.schema.alterTable("users").dropColumn("totp_secret").execute();
}
