import {
  detectBaseStationStays,
  type BaseStationStayOptions,
  type CellRecord,
} from "./base-station-stays.js";
import {
  detectCardStays,
  type CardStayOptions,
  type CardTransaction,
} from "./card-stays.js";
import {
  detectCheckinStays,
  type CheckIn,
  type CheckinStayOptions,
} from "./checkin-stays.js";
import { fuseStays } from "./fuse/fuse.js";
import type { FuseOptions, Route } from "./fuse/types.js";
import {
  detectGpsStays,
  type GpsFix,
  type GpsStayOptions,
} from "./gps-stays.js";
import type { SourceStay, SourceStays } from "./types.js";
import {
  detectVisitStays,
  type VisitEntry,
  type VisitStayOptions,
} from "./visit-stays.js";

/** The records of one person, by source. Every list is optional. */
export interface RouteInput {
  readonly personId: string;
  readonly gpsFixes?: readonly GpsFix[];
  readonly cellRecords?: readonly CellRecord[];
  readonly cardTransactions?: readonly CardTransaction[];
  readonly checkIns?: readonly CheckIn[];
  /** Interview entries, disclosed visits and place visits of location histories. */
  readonly visits?: readonly VisitEntry[];
  /**
   * Stays detected before, such as the GPS stays a store keeps from its
   * import. They are fused as they are, so their ids must differ from the
   * ids the detectors give (`gps-1`, `base-station-1`, ...).
   */
  readonly detectedStays?: readonly SourceStay[];
}

/** Settings of every step of `buildRoute`, each with its own defaults. */
export interface RouteOptions {
  readonly gps?: GpsStayOptions;
  readonly baseStation?: BaseStationStayOptions;
  readonly card?: CardStayOptions;
  readonly checkin?: CheckinStayOptions;
  readonly visit?: VisitStayOptions;
  readonly fuse?: FuseOptions;
}

/**
 * Detects the stays of each source of one person and fuses them into a
 * route (see `fuseStays`). The records that no stay uses, such as
 * base-station outliers and card cancellations, are listed in `excluded`.
 * The input is not modified. Throws a RangeError for an invalid option or
 * record.
 */
export function buildRoute(
  input: RouteInput,
  options: RouteOptions = {},
): Route {
  const personId = input.personId;
  const sources: SourceStays[] = [
    detectGpsStays(personId, input.gpsFixes ?? [], options.gps),
    detectBaseStationStays(
      personId,
      input.cellRecords ?? [],
      options.baseStation,
    ),
    detectCardStays(personId, input.cardTransactions ?? [], options.card),
    detectCheckinStays(personId, input.checkIns ?? [], options.checkin),
    detectVisitStays(personId, input.visits ?? [], options.visit),
  ];
  const stays: SourceStay[] = [
    ...sources.flatMap((source) => [...source.stays]),
    ...(input.detectedStays ?? []),
  ];
  const excluded = sources
    .flatMap((source) => [...source.excluded])
    .sort((a, b) => a.recordedAt - b.recordedAt);
  return { ...fuseStays(personId, stays, options.fuse), excluded };
}
