import { isRealDate, type ParsedTime } from "./time.js";

/** ISO 8601 date and time with seconds and a UTC offset, such as 2024-03-05T14:30:00+09:00. */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|z|[+-]\d{2}:?\d{2})$/;

/**
 * Reads the most common form of provider times, ISO 8601 with seconds and
 * an offset, by arithmetic alone. Returns undefined for every other text,
 * which `parseTime` then reads, so the result never differs from it.
 */
export function parseIsoInstant(text: string): ParsedTime | undefined {
  const match = ISO_INSTANT.exec(text);
  if (match === null) {
    return undefined;
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  const offsetMinutes = offsetOf(match[8]!);
  const date = { year, month, day };
  if (
    year < 1000 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetMinutes === undefined ||
    !isRealDate(date)
  ) {
    return undefined;
  }
  const fraction = match[7];
  const millisecond =
    fraction === undefined ? 0 : Number(fraction.padEnd(3, "0"));
  const epochMillis =
    Date.UTC(year, month - 1, day, hour, minute, second, millisecond) -
    offsetMinutes * 60_000;
  return { type: "instant", epochMillis, assumedZone: false, date };
}

function offsetOf(text: string): number | undefined {
  if (text === "Z" || text === "z") {
    return 0;
  }
  const digits = text.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 18 || minutes > 59) {
    return undefined;
  }
  return (text.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
}
