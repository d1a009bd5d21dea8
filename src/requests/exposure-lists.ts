import { randomUUID } from "node:crypto";
import { gunzipSync } from "node:zlib";

import { seoulDayEnd, seoulDayStart } from "../domain/index.js";
import { AppError } from "../errors.js";
import { sealField, type FieldKeys } from "../privacy/index.js";
import type {
  DataRequest,
  DataRequestPart,
  ExposureSubscriber,
} from "../store/index.js";
import type { ExposurePlace } from "./exposure-place.js";
import { normalisePhoneNumber } from "./identifiers.js";
import type { Queryable } from "./rows.js";
import type { RequestSettings } from "./settings.js";

/** Columns of the subscriber list that answers an exposure request, in any order. */
export const EXPOSURE_LIST_COLUMNS = [
  "phone_number",
  "first_seen_at",
  "last_seen_at",
] as const;

/** Most subscribers one list may hold. */
export const MAX_EXPOSURE_LIST_ROWS = 100_000;

/** Most row errors one rejection lists. */
const MAX_LISTED_ERRORS = 10;

/** An ISO 8601 instant with an explicit zone, such as 2020-03-07T09:10:00+09:00. */
const INSTANT =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** One subscriber of a list, checked. */
export interface ListedSubscriber {
  /** Digits only. */
  phoneNumber: string;
  firstSeenAt: number;
  lastSeenAt: number;
}

/**
 * Parses the CSV (optionally gzip-compressed) that answers an exposure
 * request. Every row must name a Korean mobile number once, with instants
 * that carry their zone, a presence overlapping the window and at least
 * the request's dwell time. Raises `validation_failed` listing the first
 * invalid rows, so that nothing of a bad file is stored.
 */
export function parseExposureList(
  body: Buffer,
  request: Pick<DataRequest, "window_start_date" | "window_end_date">,
  place: ExposurePlace,
): ListedSubscriber[] {
  const text = decode(body);
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const header = (lines[0] ?? "").split(",").map(unquote);
  const columns = columnIndexes(header);

  const windowStart = seoulDayStart(request.window_start_date);
  const windowEnd = seoulDayEnd(request.window_end_date);
  const rows = lines.slice(1);
  if (rows.length > MAX_EXPOSURE_LIST_ROWS) {
    throw new AppError(
      "validation_failed",
      `Invalid answer file: ${rows.length} rows, but a subscriber list holds at most ${MAX_EXPOSURE_LIST_ROWS}. Check that the place and window were applied.`,
    );
  }

  const errors: string[] = [];
  const seen = new Map<string, number>();
  const subscribers: ListedSubscriber[] = [];
  rows.forEach((line, index) => {
    const rowNumber = index + 2;
    const fail = (field: string, value: string, hint: string) =>
      errors.push(
        `row ${rowNumber}, field ${field}, value ${JSON.stringify(value)}: ${hint}`,
      );
    const cells = line.split(",").map(unquote);
    const phoneRaw = cells[columns.phone_number] ?? "";
    const firstRaw = cells[columns.first_seen_at] ?? "";
    const lastRaw = cells[columns.last_seen_at] ?? "";

    const phoneNumber = mobileNumberOf(phoneRaw);
    if (phoneNumber === null) {
      fail(
        "phone_number",
        phoneRaw,
        "expected a Korean mobile number such as 010-1234-5678.",
      );
      return;
    }
    const earlier = seen.get(phoneNumber);
    if (earlier !== undefined) {
      fail(
        "phone_number",
        phoneRaw,
        `the number is listed on row ${earlier} already; give each subscriber one row from first to last seen.`,
      );
      return;
    }
    seen.set(phoneNumber, rowNumber);

    const firstSeenAt = parseInstant(firstRaw);
    const lastSeenAt = parseInstant(lastRaw);
    if (firstSeenAt === null) {
      fail(
        "first_seen_at",
        firstRaw,
        "expected an ISO 8601 instant with its zone, such as 2020-03-07T09:10:00+09:00.",
      );
      return;
    }
    if (lastSeenAt === null) {
      fail(
        "last_seen_at",
        lastRaw,
        "expected an ISO 8601 instant with its zone, such as 2020-03-07T09:40:00+09:00.",
      );
      return;
    }
    if (lastSeenAt < firstSeenAt) {
      fail(
        "last_seen_at",
        lastRaw,
        `the subscriber was last seen before first seen (${firstRaw}).`,
      );
      return;
    }
    if (lastSeenAt < windowStart || firstSeenAt >= windowEnd) {
      fail(
        "first_seen_at",
        firstRaw,
        `the presence lies outside the window ${request.window_start_date} to ${request.window_end_date} (Seoul days); leave the subscriber out.`,
      );
      return;
    }
    if (lastSeenAt - firstSeenAt < place.minDwellMinutes * MINUTE_MS) {
      fail(
        "last_seen_at",
        lastRaw,
        `the presence is shorter than the request's minimum dwell of ${place.minDwellMinutes} minutes; leave the subscriber out.`,
      );
      return;
    }
    subscribers.push({ phoneNumber, firstSeenAt, lastSeenAt });
  });

  if (errors.length > 0) {
    const listed = errors.slice(0, MAX_LISTED_ERRORS).join("; ");
    const more =
      errors.length > MAX_LISTED_ERRORS
        ? ` (and ${errors.length - MAX_LISTED_ERRORS} more)`
        : "";
    throw new AppError(
      "validation_failed",
      `Invalid subscriber list, nothing was stored: ${listed}${more}.`,
    );
  }
  return subscribers;
}

