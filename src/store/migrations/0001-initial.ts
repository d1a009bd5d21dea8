import type { Kysely } from "kysely";

import { addAutoIncrementId } from "./column-types.js";

/** Creates the tables of the first release. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("organisations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("jurisdiction_code", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) =>
      c.notNull().references("organisations.id"),
    )
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("password_must_change", "integer", (c) =>
      c.notNull().defaultTo(0),
    )
    .addColumn("disabled_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_login_at", "bigint")
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) =>
      c.notNull().references("users.id").onDelete("cascade"),
    )
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_seen_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("persons")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("sex", "text")
    .addColumn("birth_year", "integer")
    .addColumn("country", "text")
    .addColumn("home_province", "text")
    .addColumn("home_city", "text")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("source_ref", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("persons_source_ref_unique", ["source", "source_ref"])
    .execute();

  await db.schema
    .createTable("cases")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("case_number", "text", (c) => c.notNull().unique())
    .addColumn("person_id", "text", (c) => c.notNull().references("persons.id"))
    .addColumn("organisation_id", "text", (c) =>
      c.notNull().references("organisations.id"),
    )
    .addColumn("province", "text")
    .addColumn("city", "text")
    .addColumn("symptom_onset_date", "text")
    .addColumn("test_date", "text")
    .addColumn("confirmed_date", "text")
    .addColumn("isolation_date", "text")
    .addColumn("released_date", "text")
    .addColumn("deceased_date", "text")
    .addColumn("closed_date", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("state", "text")
    .addColumn("infection_case", "text")
    .addColumn("infected_by", "text")
    .addColumn("contact_count", "integer")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("cases_organisation_index")
    .on("cases")
    .columns(["organisation_id", "confirmed_date"])
    .execute();

  await db.schema
    .createTable("case_investigators")
    .addColumn("case_id", "text", (c) =>
      c.notNull().references("cases.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("assigned_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("case_investigators_key", ["case_id", "user_id"])
    .execute();

  await db.schema
    .createTable("imports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("source_name", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("started_at", "bigint", (c) => c.notNull())
    .addColumn("finished_at", "bigint", (c) => c.notNull())
    .addColumn("rows_read", "integer", (c) => c.notNull())
    .addColumn("rows_imported", "integer", (c) => c.notNull())
    .addColumn("report", "text", (c) => c.notNull())
    .addUniqueConstraint("imports_content_unique", ["kind", "sha256"])
    .execute();

  await addAutoIncrementId(db, db.schema.createTable("location_records"))
    .addColumn("person_id", "text", (c) => c.notNull().references("persons.id"))
    .addColumn("case_id", "text", (c) => c.references("cases.id"))
    .addColumn("source_kind", "text", (c) => c.notNull())
    .addColumn("import_id", "text", (c) => c.references("imports.id"))
    .addColumn("started_at", "bigint")
    .addColumn("ended_at", "bigint")
    .addColumn("visit_date", "text")
    .addColumn("latitude", "double precision")
    .addColumn("longitude", "double precision")
    .addColumn("radius_meters", "double precision")
    .addColumn("altitude_meters", "double precision")
    .addColumn("place_name", "text")
    .addColumn("place_types", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("address", "text")
    .addColumn("province", "text")
    .addColumn("city", "text")
    .addColumn("province_code", "text")
    .addColumn("municipality_code", "text")
    .addColumn("submunicipality_code", "text")
    .addColumn("flags", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("source_rows", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("note", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("location_records_person_index")
    .on("location_records")
    .columns(["person_id", "started_at"])
    .execute();

  await addAutoIncrementId(db, db.schema.createTable("stays"))
    .addColumn("person_id", "text", (c) => c.notNull().references("persons.id"))
    .addColumn("source_kind", "text", (c) => c.notNull())
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("started_at", "bigint", (c) => c.notNull())
    .addColumn("finished_at", "bigint", (c) => c.notNull())
    .addColumn("last_fix_at", "bigint", (c) => c.notNull())
    .addColumn("latitude", "double precision", (c) => c.notNull())
    .addColumn("longitude", "double precision", (c) => c.notNull())
    .addColumn("radius_meters", "double precision", (c) => c.notNull())
    .addColumn("fix_count", "integer", (c) => c.notNull())
    .addColumn("province_code", "text")
    .addColumn("municipality_code", "text")
    .addColumn("submunicipality_code", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("stays_person_index")
    .on("stays")
    .columns(["person_id", "started_at"])
    .execute();

  await db.schema
    .createTable("administrative_areas")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_eng", "text")
    .addColumn("parent_code", "text")
    .addColumn("base_year", "text")
    .addColumn("min_longitude", "double precision", (c) => c.notNull())
    .addColumn("min_latitude", "double precision", (c) => c.notNull())
    .addColumn("max_longitude", "double precision", (c) => c.notNull())
    .addColumn("max_latitude", "double precision", (c) => c.notNull())
    .addColumn("geometry", "text", (c) => c.notNull())
    .execute();

  await addAutoIncrementId(db, db.schema.createTable("audit_events"))
    .addColumn("occurred_at", "bigint", (c) => c.notNull())
    .addColumn("actor_user_id", "text")
    .addColumn("actor_username", "text")
    .addColumn("actor_role", "text")
    .addColumn("organisation_id", "text")
    .addColumn("source_address", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("case_id", "text")
    .addColumn("person_id", "text")
    .addColumn("purpose", "text")
    .addColumn("result", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("previous_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("audit_events_person_index")
    .on("audit_events")
    .columns(["person_id", "occurred_at"])
    .execute();
}

/** Drops the tables of the first release, children first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    "audit_events",
    "administrative_areas",
    "stays",
    "location_records",
    "imports",
    "case_investigators",
    "cases",
    "persons",
    "sessions",
    "users",
    "organisations",
  ];
  for (const table of tables) {
    await db.schema.dropTable(table).execute();
  }
}
