import type { Kysely } from "kysely";

import { withCaseAccess, type AccessContext } from "../access/index.js";
import { seoulDateOf } from "../domain/index.js";
import type {
  Database,
  LocationRecord,
  SourceKind,
  Stay,
} from "../store/index.js";

/** Administrative areas of a movement, by code and Korean name. */
export interface MovementArea {
  provinceCode: string | null;
  provinceName: string | null;
  municipalityCode: string | null;
  municipalityName: string | null;
  submunicipalityCode: string | null;
  submunicipalityName: string | null;
}

/** One entry of a case's timeline: a visit as recorded, or a stay detected from fixes. */
export interface Movement {
  id: string;
  type: "visit" | "stay";
  sourceKind: SourceKind;
  /** Seoul calendar date of a visit known only to the day. */
  visitDate: string | null;
  startedAt: number | null;
  endedAt: number | null;
  dwellMinutes: number | null;
  latitude: number | null;
  longitude: number | null;
  radiusMeters: number | null;
  placeName: string | null;
  placeTypes: string[];
  address: string | null;
  area: MovementArea | null;
  flags: string[];
}

/**
 * Lists the movements of a case's person in time order: its visits and
 * the stays detected from its position fixes. Raw fixes are left out.
 */
export function listMovements(
  context: AccessContext,
  caseId: string,
): Promise<Movement[]> {
  return withCaseAccess(context, { action: "movement.view", caseId }, (kase) =>
    loadMovements(context.db, kase.person_id),
  );
}

/** Loads and orders the movements of one person, without access checks. */
export async function loadMovements(
  db: Kysely<Database>,
  personId: string,
): Promise<Movement[]> {
  const records = await db
    .selectFrom("location_records_all")
    .selectAll()
    .where("person_id", "=", personId)
    .where("source_kind", "!=", "gps")
    .execute();
  const stays = await db
    .selectFrom("stays")
    .selectAll()
    .where("person_id", "=", personId)
    .execute();

  const areaNames = await loadAreaNames(db, [...records, ...stays]);
  const movements = [
    ...records.map((record) => visitOf(record, areaNames)),
    ...stays.map((stay) => stayOf(stay, areaNames)),
  ];
  return movements.sort(compareMovements);
}

/**
 * Orders by Seoul day, then puts a visit known only to the day before the
 * timed movements of that day, then by start, then by id.
 */
export function compareMovements(a: Movement, b: Movement): number {
  const dayOrder = dayOf(a).localeCompare(dayOf(b));
  if (dayOrder !== 0) {
    return dayOrder;
  }

  const startA = a.startedAt ?? Number.NEGATIVE_INFINITY;
  const startB = b.startedAt ?? Number.NEGATIVE_INFINITY;
  if (startA !== startB) {
    return startA < startB ? -1 : 1;
  }
  return a.id.localeCompare(b.id, "en", { numeric: true });
}

function dayOf(movement: Movement): string {
  if (movement.visitDate !== null) {
    return movement.visitDate;
  }
  return movement.startedAt === null ? "" : seoulDateOf(movement.startedAt);
}

function visitOf(
  record: LocationRecord,
  areaNames: Map<string, string>,
): Movement {
  const hasInterval = record.started_at !== null && record.ended_at !== null;
  return {
    id: `record-${record.id}`,
    type: "visit",
    sourceKind: record.source_kind,
    visitDate: record.visit_date,
    startedAt: record.started_at,
    endedAt: record.ended_at,
    dwellMinutes: hasInterval
      ? (Number(record.ended_at) - Number(record.started_at)) / 60_000
      : null,
    latitude: record.latitude,
    longitude: record.longitude,
    radiusMeters: record.radius_meters,
    placeName: record.place_name,
    placeTypes: JSON.parse(record.place_types) as string[],
    address: record.address,
    area: areaOf(record, areaNames),
    flags: JSON.parse(record.flags) as string[],
  };
}

function stayOf(stay: Stay, areaNames: Map<string, string>): Movement {
  return {
    id: `stay-${stay.id}`,
    type: "stay",
    sourceKind: stay.source_kind,
    visitDate: null,
    startedAt: stay.started_at,
    endedAt: stay.finished_at,
    dwellMinutes: (stay.finished_at - stay.started_at) / 60_000,
    latitude: stay.latitude,
    longitude: stay.longitude,
    radiusMeters: stay.radius_meters,
    placeName: null,
    placeTypes: [],
    address: null,
    area: areaOf(stay, areaNames),
    flags: [],
  };
}

type AreaCodes = Pick<
  LocationRecord,
  "province_code" | "municipality_code" | "submunicipality_code"
>;

function areaOf(
  codes: AreaCodes,
  areaNames: Map<string, string>,
): MovementArea | null {
  if (codes.province_code === null) {
    return null;
  }
  const nameOf = (code: string | null) =>
    code === null ? null : (areaNames.get(code) ?? null);
  return {
    provinceCode: codes.province_code,
    provinceName: nameOf(codes.province_code),
    municipalityCode: codes.municipality_code,
    municipalityName: nameOf(codes.municipality_code),
    submunicipalityCode: codes.submunicipality_code,
    submunicipalityName: nameOf(codes.submunicipality_code),
  };
}

async function loadAreaNames(
  db: Kysely<Database>,
  labelled: readonly AreaCodes[],
): Promise<Map<string, string>> {
  const codes = new Set<string>();
  for (const item of labelled) {
    for (const code of [
      item.province_code,
      item.municipality_code,
      item.submunicipality_code,
    ]) {
      if (code !== null) {
        codes.add(code);
      }
    }
  }
  if (codes.size === 0) {
    return new Map();
  }

  const rows = await db
    .selectFrom("administrative_areas")
    .select(["code", "name"])
    .where("code", "in", [...codes])
    .execute();
  return new Map(rows.map((row) => [row.code, row.name]));
}
