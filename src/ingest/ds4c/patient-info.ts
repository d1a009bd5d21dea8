import { findProvince } from "../../domain/index.js";
import type { CaseStatus } from "../../store/index.js";
import type { FlagCount, RejectionCollector } from "../report.js";
import type { CsvRow } from "./csv.js";
import { FieldReader } from "./fields.js";

export const PATIENT_INFO_FILE = "PatientInfo.csv";

export const PATIENT_INFO_COLUMNS = [
  "patient_id",
  "sex",
  "birth_year",
  "country",
  "province",
  "city",
  "infection_case",
  "infected_by",
  "contact_number",
  "symptom_onset_date",
  "confirmed_date",
  "released_date",
  "deceased_date",
  "state",
] as const;

/** One confirmed patient of PatientInfo.csv, validated. */
export interface Ds4cPatient {
  rowNumber: number;
  patientId: string;
  sex: string | null;
  birthYear: number | null;
  country: string | null;
  /** Province as written in the file, such as "Seoul". */
  province: string;
  /** KOSTAT code of that province: the jurisdiction of the case. */
  provinceCode: string;
  city: string | null;
  infectionCase: string | null;
  infectedBy: string | null;
  contactCount: number | null;
  symptomOnsetDate: string | null;
  confirmedDate: string | null;
  releasedDate: string | null;
  deceasedDate: string | null;
  state: string | null;
  status: CaseStatus;
  closedDate: string | null;
  /** Names of the checks the row failed without being rejected, such as `birth_year_implausible`. */
  flags: string[];
}

/** Reads the patients, rejecting invalid rows and repeated patient ids. */
export function parsePatients(
  rows: readonly CsvRow[],
  rejections: RejectionCollector,
): Map<string, Ds4cPatient> {
  const patients = new Map<string, Ds4cPatient>();
  for (const row of rows) {
    const fields = new FieldReader(PATIENT_INFO_FILE, row, rejections);
    const patient = parsePatient(fields, row.rowNumber);
    if (patient === undefined || !fields.isValid) {
      continue;
    }
    if (patients.has(patient.patientId)) {
      fields.reject(
        "patient_id",
        "duplicate_patient_id",
        "Each patient_id may appear on one row. Remove or renumber the repeated row.",
      );
      continue;
    }
    patients.set(patient.patientId, patient);
  }
  return patients;
}

/**
 * Bounds beyond which a number is kept out of the store (stored as null)
 * and the case flagged. The 2020-06-01 release has a birth_year of 11997 and
 * two contact_number values that are patient ids, and its largest real
 * contact count is 1,160.
 */
const BIRTH_YEAR_MIN = 1900;
const CONTACT_COUNT_MAX = 100_000;

function parsePatient(
  fields: FieldReader,
  rowNumber: number,
): Ds4cPatient | undefined {
  const patientId = readPatientId(fields, "patient_id");
  const provinceText = fields.requiredText(
    "province",
    "Give the province of the case, such as Seoul or Gyeonggi-do.",
  );
  const province =
    provinceText === null ? undefined : findProvince(provinceText);
  if (provinceText !== null && province === undefined) {
    fields.reject(
      "province",
      "province_unknown",
      "Use one of the 17 province names as DS4C writes them (Seoul, Busan, ..., Gyeonggi-do, Jeju-do), a Korean name or a KOSTAT code.",
    );
  }

  const dates = {
    symptomOnsetDate: fields.date("symptom_onset_date"),
    confirmedDate: fields.date("confirmed_date"),
    releasedDate: fields.date("released_date"),
    deceasedDate: fields.date("deceased_date"),
  };
  const state = fields.text("state");
  const flags: string[] = [];
  const common = {
    sex: fields.text("sex"),
    birthYear: keepIfWithin(
      fields.wholeNumber("birth_year"),
      BIRTH_YEAR_MIN,
      new Date().getUTCFullYear(),
      "birth_year_implausible",
      flags,
    ),
    country: fields.text("country"),
    city: fields.text("city"),
    infectionCase: fields.text("infection_case"),
    infectedBy: fields.text("infected_by"),
    contactCount: keepIfWithin(
      fields.wholeNumber("contact_number"),
      0,
      CONTACT_COUNT_MAX,
      "contact_count_implausible",
      flags,
    ),
  };
  if (patientId === null || provinceText === null || province === undefined) {
    return undefined;
  }

  return {
    rowNumber,
    patientId,
    province: provinceText,
    provinceCode: province.code,
    ...common,
    ...dates,
    state,
    ...caseStatusOf(state, dates.releasedDate, dates.deceasedDate),
    flags,
  };
}

