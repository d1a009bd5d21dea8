import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { sql } from "kysely";
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from "vitest";

import {
  findPersonsByPhoneNumber,
  lookupHashOf,
  openFieldKeys,
  openPersonIdentifiers,
  type FieldKeys,
} from "../../privacy/index.js";
import { openStore, type Store } from "../../store/index.js";
import { importProviderFiles } from "./import.js";
import { providerSourceRef } from "./persons.js";
import { TemporaryFolder } from "./test-support.js";
import { validateProviderFiles } from "./validate.js";

const folder = new TemporaryFolder();
let store: Store;
let keys: FieldKeys;
let dataDir: string;
let storeNumber = 0;

beforeAll(() => folder.create());
afterAll(() => folder.remove());

beforeEach(async () => {
  storeNumber++;
  dataDir = path.join(folder.path, `store-${storeNumber}`);
  store = await openStore({ dataDir });
  keys = openFieldKeys(dataDir, {});
});

afterEach(async () => {
  await store.close();
  keys.close();
});

const HEADER =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n";

/**
 * Two phones, interleaved: the second phone's 14:00 row comes after its
 * 14:10 row, and the first phone's 14:05 row is repeated exactly.
 */
const TWO_PHONES =
  HEADER +
  "010-1111-2222,2024-03-05T14:00:00+09:00,C1,,37.5665,126.978,300,SKT\n" +
  "010-3333-4444,2024-03-05T14:10:00+09:00,C2,,37.5701,126.9827,300,KT\n" +
  "010-1111-2222,2024-03-05T14:05:00+09:00,C3,,37.5670,126.9790,300,SKT\n" +
  "010-3333-4444,2024-03-05T14:00:00+09:00,C4,,37.5600,126.9700,300,KT\n" +
  "+82 10 1111 2222,2024-03-05T14:05:00+09:00,C3,,37.5670,126.9790,300,SKT\n";

interface StoredRow {
  person_id: string;
  started_at: number;
  source_rows: string;
  details: string;
}

async function recordsOf(personId: string): Promise<StoredRow[]> {
  const result = await sql<StoredRow>`
    select person_id, started_at, source_rows, details from location_records_all
    where person_id = ${personId} order by started_at, id`.execute(store.db);
  return result.rows;
}

async function personOf(phone: string) {
  const [id, ...others] = await findPersonsByPhoneNumber(store.db, keys, phone);
  expect(others).toEqual([]);
  return store.db
    .selectFrom("persons")
    .selectAll()
    .where("id", "=", id!)
    .executeTakeFirstOrThrow();
}

/** Returns the bytes of every file of the store, write-ahead log included. */
async function storeBytes(): Promise<Buffer> {
  const names = await readdir(dataDir);
  const files = names.filter((name) => name.startsWith("epitrace.sqlite"));
  return Buffer.concat(
    await Promise.all(files.map((name) => readFile(path.join(dataDir, name)))),
  );
}

