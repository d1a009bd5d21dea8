import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Migrator } from "kysely";
import { afterAll, expect, it } from "vitest";

import { openStore } from "../../src/store/index.js";
import { migrationProvider } from "../../src/store/migrations/index.js";

const MIGRATION = "0014-person-card-numbers";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-migration-"));

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it("card numbers migration goes down and up", async () => {
  const store = await openStore({ dataDir });
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const tableNames = async () =>
    (await store.db.introspection.getTables()).map((table) => table.name);
  try {
    // Later migrations, if any, go down first.
    const undone: string[] = [];
    while (!undone.includes(MIGRATION)) {
      const down = await migrator.migrateDown();
      expect(down.error).toBeUndefined();
      undone.push(...(down.results ?? []).map((r) => r.migrationName));
    }
    expect(await tableNames()).not.toContain("person_card_numbers");

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect(up.results?.map((result) => result.migrationName)).toEqual(
      undone.reverse(),
    );
    const table = (await store.db.introspection.getTables()).find(
      (candidate) => candidate.name === "person_card_numbers",
    );
    expect(table?.columns.map((column) => column.name)).toEqual([
      "id",
      "person_id",
      "card_number",
      "card_number_hash",
      "key_case_id",
      "created_at",
    ]);
  } finally {
    await store.close();
  }
});
