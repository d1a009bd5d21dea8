import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { openStore, type Store } from "../../store/index.js";
import { ImportValidationError, type ImportReport } from "../report.js";
import { importDs4c } from "./index.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
const DS4C_0601 = path.resolve(
  REPO_ROOT,
  "../shared/data/korea-covid/ds4c-20200601",
);
const DS4C_0430 = path.resolve(
  REPO_ROOT,
  "../shared/data/korea-covid/ds4c-20200430-official",
);

const openStores: { store: Store; dataDir: string }[] = [];

async function openTempStore(): Promise<Store> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-ds4c-"));
  const store = await openStore({ dataDir });
  openStores.push({ store, dataDir });
  return store;
}

afterEach(async () => {
  for (const { store, dataDir } of openStores.splice(0)) {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

async function countRows(
  store: Store,
  table:
    | "persons"
    | "cases"
    | "location_records"
    | "imports"
    | "organisations"
    | "audit_events",
): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

function mergedCount(report: ImportReport, reason: string): number {
  return report.merged.find((entry) => entry.reason === reason)?.count ?? 0;
}

function flag(report: ImportReport, name: string) {
  return report.flagged.find((entry) => entry.flag === name);
}

describe("importDs4c on the 2020-06-01 release", () => {
  let store: Store;
  let report: ImportReport;

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-ds4c-"));
    store = await openStore({ dataDir });
    report = await importDs4c(store, DS4C_0601);
    return async () => {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
  });

  it("reads every row of both files", () => {
    expect(report.rowsReadBySource["PatientInfo.csv"]).toBe(4004);
    expect(report.rowsReadBySource["PatientRoute.csv"]).toBe(8092);
    expect(report.rowsRead).toBe(12_096);
    expect(report.rowsImported).toBe(12_096);
    expect(report.rowsRejected).toBe(0);
    expect(report.skippedAsAlreadyImported).toBe(false);
  });

  it("merges route rows into visits", async () => {
    expect(mergedCount(report, "exact_duplicate")).toBe(645);
    expect(mergedCount(report, "same_patient_date_position")).toBe(117);
    expect(report.merged.reduce((sum, entry) => sum + entry.count, 0)).toBe(
      762,
    );
    expect(report.records.visitsCreated).toBe(7330);
    expect(await countRows(store, "location_records")).toBe(7330);
  });

  it("stores a person and a case per patient", async () => {
    expect(report.records.personsCreated).toBe(4004);
    expect(report.records.casesCreated).toBe(4004);
    expect(await countRows(store, "persons")).toBe(4004);
    expect(await countRows(store, "cases")).toBe(4004);
  });

  it("flags visits after the confirmed date", async () => {
    const afterConfirmation = flag(report, "after_confirmation");
    expect(afterConfirmation?.records).toBe(96);
    expect(afterConfirmation?.rows).toBe(99);

    const flagged = await store.db
      .selectFrom("location_records")
      .select((eb) => eb.fn.countAll().as("count"))
      .where("flags", "like", '%"after_confirmation"%')
      .executeTakeFirstOrThrow();
    expect(Number(flagged.count)).toBe(96);
  });

  it("flags inconsistent patient rows", () => {
    expect(flag(report, "closed_without_date")?.records).toBe(855);
    expect(flag(report, "isolated_with_end_date")?.records).toBe(12);
    expect(flag(report, "infected_by_not_in_release")?.records).toBe(18);
    expect(flag(report, "birth_year_implausible")?.records).toBe(1);
    expect(flag(report, "contact_count_implausible")?.records).toBe(2);
  });

  it("keeps patient 1000000013's 19 rows as 17 visits", async () => {
    const visits = await store.db
      .selectFrom("location_records")
      .innerJoin("persons", "persons.id", "location_records.person_id")
      .select([
        "location_records.visit_date",
        "location_records.latitude",
        "location_records.place_types",
        "location_records.source_rows",
      ])
      .where("persons.label", "=", "DS4C 1000000013")
      .orderBy("location_records.id")
      .execute();
    expect(visits).toHaveLength(17);

    const rows = visits.flatMap((v) => JSON.parse(v.source_rows) as number[]);
    expect(rows).toHaveLength(19);
    expect([...rows].sort((a, b) => a - b)).toEqual(range(42, 60));

    const pharmacy = visits.find((v) => v.source_rows === "[49,50]");
    expect(pharmacy?.visit_date).toBe("2020-02-08");
    expect(pharmacy?.latitude).toBe(37.5732904);
    expect(pharmacy?.place_types).toBe('["pharmacy","etc"]');

    const duplicate = visits.find((v) => v.source_rows === "[43,59]");
    expect(duplicate?.place_types).toBe('["hospital"]');
  });

  it("stores visits known only to the day", async () => {
    const withInstants = await store.db
      .selectFrom("location_records")
      .select((eb) => eb.fn.countAll().as("count"))
      .where((eb) =>
        eb.or([
          eb("started_at", "is not", null),
          eb("ended_at", "is not", null),
          eb("visit_date", "is", null),
        ]),
      )
      .executeTakeFirstOrThrow();
    expect(Number(withInstants.count)).toBe(0);

    const visit = await store.db
      .selectFrom("location_records")
      .selectAll()
      .where("source_rows", "=", "[1]")
      .executeTakeFirstOrThrow();
    expect(visit).toMatchObject({
      source_kind: "disclosed_visit",
      visit_date: "2020-01-22",
      latitude: 37.6152464,
      longitude: 126.7156325,
      province: "Gyeonggi-do",
      city: "Gimpo-si",
      place_types: '["airport"]',
      place_name: null,
      radius_meters: null,
      flags: "[]",
      import_id: report.importId,
    });
  });

  it("registers each case at its province's health office", async () => {
    const seoul = await store.db
      .selectFrom("cases")
      .innerJoin("organisations", "organisations.id", "cases.organisation_id")
      .select((eb) => eb.fn.countAll().as("count"))
      .where("organisations.name", "=", "Seoul health office")
      .executeTakeFirstOrThrow();
    expect(Number(seoul.count)).toBe(863);
    expect(await countRows(store, "organisations")).toBe(17);
  });

  it("closes released and deceased cases", async () => {
    const byStatus = await store.db
      .selectFrom("cases")
      .select(["status", (eb) => eb.fn.countAll().as("count")])
      .groupBy("status")
      .orderBy("status")
      .execute();
    expect(byStatus.map((row) => [row.status, Number(row.count)])).toEqual([
      ["closed", 2426],
      ["open", 1578],
    ]);

    const first = await findCase(store, "1000000001");
    expect(first).toMatchObject({
      status: "closed",
      confirmed_date: "2020-01-23",
      released_date: "2020-02-05",
      closed_date: "2020-02-05",
      symptom_onset_date: "2020-01-22",
      infection_case: "overseas inflow",
      contact_count: 75,
      province: "Seoul",
      city: "Gangseo-gu",
    });

    const deceased = await findCase(store, "1000000013");
    expect(deceased).toMatchObject({
      status: "closed",
      state: "deceased",
      closed_date: null,
      infected_by: "1000000017",
    });
  });

  it("reads unknown markers as null", async () => {
    const dashContacts = await findCase(store, "1700000034");
    expect(dashContacts?.contact_count).toBeNull();

    const blankOnset = await findCase(store, "1300000021");
    expect(blankOnset?.symptom_onset_date).toBeNull();

    const person = await store.db
      .selectFrom("persons")
      .selectAll()
      .where("source_ref", "=", "1000000013")
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({
      label: "DS4C 1000000013",
      source: "ds4c",
      sex: "male",
      birth_year: 1938,
      country: "Korea",
      home_province: "Seoul",
      home_city: "Jongno-gu",
      name: null,
    });
  });

  it("records the import and one audit event", async () => {
    const imports = await store.db.selectFrom("imports").selectAll().execute();
    expect(imports).toHaveLength(1);
    expect(imports[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(imports[0]?.rows_read).toBe(12_096);

    const events = await store.db
      .selectFrom("audit_events")
      .selectAll()
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.action).toBe("import.ds4c");
    expect(events[0]?.result).toBe("succeeded");
    const detail = JSON.parse(events[0]!.detail) as Record<string, unknown>;
    expect(detail.importId).toBe(report.importId);
    expect(events[0]!.detail).not.toContain("1000000013");
  });
});

async function findCase(store: Store, caseNumber: string) {
  return store.db
    .selectFrom("cases")
    .selectAll()
    .where("case_number", "=", caseNumber)
    .executeTakeFirst();
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe("importDs4c repeated", () => {
  it("adds nothing for the same folder", async () => {
    const store = await openTempStore();
    const first = await importDs4c(store, DS4C_0601);
    const second = await importDs4c(store, DS4C_0601);

    expect(second.skippedAsAlreadyImported).toBe(true);
    expect(second.importId).toBe(first.importId);
    expect(second.rowsRead).toBe(0);
    expect(await countRows(store, "persons")).toBe(4004);
    expect(await countRows(store, "cases")).toBe(4004);
    expect(await countRows(store, "location_records")).toBe(7330);
    expect(await countRows(store, "imports")).toBe(1);
    expect(await countRows(store, "audit_events")).toBe(2);
  });

  it("updates patients from another release", async () => {
    const store = await openTempStore();
    await importDs4c(store, DS4C_0430);
    const newer = await importDs4c(store, DS4C_0601);

    expect(newer.records.personsUpdated).toBe(3388);
    expect(newer.records.personsCreated).toBe(616);
    expect(newer.records.casesUpdated).toBe(3388);
    expect(newer.records.visitsCreated).toBe(7330);
    expect(await countRows(store, "persons")).toBe(4004);
    expect(await countRows(store, "location_records")).toBe(7330);
  });
});

const INFO_HEADER =
  "patient_id,global_num,sex,birth_year,age,country,province,city,disease,infection_case,infection_order,infected_by,contact_number,symptom_onset_date,confirmed_date,released_date,deceased_date,state";
const ROUTE_HEADER =
  "patient_id,global_num,date,province,city,type,latitude,longitude";

function writeRelease(routeLines: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-ds4c-bad-"));
  fs.writeFileSync(
    path.join(dir, "PatientInfo.csv"),
    [
      INFO_HEADER,
      "1000000001,2,male,1964,50s,Korea,Seoul,Gangseo-gu,,overseas inflow,1,,75,2020-01-22,2020-01-23,2020-02-05,,released",
      "1000000002,5,male,1987,30s,Korea,Seoul,Jungnang-gu,,overseas inflow,1,,31,,2020-01-30,,,isolated",
    ].join("\r\n"),
  );
  fs.writeFileSync(
    path.join(dir, "PatientRoute.csv"),
    [ROUTE_HEADER, ...routeLines].join("\r\n"),
  );
  return dir;
}

describe("importDs4c with invalid rows", () => {
  const badRoutes = [
    "1000000001,2,2020-01-22,Gyeonggi-do,Gimpo-si,airport,37.6152464,126.7156325",
    "1000000001,2,2020-02-30,Seoul,Jung-gu,hospital,37.5672412,127.0056589",
    "1000000002,5,2020-01-25,Seoul,Seongbuk-gu,etc,95.5,127.0170483",
    "9999999999,,2020-01-26,Seoul,Seongbuk-gu,store,37.5918099,127.0168219",
  ];

  it("rejects the import and stores nothing", async () => {
    const store = await openTempStore();
    const dir = writeRelease(badRoutes);

    const failure = await importDs4c(store, dir).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ImportValidationError);
    const error = failure as ImportValidationError;
    expect(error.message).toContain("PatientRoute.csv row 2, field date");
    expect(error.message).toContain('"2020-02-30"');

    const examples = error.report.rejected.flatMap((s) => s.examples);
    expect(examples.map((e) => [e.file, e.row, e.field, e.rule])).toEqual([
      ["PatientRoute.csv", 2, "date", "date_format"],
      ["PatientRoute.csv", 3, "latitude", "latitude_range"],
      ["PatientRoute.csv", 4, "patient_id", "unknown_patient"],
    ]);
    expect(examples[1]?.value).toBe("95.5");
    expect(examples[1]?.hint).toContain("-90 to 90");
    expect(error.report.rowsRejected).toBe(3);

    for (const table of [
      "persons",
      "cases",
      "location_records",
      "imports",
      "organisations",
      "audit_events",
    ] as const) {
      expect(await countRows(store, table), table).toBe(0);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("stores the valid rows with skipInvalid", async () => {
    const store = await openTempStore();
    const dir = writeRelease(badRoutes);

    const report = await importDs4c(store, dir, { skipInvalid: true });
    expect(report.rowsRejected).toBe(3);
    expect(report.rowsImported).toBe(3);
    expect(report.records.visitsCreated).toBe(1);
    expect(await countRows(store, "persons")).toBe(2);
    expect(await countRows(store, "location_records")).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("rejects a row with a missing field", async () => {
    const store = await openTempStore();
    const dir = writeRelease([
      "1000000001,2,2020-01-22,Gyeonggi-do,Gimpo-si,airport,37.6152464",
    ]);

    const failure = await importDs4c(store, dir).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ImportValidationError);
    const rejected = (failure as ImportValidationError).report.rejected;
    expect(rejected.map((s) => [s.rule, s.count])).toEqual([
      ["column_count", 1],
    ]);
    expect(rejected[0]?.examples[0]?.row).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("names a missing file", async () => {
    const store = await openTempStore();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-ds4c-empty-"));

    await expect(importDs4c(store, dir)).rejects.toThrow(
      /PatientInfo\.csv.*DS4C release/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
