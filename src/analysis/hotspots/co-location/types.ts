/** Settings of the co-location hotspot search. Every field is optional. */
export interface CoLocationOptions {
  /** Minimum number of distinct persons who stayed with the case at a place. Default 2. */
  readonly minimumPersons?: number;
  /**
   * Case stays whose centres lie at most this many metres apart are one
   * place, so that repeated visits to one venue add up. Default 50.
   */
  readonly mergeDistanceMeters?: number;
  /** Whether persons who are contacts only with the possible ends of stays count. Default false. */
  readonly includePossibleContacts?: boolean;
  /** Whether persons who share only a Seoul day with the case at a place count. Default false. */
  readonly includeDayLevelContacts?: boolean;
}

/** A place where several persons stayed with the case during its infectious period. */
export interface CoLocationHotspot {
  /** Latitude of the place: the mean of its case stays' centres. */
  readonly latitude: number;
  /** Longitude of the place: the circular mean of its case stays' centres. */
  readonly longitude: number;
  /** Distance in metres from the centre that covers every case stay with its radius. */
  readonly radiusMeters: number;
  /** The case's stays at the place, sorted. */
  readonly caseStayIds: readonly string[];
  /** Distinct persons who stayed there with the case, sorted. */
  readonly personIds: readonly string[];
  /** Timed overlaps at the place in epoch milliseconds, or null when only day-level ones count. */
  readonly firstOverlapAt: number | null;
  readonly lastOverlapAt: number | null;
  /** Seoul dates of the day-level pairs at the place, sorted. */
  readonly dayLevelDates: readonly string[];
}
