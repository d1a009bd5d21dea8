import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import iconv from "iconv-lite";
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
  findPersonsByCardNumber,
  lookupHashOf,
  openField,
  openFieldKeys,
  openPersonIdentifiers,
  type FieldKeys,
} from "../../privacy/index.js";
import { openStore, type Store } from "../../store/index.js";
import { formatImportReport, ImportValidationError } from "../report.js";
import { importProviderFiles, type ProviderImportOptions } from "./import.js";
import { providerSourceRef } from "./persons.js";
import { REPO_ROOT, TemporaryFolder } from "./test-support.js";

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

/** Imports with the test store's keys. */
function importFiles(
  paths: readonly string[],
  options: Omit<ProviderImportOptions, "keys">,
) {
  return importProviderFiles(store, paths, { ...options, keys });
}

/** Returns the stored location records in id order, with JSON columns parsed. */
async function storedRecords(): Promise<Record<string, unknown>[]> {
  const result = await sql<
    Record<string, unknown>
  >`select * from location_records_all order by id < 0, abs(id)`.execute(
    store.db,
  );
  return result.rows.map((row) => ({
    ...row,
    flags: JSON.parse(row.flags as string),
    source_rows: JSON.parse(row.source_rows as string),
    place_types: JSON.parse(row.place_types as string),
    details: JSON.parse(row.details as string),
  }));
}

const CELLS =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n" +
  "010-1234-5678,2024-03-05T14:42:10+09:00,C2,micro,37.5701,126.9827,250,SKT\n" +
  "010-1234-5678,2024-03-05 14:30:00,C1,,37.5665,126.978,,SKT\n";

const CARD_FULL =
  "card_number,paid_at,merchant_name,latitude,longitude,amount_krw,card_company\n" +
  "9430-1234-5678-9012,2024-03-05T12:10:00+09:00,명동칼국수,37.5625,126.9856,9000,신한카드\n" +
  "9430-1234-5678-9012,2024-03-05T13:10:00+09:00,GS25,37.5625,126.9856,2400,신한카드\n";

