/** Thresholds of the monthly audit review, read from the environment. */
export interface ReviewSettings {
  /**
   * Maximum of distinct persons an account may access on one Seoul day. The
   * review lists an account above it as a bulk view
   * (`EPITRACE_AUDIT_BULK_PERSONS_PER_DAY`, default 50).
   */
  bulkPersonsPerDay: number;
  /** Start of working hours in minutes after Seoul midnight, inclusive (`EPITRACE_AUDIT_WORKDAY_START`, `HH:MM`, default 08:00). */
  workdayStartMinute: number;
  /** End of working hours in minutes after Seoul midnight, exclusive (`EPITRACE_AUDIT_WORKDAY_END`, `HH:MM`, default 20:00). */
  workdayEndMinute: number;
  /**
   * Days of the week on which every access is outside working hours, 0 for
   * Sunday to 6 for Saturday (`EPITRACE_AUDIT_WEEKEND_DAYS`, such as
   * `sat,sun`, the default, or `none`).
   */
  weekendDays: readonly number[];
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = {
  bulkPersonsPerDay: 50,
  workdayStartMinute: 8 * 60,
  workdayEndMinute: 20 * 60,
  weekendDays: [0, 6],
};

/** Three-letter English weekday names, indexed as Date.getUTCDay numbers them. */
export const WEEKDAY_NAMES = [
  "sun",
  "mon",
  "tue",
  "wed",
  "thu",
  "fri",
  "sat",
] as const;

type Environment = Record<string, string | undefined>;

/** Reads the review settings from `env`, rejecting values that are set but invalid. */
export function readReviewSettings(
  env: Environment = process.env,
): ReviewSettings {
  const settings: ReviewSettings = {
    bulkPersonsPerDay: readCount(
      env,
      "EPITRACE_AUDIT_BULK_PERSONS_PER_DAY",
      DEFAULT_REVIEW_SETTINGS.bulkPersonsPerDay,
    ),
    workdayStartMinute: readTimeOfDay(
      env,
      "EPITRACE_AUDIT_WORKDAY_START",
      DEFAULT_REVIEW_SETTINGS.workdayStartMinute,
    ),
    workdayEndMinute: readTimeOfDay(
      env,
      "EPITRACE_AUDIT_WORKDAY_END",
      DEFAULT_REVIEW_SETTINGS.workdayEndMinute,
    ),
    weekendDays: readWeekdays(
      env,
      "EPITRACE_AUDIT_WEEKEND_DAYS",
      DEFAULT_REVIEW_SETTINGS.weekendDays,
    ),
  };
  if (settings.workdayStartMinute >= settings.workdayEndMinute) {
    throw new Error(
      `Invalid settings EPITRACE_AUDIT_WORKDAY_START=${formatTimeOfDay(settings.workdayStartMinute)} and EPITRACE_AUDIT_WORKDAY_END=${formatTimeOfDay(settings.workdayEndMinute)}: the start must be before the end.`,
    );
  }
  return settings;
}

/** Formats minutes after midnight as `HH:MM`. */
export function formatTimeOfDay(minutes: number): string {
  const hours = String(Math.floor(minutes / 60)).padStart(2, "0");
  return `${hours}:${String(minutes % 60).padStart(2, "0")}`;
}

function readCount(env: Environment, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") {
    return fallback;
  }

  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) {
    throw new Error(
      `Invalid setting ${name}=${JSON.stringify(raw)}: expected a whole number from 1 to 1000000.`,
    );
  }
  return value;
}

function readTimeOfDay(
  env: Environment,
  name: string,
  fallback: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === "") {
    return fallback;
  }

  const match = /^(\d{2}):(\d{2})$/.exec(raw);
  const minutes =
    match === null ? Number.NaN : Number(match[1]) * 60 + Number(match[2]);
  const valid = match !== null && Number(match[2]) < 60 && minutes <= 24 * 60;
  if (!valid) {
    throw new Error(
      `Invalid setting ${name}=${JSON.stringify(raw)}: expected a time of day from 00:00 to 24:00 written HH:MM.`,
    );
  }
  return minutes;
}

function readWeekdays(
  env: Environment,
  name: string,
  fallback: readonly number[],
): readonly number[] {
  const raw = env[name];
  if (raw === undefined || raw === "") {
    return fallback;
  }
  if (raw.trim().toLowerCase() === "none") {
    return [];
  }

  const days = raw.split(",").map((part) => {
    const day = WEEKDAY_NAMES.indexOf(
      part.trim().toLowerCase() as (typeof WEEKDAY_NAMES)[number],
    );
    if (day === -1) {
      throw new Error(
        `Invalid setting ${name}=${JSON.stringify(raw)}: expected "none" or weekday names from ${WEEKDAY_NAMES.join(", ")} separated by commas.`,
      );
    }
    return day;
  });
  return [...new Set(days)].sort((a, b) => a - b);
}
