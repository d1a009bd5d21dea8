import { queryString, request } from "../api/client.js";

/** A notification as the API returns it; instants are ISO 8601. */
export interface AppNotification {
  id: string;
  kind:
    "request.answer_received" | "request.part_declined" | "request.answered";
  requestId: string | null;
  /** Ids and counts, such as the data kind and record count of an upload. */
  detail: {
    dataKind?: string;
    recordCount?: number;
    providerName?: string;
  };
  createdAt: string;
  readAt: string | null;
}

export interface NotificationList {
  items: AppNotification[];
  unreadCount: number;
}

/** The notification endpoints of the signed-in user. */
export const notificationApi = {
  list: (signal?: AbortSignal) =>
    request<NotificationList>(
      "GET",
      `/api/notifications${queryString({ limit: 20 })}`,
      signal === undefined ? {} : { signal },
    ),
  markAllRead: () =>
    request<{ marked: number }>("POST", "/api/notifications/read", {
      body: {},
    }),
};
