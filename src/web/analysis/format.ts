import {
  formatDate,
  formatInstant,
  formatNumber,
  seoulDateOf,
  type Locale,
} from "../i18n/format.js";
import type { StayRef } from "./types.js";

/**
 * Formats an interval in Seoul time, `2020-03-02 (월) 10:00–11:00`, with
 * the end date only when it is another day.
 */
export function formatInterval(
  startIso: string,
  endIso: string,
  locale: Locale,
): string {
  const start = formatInstant(startIso, locale);
  if (endIso === startIso) {
    return start;
  }
  if (seoulDateOf(endIso) === seoulDateOf(startIso)) {
    return `${start}–${formatInstant(endIso, locale).slice(-5)}`;
  }
  return `${start} – ${formatInstant(endIso, locale)}`;
}

/**
 * Formats when a stay was: its date when known only to the day, else its
 * certain part, and the possible end after a plus sign when there is one.
 */
export function formatStayTime(stay: StayRef, locale: Locale): string {
  if (stay.startedAt === null || stay.lastFixAt === null) {
    return stay.visitDate === null ? "" : formatDate(stay.visitDate, locale);
  }
  const certain = formatInterval(stay.startedAt, stay.lastFixAt, locale);
  if (stay.finishedAt === null || stay.finishedAt === stay.lastFixAt) {
    return certain;
  }
  return `${certain} (+${formatInstant(stay.finishedAt, locale).slice(-5)})`;
}

/** Formats a number with at most `digits` decimals. */
export function formatDecimal(
  value: number,
  locale: Locale,
  digits = 1,
): string {
  const factor = 10 ** digits;
  return formatNumber(Math.round(value * factor) / factor, locale);
}

/** Formats a p- or q-value: three significant digits, or `<0.001`. */
export function formatProbability(value: number): string {
  if (value < 0.001) {
    return "<0.001";
  }
  return value.toPrecision(3);
}

/** One colour class of the Gi* map and legend, by the z-score's confidence level. */
export interface ZScoreBin {
  /** Lowest z-score of the bin, inclusive. */
  fromZ: number;
  colour: string;
  /** Message key suffix of the bin's legend entry. */
  key: "cold99" | "cold95" | "cold90" | "neutral" | "hot90" | "hot95" | "hot99";
}

/**
 * Bins at the two-sided 90, 95 and 99 % critical values of the standard
 * normal distribution (1.645, 1.960, 2.576), from cold (blue) to hot (red).
 */
export const Z_SCORE_BINS: readonly ZScoreBin[] = [
  { fromZ: -Infinity, colour: "#2166ac", key: "cold99" },
  { fromZ: -2.576, colour: "#67a9cf", key: "cold95" },
  { fromZ: -1.96, colour: "#d1e5f0", key: "cold90" },
  { fromZ: -1.645, colour: "#f2f2f0", key: "neutral" },
  { fromZ: 1.645, colour: "#fddbc7", key: "hot90" },
  { fromZ: 1.96, colour: "#ef8a62", key: "hot95" },
  { fromZ: 2.576, colour: "#b2182b", key: "hot99" },
];

/** Returns the colour of a z-score's bin. */
export function zScoreColour(zScore: number): string {
  let colour = Z_SCORE_BINS[0]!.colour;
  for (const bin of Z_SCORE_BINS) {
    if (zScore >= bin.fromZ) colour = bin.colour;
  }
  return colour;
}

/**
 * Days that a window slider offers at most: a century, so that data of
 * many years apart (tracks of 2008 beside cases of 2020) keeps every day.
 */
const MAX_SLIDER_DAYS = 36_525;

/** Lists the Seoul dates from `first` to `last`, both included. */
export function datesBetween(first: string, last: string): string[] {
  const dates: string[] = [];
  const day = new Date(`${first}T00:00:00Z`);
  for (let i = 0; i < MAX_SLIDER_DAYS; i++) {
    const text = day.toISOString().slice(0, 10);
    if (text > last) break;
    dates.push(text);
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return dates;
}
