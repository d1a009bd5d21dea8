import { formatDate, SEOUL_TIME_ZONE, type Locale } from "../i18n/format.js";
import type { AuditAccount } from "./types.js";

const seoulClock = new Intl.DateTimeFormat("en-US", {
  timeZone: SEOUL_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** Splits an instant into its Seoul calendar date and time of day with seconds. */
function seoulDateAndTime(instant: Date): { date: string; time: string } {
  const parts: Record<string, string> = {};
  for (const part of seoulClock.formatToParts(instant)) {
    parts[part.type] = part.value;
  }
  return {
    date: `${parts["year"]}-${parts["month"]}-${parts["day"]}`,
    time: `${parts["hour"]}:${parts["minute"]}:${parts["second"]}`,
  };
}

/** Formats an ISO instant as its Seoul date and time to the second, `2020-03-05 (목) 21:30:15`. */
export function formatAuditTime(instant: string, locale: Locale): string {
  const { date, time } = seoulDateAndTime(new Date(instant));
  return `${formatDate(date, locale)} ${time}`;
}

/** Returns the Seoul calendar month (`YYYY-MM`) before the one an instant falls in. */
export function previousSeoulMonth(now: Date): string {
  const [year, month] = seoulDateAndTime(now).date.split("-").map(Number) as [
    number,
    number,
  ];
  return month === 1
    ? `${year - 1}-12`
    : `${year}-${String(month - 1).padStart(2, "0")}`;
}

/** Returns the name that identifies an account in tables: its username, else its user id. */
export function accountName(account: AuditAccount): string | null {
  return account.username ?? account.userId;
}

/** Formats an event's detail object as `key: value` pairs, nested values as JSON. */
export function formatDetail(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) =>
      typeof value === "string"
        ? `${key}: ${value}`
        : `${key}: ${JSON.stringify(value)}`,
    )
    .join(", ");
}
