import { writeFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openFieldKeys } from "../../privacy/index.js";
import { openStore } from "../../store/index.js";
import { importProviderFiles } from "./import.js";
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
    // Two stores on one data folder stand for two server instances.
    const first = await openStore({ dataDir });
    const second = await openStore({ dataDir });
    const keys = openFieldKeys(dataDir, {});
    try {
      const options = { kind: "base-station" as const, keys };
      const results = await Promise.all([
        importProviderFiles(first, [file], options),
        importProviderFiles(second, [file], options),
      ]);
      const skipped = results.map(
        (result) => result.report.skippedAsAlreadyImported,
      );
      expect(skipped.sort()).toEqual([false, true]);
      expect(results[0]?.report.importId).toBe(results[1]?.report.importId);

      const stored = await first.db
        .selectFrom("location_records")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .executeTakeFirstOrThrow();
      expect(Number(stored.count)).toBe(2);
    } finally {
      keys.close();
      await first.close();
      await second.close();
    }
  });
});