function keepIfWithin(
  value: number | null,
  min: number,
  max: number,
  flag: string,
  flags: string[],
): number | null {
  if (value === null || (value >= min && value <= max)) {
    return value;
  }
  flags.push(flag);
  return null;
}

/** Reads a DS4C patient id: digits only (10 in the releases, with a province prefix). */
export function readPatientId(
  fields: FieldReader,
  field: string,
): string | null {
  const value = fields.requiredText(
    field,
    "Give the patient_id of the patient.",
  );
  if (value !== null && !/^\d+$/.test(value)) {
    fields.reject(
      field,
      "patient_id_format",
      "A DS4C patient_id is digits only, such as 1000000013.",
    );
    return null;
  }
  return value;
}

/**
 * Closes a case once the patient was released or died: by the state or by
 * either date. The closing date is the death date if known, else the release
 * date, else null (the state alone does not say when).
 */
function caseStatusOf(
  state: string | null,
  releasedDate: string | null,
  deceasedDate: string | null,
): { status: CaseStatus; closedDate: string | null } {
  const isClosed =
    state === "released" ||
    state === "deceased" ||
    releasedDate !== null ||
    deceasedDate !== null;
  return {
    status: isClosed ? "closed" : "open",
    closedDate: deceasedDate ?? releasedDate,
  };
}

/** Counts the patients whose fields disagree with each other, for the report. */
export function flagPatients(
  patients: ReadonlyMap<string, Ds4cPatient>,
): FlagCount[] {
  let closedWithoutDate = 0;
  let isolatedWithEndDate = 0;
  let infectorNotInRelease = 0;
  const rowFlags = new Map<string, number>();
  for (const patient of patients.values()) {
    patient.flags.forEach((flag) =>
      rowFlags.set(flag, (rowFlags.get(flag) ?? 0) + 1),
    );
    const hasEndDate =
      patient.releasedDate !== null || patient.deceasedDate !== null;
    if (patient.status === "closed" && !hasEndDate) {
      closedWithoutDate++;
    }
    if (patient.state === "isolated" && hasEndDate) {
      isolatedWithEndDate++;
    }
    if (patient.infectedBy !== null && !patients.has(patient.infectedBy)) {
      infectorNotInRelease++;
    }
  }

  return [
    caseFlag(
      "closed_without_date",
      closedWithoutDate,
      "state released or deceased with no date, so the case is closed with closed_date null",
    ),
    caseFlag(
      "isolated_with_end_date",
      isolatedWithEndDate,
      "state isolated but a released or deceased date is given, so the case is closed on that date",
    ),
    caseFlag(
      "infected_by_not_in_release",
      infectorNotInRelease,
      "infected_by names a patient_id that is not in PatientInfo.csv, kept as given",
    ),
    caseFlag(
      "birth_year_implausible",
      rowFlags.get("birth_year_implausible") ?? 0,
      `birth_year before ${BIRTH_YEAR_MIN} or in the future, stored as null`,
    ),
    caseFlag(
      "contact_count_implausible",
      rowFlags.get("contact_count_implausible") ?? 0,
      `contact_number above ${CONTACT_COUNT_MAX.toLocaleString("en-US")}, stored as null`,
    ),
  ].filter((flag) => flag.records > 0);
}

function caseFlag(flag: string, count: number, description: string): FlagCount {
  return { flag, description, records: count, rows: count };
}
