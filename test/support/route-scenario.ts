import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { ensureProvinceHealthOffice } from "../../src/accounts/organisations.js";
import { offsetPosition } from "../../src/analysis/stays/testing.js";
import { importProviderFiles } from "../../src/ingest/provider/index.js";
import { openFieldKeys, type FieldKeys } from "../../src/privacy/index.js";
import type { RunningSystem } from "../../src/server/index.js";

/** KOSTAT codes of the two offices of the scenario. */
export const SEOUL = "11";
export const BUSAN = "21";

/** Subject ids of the imported persons. */
export const SUBJECTS = {
  case: "010-5550-0001",
  pharmacyVisitor: "010-5550-0002",
  busanDiner: "010-5550-0003",
  cellNeighbour: "010-5550-0004",
  farAway: "010-5550-0005",
} as const;

/** Names that the scenario's records give their places. */
export const PLACES = {
  pharmacy: "온누리약국",
  restaurant: "명동칼국수",
  gallery: "먼곳 갤러리",
} as const;

/** Seoul instant of a clock time on 2024-03-05, such as "09:25". */
export function at(clock: string): string {
  return `2024-03-05T${clock}:00+09:00`;
}

/** Position as CSV latitude and longitude columns, metres east and north of Seoul City Hall. */
function place(eastMeters: number, northMeters: number): string {
  const position = offsetPosition(eastMeters, northMeters);
  return `${position.latitude.toFixed(6)},${position.longitude.toFixed(6)}`;
}

const BUSAN_STATION = "35.115000,129.041000";

/**
 * The case's day on 2024-03-05 in Seoul, by source. Base-station records
 * put it at cell C1 from 09:00 to 11:00, with a record in Busan at 09:25
 * (an impossible speed) and a handover to the neighbouring cell C3 at
 * 09:40, then at cell C5 3 km north from 11:30 to 13:30. It pays at a
 * pharmacy at C1 at 10:15 and at a restaurant at C5 at 12:40, where it
 * checked in at 12:00. A check-in at a gallery 5 km from C5 from 13:00 to
 * 13:20 conflicts with the C5 records.
 */
export const CASE_FILES = {
  "base-station":
    "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n" +
    [
      ["09:00", "C1", place(0, 0)],
      ["09:20", "C1", place(0, 0)],
      ["09:25", "CB", BUSAN_STATION],
      ["09:30", "C1", place(0, 0)],
      ["09:40", "C3", place(550, 0)],
      ["09:45", "C1", place(0, 0)],
      ["10:30", "C1", place(0, 0)],
      ["11:00", "C1", place(0, 0)],
      ["11:30", "C5", place(0, 3000)],
      ["12:00", "C5", place(0, 3000)],
      ["13:00", "C5", place(0, 3000)],
      ["13:30", "C5", place(0, 3000)],
    ]
      .map(
        ([clock, cell, position]) =>
          `${SUBJECTS.case},${at(clock!)},${cell},micro,${position},300,SKT\n`,
      )
      .join(""),
  card:
    "subject,card_number,paid_at,merchant_name,address,business_category,latitude,longitude,amount_krw,card_company\n" +
    `,9430-12**-****-0001,${at("10:15")},${PLACES.pharmacy},,약국,${place(150, 0)},"12,000",신한카드\n` +
    `,9430-12**-****-0001,${at("12:40")},${PLACES.restaurant},,한식,${place(50, 3000)},"9,000",신한카드\n`,
  checkin:
    "subject,venue_id,venue_name,address,latitude,longitude,visit_date,checked_in_at,checked_out_at\n" +
    `${SUBJECTS.case},V-1,${PLACES.restaurant},,${place(50, 3000)},,${at("12:00")},${at("12:45")}\n` +
    `${SUBJECTS.case},V-2,${PLACES.gallery},,${place(5000, 3000)},,${at("13:00")},${at("13:20")}\n`,
} as const;

