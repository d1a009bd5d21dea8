import type { ReactElement } from "react";

import type { Me } from "../api/index.js";
import { can } from "../session/session.js";
import { AuditSearchPage } from "./AuditSearchPage.js";
import { MonthlyReviewPage } from "./MonthlyReviewPage.js";
import { PersonHistoryPage } from "./PersonHistoryPage.js";
import type { AuditRoute } from "./routes.js";
import "./audit.css";

/** Picks the auditors' screen for a route, or `notFound` when the user may not open it. */
export function renderAuditScreen(
  route: AuditRoute,
  user: Me,
  notFound: ReactElement,
): ReactElement {
  switch (route.name) {
    case "auditSearch":
      return can(user, "audit.search") ? <AuditSearchPage /> : notFound;
    case "auditPerson":
      return can(user, "audit.search") ? (
        <PersonHistoryPage key={route.personId} personId={route.personId} />
      ) : (
        notFound
      );
    case "auditReview":
      return can(user, "audit.review") ? <MonthlyReviewPage /> : notFound;
  }
}
