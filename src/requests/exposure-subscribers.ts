import { randomUUID } from "node:crypto";

import { AppError, notFound } from "../errors.js";
import {
  lookupHashOf,
  openField,
  sealPersonIdentifiers,
  type FieldKeys,
} from "../privacy/index.js";
import type { DataRequest, ExposureSubscriber } from "../store/index.js";
import { withRequestAccess } from "./access.js";
import type { RequestContext } from "./context.js";
import { destroyExpiredExposureLists } from "./exposure-lists.js";
import { exposurePlaceOf, type ExposurePlace } from "./exposure-place.js";
import type { Queryable } from "./rows.js";

/** Value of `persons.source` for persons linked from an exposure request's list. */
export const EXPOSURE_PERSON_SOURCE = "exposure_request";

/** One listed subscriber, as shown to the investigator. */
export interface ExposureSubscriberView {
  id: string;
  /** Digits only; null once the list expired, when only linked subscribers remain. */
  phoneNumber: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
  expiresAt: number;
  linkedPersonId: string | null;
  linkedAt: number | null;
}

/** The subscriber list of an exposure request. */
export interface ExposureList {
  requestId: string;
  place: ExposurePlace;
  subscribers: ExposureSubscriberView[];
}

/**
 * Returns the subscribers that the operators listed for an exposure
 * request of the caller's jurisdiction, after destroying the lists past
 * their expiry. Raises `validation_failed` for a request about one person.
 */
export function listExposureSubscribers(
  context: RequestContext,
  requestId: string,
  now: number = Date.now(),
): Promise<ExposureList> {
  return withRequestAccess(
    context,
    "request.view",
    requestId,
    async (_kase, request) => {
      const place = requireExposure(request);
      await destroyExpiredExposureLists(context.db, now);
      const rows = await context.db
        .selectFrom("exposure_subscribers")
        .selectAll()
        .where("request_id", "=", requestId)
        .orderBy("first_seen_at")
        .orderBy("id")
        .execute();
      return {
        requestId,
        place,
        subscribers: rows.map((row) => viewOf(context.keys, request, row)),
      };
    },
  );
}

/**
 * Links a listed subscriber to a person, so that the investigation can
 * follow them up after the list expires: the person with the same phone
 * number, or a new person whose number is encrypted under the request's
 * case. Linking twice returns the first link. A subscriber of a list past
 * its expiry is not found, because unlinked rows are destroyed then.
 */
export function linkExposureSubscriber(
  context: RequestContext,
  requestId: string,
  subscriberId: string,
  now: number = Date.now(),
): Promise<ExposureSubscriberView> {
  return withRequestAccess(
    context,
    "request.review_upload",
    requestId,
    async (_kase, request) => {
      requireExposure(request);
      await destroyExpiredExposureLists(context.db, now);

      return context.db.transaction().execute(async (trx) => {
        const row = await loadSubscriber(trx, requestId, subscriberId);
        if (row.linked_person_id !== null) {
          return viewOf(context.keys, request, row);
        }
        const phoneNumber = openPhoneNumber(context.keys, request, row);
        if (phoneNumber === null) {
          // Only linked rows outlive their list, so this row is being destroyed.
          throw notFound("Listed subscriber");
        }
        const personId = await findOrCreatePerson(trx, context.keys, request, {
          subscriberId,
          phoneNumber,
          now,
        });
        await trx
          .updateTable("exposure_subscribers")
          .set({ linked_person_id: personId, linked_at: now })
          .where("id", "=", row.id)
          .execute();
        return viewOf(context.keys, request, {
          ...row,
          linked_person_id: personId,
          linked_at: now,
        });
      });
    },
  );
}

function requireExposure(request: DataRequest): ExposurePlace {
  const place = exposurePlaceOf(request);
  if (place === null) {
    throw new AppError(
      "validation_failed",
      `Data request ${request.id} is about the case's own person, not an exposure at a place, so it has no subscriber list.`,
    );
  }
  return place;
}

async function loadSubscriber(
  db: Queryable,
  requestId: string,
  subscriberId: string,
): Promise<ExposureSubscriber> {
  const row = await db
    .selectFrom("exposure_subscribers")
    .selectAll()
    .where("id", "=", subscriberId)
    .where("request_id", "=", requestId)
    .executeTakeFirst();
  if (row === undefined) {
    throw notFound("Listed subscriber");
  }
  return row;
}

async function findOrCreatePerson(
  db: Queryable,
  keys: FieldKeys,
  request: DataRequest,
  subscriber: { subscriberId: string; phoneNumber: string; now: number },
): Promise<string> {
  const existing = await db
    .selectFrom("persons")
    .select("id")
    .where(
      "phone_number_hash",
      "=",
      lookupHashOf(keys, "phone", subscriber.phoneNumber),
    )
    .orderBy("created_at")
    .executeTakeFirst();
  if (existing !== undefined) {
    return existing.id;
  }

  const personId = randomUUID();
  await db
    .insertInto("persons")
    .values({
      id: personId,
      label: `Exposure subscriber ${subscriber.subscriberId.slice(0, 8)}`,
      ...sealPersonIdentifiers(keys, request.case_id, personId, {
        name: null,
        phoneNumber: subscriber.phoneNumber,
        cardNumber: null,
      }),
      sex: null,
      birth_year: null,
      country: null,
      home_province: null,
      home_city: null,
      source: EXPOSURE_PERSON_SOURCE,
      source_ref: subscriber.subscriberId,
      created_at: subscriber.now,
    })
    .execute();
  return personId;
}

function openPhoneNumber(
  keys: FieldKeys,
  request: DataRequest,
  row: ExposureSubscriber,
): string | null {
  return openField(
    keys,
    request.case_id,
    { table: "exposure_subscribers", column: "phone_number", rowId: row.id },
    row.phone_number,
  );
}

function viewOf(
  keys: FieldKeys,
  request: DataRequest,
  row: ExposureSubscriber,
): ExposureSubscriberView {
  return {
    id: row.id,
    phoneNumber: openPhoneNumber(keys, request, row),
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    linkedPersonId: row.linked_person_id,
    linkedAt: row.linked_at,
  };
}
