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
  /**
   * Instants of records given in no other field, such as the GPS fixes
   * behind `detectedStays`, which show that the person was observed then:
   * a long interval between stays that contains one is a move, not a gap
   * without data.
   */
  readonly otherRecordTimes?: readonly number[];
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
    detectUnlessEmpty(input.gpsFixes, options.gps, (records, settings) =>
      detectGpsStays(personId, records, settings),
    ),
    detectUnlessEmpty(
      input.cellRecords,
      options.baseStation,
      (records, settings) =>
        detectBaseStationStays(personId, records, settings),
    ),
    detectUnlessEmpty(
      input.cardTransactions,
      options.card,
      (records, settings) => detectCardStays(personId, records, settings),
    ),
    detectUnlessEmpty(input.checkIns, options.checkin, (records, settings) =>
      detectCheckinStays(personId, records, settings),
    ),
    detectUnlessEmpty(input.visits, options.visit, (records, settings) =>
      detectVisitStays(personId, records, settings),
    ),
  ];
  const stays: SourceStay[] = [
    ...sources.flatMap((source) => [...source.stays]),
    ...(input.detectedStays ?? []),
  ];
  const excluded = sources
    .flatMap((source) => [...source.excluded])
    .sort((a, b) => a.recordedAt - b.recordedAt);
  const fuseOptions = { ...options.fuse, recordTimes: recordTimesOf(input) };
  return { ...fuseStays(personId, stays, fuseOptions), excluded };
}

/** Returns the instants of the timed records of every source. */
function recordTimesOf(input: RouteInput): number[] {
  return [
    ...(input.otherRecordTimes ?? []),
    ...(input.gpsFixes ?? []).map((fix) => fix.trackedAt),
    ...(input.cellRecords ?? []).map((record) => record.observedAt),
    ...(input.cardTransactions ?? []).map((payment) => payment.paidAt),
    ...(input.checkIns ?? []).map((checkIn) => checkIn.checkedInAt),
  ];
}

const NO_STAYS: SourceStays = { stays: [], excluded: [] };

/**
 * Runs a detector, or returns no stays for no records and default
 * settings, which every detector accepts. A contact search builds the
 * routes of thousands of persons with records of one or two sources, and
 * the detectors of the other sources would only check their defaults.
 */
function detectUnlessEmpty<Record, Options>(
  records: readonly Record[] | undefined,
  options: Options | undefined,
  detect: (
    records: readonly Record[],
    options: Options | undefined,
  ) => SourceStays,
): SourceStays {
  if (
    (records === undefined || records.length === 0) &&
    options === undefined
  ) {
    return NO_STAYS;
  }
  return detect(records ?? [], options);
}
