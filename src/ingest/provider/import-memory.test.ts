import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openStore } from "../../store/index.js";
import { runCliChild } from "./child-run.js";
import { writeSyntheticAnswer } from "./synthetic.js";
import { TemporaryFolder } from "./test-support.js";

const folder = new TemporaryFolder();

beforeAll(() => folder.create());
afterAll(() => folder.remove());

/** Peak resident memory allowed for an import of any size. */
const MAX_RSS_BYTES = 300 * 2 ** 20;

describe("epitrace import of a large answer", () => {
  it("stays under 300 MiB of memory", { timeout: 300_000 }, async () => {
    const file = path.join(folder.path, "answer.csv");
    const written = await writeSyntheticAnswer(file, {
      phones: 60,
      rowsPerPhone: 2_964,
      days: 13,
    });
    expect(written.rows).toBe(177_840);
    expect(written.bytes).toBeGreaterThan(15 * 2 ** 20);

    const dataDir = path.join(folder.path, "store");
    const run = await runCliChild(
      ["import", file, "--kind", "base-station"],
      dataDir,
    );

    expect(run.stderr).not.toContain("failed");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("personsCreated: 60");
    expect(run.stdout).toContain("locationRecords: 177,840");
    expect(run.maxRssBytes).toBeGreaterThan(0);
    expect(run.maxRssBytes).toBeLessThan(MAX_RSS_BYTES);

    const store = await openStore({ dataDir });
    try {
      const persons = await store.db
        .selectFrom("persons")
        .select(({ fn }) => fn.countAll<number>().as("count"))
        .executeTakeFirstOrThrow();
      expect(Number(persons.count)).toBe(60);
    } finally {
      await store.close();
    }
  });
});
