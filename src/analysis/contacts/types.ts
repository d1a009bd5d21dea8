/** The dates of an index case that fix its infectious period. */
export interface IndexCase {
  /** Identifier of the case's person; stays with this `personId` are the case's own. */
  readonly personId: string;
  /** Seoul calendar date of symptom onset, `YYYY-MM-DD`, or null when unknown. */
  readonly symptomOnsetDate?: string | null;
  /** Seoul calendar date of the test that confirmed the case, or null. */
  readonly testDate?: string | null;
  /** Seoul calendar date of confirmation, or null. */
  readonly confirmedDate?: string | null;
  /** Seoul calendar date of isolation, or null. */
  readonly isolationDate?: string | null;
}

/**
 * The date that an infectious period and the infectiousness days count
 * from. `set_period` means the case has no date and the reference date was
 * derived from the start of the set `infectiousPeriod`.
 */
export type PeriodAnchor =
  "symptom_onset" | "test" | "confirmation" | "set_period";

/** An interval of time in epoch milliseconds, start inclusive, end exclusive. */
export interface TimeInterval {
  readonly startsAt: number;
  readonly endsAt: number;
}

/** The infectious period used by a contact search. */
export interface InfectiousPeriod extends TimeInterval {
  /**
   * Seoul date that days of infectiousness count from: the symptom onset,
   * or when it is unknown the test or confirmation date.
   */
  readonly referenceDate: string;
  /** Kind of case date that `referenceDate` is. */
  readonly anchor: PeriodAnchor;
  /** Whether the caller set the interval through the `infectiousPeriod` option. */
  readonly isSetByCaller: boolean;
}

/**
 * A proximity bucket: pairs of stays whose larger radius is under
 * `maxRadiusMeters` (and not under the previous bucket's limit) get `weight`.
 */
export interface ProximityBucket {
  readonly maxRadiusMeters: number;
  readonly weight: number;
}

/**
 * An infectiousness bucket: days `fromDay` to `toDay` (both inclusive)
 * relative to the reference date get `weight`. Day 0 is the reference date,
 * day -2 two days before it.
 */
export interface InfectiousnessBucket {
  readonly fromDay: number;
  readonly toDay: number;
  readonly weight: number;
}

/** Settings of a contact search. Every field is optional. */
export interface ContactOptions {
  /**
   * The infectious period, overriding the rule computed from the case's
   * dates. The reference date for infectiousness weights still comes from
   * the case's dates when they are known, and otherwise from the start of
   * this interval plus `daysBeforeReference`.
   */
  readonly infectiousPeriod?: TimeInterval;
  /** Days before the reference date at which the infectious period starts. Default 2. */
  readonly daysBeforeReference?: number;
  /**
   * Distance in metres added to the two stays' radii: centres at most
   * `radiusA + radiusB + contactDistanceMeters` apart are in contact. Default 2.
   */
  readonly contactDistanceMeters?: number;
  /** Minimum cumulative minutes (certain parts only) of a contact. Default 15. */
  readonly minimumMinutes?: number;
  /**
   * Proximity weights by the larger of the two radii, in increasing order of
   * `maxRadiusMeters`. Default under 10 m 1.0, under 50 m 0.5, under 200 m 0.2,
   * and 0.05 beyond (`maxRadiusMeters: Infinity`).
   */
  readonly proximityBuckets?: readonly ProximityBucket[];
  /**
   * Infectiousness weights by day relative to the reference date; days in no
   * bucket get 0. Default 1.0 for days -2 to 3 and 0.6 for days -5 to -3 and
   * 4 to 9.
   */
  readonly infectiousnessBuckets?: readonly InfectiousnessBucket[];
}

/** One pair of overlapping timed stays, a case stay and a contact's stay. */
export interface ContactPair {
  readonly caseStayId: string;
  readonly contactStayId: string;
  readonly caseSource: string;
  readonly contactSource: string;
  /** Distance between the two centres in metres. */
  readonly distanceMeters: number;
  /** Proximity weight of the pair, from the larger of the two radii. */
  readonly proximityWeight: number;
  /** Minutes in which both certain parts overlap inside the infectious period. */
  readonly certainMinutes: number;
  /** Further minutes of overlap when the possible ends of the stays count. */
  readonly possibleMinutes: number;
  /** Start of the overlap inside the infectious period, in epoch milliseconds. */
  readonly overlapStartsAt: number;
  /** End of the overlap, possible parts included, in epoch milliseconds. */
  readonly overlapEndsAt: number;
}

/** A pair of stays on the same Seoul day where at least one is date-only. */
export interface DayLevelPair {
  readonly caseStayId: string;
  readonly contactStayId: string;
  readonly caseSource: string;
  readonly contactSource: string;
  readonly distanceMeters: number;
  /** The Seoul calendar date shared by the two stays. */
  readonly date: string;
}

/** A person in contact with the case through timed stays. */
export interface Contact {
  readonly personId: string;
  /** Minutes of the union of the certain overlaps, each instant counted once. */
  readonly certainMinutes: number;
  /** Further minutes of the union when the possible ends count. */
  readonly possibleMinutes: number;
  /**
   * Minutes weighted by proximity and infectiousness, over the certain
   * overlaps. An instant covered by several pairs counts once, with the
   * largest proximity weight among them.
   */
  readonly score: number;
  /** The same weighting over the further minutes of `possibleMinutes`. */
  readonly possibleScore: number;
  /** First instant of overlap, in epoch milliseconds. */
  readonly firstOverlapAt: number;
  /** Last instant of overlap, possible parts included, in epoch milliseconds. */
  readonly lastOverlapAt: number;
  /** Sources of the contact's stays behind the pairs, sorted. */
  readonly sources: readonly string[];
  /** The overlapping pairs, by overlap start. */
  readonly pairs: readonly ContactPair[];
  /** Pairs with a date-only stay, by date. */
  readonly dayLevelPairs: readonly DayLevelPair[];
}

/** A person who shares only a Seoul day and a place with the case. */
export interface DayLevelContact {
  readonly personId: string;
  /** Seoul dates shared with the case, sorted. */
  readonly dates: readonly string[];
  readonly sources: readonly string[];
  readonly pairs: readonly DayLevelPair[];
}

/** Result of a contact search. */
export interface ContactsResult {
  readonly infectiousPeriod: InfectiousPeriod;
  /** Contacts whose certain minutes reach `minimumMinutes`, by score, highest first. */
  readonly contacts: readonly Contact[];
  /**
   * Persons who reach `minimumMinutes` only when the possible ends of the
   * stays count, by certain plus possible score, highest first.
   */
  readonly possibleContacts: readonly Contact[];
  /**
   * Persons whose only link to the case is a shared Seoul day at a place
   * (a date-only stay on either side). They have no minutes and no score.
   */
  readonly dayLevelContacts: readonly DayLevelContact[];
  /** Number of persons whose timed overlap stays below `minimumMinutes` even with the possible ends. */
  readonly belowMinimumCount: number;
}