/** Files of the other persons, who each have one source. */
const OTHER_FILES: readonly {
  person: Exclude<keyof typeof SUBJECTS, "case">;
  subject: string;
  kind: "checkin" | "base-station";
  content: string;
}[] = [
  {
    person: "pharmacyVisitor",
    subject: SUBJECTS.pharmacyVisitor,
    kind: "checkin",
    content:
      "subject,venue_id,venue_name,address,latitude,longitude,visit_date,checked_in_at,checked_out_at\n" +
      `${SUBJECTS.pharmacyVisitor},V-3,${PLACES.pharmacy},,${place(150, 0)},,${at("10:00")},${at("10:30")}\n`,
  },
  {
    person: "busanDiner",
    subject: SUBJECTS.busanDiner,
    kind: "checkin",
    content:
      "subject,venue_id,venue_name,address,latitude,longitude,visit_date,checked_in_at,checked_out_at\n" +
      `${SUBJECTS.busanDiner},V-1,${PLACES.restaurant},,${place(50, 3000)},,${at("12:10")},${at("12:40")}\n`,
  },
  {
    person: "cellNeighbour",
    subject: SUBJECTS.cellNeighbour,
    kind: "base-station",
    content:
      "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n" +
      [
        ["09:00", place(100, 0)],
        ["09:30", place(100, 0)],
        ["10:00", place(100, 0)],
        ["10:30", place(100, 0)],
        ["11:00", place(-9000, 0)],
        ["11:30", place(-9000, 0)],
      ]
        .map(
          ([clock, position]) =>
            `${SUBJECTS.cellNeighbour},${at(clock!)},N1,micro,${position},300,KT\n`,
        )
        .join(""),
  },
  {
    person: "farAway",
    subject: SUBJECTS.farAway,
    kind: "checkin",
    content:
      "subject,venue_id,venue_name,address,latitude,longitude,visit_date,checked_in_at,checked_out_at\n" +
      `${SUBJECTS.farAway},V-4,먼 식당,,${place(10_000, 10_000)},,${at("10:00")},${at("11:00")}\n`,
  },
];

/** The seeded route scenario: a Seoul case with three sources and the persons around it. */
export interface RouteScenario {
  seoulOfficeId: string;
  busanOfficeId: string;
  /** Case of the Seoul office whose route is built. */
  caseId: string;
  busanCaseId: string;
  personIds: Record<keyof typeof SUBJECTS, string>;
}

/**
 * Imports the scenario's provider files through the real provider import,
 * one subject at a time, and registers the Seoul case (onset 2024-03-06,
 * so infectious from 2024-03-04) and a Busan case of the restaurant's
 * other diner.
 */
export async function seedRouteScenario(
  system: RunningSystem & { dataDir: string },
): Promise<RouteScenario> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-route-"));
  const keys = openFieldKeys(system.dataDir);
  const importFile = (file: ImportedFile) =>
    importProviderFile(system, folder, file, keys);
  const personIds: Partial<Record<keyof typeof SUBJECTS, string>> = {};
  try {
    for (const [kind, content] of Object.entries(CASE_FILES)) {
      personIds.case = await importFile({
        subject: SUBJECTS.case,
        kind: kind as keyof typeof CASE_FILES,
        content,
      });
    }
    for (const file of OTHER_FILES) {
      personIds[file.person] = await importFile(file);
    }
  } finally {
    keys.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }

  const db = system.store.db;
  const seoulOffice = await ensureProvinceHealthOffice(db, SEOUL);
  const busanOffice = await ensureProvinceHealthOffice(db, BUSAN);
  const caseId = await insertCase(system, {
    caseNumber: "ROUTE-1",
    personId: personIds.case!,
    organisationId: seoulOffice.id,
    province: "Seoul",
  });
  const busanCaseId = await insertCase(system, {
    caseNumber: "ROUTE-B1",
    personId: personIds.busanDiner!,
    organisationId: busanOffice.id,
    province: "Busan",
  });
  return {
    seoulOfficeId: seoulOffice.id,
    busanOfficeId: busanOffice.id,
    caseId,
    busanCaseId,
    personIds: personIds as Record<keyof typeof SUBJECTS, string>,
  };
}

interface ImportedFile {
  subject: string;
  kind: "base-station" | "card" | "checkin";
  content: string;
}

async function importProviderFile(
  system: RunningSystem,
  folder: string,
  file: ImportedFile,
  keys: FieldKeys,
): Promise<string> {
  const filePath = path.join(folder, `${file.subject}-${file.kind}.csv`);
  fs.writeFileSync(filePath, file.content);
  const { report } = await importProviderFiles(system.store, [filePath], {
    kind: file.kind,
    subject: file.subject,
    keys,
  });
  const record = await system.store.db
    .selectFrom("location_records_all")
    .select("person_id")
    .where("import_id", "=", report.importId!)
    .executeTakeFirstOrThrow();
  return record.person_id;
}

async function insertCase(
  system: RunningSystem,
  spec: {
    caseNumber: string;
    personId: string;
    organisationId: string;
    province: string;
  },
): Promise<string> {
  const id = randomUUID();
  const now = Date.now();
  await system.store.db
    .insertInto("cases")
    .values({
      id,
      case_number: spec.caseNumber,
      person_id: spec.personId,
      organisation_id: spec.organisationId,
      province: spec.province,
      city: null,
      symptom_onset_date: "2024-03-06",
      test_date: null,
      confirmed_date: "2024-03-07",
      isolation_date: "2024-03-07",
      released_date: null,
      deceased_date: null,
      closed_date: null,
      status: "open",
      state: "isolated",
      infection_case: null,
      infected_by: null,
      contact_count: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}
