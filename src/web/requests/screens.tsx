import type { ReactElement } from "react";

import type { Me } from "../api/index.js";
import { can } from "../session/session.js";
import { ApprovalPage } from "./ApprovalPage.js";
import { ApprovalQueuePage } from "./ApprovalQueuePage.js";
import { ForwardingPage } from "./ForwardingPage.js";
import { ProviderInboxPage } from "./ProviderInboxPage.js";
import { ProviderPartPage } from "./ProviderPartPage.js";
import { RequestListPage } from "./RequestListPage.js";
import { RequestPage } from "./RequestPage.js";
import type { RequestRoute } from "./routes.js";
import "./requests.css";

/** Picks the data request screen for a route, or `notFound` when the user may not open it. */
export function renderRequestScreen(
  route: RequestRoute,
  user: Me,
  notFound: ReactElement,
): ReactElement {
  switch (route.name) {
    case "requestList":
      return can(user, "request.view") ? <RequestListPage /> : notFound;
    case "request":
      return can(user, "request.view") ? (
        <RequestPage key={route.id} requestId={route.id} />
      ) : (
        notFound
      );
    case "approvalQueue":
      return can(user, "request.approve") ? <ApprovalQueuePage /> : notFound;
    case "approval":
      return can(user, "request.approve") ? (
        <ApprovalPage key={route.id} requestId={route.id} />
      ) : (
        notFound
      );
    case "inbox":
      return can(user, "provider.pull") ? <ProviderInboxPage /> : notFound;
    case "inboxPart":
      return can(user, "provider.pull") ? (
        <ProviderPartPage key={route.id} requestId={route.id} />
      ) : (
        notFound
      );
    case "forwarding":
      return can(user, "provider.forward") ? (
        <ForwardingPage key={route.id} requestId={route.id} />
      ) : (
        notFound
      );
  }
}
