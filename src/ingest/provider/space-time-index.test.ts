import path from "node:path";

import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from "vitest";

import { openFieldKeys, type FieldKeys } from "../../privacy/index.js";
import { openStore, type Store } from "../../store/index.js";
import { importProviderFiles } from "./import.js";
import { TemporaryFolder } from "./test-support.js";

const folder = new TemporaryFolder();
let store: Store;
let keys: FieldKeys;

beforeAll(() => folder.create());
afterAll(() => folder.remove());

beforeEach(async () => {
  const dataDir = path.join(folder.path, `store-${Math.random()}`);
  store = await openStore({ dataDir });
  keys = openFieldKeys(dataDir, {});
});

afterEach(async () => {
  await store.close();
  keys.close();
});

const HEADER = "subject,tracked_at,latitude,longitude,accuracy_meters";

const TRIGGER_SQL =
  "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'location_records_space_time_insert'";

function indexRows(): unknown[] {
  return store.sqlite
    .prepare("SELECT * FROM location_records_space_time ORDER BY id")
    .all();
}

function triggerSql(): unknown {
  return store.sqlite.prepare(TRIGGER_SQL).pluck().get();
}

describe("space-time index of an import", () => {
  it("holds the rows the record triggers write", async () => {
    const before = triggerSql();
    const first = await folder.write(
      "first.csv",
      `${HEADER}\n` +
        "P-1,2024-03-05T14:30:00+09:00,37.5665,126.978,\n" +
        "P-1,2024-03-05T14:42:10+09:00,37.5701,126.9827,25\n",
    );
    const second = await folder.write(
      "second.csv",
      `${HEADER}\n` +
        "P-2,2024-03-06T09:00:00+09:00,35.1796,129.0756,\n" +
        "P-2,2024-03-06T10:00:00+09:00,35.18,129.08,90\n",
    );
    await importProviderFiles(store, [first], { kind: "gps", keys });
    await importProviderFiles(store, [second], { kind: "gps", keys });
    const imported = indexRows();
    expect(imported).toHaveLength(4);
    expect(triggerSql()).toBe(before);

    // The update trigger deletes each record's row and writes it again
    // from the record, as the insert trigger does.
    store.sqlite.exec("DELETE FROM location_records_space_time");
    store.sqlite.exec("UPDATE location_records SET latitude = latitude");
    expect(indexRows()).toEqual(imported);
  });

  it("keeps the insert trigger when the writing fails", async () => {
    const before = triggerSql();
    const file = await folder.write(
      "orphan.csv",
      `${HEADER}\n` + "P-1,2024-03-05T14:30:00+09:00,37.5665,126.978,\n",
    );
    // No such person: the first record breaks its foreign key.
    await expect(
      importProviderFiles(store, [file], {
        kind: "gps",
        personId: "no-such-person",
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(triggerSql()).toBe(before);
    expect(indexRows()).toEqual([]);
  });
});
