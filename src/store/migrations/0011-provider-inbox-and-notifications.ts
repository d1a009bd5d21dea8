import { PostgresAdapter, sql, type Kysely } from "kysely";

/**
 * Lets a provider upload an answer file by hand (an upload then has a user
 * in place of an API key), records when a request's answers reached the
 * person's route, adds the notifications of the web app, adds exposure
 * requests with the subscriber lists that answer them, and lets a
 * provider API key be bound to a client certificate.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await makeUploadKeyOptional(db);
  await db.schema
    .alterTable("data_request_uploads")
    // No foreign key, because SQLite cannot drop a column that has one.
    .addColumn("received_by_user_id", "text")
    .execute();

  await db.schema
    .alterTable("data_requests")
    .addColumn("first_answer_at", "bigint")
    .execute();
  await db.schema
    .alterTable("data_requests")
    .addColumn("answered_at", "bigint")
    .execute();

  await db.schema
    .alterTable("data_requests")
    .addColumn("exposure_place", "text")
    .execute();
  await db.schema
    .alterTable("provider_api_keys")
    .addColumn("client_cert_sha256", "text")
    .execute();
  await db.schema
    .createTable("exposure_subscribers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("request_id", "text", (c) =>
      c.notNull().references("data_requests.id"),
    )
    .addColumn("part_id", "text", (c) =>
      c.notNull().references("data_request_parts.id"),
    )
    .addColumn("upload_id", "text", (c) => c.notNull())
    .addColumn("phone_number", "text")
    .addColumn("first_seen_at", "bigint", (c) => c.notNull())
    .addColumn("last_seen_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("linked_person_id", "text", (c) => c.references("persons.id"))
    .addColumn("linked_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("exposure_subscribers_request_index")
    .on("exposure_subscribers")
    .columns(["request_id", "first_seen_at"])
    .execute();

  await db.schema
    .createTable("notifications")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("recipient_user_id", "text", (c) =>
      c.notNull().references("users.id"),
    )
    .addColumn("organisation_id", "text", (c) =>
      c.notNull().references("organisations.id"),
    )
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("request_id", "text", (c) => c.references("data_requests.id"))
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("read_at", "bigint")
    .execute();
  await db.schema
    .createIndex("notifications_recipient_index")
    .on("notifications")
    .columns(["recipient_user_id", "created_at"])
    .execute();
}

/**
 * Removes what `up` added, except that `received_with_key_id` stays
 * optional. Uploads made by hand lose their user and get an empty key id.
 */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("notifications").execute();
  await db.schema.dropTable("exposure_subscribers").execute();
  await db.schema
    .alterTable("provider_api_keys")
    .dropColumn("client_cert_sha256")
    .execute();
  await db.schema
    .alterTable("data_requests")
    .dropColumn("exposure_place")
    .execute();
  await db.schema
    .alterTable("data_requests")
    .dropColumn("answered_at")
    .execute();
  await db.schema
    .alterTable("data_requests")
    .dropColumn("first_answer_at")
    .execute();
  await db.schema
    .alterTable("data_request_uploads")
    .dropColumn("received_by_user_id")
    .execute();
  await sql`update data_request_uploads set received_with_key_id = '' where received_with_key_id is null`.execute(
    db,
  );
}

/**
 * Drops the not-null rule of `received_with_key_id`. PostgreSQL alters the
 * column; SQLite cannot, so the table is copied into a new one.
 */
async function makeUploadKeyOptional(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema
      .alterTable("data_request_uploads")
      .alterColumn("received_with_key_id", (c) => c.dropNotNull())
      .execute();
    return;
  }

  await db.schema
    .createTable("data_request_uploads_copy")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("request_id", "text", (c) =>
      c.notNull().references("data_requests.id"),
    )
    .addColumn("part_id", "text", (c) =>
      c.notNull().references("data_request_parts.id"),
    )
    .addColumn("provider_organisation_id", "text", (c) =>
      c.notNull().references("organisations.id"),
    )
    .addColumn("data_kind", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("size_bytes", "bigint", (c) => c.notNull())
    .addColumn("record_count", "integer", (c) => c.notNull())
    .addColumn("stored_file", "text", (c) => c.notNull())
    .addColumn("import_id", "text", (c) => c.references("imports.id"))
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("received_at", "bigint", (c) => c.notNull())
    .addColumn("received_with_key_id", "text")
    .addColumn("decided_at", "bigint")
    .addColumn("decided_by", "text")
    .addColumn("decision_reason", "text")
    .execute();
  await sql`insert into data_request_uploads_copy select id, request_id, part_id, provider_organisation_id, data_kind, sha256, size_bytes, record_count, stored_file, import_id, state, received_at, received_with_key_id, decided_at, decided_by, decision_reason from data_request_uploads`.execute(
    db,
  );
  await db.schema.dropTable("data_request_uploads").execute();
  await db.schema
    .alterTable("data_request_uploads_copy")
    .renameTo("data_request_uploads")
    .execute();
  await db.schema
    .createIndex("data_request_uploads_part_index")
    .on("data_request_uploads")
    .columns(["part_id", "sha256"])
    .execute();
}
