import { utcMillis, zonedToInstant } from "./zone.js";

/** How to read dates and times that do not say everything themselves. */
export interface TimeOptions {
  /** IANA zone of times written without an offset, such as `Asia/Seoul`. */
  zone: string;
  /** Declared order of numeric dates, such as `MM/DD/YYYY` (see `compileDateFormat`). */
  dateFormat?: DateFormat | undefined;
  /** Year of dates written without one, such as `3월 5일`. */
  year?: number | undefined;
}

/** A calendar date. Month is 1-12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** A time of day, with the UTC offset when the text gave one. */
export interface ClockTime {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC, or null when the text gave no offset. */
  offsetMinutes: number | null;
}

/** Result of parsing a time value: an instant, a date or a time of day. */
export type ParsedTime =
  | {
      type: "instant";
      epochMillis: number;
      /** True when the text had no offset, so the declared zone was used. */
      assumedZone: boolean;
      /** The calendar date as written, before any offset is applied. */
      date: CalendarDate;
    }
  | { type: "date"; date: CalendarDate }
  | { type: "clock"; clock: ClockTime };

/** A value that is not a time, with the rule it broke and how to fix it. */
export interface TimeProblem {
  rule: string;
  hint: string;
}

export type TimeResult =
  { ok: true; time: ParsedTime } | { ok: false; problem: TimeProblem };

/** A compiled `--date-format`. */
export interface DateFormat {
  /** The format as declared, such as `DD.MM.YYYY`. */
  source: string;
  pattern: RegExp;
  /** Group number of each token in `pattern`. */
  groups: Partial<Record<FormatField, number>>;
}

type FormatField =
  "year" | "shortYear" | "month" | "day" | "hour" | "minute" | "second";

interface DatePart {
  date: { year: number | null; month: number; day: number };
  /** Time of day given by the declared format itself, if it has time tokens. */
  clock?: Omit<ClockTime, "offsetMinutes">;
  rest: string;
}

const FORMAT_TOKENS: Record<string, { field: FormatField; pattern: string }> = {
  YYYY: { field: "year", pattern: "(\\d{4})" },
  YY: { field: "shortYear", pattern: "(\\d{2})" },
  MM: { field: "month", pattern: "(\\d{1,2})" },
  M: { field: "month", pattern: "(\\d{1,2})" },
  DD: { field: "day", pattern: "(\\d{1,2})" },
  D: { field: "day", pattern: "(\\d{1,2})" },
  HH: { field: "hour", pattern: "(\\d{1,2})" },
  H: { field: "hour", pattern: "(\\d{1,2})" },
  mm: { field: "minute", pattern: "(\\d{2})" },
  ss: { field: "second", pattern: "(\\d{2})" },
};
const FORMAT_TOKEN_PATTERN = /YYYY|YY|MM|M|DD|D|HH|H|mm|ss/g;

/** Year-first numeric dates: 2024-03-05, 2024/3/5, 2024.03.05. and 2024. 3. 5. */
const YEAR_FIRST_DATE =
  /^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?:\s*\.)?(?=$|[T\s])/;
