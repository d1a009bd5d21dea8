import type { RejectedRow } from "../report.js";
import {
  CELL_TYPE_ALIASES,
  DEFAULT_CELL_RADIUS_METERS,
  DEFAULT_CELL_TYPE,
  type ProviderKind,
} from "./kinds.js";
import type { ProviderRecord } from "./records.js";
import { RowReader, type SourceRow } from "./row-reader.js";
import { fallbackName } from "./columns.js";
import { formatDate, type TimeOptions } from "./time.js";
import { readTiming, type Timing, type TimingColumns } from "./timing.js";

export interface NormaliseOptions {
  kind: ProviderKind;
  time: TimeOptions;
}

export type NormaliseResult =
  | { ok: true; record: ProviderRecord }
  | { ok: false; rejections: RejectedRow[] };

type Normaliser = (
  reader: RowReader,
  options: NormaliseOptions,
) => ProviderRecord | undefined;

const NORMALISERS: Record<ProviderKind, Normaliser> = {
  gps: normaliseGps,
  "base-station": normaliseBaseStation,
  card: normaliseCard,
  checkin: normaliseCheckin,
  interview: normaliseInterview,
};

/**
 * Checks one row of a provider file and turns it into a record, or returns
 * every rule the row breaks.
 */
export function normaliseRow(
  source: SourceRow,
  options: NormaliseOptions,
): NormaliseResult {
  const reader = new RowReader(source, options.time);
  const record = NORMALISERS[options.kind](reader, options);
  if (record === undefined || reader.rejections.length > 0) {
    return { ok: false, rejections: reader.rejections };
  }
  return { ok: true, record };
}

/** Starts a record with the subject of the row; the import checks it against `--subject`. */
function newRecord(
  reader: RowReader,
  options: NormaliseOptions,
  subject: string | undefined,
  timing: Timing,
): ProviderRecord {
  return {
    kind: options.kind,
    subject: subject ?? null,
    file: reader.source.file,
    rows: [reader.source.row],
    startedAt: timing.startedAt,
    endedAt: timing.endedAt,
    visitDate: timing.visitDate,
    latitude: null,
    longitude: null,
    radiusMeters: null,
    altitudeMeters: null,
    placeName: null,
    address: null,
    placeTypes: [],
    note: null,
    details: {},
    flags: timing.flags,
  };
}

function normaliseGps(
  reader: RowReader,
  options: NormaliseOptions,
): ProviderRecord | undefined {
  const timing = readTiming(reader, {
    start: "tracked_at",
    end: "ended_at",
    date: "visit_date",
    startRequired: false,
    flagMissingEnd: false,
  });
  const position = reader.position(true);
  const radiusMeters = reader.meters("accuracy_meters");
  const altitudeMeters = reader.optionalDecimal("altitude_meters");
  if (timing === undefined || !position) {
    return undefined;
  }

  return {
    ...newRecord(reader, options, reader.text("subject"), timing),
    ...position,
    radiusMeters: radiusMeters ?? null,
    altitudeMeters: altitudeMeters ?? null,
    placeName: reader.text("place_name") ?? null,
    address: reader.text("address") ?? null,
  };
}

function normaliseBaseStation(
  reader: RowReader,
  options: NormaliseOptions,
): ProviderRecord | undefined {
  const phone = readPhoneNumber(reader);
  const timing = readInstantOnly(reader, "observed_at");
  const cellId = reader.required("cell_id");
  const cellType = readCellType(reader);
  const position = reader.position(true);
  const accuracy = reader.meters("accuracy_meters");
  if (
    phone === undefined ||
    timing === undefined ||
    cellId === undefined ||
    cellType === undefined ||
    !position ||
    (accuracy === undefined && reader.text("accuracy_meters") !== undefined)
  ) {
    return undefined;
  }

  const record = {
    ...newRecord(reader, options, phone, timing),
    ...position,
    radiusMeters: accuracy ?? DEFAULT_CELL_RADIUS_METERS[cellType],
    address: reader.text("address") ?? null,
    details: withoutEmpty({
      cellId,
      cellType,
      operator: reader.text("operator"),
      phoneLast4: phone.slice(-4),
    }),
  };
  if (accuracy === undefined) {
    record.flags.push("default_radius");
  }
  return record;
}

function normaliseCard(
  reader: RowReader,
  options: NormaliseOptions,
): ProviderRecord | undefined {
  const card = readCardNumber(reader);
  const timing = readInstantOnly(reader, "paid_at");
  const merchant = reader.required("merchant_name");
  const position = reader.position(false);
  const address = reader.text("address");
  const amount = readAmount(reader);
  if (position === null && address === undefined) {
    rejectMissingLocation(reader);
  }
  if (
    card === undefined ||
    timing === undefined ||
    merchant === undefined ||
    position === undefined ||
    amount === "invalid"
  ) {
    return undefined;
  }

  const category = reader.text("business_category");
  return {
    ...newRecord(reader, options, reader.text("subject"), timing),
    ...(position ?? {}),
    placeName: merchant,
    address: address ?? null,
    placeTypes: category === undefined ? [] : [category],
    details: withoutEmpty({
      cardLast4: card.last4,
      amountKrw: amount,
      cardCompany: reader.text("card_company"),
    }),
    ...(card.digits === undefined ? {} : { cardNumber: card.digits }),
  };
}

