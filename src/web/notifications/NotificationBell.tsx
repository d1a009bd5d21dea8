import { useCallback, useEffect, useState } from "react";

import { Link } from "../app/router.js";
import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { requestPath } from "../requests/routes.js";
import {
  notificationApi,
  type AppNotification,
  type NotificationList,
} from "./api.js";

/** How often the count is fetched again while the app is open, in milliseconds. */
const REFRESH_MS = 60_000;

/**
 * Renders a bell with the number of unread notifications and, when
 * opened, the latest ones with links to their requests.
 */
export function NotificationBell() {
  const { t, number } = useI18n();
  const [list, setList] = useState<NotificationList | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback((signal?: AbortSignal) => {
    notificationApi
      .list(signal)
      .then(setList)
      .catch((caught: unknown) => {
        if (signal?.aborted !== true) setError(errorText(caught));
      });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    const timer = window.setInterval(() => load(controller.signal), REFRESH_MS);
    return () => {
      controller.abort();
      window.clearInterval(timer);
    };
  }, [load]);

  const toggle = () => {
    if (!open) load();
    setOpen(!open);
  };
  const markAllRead = async () => {
    try {
      await notificationApi.markAllRead();
      load();
    } catch (caught) {
      setError(errorText(caught));
    }
  };

  const unread = list?.unreadCount ?? 0;
  return (
    <div className="notification-bell">
      <button
        type="button"
        className="link-button"
        data-testid="notification-bell"
        aria-expanded={open}
        aria-label={t("notifications.open", { count: number(unread) })}
        onClick={toggle}
      >
        {t("notifications.title")}
        {unread > 0 ? (
          <span
            className="badge notification-count"
            data-testid="notification-count"
          >
            {number(unread)}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          className="notification-panel panel"
          data-testid="notification-panel"
        >
          <div className="notification-panel-header">
            <strong>{t("notifications.title")}</strong>
            {unread > 0 ? (
              <button
                type="button"
                className="link-button"
                onClick={() => void markAllRead()}
              >
                {t("notifications.markAllRead")}
              </button>
            ) : null}
          </div>
          <ErrorMessage message={error} />
          {list === null || list.items.length === 0 ? (
            <p className="empty">{t("notifications.empty")}</p>
          ) : (
            <ul className="notification-list">
              {list.items.map((item) => (
                <NotificationItem key={item.id} item={item} />
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </div>
  );
}

function NotificationItem({ item }: { item: AppNotification }) {
  const { t, label, instant, number } = useI18n();
  const provider = item.detail.providerName ?? t("common.none");
  const text =
    item.kind === "request.answer_received"
      ? t("notifications.answerReceived", {
          provider,
          kind: label("dataKind", item.detail.dataKind ?? ""),
          records: number(item.detail.recordCount ?? 0),
        })
      : item.kind === "request.part_declined"
        ? t("notifications.partDeclined", { provider })
        : t("notifications.answered");
  return (
    <li
      className={item.readAt === null ? "notification unread" : "notification"}
      data-testid="notification"
      data-kind={item.kind}
    >
      {item.requestId === null ? (
        <span>{text}</span>
      ) : (
        <Link to={requestPath(item.requestId)}>{text}</Link>
      )}
      <span className="muted"> · {instant(item.createdAt)}</span>
    </li>
  );
}
