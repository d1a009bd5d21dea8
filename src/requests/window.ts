import { isCalendarDate, seoulDateOf, seoulDayStart } from "../domain/index.js";
import { AppError } from "../errors.js";
import type { Case } from "../store/index.js";
import type { RequestSettings } from "./settings.js";

/** A request's window: Seoul days, both inclusive. */
export interface RequestWindow {
  startDate: string;
  endDate: string;
}

const DAY_MS = 86_400_000;

/**
 * Returns the widest window a request for a case may cover: from the set
 * number of days before symptom onset (or before confirmation when onset
 * is unknown) to today in Seoul. Raises `validation_failed` when the case
 * has neither date.
 */
export function widestWindowOf(
  kase: Pick<Case, "case_number" | "symptom_onset_date" | "confirmed_date">,
  settings: RequestSettings,
  now: number,
): RequestWindow {
  const anchor = kase.symptom_onset_date ?? kase.confirmed_date;
  if (anchor === null) {
    throw new AppError(
      "validation_failed",
      `Case ${kase.case_number} has neither a symptom onset date nor a confirmation date, so the request window cannot be bounded: record one of them first.`,
    );
  }
  const startDate = seoulDateOf(
    seoulDayStart(anchor) - settings.windowDaysBeforeOnset * DAY_MS,
  );
  return { startDate, endDate: seoulDateOf(now) };
}

/** Raises `validation_failed` unless the window is made of real dates, in order, inside the widest window. */
export function checkWindow(
  window: RequestWindow,
  widest: RequestWindow,
  settings: RequestSettings,
): void {
  for (const [field, value] of [
    ["windowStartDate", window.startDate],
    ["windowEndDate", window.endDate],
  ] as const) {
    if (!isCalendarDate(value)) {
      throw new AppError(
        "validation_failed",
        `Invalid ${field} ${JSON.stringify(value)}: expected a calendar date written YYYY-MM-DD.`,
      );
    }
  }
  if (window.endDate < window.startDate) {
    throw new AppError(
      "validation_failed",
      `Invalid window ${window.startDate} to ${window.endDate}: the end is before the start.`,
    );
  }
  if (window.startDate < widest.startDate) {
    throw new AppError(
      "validation_failed",
      `Invalid windowStartDate ${window.startDate}: a request may reach back at most ${settings.windowDaysBeforeOnset} days before symptom onset (or confirmation), to ${widest.startDate}.`,
    );
  }
  if (window.endDate > widest.endDate) {
    throw new AppError(
      "validation_failed",
      `Invalid windowEndDate ${window.endDate}: a request may not reach past today, ${widest.endDate}.`,
    );
  }
}