/**
 * Stores a checked subscriber list of an upload, each phone number
 * encrypted under the data key of the request's case. Every row expires
 * `exposureListRetentionDays` after `now`.
 */
export async function storeExposureList(
  db: Queryable,
  keys: FieldKeys,
  target: { request: DataRequest; part: DataRequestPart; uploadId: string },
  subscribers: readonly ListedSubscriber[],
  settings: RequestSettings,
  now: number,
): Promise<void> {
  const expiresAt = now + settings.exposureListRetentionDays * DAY_MS;
  const rows: ExposureSubscriber[] = subscribers.map((subscriber) => {
    const id = randomUUID();
    return {
      id,
      request_id: target.request.id,
      part_id: target.part.id,
      upload_id: target.uploadId,
      phone_number: sealField(
        keys,
        target.request.case_id,
        { table: "exposure_subscribers", column: "phone_number", rowId: id },
        subscriber.phoneNumber,
      ),
      first_seen_at: subscriber.firstSeenAt,
      last_seen_at: subscriber.lastSeenAt,
      expires_at: expiresAt,
      linked_person_id: null,
      linked_at: null,
      created_at: now,
    };
  });
  for (let start = 0; start < rows.length; start += 500) {
    await db
      .insertInto("exposure_subscribers")
      .values(rows.slice(start, start + 500))
      .execute();
  }
}

/** Deletes the subscriber rows of a withdrawn or rejected upload. Returns the number deleted. */
export async function removeExposureList(
  db: Queryable,
  uploadId: string,
): Promise<number> {
  const result = await db
    .deleteFrom("exposure_subscribers")
    .where("upload_id", "=", uploadId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Destroys the subscriber lists past their expiry: unlinked rows are
 * deleted, and linked rows lose their phone number, which the linked
 * person keeps. Returns the number of rows deleted or cleared.
 */
export async function destroyExpiredExposureLists(
  db: Queryable,
  now: number,
): Promise<number> {
  const deleted = await db
    .deleteFrom("exposure_subscribers")
    .where("expires_at", "<=", now)
    .where("linked_person_id", "is", null)
    .executeTakeFirst();
  const cleared = await db
    .updateTable("exposure_subscribers")
    .set({ phone_number: null })
    .where("expires_at", "<=", now)
    .where("phone_number", "is not", null)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) + Number(cleared.numUpdatedRows);
}

function decode(body: Buffer): string {
  const gzipped = body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
  try {
    return (gzipped ? gunzipSync(body) : body)
      .toString("utf8")
      .replace(/^\uFEFF/, "");
  } catch (error) {
    throw new AppError(
      "validation_failed",
      "Invalid answer file: it starts like gzip but does not decompress. Send the CSV itself or a complete .csv.gz file.",
      { cause: error },
    );
  }
}

function columnIndexes(
  header: readonly string[],
): Record<(typeof EXPOSURE_LIST_COLUMNS)[number], number> {
  const indexes = {} as Record<(typeof EXPOSURE_LIST_COLUMNS)[number], number>;
  for (const column of EXPOSURE_LIST_COLUMNS) {
    const index = header.indexOf(column);
    if (index === -1) {
      throw new AppError(
        "validation_failed",
        `Invalid answer file: row 1 (the header) has no column ${column}. An exposure answer has the columns ${EXPOSURE_LIST_COLUMNS.join(",")}.`,
      );
    }
    indexes[column] = index;
  }
  return indexes;
}

function mobileNumberOf(value: string): string | null {
  try {
    return normalisePhoneNumber(value);
  } catch {
    return null;
  }
}

function parseInstant(value: string): number | null {
  if (!INSTANT.test(value)) {
    return null;
  }
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? null : instant;
}

function unquote(cell: string): string {
  const trimmed = cell.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed;
}