describe("multi-subject provider import", () => {
  it("creates one person per phone", async () => {
    const file = await folder.write("two-phones.csv", TWO_PHONES);
    const { report } = await importProviderFiles(store, [file], {
      kind: "base-station",
      keys,
    });

    expect(report.records).toEqual({
      personsCreated: 2,
      locationRecords: 4,
      outOfOrderRecords: 1,
    });
    expect(report.rowsRead).toBe(5);
    expect(report.rowsImported).toBe(5);
    expect(report.merged).toEqual([
      {
        reason: "exact_duplicate",
        description:
          "rows equal in every value to an earlier row of the same file",
        count: 1,
      },
    ]);

    const first = await personOf("01011112222");
    expect(first).toMatchObject({
      label: "Provider *******2222",
      source: "provider",
      source_ref: providerSourceRef(keys, "01011112222"),
      phone_number_hash: lookupHashOf(keys, "phone", "01011112222"),
      name: null,
      card_number: null,
    });
    expect(first.phone_number).toMatch(/^sealed:/);
    expect(first.key_case_id).toBe(`import:${report.importId}`);
    expect(openPersonIdentifiers(keys, first).phoneNumber).toBe("01011112222");

    const second = await personOf("01033334444");
    expect(second.label).toBe("Provider *******4444");
    expect(openPersonIdentifiers(keys, second).phoneNumber).toBe("01033334444");

    expect(await recordsOf(first.id)).toEqual([
      {
        person_id: first.id,
        started_at: Date.UTC(2024, 2, 5, 5, 0),
        source_rows: "[1]",
        details:
          '{"cellId":"C1","cellType":"macro","operator":"SKT","phoneLast4":"2222"}',
      },
      {
        person_id: first.id,
        started_at: Date.UTC(2024, 2, 5, 5, 5),
        source_rows: "[3,5]",
        details:
          '{"cellId":"C3","cellType":"macro","operator":"SKT","phoneLast4":"2222"}',
      },
    ]);
    expect(
      (await recordsOf(second.id)).map((row) => [
        row.started_at,
        row.source_rows,
      ]),
    ).toEqual([
      [Date.UTC(2024, 2, 5, 5, 0), "[4]"],
      [Date.UTC(2024, 2, 5, 5, 10), "[2]"],
    ]);
  });

  it("merges and flags phones that come one by one", async () => {
    // Each phone's rows together and in time order; the second phone
    // starts 30 km from where the first one ended.
    const file = await folder.write(
      "grouped.csv",
      HEADER +
        "010-1111-2222,2024-03-05T14:00:00+09:00,C1,,37.5665,126.978,300,SKT\n" +
        "010-1111-2222,2024-03-05T14:00:00+09:00,C1,,37.5665,126.978,300,SKT\n" +
        "010-1111-2222,2024-03-05T14:01:00+09:00,C9,,37.8500,127.100,300,SKT\n" +
        "010-1111-2222,2024-03-05T14:30:00+09:00,C2,,37.5700,126.980,300,SKT\n" +
        "010-3333-4444,2024-03-05T14:00:30+09:00,C3,,37.3000,127.000,300,KT\n" +
        "010-3333-4444,2024-03-05T14:40:00+09:00,C4,,37.3010,127.001,300,KT\n",
    );
    const { report } = await importProviderFiles(store, [file], {
      kind: "base-station",
      keys,
    });

    expect(report.records).toEqual({ personsCreated: 2, locationRecords: 5 });
    expect(report.merged.map((entry) => entry.count)).toEqual([1]);
    expect(
      report.flagged.map((entry) => [entry.flag, entry.records, entry.rows]),
    ).toEqual([["implausible_speed", 1, 1]]);

    const first = await personOf("01011112222");
    const stored = await sql<{ source_rows: string; flags: string }>`
      select source_rows, flags from location_records_all
      where person_id = ${first.id} order by started_at`.execute(store.db);
    expect(stored.rows).toEqual([
      { source_rows: "[1,2]", flags: "[]" },
      { source_rows: "[3]", flags: '["implausible_speed"]' },
      { source_rows: "[4]", flags: "[]" },
    ]);
    const second = await personOf("01033334444");
    expect((await recordsOf(second.id)).map((row) => row.source_rows)).toEqual([
      "[5]",
      "[6]",
    ]);
  });

  it("stores no phone number in clear", async () => {
    const file = await folder.write("sealed.csv", TWO_PHONES);
    await importProviderFiles(store, [file], { kind: "base-station", keys });
    await store.close();

    const bytes = await storeBytes();
    for (const phone of [
      "01011112222",
      "010-1111-2222",
      "01033334444",
      "010-3333-4444",
    ]) {
      expect(bytes.includes(Buffer.from(phone, "utf8"))).toBe(false);
    }
    expect(bytes.includes(Buffer.from("*******2222", "utf8"))).toBe(true);
    store = await openStore({ dataDir });
  });

  it("finds the persons again on a later import", async () => {
    const first = await folder.write("day-1.csv", TWO_PHONES);
    const second = await folder.write(
      "day-2.csv",
      HEADER +
        "01011112222,2024-03-06T09:00:00+09:00,C9,,37.55,126.99,300,SKT\n" +
        "010-5555-6666,2024-03-06T09:00:00+09:00,C9,,37.55,126.99,300,LGU\n",
    );
    await importProviderFiles(store, [first], { kind: "base-station", keys });
    const { report } = await importProviderFiles(store, [second], {
      kind: "base-station",
      keys,
    });

    expect(report.records).toEqual({ personsCreated: 1, locationRecords: 2 });
    const person = await personOf("01011112222");
    expect((await recordsOf(person.id)).length).toBe(3);
    const persons = await store.db.selectFrom("persons").select("id").execute();
    expect(persons).toHaveLength(3);
  });

  it("says so when the files come again", async () => {
    const file = await folder.write("repeat.csv", TWO_PHONES);
    const first = await importProviderFiles(store, [file], {
      kind: "base-station",
      keys,
    });
    const again = await importProviderFiles(store, [file], {
      kind: "base-station",
      keys,
    });

    expect(again.report.skippedAsAlreadyImported).toBe(true);
    expect(again.report.importId).toBe(first.report.importId);
    const count = await sql<{ n: number }>`
      select count(*) as n from location_records_all`.execute(store.db);
    expect(count.rows[0]!.n).toBe(4);
  });

  it("puts every record on the --subject person", async () => {
    const file = await folder.write(
      "one-phone.csv",
      HEADER +
        "010-1111-2222,2024-03-05T14:00:00+09:00,C1,,37.5665,126.978,300,SKT\n" +
        "+82 10 1111 2222,2024-03-05T14:01:00+09:00,C1,,37.5665,126.978,300,SKT\n",
    );
    const { report } = await importProviderFiles(store, [file], {
      kind: "base-station",
      subject: "01011112222",
      keys,
    });

    expect(report.records).toEqual({ personsCreated: 1, locationRecords: 2 });
    const person = await personOf("01011112222");
    expect(await recordsOf(person.id)).toHaveLength(2);
  });

  it("rejects rows without a subject", async () => {
    const file = await folder.write(
      "blank-subject.csv",
      "subject,tracked_at,latitude,longitude\n" +
        "P-1,2024-03-05T14:00:00+09:00,37.5,127.0\n" +
        ",2024-03-05T14:01:00+09:00,37.5,127.0\n",
    );
    const attempt = importProviderFiles(store, [file], { kind: "gps", keys });

    await expect(attempt).rejects.toMatchObject({
      report: {
        rejected: [
          {
            rule: "missing_subject",
            examples: [
              {
                file: "blank-subject.csv",
                row: 2,
                field: "subject",
                value: "",
                rule: "missing_subject",
                hint: "Fill in subject, or give --subject: every record needs the person it belongs to.",
              },
            ],
          },
        ],
      },
    });
  });
});

