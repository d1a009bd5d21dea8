import { PostgresAdapter, type CreateTableBuilder, type Kysely } from "kysely";

/** Adds an `id` column that the database numbers itself, in either dialect. */
export function addAutoIncrementId<T extends string>(
  db: Kysely<unknown>,
  table: CreateTableBuilder<T, never>,
): CreateTableBuilder<T, "id"> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return table.addColumn("id", "bigserial", (column) => column.primaryKey());
  }
  return table.addColumn("id", "integer", (column) =>
    column.primaryKey().autoIncrement(),
  );
}
