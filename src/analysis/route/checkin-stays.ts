import {
  checkNonNegativeOption,
  checkOptionalRadius,
  checkRecord,
  invalidField,
  minutesToMilliseconds,
  recordIdOf,
  sortedIndexes,
} from "./checks.js";
import type { SourceStays, TimedSourceStay } from "./types.js";

/** A check-in at a venue: an electronic entry log, a phone check-in or a visitor list. */
export interface CheckIn {
  /** Id of the check-in in its source, such as `qr.csv:3`. */
  readonly id?: string;
  /** Instant of the check-in in epoch milliseconds. */
  readonly checkedInAt: number;
  /** Instant of the check-out in epoch milliseconds, or null when unknown. */
  readonly checkedOutAt?: number | null;
  readonly venueName?: string | null;
  readonly address?: string | null;
  /** WGS 84 latitude of the venue in decimal degrees. */
  readonly latitude: number;
  /** WGS 84 longitude of the venue in decimal degrees. */
  readonly longitude: number;
  /** Uncertainty of the venue's position in metres; the `radiusMeters` option when null. */
  readonly radiusMeters?: number | null;
}

/** Settings of the check-in stays. Every field is optional. */
export interface CheckinStayOptions {
  /**
   * Minutes that a visit without a check-out possibly lasts. Default 60.
   * NOTE: an estimate chosen for tracing, not a measured figure.
   */
  readonly defaultDwellMinutes?: number;
  /** Radius in metres of a venue without one. Default 30. */
  readonly radiusMeters?: number;
}

/** A stay at a venue from a check-in. */
export interface CheckinStay extends TimedSourceStay {
  readonly source: "checkin";
  /** Whether the check-out time was known. */
  readonly hasCheckOut: boolean;
}

/**
 * Builds a stay at the venue of each check-in. With a check-out the stay is
 * certain from check-in to check-out. Without one it is certain only at the
 * check-in, possibly lasts `defaultDwellMinutes`, and its timing is
 * `estimated`. The input is not modified. Throws a RangeError for an
 * invalid option or check-in, such as a check-out before the check-in.
 */
export function detectCheckinStays(
  personId: string,
  checkIns: readonly CheckIn[],
  options: CheckinStayOptions = {},
): SourceStays<CheckinStay> {
  const dwellMilliseconds = minutesToMilliseconds(
    checkNonNegativeOption(
      "defaultDwellMinutes",
      options.defaultDwellMinutes ?? 60,
    ),
  );
  const radiusMeters = checkNonNegativeOption(
    "radiusMeters",
    options.radiusMeters ?? 30,
  );
  checkIns.forEach(checkCheckIn);

  const stays = sortedIndexes(checkIns, (item) => item.checkedInAt).map(
    (index, order): CheckinStay => {
      const checkIn = checkIns[index]!;
      const checkedOutAt = checkIn.checkedOutAt ?? null;
      const observedTo = checkedOutAt ?? checkIn.checkedInAt;
      return {
        id: `checkin-${order + 1}`,
        personId,
        source: "checkin",
        latitude: checkIn.latitude,
        longitude: checkIn.longitude,
        radiusMeters: checkIn.radiusMeters ?? radiusMeters,
        startedAt: checkIn.checkedInAt,
        lastFixAt: observedTo,
        finishedAt: checkedOutAt ?? checkIn.checkedInAt + dwellMilliseconds,
        observedFrom: checkIn.checkedInAt,
        observedTo,
        timing: checkedOutAt === null ? "estimated" : "observed",
        placeName: checkIn.venueName ?? null,
        address: checkIn.address ?? null,
        recordIds: [recordIdOf(checkIn, index)],
        hasCheckOut: checkedOutAt !== null,
      };
    },
  );
  return { stays, excluded: [] };
}

function checkCheckIn(checkIn: CheckIn, index: number): void {
  checkRecord("check-in", checkIn, index, { checkedInAt: checkIn.checkedInAt });
  checkOptionalRadius("check-in", index, "radiusMeters", checkIn.radiusMeters);
  const checkedOutAt = checkIn.checkedOutAt;
  if (checkedOutAt === null || checkedOutAt === undefined) {
    return;
  }
  if (!(checkedOutAt >= checkIn.checkedInAt && Number.isFinite(checkedOutAt))) {
    throw invalidField(
      "check-in",
      index,
      "checkedOutAt",
      checkedOutAt,
      "finite epoch milliseconds at or after checkedInAt",
    );
  }
}
