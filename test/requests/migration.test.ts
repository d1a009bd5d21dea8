import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Migrator } from "kysely";
import { afterAll, expect, it } from "vitest";

import { openStore } from "../../src/store/index.js";
import { migrationProvider } from "../../src/store/migrations/index.js";

const MIGRATION = "0011-provider-inbox-and-notifications";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-migration-"));

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it("inbox migration goes down and up", async () => {
  const store = await openStore({ dataDir });
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  try {
    // Later migrations, if any, go down first.
    const undone: string[] = [];
    while (!undone.includes(MIGRATION)) {
      const down = await migrator.migrateDown();
      expect(down.error).toBeUndefined();
      expect(down.results?.length).toBe(1);
      undone.push(...(down.results ?? []).map((r) => r.migrationName));
    }

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect(up.results?.map((result) => result.migrationName)).toEqual(
      undone.reverse(),
    );
    const columns = await store.db.introspection.getTables();
    const uploads = columns.find((t) => t.name === "data_request_uploads");
    const keyColumn = uploads?.columns.find(
      (c) => c.name === "received_with_key_id",
    );
    expect(keyColumn?.isNullable).toBe(true);
  } finally {
    await store.close();
  }
});
