import { randomUUID } from "node:crypto";

import type { Kysely, Transaction } from "kysely";

import type { AccessContext } from "../access/index.js";
import { AppError } from "../errors.js";
import type {
  Database,
  DataRequest,
  Notification,
  NotificationKind,
} from "../store/index.js";

type Queryable = Kysely<Database> | Transaction<Database>;

/** Most notifications one listing returns. */
export const MAX_NOTIFICATIONS_LISTED = 100;

/** A user's notifications, newest first, with the number still unread. */
export interface NotificationList {
  items: Notification[];
  unreadCount: number;
}

/**
 * Writes a notification about a data request to the investigator who made
 * it. `detail` contains ids and counts only, because notifications are
 * listed without an audit event.
 */
export async function notifyRequester(
  db: Queryable,
  request: Pick<DataRequest, "id" | "requested_by_user_id" | "organisation_id">,
  kind: NotificationKind,
  detail: Record<string, string | number | null>,
  now: number,
): Promise<void> {
  await db
    .insertInto("notifications")
    .values({
      id: randomUUID(),
      recipient_user_id: request.requested_by_user_id,
      organisation_id: request.organisation_id,
      kind,
      request_id: request.id,
      detail: JSON.stringify(detail),
      created_at: now,
      read_at: null,
    })
    .execute();
}

/** Lists the caller's own notifications, newest first, and counts the unread ones. */
export async function listNotifications(
  context: AccessContext,
  options: { unreadOnly?: boolean; limit?: number } = {},
): Promise<NotificationList> {
  const limit = options.limit ?? MAX_NOTIFICATIONS_LISTED;
  if (
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > MAX_NOTIFICATIONS_LISTED
  ) {
    throw new AppError(
      "validation_failed",
      `Invalid limit ${limit}: expected a whole number from 1 to ${MAX_NOTIFICATIONS_LISTED}.`,
    );
  }
  const userId = context.caller.user.id;

  let query = context.db
    .selectFrom("notifications")
    .selectAll()
    .where("recipient_user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(limit);
  if (options.unreadOnly === true) {
    query = query.where("read_at", "is", null);
  }
  const unread = await context.db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("recipient_user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return { items: await query.execute(), unreadCount: Number(unread.count) };
}

/**
 * Marks the caller's notifications as read: those named, or all of them.
 * Ids of another user's notifications are ignored, so they cannot be
 * distinguished from unknown ids. Returns the number marked.
 */
export async function markNotificationsRead(
  context: AccessContext,
  ids: readonly string[] | "all",
  now: number = Date.now(),
): Promise<number> {
  if (ids !== "all" && ids.length === 0) {
    return 0;
  }
  let query = context.db
    .updateTable("notifications")
    .set({ read_at: now })
    .where("recipient_user_id", "=", context.caller.user.id)
    .where("read_at", "is", null);
  if (ids !== "all") {
    query = query.where("id", "in", [...ids]);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
