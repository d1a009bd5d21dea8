import type { Kysely } from "kysely";

import { addAutoIncrementId } from "./column-types.js";

/**
 * Adds data requests to providers: the requests, their parts per provider
 * organisation, every state transition, the uploaded answers and the API
 * keys providers authenticate with.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createRequestsTable(db);
  await createPartsTable(db);
  await createTransitionsTable(db);
  await createUploadsTable(db);
  await createApiKeysTable(db);
}

async function createRequestsTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("data_requests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("case_id", "text", (c) => c.notNull().references("cases.id"))
    .addColumn("person_id", "text", (c) => c.notNull().references("persons.id"))
    .addColumn("organisation_id", "text", (c) =>
      c.notNull().references("organisations.id"),
    )
    .addColumn("requested_by_user_id", "text", (c) =>
      c.notNull().references("users.id"),
    )
    .addColumn("phone_number", "text")
    .addColumn("card_holder", "text")
    .addColumn("data_kinds", "text", (c) => c.notNull())
    .addColumn("provider_organisation_ids", "text", (c) => c.notNull())
    .addColumn("window_start_date", "text", (c) => c.notNull())
    .addColumn("window_end_date", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("legal_basis", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("state_entered_at", "bigint", (c) => c.notNull())
    .addColumn("deadline_at", "bigint")
    .addColumn("expires_at", "bigint")
    .addColumn("submitted_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("data_requests_case_index")
    .on("data_requests")
    .columns(["case_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("data_requests_state_index")
    .on("data_requests")
    .columns(["state", "deadline_at"])
    .execute();
}

async function createPartsTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("data_request_parts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("request_id", "text", (c) =>
      c.notNull().references("data_requests.id"),
    )
    .addColumn("provider_organisation_id", "text", (c) =>
      c.notNull().references("organisations.id"),
    )
    .addColumn("forwarded_from_part_id", "text", (c) =>
      c.references("data_request_parts.id"),
    )
    .addColumn("data_kinds", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("state_entered_at", "bigint", (c) => c.notNull())
    .addColumn("deadline_at", "bigint")
    .addColumn("expires_at", "bigint")
    .addColumn("first_pulled_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("data_request_parts_provider_unique", [
      "request_id",
      "provider_organisation_id",
    ])
    .execute();
  await db.schema
    .createIndex("data_request_parts_provider_index")
    .on("data_request_parts")
    .columns(["provider_organisation_id", "state"])
    .execute();
}

async function createTransitionsTable(db: Kysely<unknown>): Promise<void> {
  await addAutoIncrementId(
    db,
    db.schema.createTable("data_request_transitions"),
  )
    .addColumn("request_id", "text", (c) =>
      c.notNull().references("data_requests.id"),
    )
    .addColumn("part_id", "text", (c) => c.references("data_request_parts.id"))
    .addColumn("from_state", "text")
    .addColumn("to_state", "text", (c) => c.notNull())
    .addColumn("actor_user_id", "text")
    .addColumn("actor_name", "text", (c) => c.notNull())
    .addColumn("actor_organisation_id", "text")
    .addColumn("reason", "text")
    .addColumn("occurred_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("data_request_transitions_request_index")
    .on("data_request_transitions")
    .columns(["request_id", "id"])
    .execute();
}

async function createUploadsTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("data_request_uploads")
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
    .addColumn("received_with_key_id", "text", (c) => c.notNull())
    .addColumn("decided_at", "bigint")
    .addColumn("decided_by", "text")
    .addColumn("decision_reason", "text")
    .execute();
  await db.schema
    .createIndex("data_request_uploads_part_index")
    .on("data_request_uploads")
    .columns(["part_id", "sha256"])
    .execute();
}

async function createApiKeysTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("provider_api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) =>
      c.notNull().references("organisations.id"),
    )
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("key_prefix", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_by_user_id", "text", (c) =>
      c.notNull().references("users.id"),
    )
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .addColumn("revoked_by_user_id", "text", (c) => c.references("users.id"))
    .addColumn("last_used_at", "bigint")
    .execute();
}

/** Drops the tables `up` created, children first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    "provider_api_keys",
    "data_request_uploads",
    "data_request_transitions",
    "data_request_parts",
    "data_requests",
  ];
  for (const table of tables) {
    await db.schema.dropTable(table).execute();
  }
}
