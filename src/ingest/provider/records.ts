import { seoulDayStart } from "../../domain/seoul-time.js";
import type { ProviderKind } from "./kinds.js";
import type { Template } from "./fast-csv.js";

/**
 * One normalised observation from a provider file: a fix (startedAt equals
 * endedAt), an interval, or a visit known only to the day (visitDate set,
 * both instants null).
 */
export interface ProviderRecord {
  kind: ProviderKind;
  /** Id of the person: `--subject`, or the file's subject column; null when neither is given. */
  subject: string | null;
  /** Input file name, without its folder. */
  file: string;
  /** 1-based rows of `file` that this record was made from, exact duplicates included. */
  rows: number[];
  /** Epoch milliseconds. */
  startedAt: number | null;
  endedAt: number | null;
  /** `YYYY-MM-DD`, a day in Asia/Seoul. */
  visitDate: string | null;
  latitude: number | null;
  longitude: number | null;
  radiusMeters: number | null;
  altitudeMeters: number | null;
  placeName: string | null;
  address: string | null;
  placeTypes: string[];
  note: string | null;
  /** Fields of the kind that the store has no column for, such as the cell id or the amount. */
  details: Record<string, string | number | boolean>;
  flags: string[];
  /**
   * Digits of a card transaction's unmasked card number. The scan moves it
   * to its subject's card numbers before the record is staged, so it is
   * never stored or printed with the record.
   */
  cardNumber?: string;
  /**
   * Set on the records that a reader made from one template, which have
   * equal place columns (position, radius, altitude, name, address, place
   * types, note) and equal details but for `phoneLast4`. Unset on records
   * made one by one.
   */
  sharedPlace?: Template;
}

/** Flags that records may carry, with what each means. */
export const RECORD_FLAGS = {
  assumed_zone: "a time had no UTC offset, so it was read in the declared zone",
  date_only: "the visit is known only to the day",
  end_next_day:
    "the end was a time of day earlier than the start, so it was taken as the next day",
  end_unknown: "the record gives a start but no end",
  default_radius:
    "the record gave no accuracy, so the default radius of its cell type was used",
  implausible_speed:
    "reaching this position from the previous one of the same subject needs a speed above the maximum",
} as const;
export type RecordFlag = keyof typeof RECORD_FLAGS;

/**
 * Speed above which a move between two records of one subject is flagged,
 * in metres per second: 350 km/h, above the top operating speed of Korean
 * high-speed trains (305 km/h).
 */
export const DEFAULT_MAX_SPEED_METERS_PER_SECOND = 350 / 3.6;

/** Returns the instant by which a record sorts. */
export function sortInstant(record: ProviderRecord): number {
  if (record.startedAt !== null) {
    return record.startedAt;
  }
  return record.visitDate === null ? 0 : seoulDayStart(record.visitDate);
}
