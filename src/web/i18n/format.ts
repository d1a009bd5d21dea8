import type { Movement } from "../api/types.js";

/**
 * Date and time formatting for the UI. Every instant is shown in Asia/Seoul,
 * whatever the browser's own time zone is, and calendar dates (`YYYY-MM-DD`)
 * are Seoul calendar days.
 */

export type Locale = "ko" | "en";

export const SEOUL_TIME_ZONE = "Asia/Seoul";

const INTL_LOCALE: Record<Locale, string> = { ko: "ko-KR", en: "en-GB" };

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_DATE_TIME_PATTERN =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?$/;

const numericFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: SEOUL_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

const weekdayFormats: Record<Locale, Intl.DateTimeFormat> = {
  ko: new Intl.DateTimeFormat(INTL_LOCALE.ko, {
    timeZone: SEOUL_TIME_ZONE,
    weekday: "short",
  }),
  en: new Intl.DateTimeFormat(INTL_LOCALE.en, {
    timeZone: SEOUL_TIME_ZONE,
    weekday: "short",
  }),
};

interface SeoulParts {
  date: string;
  time: string;
}

function seoulParts(instant: Date): SeoulParts {
  const parts: Record<string, string> = {};
  for (const part of numericFormat.formatToParts(instant)) {
    parts[part.type] = part.value;
  }
  return {
    date: `${parts["year"]}-${parts["month"]}-${parts["day"]}`,
    time: `${parts["hour"]}:${parts["minute"]}`,
  };
}

/** Noon of a Seoul calendar day, an instant that lies inside that day in Seoul. */
function seoulNoon(date: string): Date {
  return new Date(`${date}T12:00:00+09:00`);
}

/** Returns the Seoul calendar date (`YYYY-MM-DD`) of an ISO instant. */
export function seoulDateOf(instant: string): string {
  return seoulParts(new Date(instant)).date;
}

/** Formats a Seoul calendar date as `2020-02-05 (수)`. */
export function formatDate(date: string, locale: Locale): string {
  if (!DATE_PATTERN.test(date)) {
    return date;
  }
  const noon = seoulNoon(date);
  return `${seoulParts(noon).date} (${weekdayFormats[locale].format(noon)})`;
}

/** Formats an ISO instant as its Seoul date and time, `2020-02-05 (수) 09:10`. */
export function formatInstant(instant: string, locale: Locale): string {
  const parts = seoulParts(new Date(instant));
  return `${formatDate(parts.date, locale)} ${parts.time}`;
}

/**
 * Formats when a movement happened: the date alone for a visit known only to
 * the day, else the Seoul time range, with the end date only when it differs.
 */
export function formatMovementTime(movement: Movement, locale: Locale): string {
  if (movement.startedAt === null) {
    return movement.visitDate === null
      ? ""
      : formatDate(movement.visitDate, locale);
  }

  const start = seoulParts(new Date(movement.startedAt));
  const startText = `${formatDate(start.date, locale)} ${start.time}`;
  if (movement.endedAt === null || movement.endedAt === movement.startedAt) {
    return startText;
  }

  const end = seoulParts(new Date(movement.endedAt));
  if (end.date === start.date) {
    return `${startText}–${end.time}`;
  }
  return `${startText} – ${formatDate(end.date, locale)} ${end.time}`;
}

/** Lists the Seoul calendar days a movement covers, from its start to its end. */
export function movementDays(movement: Movement): string[] {
  if (movement.startedAt === null) {
    return movement.visitDate === null ? [] : [movement.visitDate];
  }

  const first = seoulDateOf(movement.startedAt);
  const last =
    movement.endedAt === null ? first : seoulDateOf(movement.endedAt);
  const days = [first];
  let day = first;
  while (day < last) {
    day = nextDate(day);
    days.push(day);
  }
  return days;
}

function nextDate(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/**
 * Converts a `datetime-local` value entered as Seoul time to an ISO 8601
 * instant with the +09:00 offset, or returns null for a malformed value.
 */
export function seoulLocalToInstant(local: string): string | null {
  const match = LOCAL_DATE_TIME_PATTERN.exec(local);
  if (match === null) {
    return null;
  }
  const [, date, time, seconds] = match;
  return `${date}T${time}${seconds ?? ":00"}+09:00`;
}

/** Formats a number with the locale's digit grouping. */
export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale]).format(value);
}
