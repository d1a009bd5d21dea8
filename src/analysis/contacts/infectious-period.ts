import {
  isCalendarDate,
  seoulDateOf,
  seoulDayEnd,
  seoulDayStart,
} from "../../domain/seoul-time.js";
import type {
  IndexCase,
  InfectiousnessBucket,
  InfectiousPeriod,
  PeriodAnchor,
  TimeInterval,
} from "./types.js";

const DAY_MS = 86_400_000;

/**
 * Computes the infectious period of a case. It starts `daysBeforeReference`
 * Seoul days before the reference date: the symptom onset, or the test date
 * when there were no symptoms, or the confirmation date when neither is
 * known. It ends at the end of the isolation day, or of the confirmation day
 * when the isolation date is unknown. A `setInterval` replaces both ends.
 *
 * Throws a RangeError when a date is invalid, or when the case has no date to
 * start or end the period from and no interval is set.
 */
export function resolveInfectiousPeriod(
  indexCase: IndexCase,
  daysBeforeReference: number,
  setInterval: TimeInterval | undefined,
): InfectiousPeriod {
  const reference = referenceOf(indexCase);

  if (setInterval !== undefined) {
    const fallbackDate = seoulDateOf(
      setInterval.startsAt + daysBeforeReference * DAY_MS,
    );
    return {
      startsAt: setInterval.startsAt,
      endsAt: setInterval.endsAt,
      referenceDate: reference?.date ?? fallbackDate,
      anchor: reference?.anchor ?? "set_period",
      isSetByCaller: true,
    };
  }

  if (reference === undefined) {
    throw new RangeError(
      `Case of person ${JSON.stringify(indexCase.personId)} has no symptom onset, test or confirmation date; set the infectiousPeriod option.`,
    );
  }
  const endDate =
    checkedDate(indexCase.isolationDate, "isolationDate") ??
    checkedDate(indexCase.confirmedDate, "confirmedDate");
  if (endDate === undefined) {
    throw new RangeError(
      `Case of person ${JSON.stringify(indexCase.personId)} has no isolation or confirmation date; set the infectiousPeriod option.`,
    );
  }

  const startsAt = seoulDayStart(reference.date) - daysBeforeReference * DAY_MS;
  const endsAt = seoulDayEnd(endDate);
  if (!(startsAt < endsAt)) {
    throw new RangeError(
      `Infectious period of person ${JSON.stringify(indexCase.personId)} is empty: it would end on ${endDate}, before it starts.`,
    );
  }
  return {
    startsAt,
    endsAt,
    referenceDate: reference.date,
    anchor: reference.anchor,
    isSetByCaller: false,
  };
}

/**
 * Returns the last Seoul date on which the infectiousness weight is above 0:
 * the reference date plus the largest `toDay` of a bucket of positive
 * weight, so 9 days after the onset with the default buckets. Returns
 * undefined when no bucket of positive weight reaches the reference date.
 */
export function lastInfectiousDate(
  referenceDate: string,
  buckets: readonly InfectiousnessBucket[],
): string | undefined {
  const lastDay = Math.max(
    ...buckets.filter((bucket) => bucket.weight > 0).map((b) => b.toDay),
  );
  if (!(lastDay >= 0)) {
    return undefined;
  }
  return seoulDateOf(seoulDayStart(referenceDate) + lastDay * DAY_MS);
}

/** Returns the day relative to the reference date of an instant: 0 on that date. */
export function dayRelativeTo(
  referenceDate: string,
  instantMs: number,
): number {
  return Math.floor((instantMs - seoulDayStart(referenceDate)) / DAY_MS);
}

function referenceOf(
  indexCase: IndexCase,
): { date: string; anchor: PeriodAnchor } | undefined {
  const onset = checkedDate(indexCase.symptomOnsetDate, "symptomOnsetDate");
  if (onset !== undefined) {
    return { date: onset, anchor: "symptom_onset" };
  }
  const test = checkedDate(indexCase.testDate, "testDate");
  if (test !== undefined) {
    return { date: test, anchor: "test" };
  }
  const confirmed = checkedDate(indexCase.confirmedDate, "confirmedDate");
  if (confirmed !== undefined) {
    return { date: confirmed, anchor: "confirmation" };
  }
  return undefined;
}

function checkedDate(
  value: string | null | undefined,
  field: string,
): string | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  if (!isCalendarDate(value)) {
    throw new RangeError(
      `Invalid ${field} ${JSON.stringify(value)}: expected a calendar date YYYY-MM-DD.`,
    );
  }
  return value;
}
