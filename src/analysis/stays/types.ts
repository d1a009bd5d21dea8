/** Fields that every stay has, whatever its kind. */
interface StayBase {
  /** Identifier of the stay, unique within one analysis. */
  readonly id: string;
  /** Identifier of the person who made the stay. */
  readonly personId: string;
  /** Data source of the stay, such as `gps`, `base_station`, `card` or `checkin`. */
  readonly source: string;
  /** WGS 84 latitude of the centre in decimal degrees. */
  readonly latitude: number;
  /** WGS 84 longitude of the centre in decimal degrees. */
  readonly longitude: number;
  /** Uncertainty radius around the centre in metres; 0 for an exact point. */
  readonly radiusMeters: number;
}

/**
 * A stay known to the instant. The person was certainly there from
 * `startedAt` to `lastFixAt` and possibly until `finishedAt`, when the first
 * observation elsewhere was made.
 */
export interface TimedStay extends StayBase {
  /** Start of the stay: its first observation, in epoch milliseconds. */
  readonly startedAt: number;
  /** Last observation inside the stay, in epoch milliseconds. */
  readonly lastFixAt: number;
  /**
   * Latest possible end of the stay in epoch milliseconds, at least
   * `lastFixAt`. Equal to `lastFixAt` when nothing is known past it.
   */
  readonly finishedAt: number;
  readonly visitDate?: never;
}

/** A stay known only to its Seoul calendar day, such as a disclosed visit. */
export interface DateOnlyStay extends StayBase {
  /** Seoul calendar date of the stay, `YYYY-MM-DD`. */
  readonly visitDate: string;
  readonly startedAt?: never;
  readonly lastFixAt?: never;
  readonly finishedAt?: never;
}

/** A stay of a person at a place: timed, or known only to the day. */
export type Stay = TimedStay | DateOnlyStay;