/** Returns the paths of the files under `folder`, in sub-folders too. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, {
    recursive: true,
    withFileTypes: true,
  });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe("importProviderFiles", () => {
  it("stores base-station records of one person", async () => {
    const file = await folder.write("cells.csv", CELLS);
    const { report } = await importFiles([file], {
      kind: "base-station",
      subject: "+82 10 1234 5678",
    });

    expect(report.kind).toBe("provider-base-station");
    expect(report.rowsRead).toBe(2);
    expect(report.rowsImported).toBe(2);
    expect(report.records).toEqual({
      personsCreated: 1,
      locationRecords: 2,
      outOfOrderRecords: 1,
    });

    const person = await store.db
      .selectFrom("persons")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({
      source: "provider",
      source_ref: providerSourceRef(keys, "01012345678"),
      label: "Provider *******5678",
      phone_number_hash: lookupHashOf(keys, "phone", "01012345678"),
      card_number: null,
    });
    expect(person.phone_number).toMatch(/^sealed:/);
    expect(openPersonIdentifiers(keys, person).phoneNumber).toBe("01012345678");

    const records = await storedRecords();
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      person_id: person.id,
      case_id: null,
      source_kind: "base_station",
      import_id: report.importId,
      started_at: Date.UTC(2024, 2, 5, 5, 30),
      ended_at: Date.UTC(2024, 2, 5, 5, 30),
      visit_date: null,
      latitude: 37.5665,
      longitude: 126.978,
      radius_meters: 1000,
      flags: ["assumed_zone", "default_radius"],
      source_rows: [2],
      details: {
        cellId: "C1",
        cellType: "macro",
        operator: "SKT",
        phoneLast4: "5678",
      },
    });
    expect(records[1]).toMatchObject({
      started_at: Date.UTC(2024, 2, 5, 5, 42, 10),
      radius_meters: 250,
      flags: [],
      source_rows: [1],
    });
  });

  it("seals a card number once on the person", async () => {
    const file = await folder.write("card-full.csv", CARD_FULL);
    const { report } = await importFiles([file], {
      kind: "card",
      subject: "P-1",
    });
    expect(report.records.locationRecords).toBe(2);

    const person = await store.db
      .selectFrom("persons")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(person.label).toBe("Provider P-1");
    expect(person.card_number).toMatch(/^sealed:/);
    expect(person.card_number_hash).toBe(
      lookupHashOf(keys, "card", "9430123456789012"),
    );
    expect(person.phone_number).toBeNull();
    expect(openPersonIdentifiers(keys, person).cardNumber).toBe(
      "9430123456789012",
    );

    const records = await storedRecords();
    expect(records.map((record) => record.details)).toEqual([
      { cardLast4: "9012", amountKrw: 9000, cardCompany: "신한카드" },
      { cardLast4: "9012", amountKrw: 2400, cardCompany: "신한카드" },
    ]);
    expect(records.map((record) => record.started_at)).toEqual([
      Date.UTC(2024, 2, 5, 3, 10),
      Date.UTC(2024, 2, 5, 4, 10),
    ]);

    await store.close();
    const clear = ["9430123456789012", "9430-1234-5678-9012", "123456789012"];
    for (const stored of await filesUnder(dataDir)) {
      const bytes = await readFile(stored);
      for (const text of clear) {
        expect(bytes.includes(Buffer.from(text)), `${text} in ${stored}`).toBe(
          false,
        );
      }
    }
    store = await openStore({ dataDir });
  });

  it("keeps the first card number of a person", async () => {
    const first = await folder.write("card-first.csv", CARD_FULL);
    const second = await folder.write(
      "card-second.csv",
      CARD_FULL.replaceAll("9430-1234-5678-9012", "5310-9999-8888-7777"),
    );
    await importFiles([first], { kind: "card", subject: "P-1" });
    await importFiles([second], { kind: "card", subject: "P-1" });

    const person = await store.db
      .selectFrom("persons")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(openPersonIdentifiers(keys, person).cardNumber).toBe(
      "9430123456789012",
    );
    const records = await storedRecords();
    expect(
      records.map(
        (record) => (record.details as { cardLast4: string }).cardLast4,
      ),
    ).toEqual(["9012", "9012", "7777", "7777"]);
  });

  it("stores every card number of a person", async () => {
    const twoCards =
      CARD_FULL +
      "5310-9999-8888-7777,2024-03-05T15:00:00+09:00,편의점,37.56,126.98,1200,국민카드\n";
    const thirdCard = CARD_FULL.replace(
      "9430-1234-5678-9012,2024-03-05T12:10",
      "4000-1111-2222-3333,2024-03-06T12:10",
    ).replaceAll("2024-03-05T13", "2024-03-06T13");
    await importFiles([await folder.write("two-cards.csv", twoCards)], {
      kind: "card",
      subject: "P-1",
    });
    await importFiles([await folder.write("third-card.csv", thirdCard)], {
      kind: "card",
      subject: "P-1",
    });

    const person = await store.db
      .selectFrom("persons")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(openPersonIdentifiers(keys, person).cardNumber).toBe(
      "9430123456789012",
    );
    const further = await store.db
      .selectFrom("person_card_numbers")
      .selectAll()
      .orderBy("created_at")
      .execute();
    for (const row of further) {
      expect(row.person_id).toBe(person.id);
      expect(row.card_number).toMatch(/^sealed:/);
      expect(row.key_case_id).toBe(person.key_case_id);
    }
    const opened = further.map((row) =>
      openField(
        keys,
        row.key_case_id!,
        { table: "person_card_numbers", column: "card_number", rowId: row.id },
        row.card_number,
      ),
    );
    expect(opened.sort()).toEqual(["4000111122223333", "5310999988887777"]);
    for (const card of [
      "9430-1234-5678-9012",
      "5310-9999-8888-7777",
      "4000 1111 2222 3333",
    ]) {
      expect(await findPersonsByCardNumber(store.db, keys, card)).toEqual([
        person.id,
      ]);
    }
    expect(
      await findPersonsByCardNumber(store.db, keys, "4000-1111-2222-4444"),
    ).toEqual([]);
  });

  it("adds nothing when imported again", async () => {
    const file = await folder.write("again.csv", CELLS);
    const first = await importFiles([file], { kind: "base-station" });
    const second = await importFiles([file], { kind: "base-station" });

    expect(second.report.skippedAsAlreadyImported).toBe(true);
    expect(second.report.importId).toBe(first.report.importId);
    expect(await storedRecords()).toHaveLength(2);
    const imports = await store.db.selectFrom("imports").select("id").execute();
    expect(imports).toHaveLength(1);
  });

  it("adds nothing for a renamed copy", async () => {
    const file = await folder.write("cells.csv", CELLS);
    const copy = await folder.write("cells (1).csv", CELLS);
    const first = await importFiles([file], { kind: "base-station" });
    const second = await importFiles([copy], { kind: "base-station" });

    expect(second.report.skippedAsAlreadyImported).toBe(true);
    expect(second.report.importId).toBe(first.report.importId);
    expect(formatImportReport(second.report)).toBe(
      `Import provider-base-station: ${copy}\n` +
        `  skipped: the same content was imported before (import ${first.report.importId}); nothing was added`,
    );
    expect(await storedRecords()).toHaveLength(2);
  });

  it("imports the same content for another subject", async () => {
    const file = await folder.write("cells.csv", CELLS);
    await importFiles([file], { kind: "base-station" });
    const again = await importFiles([file], {
      kind: "base-station",
      subject: "010-1234-5678",
    });

    expect(again.report.skippedAsAlreadyImported).toBe(false);
  });

  it("stores nothing when a row is invalid", async () => {
    const file = await folder.write(
      "invalid.csv",
      `${CELLS}010-1234-5678,2024-03-05T15:00:00+09:00,C3,,126.98,37.57,,SKT\n`,
    );
    const attempt = importFiles([file], { kind: "base-station" });

    await expect(attempt).rejects.toThrow(ImportValidationError);
    await expect(attempt).rejects.toThrow(
      "Import provider-base-station of " +
        file +
        " failed: 1 invalid row(s), nothing was stored. " +
        'First: invalid.csv row 3, field latitude: value "126.98" breaks rule coordinates_swapped.',
    );
    expect(await storedRecords()).toEqual([]);
    expect(await store.db.selectFrom("persons").select("id").execute()).toEqual(
      [],
    );
    expect(await store.db.selectFrom("imports").select("id").execute()).toEqual(
      [],
    );
  });

  it("writes rejected rows with skipInvalid", async () => {
    const file = await folder.write(
      "skip.csv",
      `${CELLS}010-1234-5678,"2024-03-05, 15:00",C3,,37.57,126.98,,SKT\n`,
    );
    const rejectedFile = path.join(folder.path, "out", "skip.rejected.csv");
    const result = await importFiles([file], {
      kind: "base-station",
      skipInvalid: true,
      rejectedFile,
    });

    expect(result.rejectedFile).toBe(rejectedFile);
    expect(result.report.rowsRejected).toBe(1);
    expect(await storedRecords()).toHaveLength(2);
    expect(await readFile(rejectedFile, "utf8")).toBe(
      "file,row,field,value,rule,hint\n" +
        'skip.csv,3,observed_at,"2024-03-05, 15:00",time_format,"""2024-03-05, 15:00"" is not a date or time that can be read. ' +
        'Write it as ISO 8601, such as 2024-03-05T14:30:00+09:00, or as 2024-03-05 14:30 in the declared zone."\n',
    );
  });

  it("rejects repeated rows of another subject", async () => {
    // The third row repeats the cell, phone and time form of valid rows
    // before it, so the fast reader takes it without normalising it. It
    // must still be rejected for its subject.
    const rows = [
      "010-1234-5678,2024-03-05T14:00:00+09:00,C1,macro,37.5665,126.978,,SKT",
      "010-9999-0000,2024-03-05T14:10:00+09:00,C1,macro,37.5665,126.978,,SKT",
      "010-9999-0000,2024-03-05T14:20:00+09:00,C1,macro,37.5665,126.978,,SKT",
      "010-1234-5678,2024-03-05T14:30:00+09:00,C1,macro,37.5665,126.978,,SKT",
    ];
    const file = await folder.write(
      "repeated-subject.csv",
      `phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n${rows.join("\n")}\n`,
    );
    const rejectedFile = path.join(folder.path, "out", "repeated.csv");
    const result = await importFiles([file], {
      kind: "base-station",
      subject: "01012345678",
      skipInvalid: true,
      rejectedFile,
    });

    expect(result.report.rowsRejected).toBe(2);
    const rejected = (await readFile(rejectedFile, "utf8")).split("\n");
    expect(rejected[1]).toMatch(
      /^repeated-subject\.csv,2,phone_number,010-9999-0000,subject_mismatch,/,
    );
    expect(rejected[2]).toMatch(
      /^repeated-subject\.csv,3,phone_number,010-9999-0000,subject_mismatch,/,
    );
    const stored = await storedRecords();
    expect(stored.map((record) => record.source_rows)).toEqual([[1], [4]]);
    expect(stored.map((record) => record.started_at)).toEqual([
      Date.UTC(2024, 2, 5, 5, 0),
      Date.UTC(2024, 2, 5, 5, 30),
    ]);
  });

  it("imports the rows after a quote never closed", async () => {
    const file = await folder.write(
      "open-quote.csv",
      `${CELLS}"010-1234-5678,2024-03-05T15:00:00+09:00,C3,,37.57,126.98,,SKT\n` +
        "010-1234-5678,2024-03-05T15:10:00+09:00,C4,,37.58,126.99,,SKT\n",
    );
    const rejectedFile = path.join(folder.path, "out", "open-quote.csv");
    const result = await importFiles([file], {
      kind: "base-station",
      skipInvalid: true,
      rejectedFile,
    });

    expect(result.report.rowsRejected).toBe(1);
    expect(
      (await storedRecords()).map((record) => record.details),
    ).toMatchObject([{ cellId: "C1" }, { cellId: "C2" }, { cellId: "C4" }]);
    const [, rejected] = (await readFile(rejectedFile, "utf8")).split("\n");
    expect(rejected).toMatch(
      /^open-quote\.csv,3,phone_number,.*,unclosed_quote,/,
    );
  });

  it("rejects a row of another subject than --subject", async () => {
    const file = await folder.write(
      "two-phones.csv",
      `${CELLS}010-9999-0000,2024-03-05T15:00:00+09:00,C3,,37.57,126.98,,SKT\n`,
    );
    const attempt = importFiles([file], {
      kind: "base-station",
      subject: "01012345678",
    });
    await expect(attempt).rejects.toThrow(ImportValidationError);
    await expect(attempt).rejects.toMatchObject({
      report: {
        rowsRejected: 1,
        rejected: [
          {
            rule: "subject_mismatch",
            count: 1,
            examples: [
              {
                file: "two-phones.csv",
                row: 3,
                field: "phone_number",
                value: "010-9999-0000",
                rule: "subject_mismatch",
                hint: "phone_number names another subject than the one given (--subject). Remove the rows of other subjects, leave phone_number empty, or import without --subject to give each subject its own person.",
              },
            ],
          },
        ],
      },
    });
    expect(await storedRecords()).toEqual([]);
    expect(await store.db.selectFrom("persons").select("id").execute()).toEqual(
      [],
    );
  });

  it("refuses an unreadable file and stores nothing", async () => {
    const good = await folder.write("good-cells.csv", CELLS);
    const empty = await folder.write("empty-cells.csv", "");
    const attempt = importFiles([good, empty], { kind: "base-station" });
    await expect(attempt).rejects.toThrow(
      "empty-cells.csv is empty. Export the data again with a header line and at least one row. Nothing was stored.",
    );
    expect(await storedRecords()).toEqual([]);
  });

  it("stores a CP949 visitor list as its UTF-8 original", async () => {
    const list =
      "방문일자,입장시간,퇴장시간,업소명,주소\n" +
      "2020-05-02,23:40,02:10,똠양꿍 하우스,서울특별시 용산구 이태원로 123\n" +
      "2020-05-03,오후 12:05,오후 1:00,뷁 분식,서울특별시 중구 명동길 14\n";
    const utf8 = await folder.write("list.csv", list);
    const cp949 = await folder.write(
      "list-cp949.csv",
      iconv.encode(list, "cp949"),
    );

    await importFiles([utf8], {
      kind: "checkin",
      subject: "visitor-utf8",
    });
    await importFiles([cp949], {
      kind: "checkin",
      subject: "visitor-cp949",
    });
    const columns = (record: Record<string, unknown>) => {
      const {
        id: _id,
        person_id: _person,
        import_id: _import,
        created_at: _created,
        ...rest
      } = record;
      return rest;
    };
    const records = await storedRecords();
    expect(records).toHaveLength(4);
    expect(records.slice(2).map(columns)).toEqual(
      records.slice(0, 2).map(columns),
    );
    expect(
      records
        .slice(0, 2)
        .map((record) => [
          record.place_name,
          record.started_at,
          record.ended_at,
          record.flags,
        ]),
    ).toEqual([
      [
        "똠양꿍 하우스",
        Date.UTC(2020, 4, 2, 14, 40),
        Date.UTC(2020, 4, 2, 17, 10),
        ["assumed_zone", "end_next_day"],
      ],
      [
        "뷁 분식",
        Date.UTC(2020, 4, 3, 3, 5),
        Date.UTC(2020, 4, 3, 4, 0),
        ["assumed_zone"],
      ],
    ]);
  });

  it("imports the coronamap Takeout file", async () => {
    const file = path.resolve(
      REPO_ROOT,
      "../shared/data/korea-covid/coronamap/coronamap.site-output.takeout.json",
    );
    const { report } = await importFiles([file], {
      kind: "gps",
      subject: "coronamap.site",
    });

    expect(report.rowsRead).toBe(943);
    expect(report.rowsImported).toBe(943);
    expect(report.records).toEqual({
      personsCreated: 1,
      locationRecords: 869,
      outOfOrderRecords: 776,
    });
    expect(report.merged.map((entry) => [entry.reason, entry.count])).toEqual([
      ["exact_duplicate", 74],
    ]);
    const counts = await sql<{ records: number; dated: number; rows: number }>`
      select count(*) as records,
             sum(case when visit_date is not null and started_at is null then 1 else 0 end) as dated,
             sum(json_array_length(source_rows)) as rows
      from location_records_all`.execute(store.db);
    expect(counts.rows[0]).toEqual({ records: 869, dated: 869, rows: 943 });
  });

  it("imports the DS4C routes of each patient", async () => {
    const file = path.resolve(
      REPO_ROOT,
      "../shared/data/korea-covid/ds4c-early-20200319/routes.csv",
    );
    const { report } = await importFiles([file], {
      kind: "interview",
      dateFormat: "M/D/YY",
      skipInvalid: true,
      rejectedFile: path.join(folder.path, "routes.rejected.csv"),
    });

    const persons = await sql<{ persons: number; labelled: number }>`
      select count(*) as persons,
             sum(case when label like 'Provider %' then 1 else 0 end) as labelled
      from persons`.execute(store.db);
    expect(persons.rows[0]!.persons).toBe(report.records.personsCreated);
    expect(persons.rows[0]!.labelled).toBe(report.records.personsCreated);
    expect(report.records.personsCreated).toBeGreaterThan(100);
    const perPerson = await sql<{ people: number }>`
      select count(distinct person_id) as people from location_records_all`.execute(
      store.db,
    );
    expect(perPerson.rows[0]!.people).toBe(report.records.personsCreated);
  });

  it("imports one DS4C patient's Seoul routes", async () => {
    const source = await readFile(
      path.resolve(
        REPO_ROOT,
        "../shared/data/korea-covid/ds4c-early-20200319/seoul_routes.csv",
      ),
      "utf8",
    );
    const [header, ...lines] = source.split(/\r?\n/);
    const patientLines = lines.filter((line) => line.startsWith("7851,"));
    const file = await folder.write(
      "seoul-7851.csv",
      `${[header, ...patientLines].join("\n")}\n`,
    );
    const { report } = await importFiles([file], {
      kind: "interview",
      subject: "7851",
      dateFormat: "M/D/YY",
      skipInvalid: true,
      rejectedFile: path.join(folder.path, "seoul-7851.rejected.csv"),
    });

    expect(report.rowsRead).toBe(16);
    expect(report.rowsRejected).toBe(10);
    expect(report.rowsImported).toBe(6);
    // Two of the six rows differ only in the type column, which interview
    // files do not read, so they merge as exact duplicates.
    expect(report.records).toEqual({ personsCreated: 1, locationRecords: 5 });
    const stored = await storedRecords();
    expect(
      stored.filter(
        (record) =>
          (record.details as Record<string, unknown>).lastVisitDate !==
          undefined,
      ),
    ).toHaveLength(3);
  });
});
