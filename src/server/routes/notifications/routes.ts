import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";

import {
  listNotifications,
  markNotificationsRead,
} from "../../../notifications/index.js";
import type { Notification } from "../../../store/index.js";
import { accessContextOf } from "../../context.js";

const NotificationListQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

const MarkReadBody = Type.Union([
  Type.Object(
    {
      ids: Type.Optional(
        Type.Array(Type.String({ format: "uuid" }), {
          minItems: 1,
          maxItems: 100,
          description: "Notifications to mark; leave out to mark all",
        }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

/** The signed-in user's own notifications, such as an answer that reached one of its requests. */
export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/notifications",
    { schema: { querystring: NotificationListQuery } },
    async (request) => {
      const list = await listNotifications(accessContextOf(request), {
        unreadOnly: request.query.unread ?? false,
        ...(request.query.limit === undefined
          ? {}
          : { limit: request.query.limit }),
      });
      return {
        items: list.items.map(presentNotification),
        unreadCount: list.unreadCount,
      };
    },
  );

  app.post(
    "/notifications/read",
    { schema: { body: MarkReadBody } },
    async (request) => {
      const marked = await markNotificationsRead(
        accessContextOf(request),
        request.body?.ids ?? "all",
      );
      return { marked };
    },
  );
};

function presentNotification(notification: Notification) {
  return {
    id: notification.id,
    kind: notification.kind,
    requestId: notification.request_id,
    detail: JSON.parse(notification.detail) as Record<string, unknown>,
    createdAt: new Date(notification.created_at).toISOString(),
    readAt:
      notification.read_at === null
        ? null
        : new Date(notification.read_at).toISOString(),
  };
}
