import type { ReactElement } from "react";

import type { Me } from "../api/index.js";
import { can } from "../session/session.js";
import { ExposurePage } from "./ExposurePage.js";
import { HotspotPage } from "./HotspotPage.js";
import { LinksPage } from "./LinksPage.js";
import type { AnalysisRoute } from "./routes.js";
import "./analysis.css";

/** Picks the analysis screen for a route, or `notFound` when the user may not open it. */
export function renderAnalysisScreen(
  route: AnalysisRoute,
  user: Me,
  notFound: ReactElement,
): ReactElement {
  switch (route.name) {
    case "hotspots":
      return can(user, "hotspot.view") ? <HotspotPage /> : notFound;
    case "exposure":
      return can(user, "exposure.query") ? <ExposurePage /> : notFound;
    case "links":
      return can(user, "link.view") ? <LinksPage /> : notFound;
  }
}