describe("validateProviderFiles of several subjects", () => {
  it("sorts over all subjects and counts what it moved", async () => {
    const file = await folder.write("validate-two.csv", TWO_PHONES);
    const validation = await validateProviderFiles([file], {
      kind: "base-station",
    });

    expect(
      validation.records.map((record) => [
        record.subject,
        new Date(record.startedAt!).toISOString(),
        record.rows,
      ]),
    ).toEqual([
      ["01011112222", "2024-03-05T05:00:00.000Z", [1]],
      ["01033334444", "2024-03-05T05:00:00.000Z", [4]],
      ["01011112222", "2024-03-05T05:05:00.000Z", [3, 5]],
      ["01033334444", "2024-03-05T05:10:00.000Z", [2]],
    ]);
    expect(validation.recordCount).toBe(4);
    expect(validation.rowsValid).toBe(5);
    expect(validation.duplicateRowsMerged).toBe(1);
    expect(validation.outOfOrderRecords).toBe(1);
    expect(validation.fileSubjects).toEqual(["01011112222", "01033334444"]);
  });

  it("streams records to onRecord", async () => {
    const file = await folder.write("validate-stream.csv", TWO_PHONES);
    const received: string[] = [];
    const validation = await validateProviderFiles([file], {
      kind: "base-station",
      onRecord: (record) => received.push(record.subject ?? ""),
    });

    expect(validation.records).toEqual([]);
    expect(received).toEqual([
      "01011112222",
      "01033334444",
      "01011112222",
      "01033334444",
    ]);
  });
});
