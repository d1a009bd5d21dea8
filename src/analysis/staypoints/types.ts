/**
 * A position fix of one person. Fields beyond these three (elevation,
 * accuracy, a source line number) are allowed, and they count when duplicate
 * fixes are detected.
 */
export interface PositionFix {
  /** Time of the fix in milliseconds since the Unix epoch (UTC). */
  readonly trackedAt: number;
  /** WGS 84 latitude in decimal degrees. */
  readonly latitude: number;
  /** WGS 84 longitude in decimal degrees. */
  readonly longitude: number;
}

/** Settings of the sliding-window stay point detection. */
export interface StaypointOptions {
  /**
   * Distance in metres from the first fix of a stay at which a fix ends the
   * stay. Default 100.
   */
  readonly distThresholdMeters?: number;
  /**
   * Minimum dwell time in minutes, from the first fix of a stay to the first
   * fix outside it. Default 5.
   */
  readonly timeThresholdMinutes?: number;
  /**
   * Longest allowed interval in minutes between consecutive fixes. A longer
   * interval discards the stay being built. Default 15.
   */
  readonly gapThresholdMinutes?: number;
  /**
   * Whether the stay still open at the end of a track is reported. Default
   * false, as in trackintel.
   */
  readonly includeLast?: boolean;
}

/** A stay point: a place where a person stayed within a small radius. */
export interface Staypoint {
  /** Time of the first fix of the stay, in epoch milliseconds. */
  readonly startedAt: number;
  /**
   * Time of the first fix outside the stay, in epoch milliseconds, as
   * trackintel reports it. For the stay still open at the end of a track
   * (option `includeLast`), it is the time of the last fix.
   */
  readonly finishedAt: number;
  /** Time of the last fix inside the stay, in epoch milliseconds. */
  readonly lastFixAt: number;
  /** Latitude of the centre: the mean over the distinct positions. */
  readonly latitude: number;
  /** Longitude of the centre: the circular mean over the distinct positions. */
  readonly longitude: number;
  /** Number of fixes inside the stay, after duplicate fixes are dropped. */
  readonly fixCount: number;
  /** Largest distance in metres from the centre to a fix inside the stay. */
  readonly radiusMeters: number;
}

/** A stay point together with the key of the person who made it. */
export interface PersonStaypoint<PersonKey> extends Staypoint {
  readonly personKey: PersonKey;
}
