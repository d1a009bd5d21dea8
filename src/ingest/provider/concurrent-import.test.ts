import { writeFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openFieldKeys } from "../../privacy/index.js";
import { openStore } from "../../store/index.js";
import { runCliChild } from "./child-run.js";
import { TemporaryFolder } from "./test-support.js";

const folder = new TemporaryFolder();

beforeAll(() => folder.create());
afterAll(() => folder.remove());

const FILE_TEXT =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n" +
  "010-1111-2222,2024-03-05T14:00:00+09:00,C1,,37.5665,126.978,300,SKT\n" +
  "010-1111-2222,2024-03-05T14:05:00+09:00,C2,,37.5670,126.979,300,SKT\n";

describe("the same file imported by two processes at once", () => {
  it("stores it once and skips the other", async () => {
    const dataDir = path.join(folder.path, "store");
    const file = path.join(folder.path, "cells.csv");
    await writeFile(file, FILE_TEXT);
    // The store and its keys exist before, as they do under a server.
    const store = await openStore({ dataDir });
    openFieldKeys(dataDir, {}).close();
    try {
      const args = ["import", file, "--kind", "base-station"];
      const runs = await Promise.all([
        runCliChild(args, dataDir),
        runCliChild(args, dataDir),
      ]);
      expect(runs.map((run) => run.exitCode)).toEqual([0, 0]);
      const skipped = runs.filter((run) =>
        /skipped: the same content was imported before/.test(
          run.stdout + run.stderr,
        ),
      );
      expect(skipped).toHaveLength(1);

      const stored = await store.db
        .selectFrom("location_records_all")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .executeTakeFirstOrThrow();
      expect(Number(stored.count)).toBe(2);
      const imports = await store.db
        .selectFrom("imports")
        .select("id")
        .execute();
      expect(imports).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
