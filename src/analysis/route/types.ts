import type { DateOnlyStay, TimedStay } from "../stays/index.js";

/** Data sources of a person's route, as the `source` of a stay names them. */
export const ROUTE_SOURCES = [
  "gps",
  "base_station",
  "card",
  "checkin",
  "interview",
  "disclosed_visit",
] as const;
export type RouteSource = (typeof ROUTE_SOURCES)[number];

/**
 * Origin of the times of a stay: `observed` from the records, or
 * `estimated` from a default dwell time around a single instant (a card
 * payment, a check-in without a check-out).
 */
export type StayTiming = "observed" | "estimated";

/** Fields that the stays of every source have beside those of `Stay`. */
interface SourceStayFields {
  /** Name of the place as a record gives it: a merchant, a venue, an interview place. */
  readonly placeName: string | null;
  /** Address of the place as a record gives it; never the address of a cell site. */
  readonly address: string | null;
  /** Ids of the input records behind the stay, in time order. */
  readonly recordIds: readonly string[];
}

/**
 * A timed stay detected from one source. Besides the certain part
 * (`startedAt` to `lastFixAt`) and the possible end (`finishedAt`) of
 * every timed stay, it keeps the span that records observed directly:
 * `startedAt <= observedFrom <= observedTo <= lastFixAt <= finishedAt`.
 * The two spans differ only for estimated timing, such as the dwell that a
 * card payment implies before the payment.
 */
export interface TimedSourceStay extends TimedStay, SourceStayFields {
  readonly source: RouteSource;
  /** First instant observed by a record, in epoch milliseconds. */
  readonly observedFrom: number;
  /** Last instant observed by a record, in epoch milliseconds. */
  readonly observedTo: number;
  readonly timing: StayTiming;
}

/** A stay from one source known only to its Seoul calendar day. */
export interface DateOnlySourceStay extends DateOnlyStay, SourceStayFields {
  readonly source: RouteSource;
}

/** A stay from one source, timed or date-only. */
export type SourceStay = TimedSourceStay | DateOnlySourceStay;

/** Reasons for which an input record contributes to no stay. */
export type ExclusionReason =
  /** A base-station record that implies an impossible speed from both neighbours. */
  | "speed_outlier"
  /** A card transaction with a negative amount. */
  | "cancellation";

/** An input record left out of the stays, and why. */
export interface ExcludedRecord {
  readonly source: RouteSource;
  /** Id of the record, or `#` and its index in the input when it has none. */
  readonly recordId: string;
  readonly reason: ExclusionReason;
  /** Time of the record in epoch milliseconds. */
  readonly recordedAt: number;
  /** The reason in words, with the values behind it. */
  readonly detail: string;
}

/** Stays detected from one source, and the records left out. */
export interface SourceStays<Stay extends SourceStay = SourceStay> {
  readonly stays: readonly Stay[];
  readonly excluded: readonly ExcludedRecord[];
}
