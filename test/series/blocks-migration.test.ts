import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Migrator, sql } from "kysely";
import { afterAll, expect, it } from "vitest";

import { openStore } from "../../src/store/index.js";
import { migrationProvider } from "../../src/store/migrations/index.js";

const BLOCKS_MIGRATION = "0013-series-blocks";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-blocks-"));

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Rows of the record table before blocks: plain, with an end, merged and flagged. */
const ROWS = [
  [7, 0, 1_709_218_800_000, null, 3, 2, null, null],
  [7, 1, 1_709_219_100_000, 1_709_219_400_000, 4, 3, null, null],
  [7, 2, 1_709_219_700_000, null, 3, 5, "[5,6]", '["implausible_speed"]'],
  [9, 0, 1_709_300_000_000, null, 4, 10, null, null],
] as const;

const COLUMNS =
  "series_id, seq, instant, ended_at, site_id, source_row, source_rows, flags";

it("series blocks migration keeps records", async () => {
  const store = await openStore({ dataDir });
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  try {
    const undone: string[] = [];
    while (!undone.includes(BLOCKS_MIGRATION)) {
      const down = await migrator.migrateDown();
      expect(down.error).toBeUndefined();
      undone.push(...(down.results ?? []).map((r) => r.migrationName));
    }
    const insert = store.sqlite.prepare(
      `INSERT INTO series_records (${COLUMNS}) VALUES (?,?,?,?,?,?,?,?)`,
    );
    // Out of seq order, as rows may have been written.
    for (const row of [ROWS[2], ROWS[0], ROWS[3], ROWS[1]]) {
      insert.run(...row);
    }

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();

    const records = await sql<Record<string, unknown>>`
      select ${sql.raw(COLUMNS)} from series_records
      order by series_id, seq`.execute(store.db);
    expect(records.rows.map((row) => Object.values(row))).toEqual(
      ROWS.map((row) => [...row]),
    );
    const blocks = await sql<Record<string, unknown>>`
      select series_id, first_seq, record_count, first_instant, last_instant
      from series_blocks order by series_id`.execute(store.db);
    expect(blocks.rows).toEqual([
      {
        series_id: 7,
        first_seq: 0,
        record_count: 3,
        first_instant: 1_709_218_800_000,
        last_instant: 1_709_219_700_000,
      },
      {
        series_id: 9,
        first_seq: 0,
        record_count: 1,
        first_instant: 1_709_300_000_000,
        last_instant: 1_709_300_000_000,
      },
    ]);

    const down = await migrator.migrateDown();
    expect(down.error).toBeUndefined();
    const rows = await sql<Record<string, unknown>>`
      select ${sql.raw(COLUMNS)} from series_records
      order by series_id, seq`.execute(store.db);
    expect(rows.rows.map((row) => Object.values(row))).toEqual(
      ROWS.map((row) => [...row]),
    );
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  } finally {
    await store.close();
  }
});