/** ISO 8601 basic dates, 20240305, alone or before T or a space. */
const BASIC_DATE = /^(\d{4})(\d{2})(\d{2})(?=$|[T\s])/;
/** Compact date and time, 202403051430 or 20240305143000, as some operators write them. */
const COMPACT_DATE_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/;
/** Korean dates, 2024년 3월 5일, with the year optional and an optional weekday such as (화). */
const KOREAN_DATE =
  /^(?:(\d{2}|\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*일(?:\s*\(?\s*[월화수목금토일](?:요일)?\s*\)?)?(?=$|\s)/;
/** Month and day with Korean dots, 3. 5., whose year must come from --year. */
const MONTH_DAY_DOTTED = /^(\d{1,2})\s*\.\s*(\d{1,2})\s*\.(?=$|\s)/;
/** Numeric dates whose order of day and month is unknown, such as 03/05/2024 or 5.3.24. */
const AMBIGUOUS_DATE =
  /^\d{1,2}\s*[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{2,4})?\.?(?=$|[T\s])/;

const MERIDIEM = "(오전|오후|AM|PM|am|pm|A\\.M\\.|P\\.M\\.|a\\.m\\.|p\\.m\\.)";
const OFFSET = "(Z|z|[+-]\\d{2}(?::?\\d{2})?)";
const COLON_CLOCK = new RegExp(
  `^(?:${MERIDIEM}\\s*)?(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?(?:\\s*${MERIDIEM})?\\s*${OFFSET}?$`,
);
const KOREAN_CLOCK = new RegExp(
  `^(?:${MERIDIEM}\\s*)?(\\d{1,2})\\s*시(?:\\s*(\\d{1,2})\\s*분)?(?:\\s*(\\d{1,2})\\s*초)?$`,
);
const BASIC_CLOCK = new RegExp(
  `^(\\d{2})(\\d{2})(\\d{2})?(?:[.,](\\d{1,9}))?${OFFSET}?$`,
);
const OFFSET_ONLY = new RegExp(`^${OFFSET}$`);

const ISO_HINT =
  "Write it as ISO 8601, such as 2024-03-05T14:30:00+09:00, or as 2024-03-05 14:30 in the declared zone.";

/**
 * Compiles a declared date format. Its tokens are YYYY, YY (2000-2099), MM
 * or M, DD or D (one or two digits each), HH or H, mm and ss. Any other
 * character stands for itself, and a space matches any run of spaces.
 * Throws a RangeError when the format lacks a month or a day.
 */
export function compileDateFormat(source: string): DateFormat {
  const groups: Partial<Record<FormatField, number>> = {};
  let pattern = "^";
  let group = 0;
  let last = 0;
  for (const match of source.matchAll(FORMAT_TOKEN_PATTERN)) {
    pattern += escapeLiteral(source.slice(last, match.index));
    const token = FORMAT_TOKENS[match[0]]!;
    group++;
    groups[token.field] = group;
    pattern += token.pattern;
    last = match.index + match[0].length;
  }
  pattern += escapeLiteral(source.slice(last));

  if (groups.month === undefined || groups.day === undefined) {
    throw new RangeError(
      `Invalid date format ${JSON.stringify(source)}: it must contain a month (MM or M) and a day (DD or D), such as DD/MM/YYYY.`,
    );
  }
  return { source, pattern: new RegExp(`${pattern}(?=$|[T\\s])`), groups };
}

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s*");
}

/**
 * Parses a date, a date and time, or a time of day. A date and time with an
 * offset (`Z`, `+09:00`, `+0900`, `+09`) is an instant. Without an offset it
 * is read in `options.zone` and marked `assumedZone`. Korean forms such as
 * `2024. 3. 5. 오후 2:30:00` and `2024년 3월 5일 14시 30분` are accepted, with
 * 오전 12시 as 00:00 and 오후 12시 as 12:00. Numeric dates that do not start
 * with the year are accepted only in the declared `dateFormat`.
 */
export function parseTime(text: string, options: TimeOptions): TimeResult {
  const value = text.trim().replace(/\s+/g, " ");
  const compact = COMPACT_DATE_TIME.exec(value);
  if (compact !== null) {
    return fromCompactMatch(compact, options);
  }

  const datePart = matchDate(value, options.dateFormat);
  if (datePart === "ambiguous") {
    return options.dateFormat === undefined
      ? fail("ambiguous_date", undeclaredOrderHint(value))
      : fail("date_format_mismatch", mismatchHint(value, options.dateFormat));
  }
  if (datePart === undefined) {
    const clock = parseClock(value);
    if (clock === undefined) {
      return fail(
        "time_format",
        `${JSON.stringify(value)} is not a date or time that can be read. ${ISO_HINT}`,
      );
    }
    return typeof clock === "string"
      ? fail("time_format", clock)
      : { ok: true, time: { type: "clock", clock } };
  }
  return completeDatePart(datePart, value, options);
}

function fromCompactMatch(
  match: RegExpExecArray,
  options: TimeOptions,
): TimeResult {
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const datePart: DatePart = {
    date: { year, month, day },
    clock: { hour, minute, second: Number(match[6] ?? "0"), millisecond: 0 },
    rest: "",
  };
  return completeDatePart(datePart, match[0], options);
}

function completeDatePart(
  part: DatePart,
  value: string,
  options: TimeOptions,
): TimeResult {
  const year = part.date.year ?? options.year ?? null;
  if (year === null) {
    return fail(
      "missing_year",
      `${JSON.stringify(value)} has no year. Write the full date, such as 2024-03-05, or give the year with --year.`,
    );
  }
  const date = { year, month: part.date.month, day: part.date.day };
  if (!isRealDate(date)) {
    return fail(
      "invalid_date",
      `${JSON.stringify(value)} is not a calendar date. Check the month and the day.`,
    );
  }

  const clock = clockOfDatePart(part);
  if (clock === undefined) {
    return { ok: true, time: { type: "date", date } };
  }
  if (typeof clock === "string") {
    return fail("time_format", clock);
  }
  const instant = instantOf(date, clock, options.zone);
  return { ok: true, time: { type: "instant", ...instant, date } };
}

/** Returns the time of day after a date, undefined when there is none, or a hint when it is invalid. */
function clockOfDatePart(part: DatePart): ClockTime | string | undefined {
  const rest = part.rest.replace(/^[Tt]/, "").trim();
  if (part.clock !== undefined) {
    const offset = rest === "" ? null : parseOffset(rest);
    if (offset === undefined) {
      return `The text after the time, ${JSON.stringify(rest)}, is not a UTC offset such as +09:00.`;
    }
    const clock = { ...part.clock, offsetMinutes: offset };
    return isValidClock(clock) ? clock : invalidClockHint(rest);
  }
  if (rest === "") {
    return undefined;
  }
  return (
    parseClock(rest, true) ??
    `The time ${JSON.stringify(rest)} cannot be read. ${ISO_HINT}`
  );
}

/** Returns the instant of a date and time, in `zone` unless the clock has its own offset. */
export function instantOf(
  date: CalendarDate,
  clock: ClockTime,
  zone: string,
): { epochMillis: number; assumedZone: boolean } {
  const local = { ...date, ...clock };
  if (clock.offsetMinutes !== null) {
    return {
      epochMillis: utcMillis(local) - clock.offsetMinutes * 60_000,
      assumedZone: false,
    };
  }
  return { epochMillis: zonedToInstant(zone, local), assumedZone: true };
}

function matchDate(
  value: string,
  declared: DateFormat | undefined,
): DatePart | "ambiguous" | undefined {
  if (declared !== undefined) {
    const match = declared.pattern.exec(value);
    if (match !== null) {
      return fromDeclaredMatch(match, declared);
    }
  }

  const yearFirst = YEAR_FIRST_DATE.exec(value) ?? BASIC_DATE.exec(value);
  if (yearFirst !== null) {
    const numbers = yearFirst.slice(1).filter((group) => /^\d+$/.test(group));
    const [year, month, day] = numbers.map(Number) as [number, number, number];
    return {
      date: { year, month, day },
      rest: value.slice(yearFirst[0].length),
    };
  }

  const korean = KOREAN_DATE.exec(value);
  if (korean !== null) {
    return {
      date: {
        year: korean[1] === undefined ? null : fullYear(korean[1]),
        month: Number(korean[2]),
        day: Number(korean[3]),
      },
      rest: value.slice(korean[0].length),
    };
  }

  const monthDay = MONTH_DAY_DOTTED.exec(value);
  if (monthDay !== null) {
    return {
      date: {
        year: null,
        month: Number(monthDay[1]),
        day: Number(monthDay[2]),
      },
      rest: value.slice(monthDay[0].length),
    };
  }
  return AMBIGUOUS_DATE.test(value) ? "ambiguous" : undefined;
}

function fromDeclaredMatch(
  match: RegExpExecArray,
  declared: DateFormat,
): DatePart {
  const field = (name: FormatField): string | undefined => {
    const group = declared.groups[name];
    return group === undefined ? undefined : match[group];
  };
  const yearText = field("year") ?? field("shortYear");
  const part: DatePart = {
    date: {
      year: yearText === undefined ? null : fullYear(yearText),
      month: Number(field("month")),
      day: Number(field("day")),
    },
    rest: match.input.slice(match[0].length),
  };
  const hour = field("hour");
  if (hour !== undefined) {
    part.clock = {
      hour: Number(hour),
      minute: Number(field("minute") ?? "0"),
      second: Number(field("second") ?? "0"),
      millisecond: 0,
    };
  }
  return part;
}

/** Two-digit years are read as 2000-2099. */
function fullYear(text: string): number {
  const year = Number(text);
  return text.length === 2 ? 2000 + year : year;
}

/**
 * Parses a time of day, such as `14:30`, `2:30:00 PM`, `오후 2시 30분` or
 * `14:30:05.250+09:00`. Returns undefined when the text is not a time, and
 * a hint when it is one but out of range. The ISO 8601 basic form `143000`
 * is read only when `afterDate` is set, because alone it looks like a number.
 */
export function parseClock(
  text: string,
  afterDate = false,
): ClockTime | string | undefined {
  const value = text.trim();
  const colon = COLON_CLOCK.exec(value);
  if (colon !== null) {
    if (colon[1] !== undefined && colon[6] !== undefined) {
      return `The time ${JSON.stringify(value)} gives 오전/오후 or AM/PM twice; give it once.`;
    }
    return buildClock(value, colon[1] ?? colon[6], colon.slice(2, 6), colon[7]);
  }
  const korean = KOREAN_CLOCK.exec(value);
  if (korean !== null) {
    return buildClock(
      value,
      korean[1],
      [korean[2], korean[3], korean[4]],
      undefined,
    );
  }
  const basic = afterDate ? BASIC_CLOCK.exec(value) : null;
  if (basic !== null) {
    return buildClock(value, undefined, basic.slice(1, 5), basic[5]);
  }
  return undefined;
}

function buildClock(
  value: string,
  meridiem: string | undefined,
  [hourText, minuteText, secondText, fractionText]: (string | undefined)[],
  offsetText: string | undefined,
): ClockTime | string {
  const offsetMinutes =
    offsetText === undefined ? null : parseOffset(offsetText);
  if (offsetMinutes === undefined) {
    return `The UTC offset in ${JSON.stringify(value)} is out of range; write it as +09:00, +0900 or +09.`;
  }
  const hour = to24Hour(Number(hourText), meridiem);
  if (hour === undefined) {
    return `The hour in ${JSON.stringify(value)} must be 1 to 12 with 오전/오후 or AM/PM, such as 오후 12:30 for 12:30 noon.`;
  }
  const clock: ClockTime = {
    hour,
    minute: Number(minuteText ?? "0"),
    second: Number(secondText ?? "0"),
    // NOTE: digits of a fraction beyond milliseconds are dropped, not rounded.
    millisecond: Number(((fractionText ?? "") + "000").slice(0, 3)),
    offsetMinutes,
  };
  return isValidClock(clock) ? clock : invalidClockHint(value);
}

/** Converts a 12-hour clock hour: 오전 12 is 0 (midnight) and 오후 12 is 12 (noon). */
function to24Hour(
  hour: number,
  meridiem: string | undefined,
): number | undefined {
  if (meridiem === undefined) {
    return hour;
  }
  if (hour < 1 || hour > 12) {
    return undefined;
  }
  const isAfternoon = meridiem === "오후" || /^p/i.test(meridiem);
  return (hour % 12) + (isAfternoon ? 12 : 0);
}

/** Returns the offset in minutes, or undefined when it is not an offset or out of range. */
function parseOffset(text: string): number | undefined {
  const match = OFFSET_ONLY.exec(text.trim());
  if (match === null) {
    return undefined;
  }
  const offset = match[1]!;
  if (offset === "Z" || offset === "z") {
    return 0;
  }
  const digits = offset.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || "0");
  if (hours > 18 || minutes > 59) {
    return undefined;
  }
  return (offset.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
}

function isValidClock(clock: ClockTime): boolean {
  return clock.hour <= 23 && clock.minute <= 59 && clock.second <= 59;
}

function invalidClockHint(value: string): string {
  return `The time ${JSON.stringify(value)} is out of range: hours run 0-23, minutes and seconds 0-59.`;
}

/** Tells whether a date exists in the Gregorian calendar. */
export function isRealDate(date: CalendarDate): boolean {
  if (date.month < 1 || date.month > 12 || date.day < 1) {
    return false;
  }
  return date.day <= daysInMonth(date.year, date.month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return isLeap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Returns the date `days` days after `date`. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const probe = new Date(
    utcMillis({ ...date, hour: 0, minute: 0, second: 0, millisecond: 0 }) +
      days * 86_400_000,
  );
  return {
    year: probe.getUTCFullYear(),
    month: probe.getUTCMonth() + 1,
    day: probe.getUTCDate(),
  };
}

/** Formats a date as `YYYY-MM-DD`. */
export function formatDate(date: CalendarDate): string {
  const year = String(date.year).padStart(4, "0");
  const month = String(date.month).padStart(2, "0");
  const day = String(date.day).padStart(2, "0");
  return `${year}-${month}-${day}`;
}

const ISO_DATE_EXAMPLE = "ISO 8601 (YYYY-MM-DD, such as 2024-03-05)";

/**
 * Returns the hint for a numeric date that does not start with the year,
 * read without a declared order. A first number above 12 can only be a
 * day, and a second one above 12 only a day.
 */
function undeclaredOrderHint(value: string): string {
  const [first = 0, second = 0] = (value.match(/\d+/g) ?? []).map(Number);
  const quoted = JSON.stringify(value);
  if (first > 12 && second <= 12) {
    return `${quoted} can only be day/month, because ${first} is not a month, but the order of the file's dates is not declared. Write the date as ${ISO_DATE_EXAMPLE} or declare the order with --date-format, such as --date-format DD/MM/YYYY.`;
  }
  if (second > 12 && first <= 12) {
    return `${quoted} can only be month/day, because ${second} is not a month, but the order of the file's dates is not declared. Write the date as ${ISO_DATE_EXAMPLE} or declare the order with --date-format, such as --date-format MM/DD/YYYY.`;
  }
  if (first > 12 && second > 12) {
    return `${quoted} is not a date in either order, because neither ${first} nor ${second} is a month. Write the date as ${ISO_DATE_EXAMPLE}.`;
  }
  return `${quoted} could be day/month or month/day. Write the date as ${ISO_DATE_EXAMPLE} or declare the order with --date-format, such as --date-format MM/DD/YYYY or --date-format DD/MM/YYYY.`;
}

function mismatchHint(value: string, declared: DateFormat): string {
  return `${JSON.stringify(value)} does not match the declared --date-format ${declared.source}. Write the date as ${declared.source} or as ${ISO_DATE_EXAMPLE}, or declare the format the file uses.`;
}

function fail(rule: string, hint: string): TimeResult {
  return { ok: false, problem: { rule, hint } };
}
