import path from "node:path";

import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openStore } from "../../store/index.js";
import { runCliChild } from "./child-run.js";
import { writeSyntheticAnswer } from "./synthetic.js";
import { TemporaryFolder } from "./test-support.js";

const folder = new TemporaryFolder();

beforeAll(() => folder.create());
afterAll(() => folder.remove());

const HEADER =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator";

/**
 * Imports `file` with the command line in a child process, with or
 * without the scan thread, and returns the stored records.
 */
async function importAndRead(
  file: string,
  thread: boolean,
  extraArgs: string[] = [],
): Promise<{ rows: unknown[]; stdout: string }> {
  const dataDir = path.join(folder.path, `store-${thread}-${Math.random()}`);
  const run = await runCliChild(
    ["import", file, "--kind", "base-station", ...extraArgs],
    dataDir,
    { EPITRACE_IMPORT_THREAD: thread ? "1" : "0" },
  );
  expect(run.stderr).not.toMatch(/failed/);
  expect(run.exitCode).toBe(0);
  return { rows: await readRecords(dataDir), stdout: run.stdout };
}

/** Returns the stored records as the view shows them, without ids and persons, in a stable order. */
async function readRecords(dataDir: string): Promise<unknown[]> {
  const store = await openStore({ dataDir });
  try {
    const result = await sql`
      select started_at, ended_at, latitude, longitude, radius_meters,
             address, province_code, municipality_code, flags, source_rows, details
      from location_records_all
      order by details, started_at, source_rows`.execute(store.db);
    return result.rows;
  } finally {
    await store.close();
  }
}

describe("the scan thread of a base-station import", () => {
  it("matches the one-thread import", async () => {
    const file = path.join(folder.path, "answer.csv");
    await writeSyntheticAnswer(file, { phones: 6, rowsPerPhone: 500, days: 2 });
    const alone = await importAndRead(file, false);
    const threaded = await importAndRead(file, true);
    expect(alone.rows).toHaveLength(3_000);
    expect(threaded.rows).toEqual(alone.rows);
  });

  it("out-of-order file with a rejected row", async () => {
    const file = await folder.write(
      "mixed.csv",
      `${HEADER}\n` +
        "010-1111-2222,2024-03-05T14:10:00+09:00,C2,,37.5670,126.979,300,SKT\n" +
        "010-1111-2222,2024-03-05T14:00:00+09:00,C1,,37.5665,126.978,300,SKT\n" +
        "010-1111-2222,2024-03-05T14:20:00+09:00,C1,,126.978,37.5665,300,SKT\n" +
        "010-3333-4444,2024-03-05T15:00:00+09:00,C3,,37.55,126.99,,KT\n",
    );
    const args = [
      "--skip-invalid",
      "--rejected-file",
      path.join(folder.path, "rejected.csv"),
    ];
    const alone = await importAndRead(file, false, args);
    const threaded = await importAndRead(file, true, args);
    expect(alone.rows).toHaveLength(3);
    expect(threaded.rows).toEqual(alone.rows);
    expect(threaded.stdout).toMatch(/rejected 1/);
  });
});

describe("a scan thread out of memory", () => {
  it("falls back to the staging database", async () => {
    const file = path.join(folder.path, "small-heap.csv");
    await writeSyntheticAnswer(file, { phones: 3, rowsPerPhone: 200, days: 1 });
    const alone = await importAndRead(file, false);
    const dataDir = path.join(folder.path, "store-small-heap");
    const run = await runCliChild(
      ["import", file, "--kind", "base-station"],
      dataDir,
      { EPITRACE_IMPORT_THREAD: "1", EPITRACE_IMPORT_THREAD_HEAP_MIB: "2" },
    );
    expect(run.stderr).not.toMatch(/failed|out of memory/i);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("locationRecords: 600");
    expect(await readRecords(dataDir)).toEqual(alone.rows);
  });
});
