import { randomUUID } from "node:crypto";

import type { Insertable, Kysely } from "kysely";

import { ensureProvinceHealthOffice } from "../../accounts/organisations.js";
import { areaCodeColumns, type AreaLabeller } from "../../areas/index.js";
import type {
  CaseTable,
  Database,
  NewLocationRecord,
  PersonTable,
} from "../../store/index.js";
import type { ProgressReporter } from "../progress.js";
import { chunk, INSERT_BATCH_ROWS } from "../run-import.js";
import type { Ds4cPatient } from "./patient-info.js";
import type { Ds4cVisit } from "./patient-route.js";

export const DS4C_SOURCE = "ds4c";

/** Everything the DS4C writer needs, inside the import's transaction. */
export interface Ds4cWrite {
  db: Kysely<Database>;
  importId: string;
  patients: ReadonlyMap<string, Ds4cPatient>;
  visits: readonly Ds4cVisit[];
  labeller: AreaLabeller;
  progress: ProgressReporter;
  now: number;
}

/**
 * Stores the patients as persons and cases, and the visits as location
 * records. A patient already stored from another DS4C release is updated
 * in place, and the visits of that release are replaced by these.
 */
export async function writeDs4c(
  write: Ds4cWrite,
): Promise<Record<string, number>> {
  const patients = [...write.patients.values()];
  const offices = await ensureHealthOffices(write.db, patients);
  const existingPersons = await findStoredPersons(write.db, patients);
  const existingCases = await findStoredCases(write.db, patients);

  const personIds = await writePersons(write, patients, existingPersons);
  const caseIds = await writeCases(
    write,
    patients,
    existingCases,
    offices,
    personIds,
  );
  // Runs before the insert, because the new visits also belong to a DS4C import.
  const visitsDeleted = await deleteEarlierVisits(write.db, [
    ...existingPersons.values(),
  ]);
  await insertVisits(write, personIds, caseIds);

  return {
    personsCreated: patients.length - existingPersons.size,
    personsUpdated: existingPersons.size,
    casesCreated: patients.length - existingCases.size,
    casesUpdated: existingCases.size,
    visitsDeleted,
    visitsCreated: write.visits.length,
  };
}

async function ensureHealthOffices(
  db: Kysely<Database>,
  patients: readonly Ds4cPatient[],
): Promise<Map<string, string>> {
  const offices = new Map<string, string>();
  for (const code of new Set(patients.map((patient) => patient.provinceCode))) {
    offices.set(code, (await ensureProvinceHealthOffice(db, code)).id);
  }
  return offices;
}

/** Returns the person id of each patient already stored, by patient id. */
async function findStoredPersons(
  db: Kysely<Database>,
  patients: readonly Ds4cPatient[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const batch of chunk(
    patients.map((p) => p.patientId),
    INSERT_BATCH_ROWS,
  )) {
    const rows = await db
      .selectFrom("persons")
      .select(["id", "source_ref"])
      .where("source", "=", DS4C_SOURCE)
      .where("source_ref", "in", batch)
      .execute();
    rows.forEach((row) => found.set(row.source_ref, row.id));
  }
  return found;
}

/** Returns the stored cases whose case number is a patient id, by case number. */
async function findStoredCases(
  db: Kysely<Database>,
  patients: readonly Ds4cPatient[],
): Promise<Map<string, { id: string; personId: string }>> {
  const found = new Map<string, { id: string; personId: string }>();
  for (const batch of chunk(
    patients.map((p) => p.patientId),
    INSERT_BATCH_ROWS,
  )) {
    const rows = await db
      .selectFrom("cases")
      .select(["id", "case_number", "person_id"])
      .where("case_number", "in", batch)
      .execute();
    rows.forEach((row) =>
      found.set(row.case_number, { id: row.id, personId: row.person_id }),
    );
  }
  return found;
}

function personFields(patient: Ds4cPatient) {
  return {
    label: `DS4C ${patient.patientId}`,
    sex: patient.sex,
    birth_year: patient.birthYear,
    country: patient.country,
    home_province: patient.province,
    home_city: patient.city,
  };
}

/** Inserts or updates the persons, and returns their ids by patient id. */
async function writePersons(
  write: Ds4cWrite,
  patients: readonly Ds4cPatient[],
  existing: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const personIds = new Map<string, string>();
  const created: Insertable<PersonTable>[] = [];
  for (const patient of patients) {
    const personId = existing.get(patient.patientId);
    if (personId !== undefined) {
      await write.db
        .updateTable("persons")
        .set(personFields(patient))
        .where("id", "=", personId)
        .execute();
      personIds.set(patient.patientId, personId);
      continue;
    }
    const id = randomUUID();
    created.push({
      id,
      name: null,
      source: DS4C_SOURCE,
      source_ref: patient.patientId,
      created_at: write.now,
      ...personFields(patient),
    });
    personIds.set(patient.patientId, id);
  }

  write.progress.start(created.length, "persons");
  for (const batch of chunk(created, INSERT_BATCH_ROWS)) {
    await write.db.insertInto("persons").values(batch).execute();
    write.progress.increment(batch.length);
  }
  write.progress.stop();
  return personIds;
}