function normaliseCheckin(
  reader: RowReader,
  options: NormaliseOptions,
): ProviderRecord | undefined {
  const timing = readTiming(reader, {
    start: "checked_in_at",
    end: "checked_out_at",
    date: "visit_date",
    startRequired: true,
    flagMissingEnd: true,
  });
  const position = reader.position(false);
  const venueId = reader.text("venue_id");
  const venueName = reader.text("venue_name");
  const address = reader.text("address");
  const hasPlace =
    position !== null ||
    venueId !== undefined ||
    venueName !== undefined ||
    address !== undefined;
  if (!hasPlace) {
    reader.reject(
      "venue_name",
      "",
      "missing_place",
      `Fill in ${reader.columnName("venue_id")}, ${reader.columnName("venue_name")}, ${reader.columnName("address")} or the position: every check-in needs a place.`,
    );
    return undefined;
  }
  if (timing === undefined || position === undefined) {
    return undefined;
  }

  return {
    ...newRecord(reader, options, reader.text("subject"), timing),
    ...(position ?? {}),
    placeName: venueName ?? null,
    address: address ?? null,
    details: withoutEmpty({ venueId }),
  };
}

function normaliseInterview(
  reader: RowReader,
  options: NormaliseOptions,
): ProviderRecord | undefined {
  const columns: TimingColumns = {
    start: "arrived_at",
    end: "departed_at",
    date: "visit_date",
    startRequired: false,
    flagMissingEnd: true,
  };
  const timing = readTiming(reader, columns);
  const lastVisitDate =
    timing === undefined ? undefined : readLastVisitDate(reader, timing);
  const position = reader.position(false);
  const address = reader.text("address");
  const maskWorn = readBoolean(reader, "mask_worn");
  if (position === null && address === undefined) {
    rejectMissingLocation(reader);
  }
  if (
    timing === undefined ||
    lastVisitDate === "invalid" ||
    position === undefined ||
    maskWorn === "invalid"
  ) {
    return undefined;
  }

  const subject =
    reader.text("subject") ?? reader.text(fallbackName("subject"));
  return {
    ...newRecord(reader, options, subject, timing),
    ...(position ?? {}),
    placeName: reader.text("place_name") ?? null,
    address: address ?? null,
    note: reader.text("note") ?? null,
    details: withoutEmpty({
      transport: reader.text("transport"),
      maskWorn,
      lastVisitDate,
    }),
  };
}

/**
 * Reads the last day of a date-only visit that spans several days. Returns
 * the day as `YYYY-MM-DD` when it is later than visit_date, undefined when
 * it is empty or the same day, and "invalid" after a rejection.
 *
 * NOTE: the store and the analyses read visitDate only, so they place a
 * visit of several days on its first day. The last day stays in details.
 */
function readLastVisitDate(
  reader: RowReader,
  timing: Timing,
): string | undefined | "invalid" {
  const column = "last_visit_date";
  const text = reader.text(column);
  if (text === undefined) {
    return undefined;
  }
  const time = reader.time(column);
  if (time === undefined) {
    return "invalid";
  }
  if (time.type !== "date") {
    reader.reject(
      column,
      text,
      "date_format",
      `${reader.columnName(column)} is a date alone, such as 2024-03-05; give the times of a visit in ${reader.columnName("arrived_at")} and ${reader.columnName("departed_at")}.`,
    );
    return "invalid";
  }
  if (timing.visitDate === null) {
    reader.reject(
      column,
      text,
      "last_date_without_date",
      `${reader.columnName(column)} needs ${reader.columnName("visit_date")} and no time in ${reader.columnName("arrived_at")}. Fill in ${reader.columnName("visit_date")}, or clear ${reader.columnName(column)}.`,
    );
    return "invalid";
  }
  const lastDate = formatDate(time.date);
  if (lastDate < timing.visitDate) {
    reader.reject(
      column,
      text,
      "end_before_start",
      `${reader.columnName(column)} is earlier than ${reader.columnName("visit_date")}. Check both dates.`,
    );
    return "invalid";
  }
  return lastDate === timing.visitDate ? undefined : lastDate;
}

