import {
  DEFAULT_CELL_RADIUS_METERS,
  DEFAULT_CELL_TYPE,
  type ProviderKind,
  type ProviderRecord,
} from "../../ingest/provider/index.js";
import type { CellRecord } from "./base-station-clean.js";
import type { RouteInput } from "./build-route.js";
import type { CardTransaction } from "./card-stays.js";
import type { CheckIn } from "./checkin-stays.js";
import type { GpsFix } from "./gps-stays.js";
import type { VisitEntry } from "./visit-stays.js";

/** A provider record that cannot be placed on the route. */
export interface UnplacedRecord {
  readonly kind: ProviderKind;
  /** `file:row` of the record's first source row. */
  readonly recordId: string;
  readonly reason: string;
}

/** The route input made from provider records, and the records left out. */
export interface RouteRecords {
  readonly input: RouteInput;
  readonly unplaced: readonly UnplacedRecord[];
}

/**
 * Sorts normalised provider records into the input of `buildRoute`. Each
 * input record gets the id `file:row`. A GPS record with an end after its
 * start, or with a date alone, is a place visit of a location history and
 * becomes a visit entry of source `gps`. A check-in or interview record
 * flagged `end_unknown` has no check-out or departure.
 *
 * The provider's `implausible_speed` flag is not used: the base-station
 * stays apply their own check from both neighbours, and the GPS stays take
 * a lone far fix as jitter. Records without a position (an address alone)
 * are returned as unplaced, because geocoding an address needs a service
 * that this pure function does not call.
 */
export function routeInputFromRecords(
  personId: string,
  records: readonly ProviderRecord[],
): RouteRecords {
  const gpsFixes: GpsFix[] = [];
  const cellRecords: CellRecord[] = [];
  const cardTransactions: CardTransaction[] = [];
  const checkIns: CheckIn[] = [];
  const visits: VisitEntry[] = [];
  const unplaced: UnplacedRecord[] = [];

  for (const record of records) {
    const id = `${record.file}:${record.rows[0] ?? 0}`;
    const position = positionOf(record);
    if (position === null) {
      unplaced.push({
        kind: record.kind,
        recordId: id,
        reason:
          "The record has no latitude and longitude; geocode its address first.",
      });
      continue;
    }
    if (!hasUsableTime(record)) {
      unplaced.push({
        kind: record.kind,
        recordId: id,
        reason: "The record has no time of its own, which its kind needs.",
      });
      continue;
    }

    switch (record.kind) {
      case "gps":
        addGpsRecord(record, id, position, gpsFixes, visits);
        break;
      case "base-station":
        cellRecords.push(cellRecordOf(record, id, position));
        break;
      case "card":
        cardTransactions.push(cardTransactionOf(record, id, position));
        break;
      case "checkin":
        checkIns.push(checkInOf(record, id, position));
        break;
      case "interview":
        visits.push(visitOf(record, id, position, "interview"));
        break;
    }
  }

  return {
    input: {
      personId,
      gpsFixes,
      cellRecords,
      cardTransactions,
      checkIns,
      visits,
    },
    unplaced,
  };
}

interface Position {
  readonly latitude: number;
  readonly longitude: number;
}

function positionOf(record: ProviderRecord): Position | null {
  if (record.latitude === null || record.longitude === null) {
    return null;
  }
  return { latitude: record.latitude, longitude: record.longitude };
}

/** Kinds whose records are only placed with an instant, not with a date alone. */
const INSTANT_KINDS: ReadonlySet<ProviderKind> = new Set([
  "base-station",
  "card",
  "checkin",
]);

function hasUsableTime(record: ProviderRecord): boolean {
  if (record.startedAt !== null) {
    return true;
  }
  return record.visitDate !== null && !INSTANT_KINDS.has(record.kind);
}

function addGpsRecord(
  record: ProviderRecord,
  id: string,
  position: Position,
  fixes: GpsFix[],
  visits: VisitEntry[],
): void {
  const isFix =
    record.startedAt !== null &&
    (record.endedAt === null || record.endedAt === record.startedAt);
  if (!isFix) {
    visits.push(visitOf(record, id, position, "gps"));
    return;
  }
  fixes.push({
    id,
    trackedAt: record.startedAt!,
    ...position,
    accuracyMeters: record.radiusMeters,
  });
}

function cellRecordOf(
  record: ProviderRecord,
  id: string,
  position: Position,
): CellRecord {
  const cellId = record.details.cellId;
  return {
    id,
    observedAt: record.startedAt!,
    cellId: typeof cellId === "string" ? cellId : null,
    ...position,
    radiusMeters:
      record.radiusMeters ?? DEFAULT_CELL_RADIUS_METERS[DEFAULT_CELL_TYPE],
  };
}

function cardTransactionOf(
  record: ProviderRecord,
  id: string,
  position: Position,
): CardTransaction {
  const amount = record.details.amountKrw;
  return {
    id,
    paidAt: record.startedAt!,
    merchantName: record.placeName ?? "unnamed merchant",
    businessCategory: record.placeTypes[0] ?? null,
    ...position,
    radiusMeters: record.radiusMeters,
    address: record.address,
    amountKrw: typeof amount === "number" ? amount : null,
  };
}

function checkInOf(
  record: ProviderRecord,
  id: string,
  position: Position,
): CheckIn {
  return {
    id,
    checkedInAt: record.startedAt!,
    checkedOutAt: record.flags.includes("end_unknown") ? null : record.endedAt,
    venueName: record.placeName,
    address: record.address,
    ...position,
    radiusMeters: record.radiusMeters,
  };
}

function visitOf(
  record: ProviderRecord,
  id: string,
  position: Position,
  source: VisitEntry["source"] & string,
): VisitEntry {
  return {
    id,
    source,
    startedAt: record.startedAt,
    endedAt: record.flags.includes("end_unknown") ? null : record.endedAt,
    visitDate: record.visitDate,
    placeName: record.placeName,
    address: record.address,
    ...position,
    radiusMeters: record.radiusMeters,
  };
}
