import type { FlagCount, MergeCount, RejectionCollector } from "../report.js";
import type { CsvRow } from "./csv.js";
import { FieldReader } from "./fields.js";
import { readPatientId, type Ds4cPatient } from "./patient-info.js";

export const PATIENT_ROUTE_FILE = "PatientRoute.csv";

export const PATIENT_ROUTE_COLUMNS = [
  "patient_id",
  "date",
  "province",
  "city",
  "type",
  "latitude",
  "longitude",
] as const;

/** One valid row of PatientRoute.csv. */
interface RouteRow {
  rowNumber: number;
  rawKey: string;
  patientId: string;
  date: string;
  province: string | null;
  city: string | null;
  type: string | null;
  latitude: number;
  longitude: number;
}

/**
 * A place a patient visited on a day: the route rows with the same patient,
 * date and position, merged.
 */
export interface Ds4cVisit {
  patientId: string;
  /** Seoul calendar day of the visit; DS4C gives no time of day. */
  date: string;
  latitude: number;
  longitude: number;
  /** Province and city of the first row, as written in the file. */
  province: string | null;
  city: string | null;
  /** Place types of the merged rows in first-seen order, without repeats. */
  placeTypes: string[];
  /** 1-based data row numbers of PatientRoute.csv (header excluded) merged into the visit. */
  sourceRows: number[];
  flags: string[];
}

export interface RouteVisits {
  visits: Ds4cVisit[];
  merged: MergeCount[];
  flagged: FlagCount[];
  rowsImported: number;
}

export const AFTER_CONFIRMATION_FLAG = "after_confirmation";

/** Validates the route rows and merges them into visits, in first-seen order. */
export function parseRouteVisits(
  rows: readonly CsvRow[],
  patients: ReadonlyMap<string, Ds4cPatient>,
  rejections: RejectionCollector,
): RouteVisits {
  const routeRows = rows
    .map((row) => parseRouteRow(row, patients, rejections))
    .filter((row): row is RouteRow => row !== undefined);
  const { visits, merged } = mergeVisits(routeRows);
  const flagged = flagAfterConfirmation(visits, patients);
  return { visits, merged, flagged, rowsImported: routeRows.length };
}

function parseRouteRow(
  row: CsvRow,
  patients: ReadonlyMap<string, Ds4cPatient>,
  rejections: RejectionCollector,
): RouteRow | undefined {
  const fields = new FieldReader(PATIENT_ROUTE_FILE, row, rejections);
  const patientId = readPatientId(fields, "patient_id");
  if (patientId !== null && !patients.has(patientId)) {
    fields.reject(
      "patient_id",
      "unknown_patient",
      "Every route patient_id must be a valid row of PatientInfo.csv. Add the patient there or remove the route row.",
    );
  }
  const date = fields.requiredDate("date");
  const latitude = fields.decimal("latitude", -90, 90, "latitude_range");
  const longitude = fields.decimal("longitude", -180, 180, "longitude_range");
  if (
    !fields.isValid ||
    patientId === null ||
    date === null ||
    latitude === null ||
    longitude === null
  ) {
    return undefined;
  }

  return {
    rowNumber: row.rowNumber,
    rawKey: row.rawKey,
    patientId,
    date,
    province: fields.text("province"),
    city: fields.text("city"),
    type: fields.text("type"),
    latitude,
    longitude,
  };
}

export const EXACT_DUPLICATE = "exact_duplicate";
export const SAME_VISIT_OTHER_FIELDS = "same_patient_date_position";

/**
 * Merges rows with the same patient, date and position (latitude and
 * longitude compared as numbers). A merged row that repeats an earlier row
 * of the visit in every field counts as an exact duplicate. Any other merged
 * row counts under the second reason, and in DS4C each of them has another
 * place type.
 */
function mergeVisits(rows: readonly RouteRow[]): {
  visits: Ds4cVisit[];
  merged: MergeCount[];
} {
  const byKey = new Map<string, { visit: Ds4cVisit; rawKeys: Set<string> }>();
  let exactDuplicates = 0;
  let sameVisitOtherFields = 0;

  for (const row of rows) {
    const key = JSON.stringify([
      row.patientId,
      row.date,
      row.latitude,
      row.longitude,
    ]);
    const entry = byKey.get(key);
    if (entry === undefined) {
      byKey.set(key, {
        visit: startVisit(row),
        rawKeys: new Set([row.rawKey]),
      });
      continue;
    }

    if (entry.rawKeys.has(row.rawKey)) {
      exactDuplicates++;
    } else {
      sameVisitOtherFields++;
      entry.rawKeys.add(row.rawKey);
    }
    addPlaceType(entry.visit, row.type);
    entry.visit.sourceRows.push(row.rowNumber);
  }

  const merged: MergeCount[] = [
    {
      reason: EXACT_DUPLICATE,
      description: "every field repeats an earlier row",
      count: exactDuplicates,
    },
    {
      reason: SAME_VISIT_OTHER_FIELDS,
      description:
        "same patient, date and position as an earlier row, with another place type",
      count: sameVisitOtherFields,
    },
  ];
  return { visits: [...byKey.values()].map((entry) => entry.visit), merged };
}

function startVisit(row: RouteRow): Ds4cVisit {
  const visit: Ds4cVisit = {
    patientId: row.patientId,
    date: row.date,
    latitude: row.latitude,
    longitude: row.longitude,
    province: row.province,
    city: row.city,
    placeTypes: [],
    sourceRows: [row.rowNumber],
    flags: [],
  };
  addPlaceType(visit, row.type);
  return visit;
}

function addPlaceType(visit: Ds4cVisit, type: string | null): void {
  if (type !== null && !visit.placeTypes.includes(type)) {
    visit.placeTypes.push(type);
  }
}

/**
 * Flags the visits dated after the patient's confirmed date (by Seoul
 * calendar day). They are kept, so that an investigator can check them.
 */
function flagAfterConfirmation(
  visits: Ds4cVisit[],
  patients: ReadonlyMap<string, Ds4cPatient>,
): FlagCount[] {
  let records = 0;
  let rows = 0;
  for (const visit of visits) {
    const confirmedDate = patients.get(visit.patientId)?.confirmedDate ?? null;
    if (confirmedDate !== null && visit.date > confirmedDate) {
      visit.flags.push(AFTER_CONFIRMATION_FLAG);
      records++;
      rows += visit.sourceRows.length;
    }
  }
  if (records === 0) {
    return [];
  }
  return [
    {
      flag: AFTER_CONFIRMATION_FLAG,
      description: "visit dated after the patient's confirmed_date, kept",
      records,
      rows,
    },
  ];
}
