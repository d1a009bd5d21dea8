import type {
  CardTransaction,
  CellRecord,
  CheckIn,
  GpsFix,
  RouteInput,
  TimedSourceStay,
  VisitEntry,
} from "../analysis/route/index.js";
import {
  DEFAULT_CELL_RADIUS_METERS,
  DEFAULT_CELL_TYPE,
} from "../ingest/provider/kinds.js";
import type { LocationRecord, Stay as StoredStay } from "../store/index.js";

/** Columns of the view `location_records_all` that a route reads. */
export const ROUTE_RECORD_COLUMNS = [
  "id",
  "person_id",
  "source_kind",
  "started_at",
  "ended_at",
  "visit_date",
  "latitude",
  "longitude",
  "radius_meters",
  "place_name",
  "place_types",
  "address",
  "flags",
  "details",
] as const;

/** A stored location record as a route reads it. */
export type RouteRecordRow = Pick<
  LocationRecord,
  (typeof ROUTE_RECORD_COLUMNS)[number]
>;

/**
 * Sorts the stored location records and detected stays of one person into
 * the input of `buildRoute`, by the rules `routeInputFromRecords` applies
 * to provider files. Source ids are `record-<id>` and `stored-stay-<id>`.
 * Records without a position, and instant records without a time, are
 * left out. The GPS stays that an import detected (`stays` rows) are fused
 * as they are, so raw GPS fixes are only read for a person without them.
 */
export function routeInputOfStored(
  personId: string,
  records: readonly RouteRecordRow[],
  storedStays: readonly StoredStay[],
): RouteInput {
  const gpsFixes: GpsFix[] = [];
  const cellRecords: CellRecord[] = [];
  const cardTransactions: CardTransaction[] = [];
  const checkIns: CheckIn[] = [];
  const visits: VisitEntry[] = [];
  const useFixes = storedStays.length === 0;
  // Fixes whose stays the store keeps still show when the person moved.
  const fixTimes: number[] = [];

  for (const record of records) {
    if (record.latitude === null || record.longitude === null) {
      continue;
    }
    const startedAt =
      record.started_at === null ? null : Number(record.started_at);
    const placed = {
      id: `record-${record.id}`,
      latitude: record.latitude,
      longitude: record.longitude,
    };

    switch (record.source_kind) {
      case "gps":
        if (isFix(record)) {
          if (useFixes) {
            gpsFixes.push({
              id: placed.id,
              latitude: placed.latitude,
              longitude: placed.longitude,
              trackedAt: startedAt!,
              accuracyMeters: record.radius_meters,
            });
          } else {
            fixTimes.push(startedAt!);
          }
        } else {
          visits.push(visitOf(record, placed, "gps"));
        }
        break;
      case "base_station":
        if (startedAt !== null) {
          cellRecords.push(cellRecordOf(record, placed, startedAt));
        }
        break;
      case "card":
        if (startedAt !== null) {
          cardTransactions.push(cardTransactionOf(record, placed, startedAt));
        }
        break;
      case "checkin":
        if (startedAt !== null) {
          checkIns.push(checkInOf(record, placed, startedAt));
        }
        break;
      case "interview":
      case "disclosed_visit":
        if (startedAt !== null || record.visit_date !== null) {
          visits.push(visitOf(record, placed, record.source_kind));
        }
        break;
    }
  }

  return {
    personId,
    gpsFixes,
    cellRecords,
    cardTransactions,
    checkIns,
    visits,
    detectedStays: storedStays.map(sourceStayOfStored),
    otherRecordTimes: fixTimes,
  };
}

/**
 * Id and position of a record. The builders below copy its fields one by
 * one, because on Node.js 20.20 an object literal that spreads another and
 * then adds properties took about 5 µs against well under 1 µs for the
 * same object written out, and a contact search builds one per record.
 */
interface PlacedId {
  readonly id: string;
  readonly latitude: number;
  readonly longitude: number;
}

/** True for a position fix: an instant, as opposed to a place visit of a location history. */
export function isFix(record: RouteRecordRow): boolean {
  return (
    record.started_at !== null &&
    (record.ended_at === null ||
      Number(record.ended_at) === Number(record.started_at))
  );
}

function cellRecordOf(
  record: RouteRecordRow,
  placed: PlacedId,
  observedAt: number,
): CellRecord {
  const cellId = detailsOf(record).cellId;
  return {
    id: placed.id,
    latitude: placed.latitude,
    longitude: placed.longitude,
    observedAt,
    cellId: typeof cellId === "string" ? cellId : null,
    radiusMeters:
      record.radius_meters ?? DEFAULT_CELL_RADIUS_METERS[DEFAULT_CELL_TYPE],
  };
}

function cardTransactionOf(
  record: RouteRecordRow,
  placed: PlacedId,
  paidAt: number,
): CardTransaction {
  const amount = detailsOf(record).amountKrw;
  return {
    id: placed.id,
    latitude: placed.latitude,
    longitude: placed.longitude,
    paidAt,
    merchantName: record.place_name ?? "unnamed merchant",
    businessCategory: placeTypesOf(record)[0] ?? null,
    radiusMeters: record.radius_meters,
    address: record.address,
    amountKrw: typeof amount === "number" ? amount : null,
  };
}

function checkInOf(
  record: RouteRecordRow,
  placed: PlacedId,
  checkedInAt: number,
): CheckIn {
  return {
    id: placed.id,
    latitude: placed.latitude,
    longitude: placed.longitude,
    checkedInAt,
    checkedOutAt: endOf(record),
    venueName: record.place_name,
    address: record.address,
    radiusMeters: record.radius_meters,
  };
}

function visitOf(
  record: RouteRecordRow,
  placed: PlacedId,
  source: "gps" | "interview" | "disclosed_visit",
): VisitEntry {
  return {
    id: placed.id,
    latitude: placed.latitude,
    longitude: placed.longitude,
    source,
    startedAt: record.started_at === null ? null : Number(record.started_at),
    endedAt: endOf(record),
    visitDate: record.started_at === null ? record.visit_date : null,
    placeName: record.place_name,
    address: record.address,
    radiusMeters: record.radius_meters,
  };
}

/** Returns the end of a record, or null when it is unknown (flag `end_unknown`) or absent. */
function endOf(record: RouteRecordRow): number | null {
  if (record.ended_at === null || flagsOf(record).includes("end_unknown")) {
    return null;
  }
  return Number(record.ended_at);
}

/** Converts a GPS stay detected at import into a stay the fusion takes. */
function sourceStayOfStored(stay: StoredStay): TimedSourceStay {
  const startedAt = Number(stay.started_at);
  const lastFixAt = Number(stay.last_fix_at);
  return {
    id: `stored-stay-${stay.id}`,
    personId: stay.person_id,
    source: stay.source_kind,
    startedAt,
    lastFixAt,
    finishedAt: Math.max(lastFixAt, Number(stay.finished_at)),
    observedFrom: startedAt,
    observedTo: lastFixAt,
    timing: "observed",
    latitude: stay.latitude,
    longitude: stay.longitude,
    radiusMeters: stay.radius_meters,
    placeName: null,
    address: null,
    recordIds: [],
  };
}

function detailsOf(record: RouteRecordRow): Record<string, unknown> {
  return parseJson<Record<string, unknown>>(record.details, {});
}

function placeTypesOf(record: RouteRecordRow): string[] {
  return parseJson<string[]>(record.place_types, []);
}

function flagsOf(record: RouteRecordRow): string[] {
  return parseJson<string[]>(record.flags, []);
}

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === "" || text === "[]") {
    return fallback;
  }
  return JSON.parse(text) as T;
}