function caseFields(patient: Ds4cPatient, organisationId: string, now: number) {
  return {
    organisation_id: organisationId,
    province: patient.province,
    city: patient.city,
    symptom_onset_date: patient.symptomOnsetDate,
    confirmed_date: patient.confirmedDate,
    released_date: patient.releasedDate,
    deceased_date: patient.deceasedDate,
    closed_date: patient.closedDate,
    status: patient.status,
    state: patient.state,
    infection_case: patient.infectionCase,
    infected_by: patient.infectedBy,
    contact_count: patient.contactCount,
    updated_at: now,
  };
}

/**
 * Inserts or updates the cases, registered to the health office of the
 * patient's province, and returns their ids by patient id.
 */
async function writeCases(
  write: Ds4cWrite,
  patients: readonly Ds4cPatient[],
  existing: ReadonlyMap<string, { id: string; personId: string }>,
  offices: ReadonlyMap<string, string>,
  personIds: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const caseIds = new Map<string, string>();
  const created: Insertable<CaseTable>[] = [];
  for (const patient of patients) {
    const personId = personIds.get(patient.patientId)!;
    const fields = caseFields(
      patient,
      offices.get(patient.provinceCode)!,
      write.now,
    );
    const found = existing.get(patient.patientId);
    if (found !== undefined) {
      assertSamePerson(patient, found.personId, personId);
      await write.db
        .updateTable("cases")
        .set(fields)
        .where("id", "=", found.id)
        .execute();
      caseIds.set(patient.patientId, found.id);
      continue;
    }
    const id = randomUUID();
    caseIds.set(patient.patientId, id);
    created.push({
      id,
      case_number: patient.patientId,
      person_id: personId,
      test_date: null,
      isolation_date: null,
      created_at: write.now,
      ...fields,
    });
  }

  write.progress.start(created.length, "cases");
  for (const batch of chunk(created, INSERT_BATCH_ROWS)) {
    await write.db.insertInto("cases").values(batch).execute();
    write.progress.increment(batch.length);
  }
  write.progress.stop();
  return caseIds;
}

function assertSamePerson(
  patient: Ds4cPatient,
  casePersonId: string,
  personId: string,
): void {
  if (casePersonId !== personId) {
    throw new Error(
      `PatientInfo.csv row ${patient.rowNumber}: case number ${patient.patientId} is already used by a case of another person (not DS4C patient ${patient.patientId}). Rename that case before importing.`,
    );
  }
}

/** Deletes the disclosed visits that earlier DS4C imports stored for these persons. */
async function deleteEarlierVisits(
  db: Kysely<Database>,
  personIds: readonly string[],
): Promise<number> {
  let deleted = 0;
  for (const batch of chunk(personIds, INSERT_BATCH_ROWS)) {
    const result = await db
      .deleteFrom("location_records")
      .where("person_id", "in", batch)
      .where("source_kind", "=", "disclosed_visit")
      .where("import_id", "in", (eb) =>
        eb
          .selectFrom("imports")
          .select("imports.id")
          .where("imports.kind", "=", DS4C_SOURCE),
      )
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

async function insertVisits(
  write: Ds4cWrite,
  personIds: ReadonlyMap<string, string>,
  caseIds: ReadonlyMap<string, string>,
): Promise<void> {
  write.progress.start(write.visits.length, "visits");
  for (const batch of chunk(write.visits, INSERT_BATCH_ROWS)) {
    const records = batch.map((visit) =>
      visitRecord(write, visit, {
        personId: personIds.get(visit.patientId)!,
        caseId: caseIds.get(visit.patientId)!,
      }),
    );
    await write.db.insertInto("location_records").values(records).execute();
    write.progress.increment(batch.length);
  }
  write.progress.stop();
}

/** Builds the record of a visit known only to the day: visit_date set, both instants null. */
function visitRecord(
  write: Ds4cWrite,
  visit: Ds4cVisit,
  ids: { personId: string; caseId: string },
): NewLocationRecord {
  return {
    person_id: ids.personId,
    case_id: ids.caseId,
    source_kind: "disclosed_visit",
    import_id: write.importId,
    started_at: null,
    ended_at: null,
    visit_date: visit.date,
    latitude: visit.latitude,
    longitude: visit.longitude,
    radius_meters: null,
    altitude_meters: null,
    place_name: null,
    place_types: JSON.stringify(visit.placeTypes),
    address: null,
    province: visit.province,
    city: visit.city,
    ...areaCodeColumns(write.labeller.label(visit.latitude, visit.longitude)),
    flags: JSON.stringify(visit.flags),
    source_rows: JSON.stringify(visit.sourceRows),
    note: null,
    created_at: write.now,
  };
}
