import { isCalendarDate } from "../../domain/seoul-time.js";
import {
  checkNonNegativeOption,
  checkOptionalRadius,
  checkRecord,
  invalidField,
  recordIdOf,
} from "./checks.js";
import type {
  DateOnlySourceStay,
  SourceStays,
  TimedSourceStay,
} from "./types.js";

/** Sources of visits that are taken as entered. */
export type VisitSource = "interview" | "disclosed_visit" | "gps";

/**
 * A visit as a person or a record states it: an interview entry, a
 * disclosed visit, or a place visit of a location history export. It is
 * timed when `startedAt` is given, and date-only when only `visitDate` is.
 */
export interface VisitEntry {
  /** Id of the entry in its source, such as `interview.csv:4`. */
  readonly id?: string;
  /** Source of the entry. Default `interview`. */
  readonly source?: VisitSource;
  /** Arrival in epoch milliseconds, or null when only the day is known. */
  readonly startedAt?: number | null;
  /** Departure in epoch milliseconds, or null when unknown. */
  readonly endedAt?: number | null;
  /** Seoul calendar date `YYYY-MM-DD`, for a visit known only to the day. */
  readonly visitDate?: string | null;
  readonly placeName?: string | null;
  readonly address?: string | null;
  /** WGS 84 latitude in decimal degrees. */
  readonly latitude: number;
  /** WGS 84 longitude in decimal degrees. */
  readonly longitude: number;
  /** Uncertainty in metres; the `defaultRadiusMeters` option when null. */
  readonly radiusMeters?: number | null;
}

/** Settings of the visit stays. */
export interface VisitStayOptions {
  /** Radius in metres of an entry that gives none. Default 100. */
  readonly defaultRadiusMeters?: number;
}

/** Stays from visit entries, split into timed and date-only ones. */
export interface VisitStays extends SourceStays {
  readonly timed: readonly TimedSourceStay[];
  readonly dateOnly: readonly DateOnlySourceStay[];
}

/**
 * Builds a stay from each visit entry as it was entered: from arrival to
 * departure, at the arrival alone when the departure is unknown (no dwell
 * is invented), or on the day alone when only a date is known. Ids count
 * per source in input order. The input is not modified. Throws a
 * RangeError for an invalid option or entry.
 */
export function detectVisitStays(
  personId: string,
  entries: readonly VisitEntry[],
  options: VisitStayOptions = {},
): VisitStays {
  const defaultRadiusMeters = checkNonNegativeOption(
    "defaultRadiusMeters",
    options.defaultRadiusMeters ?? 100,
  );
  const counts = new Map<VisitSource, number>();
  const timed: TimedSourceStay[] = [];
  const dateOnly: DateOnlySourceStay[] = [];

  entries.forEach((entry, index) => {
    checkEntry(entry, index);
    const source = entry.source ?? "interview";
    const count = (counts.get(source) ?? 0) + 1;
    counts.set(source, count);
    const base = {
      id: `${source}-${count}`,
      personId,
      source,
      latitude: entry.latitude,
      longitude: entry.longitude,
      radiusMeters: entry.radiusMeters ?? defaultRadiusMeters,
      placeName: entry.placeName ?? null,
      address: entry.address ?? null,
      recordIds: [recordIdOf(entry, index)],
    };
    if (entry.startedAt === null || entry.startedAt === undefined) {
      dateOnly.push({ ...base, visitDate: entry.visitDate! });
      return;
    }
    const endedAt = entry.endedAt ?? entry.startedAt;
    timed.push({
      ...base,
      startedAt: entry.startedAt,
      lastFixAt: endedAt,
      finishedAt: endedAt,
      observedFrom: entry.startedAt,
      observedTo: endedAt,
      timing: "observed",
    });
  });

  timed.sort((a, b) => a.startedAt - b.startedAt);
  dateOnly.sort((a, b) => a.visitDate.localeCompare(b.visitDate));
  return { stays: [...timed, ...dateOnly], timed, dateOnly, excluded: [] };
}

function checkEntry(entry: VisitEntry, index: number): void {
  const startedAt = entry.startedAt ?? null;
  const times: Record<string, number> = startedAt === null ? {} : { startedAt };
  checkRecord("visit entry", entry, index, times);
  checkOptionalRadius("visit entry", index, "radiusMeters", entry.radiusMeters);

  const endedAt = entry.endedAt ?? null;
  if (startedAt !== null && endedAt !== null) {
    if (!(endedAt >= startedAt && Number.isFinite(endedAt))) {
      throw invalidField(
        "visit entry",
        index,
        "endedAt",
        endedAt,
        "finite epoch milliseconds at or after startedAt",
      );
    }
    return;
  }
  if (startedAt === null && endedAt !== null) {
    throw invalidField(
      "visit entry",
      index,
      "startedAt",
      startedAt,
      "an arrival when a departure is given",
    );
  }
  const visitDate = entry.visitDate ?? null;
  if (
    startedAt === null &&
    (visitDate === null || !isCalendarDate(visitDate))
  ) {
    throw invalidField(
      "visit entry",
      index,
      "visitDate",
      visitDate,
      "a calendar date YYYY-MM-DD when no arrival is given",
    );
  }
}
