export {
  MAX_NOTIFICATIONS_LISTED,
  listNotifications,
  markNotificationsRead,
  notifyRequester,
  type NotificationList,
} from "./notifications.js";