/** Reads the time of a base-station or card record, which needs a date and a time of day. */
function readInstantOnly(
  reader: RowReader,
  column: string,
): Timing | undefined {
  const text = reader.required(column);
  if (text === undefined) {
    return undefined;
  }
  const time = reader.time(column);
  if (time === undefined) {
    return undefined;
  }
  if (time.type !== "instant") {
    reader.reject(
      column,
      text,
      "time_format",
      `${reader.columnName(column)} needs a date and a time of day, such as 2024-03-05T14:30:00+09:00.`,
    );
    return undefined;
  }
  return {
    startedAt: time.epochMillis,
    endedAt: time.epochMillis,
    visitDate: null,
    flags: time.assumedZone ? ["assumed_zone"] : [],
  };
}

function rejectMissingLocation(reader: RowReader): void {
  reader.reject(
    "address",
    "",
    "missing_location",
    `Fill in ${reader.columnName("address")}, or ${reader.columnName("latitude")} and ${reader.columnName("longitude")}: every row needs a place.`,
  );
}

/**
 * Returns a Korean mobile number as digits, such as 01012345678; `+82 10`
 * becomes `010`.
 */
function readPhoneNumber(reader: RowReader): string | undefined {
  const text = reader.required("phone_number");
  if (text === undefined) {
    return undefined;
  }
  let digits = text.replace(/[\s\-.()]/g, "");
  if (digits.startsWith("+82")) {
    digits = `0${digits.slice(3).replace(/^0/, "")}`;
  }
  if (!/^01[016789]\d{7,8}$/.test(digits)) {
    reader.reject(
      "phone_number",
      text,
      "phone_format",
      "Give a Korean mobile number of 10 or 11 digits starting with 01, such as 010-1234-5678 or +82 10 1234 5678.",
    );
    return undefined;
  }
  return digits;
}

/**
 * Checks a card number and returns its last 4 digits, or `****` when the
 * provider masked them, and all its digits when none is masked.
 */
function readCardNumber(
  reader: RowReader,
): { last4: string; digits?: string } | undefined {
  const text = reader.required("card_number");
  if (text === undefined) {
    return undefined;
  }
  const characters = text.replace(/[\s-]/g, "");
  if (!/^[0-9*]{13,19}$/.test(characters)) {
    reader.reject(
      "card_number",
      text,
      "card_number_format",
      "Give the card number as 13 to 19 digits; spaces, hyphens and masked digits (*) are allowed, such as 9430-12**-****-5678.",
    );
    return undefined;
  }
  const last4 = characters.slice(-4);
  if (/^\d+$/.test(characters)) {
    return { last4, digits: characters };
  }
  return { last4: /^\d{4}$/.test(last4) ? last4 : "****" };
}

function readCellType(
  reader: RowReader,
): keyof typeof DEFAULT_CELL_RADIUS_METERS | undefined {
  const text = reader.text("cell_type");
  if (text === undefined) {
    return DEFAULT_CELL_TYPE;
  }
  const cellType = CELL_TYPE_ALIASES[text.toLowerCase()];
  if (cellType === undefined) {
    reader.reject(
      "cell_type",
      text,
      "cell_type",
      `Give one of ${Object.keys(DEFAULT_CELL_RADIUS_METERS).join(", ")} (or 매크로, 마이크로, 피코, 펨토), or leave it empty for ${DEFAULT_CELL_TYPE}.`,
    );
  }
  return cellType;
}

/** Reads an amount in won such as `12,000`, `12,000원` or `-3000`. */
function readAmount(reader: RowReader): number | undefined | "invalid" {
  const text = reader.text("amount_krw");
  if (text === undefined) {
    return undefined;
  }
  const plain = text
    .replace(/^₩/, "")
    .replace(/(원|KRW)$/i, "")
    .replace(/[,\s]/g, "");
  if (!/^-?\d+(?:\.\d+)?$/.test(plain)) {
    reader.reject(
      "amount_krw",
      text,
      "amount_format",
      "Give the amount in won as a number, such as 12000, 12,000 or 12,000원.",
    );
    return "invalid";
  }
  return Number(plain);
}

const TRUE_WORDS = new Set(["yes", "y", "true", "1", "o", "예", "네", "착용"]);
const FALSE_WORDS = new Set([
  "no",
  "n",
  "false",
  "0",
  "x",
  "아니오",
  "아니요",
  "미착용",
]);

function readBoolean(
  reader: RowReader,
  column: string,
): boolean | undefined | "invalid" {
  const text = reader.text(column);
  if (text === undefined) {
    return undefined;
  }
  const word = text.toLowerCase();
  if (TRUE_WORDS.has(word)) {
    return true;
  }
  if (FALSE_WORDS.has(word)) {
    return false;
  }
  reader.reject(
    column,
    text,
    "boolean_format",
    "Write yes or no (also true/false, Y/N, 예/아니오, 착용/미착용), or leave it empty when unknown.",
  );
  return "invalid";
}

function withoutEmpty(
  details: Record<string, string | number | boolean | undefined>,
): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value !== undefined) {
      result[key] = value;
    }
  }
  return result;
}
