import { UsersPage } from "../admin/UsersPage.js";
import { matchAnalysisRoute } from "../analysis/routes.js";
import { renderAnalysisScreen } from "../analysis/screens.js";
import { matchAuditRoute } from "../audit/routes.js";
import { renderAuditScreen } from "../audit/screens.js";
import { CaseListPage } from "../cases/CaseListPage.js";
import { CasePage } from "../cases/CasePage.js";
import { NewCasePage } from "../cases/NewCasePage.js";
import { matchRequestRoute } from "../requests/routes.js";
import { renderRequestScreen } from "../requests/screens.js";
import { useI18n } from "../i18n/index.js";
import { ChangePasswordPage } from "../session/ChangePasswordPage.js";
import { EnrolmentPage } from "../session/EnrolmentPage.js";
import { LoginPage } from "../session/LoginPage.js";
import { SecondFactorPage } from "../session/SecondFactorPage.js";
import { can, useSession } from "../session/session.js";
import type { Me } from "../api/index.js";
import { matchRoute, useLocation, type Route } from "./router.js";
import { Shell } from "./Shell.js";
import { ErrorMessage, Redirect } from "./ui.js";

/** Picks the screen for the location and the session. */
export function App() {
  const { t } = useI18n();
  const { state } = useSession();
  const { pathname, search } = useLocation();
  const route = matchRoute(pathname);

  if (state.status === "loading") {
    return <p className="splash">{t("common.loading")}</p>;
  }
  if (state.status === "failed") {
    return (
      <main className="splash">
        <ErrorMessage message={state.message} />
      </main>
    );
  }
  if (state.status === "anonymous") {
    if (route.name !== "login") {
      const next =
        route.name === "home"
          ? ""
          : `?next=${encodeURIComponent(pathname + search)}`;
      return <Redirect to={`/login${next}`} />;
    }
    return <LoginPage />;
  }

  if (state.status === "halfOpen") {
    // The step shows on whatever path login went to, which opens afterwards.
    return state.stage === "second_factor" ? (
      <SecondFactorPage />
    ) : (
      <EnrolmentPage />
    );
  }

  const user = state.user;
  if (user.passwordMustChange) {
    return <ChangePasswordPage />;
  }
  if (route.name === "login" || route.name === "home") {
    return <Redirect to={homePath(user)} />;
  }
  const auditRoute = matchAuditRoute(pathname);
  if (auditRoute !== null) {
    const notFound = <p className="page-message">{t("common.pageNotFound")}</p>;
    return <Shell>{renderAuditScreen(auditRoute, user, notFound)}</Shell>;
  }
  const analysisRoute = matchAnalysisRoute(pathname);
  if (analysisRoute !== null) {
    const notFound = <p className="page-message">{t("common.pageNotFound")}</p>;
    return <Shell>{renderAnalysisScreen(analysisRoute, user, notFound)}</Shell>;
  }
  const requestRoute = matchRequestRoute(pathname);
  if (requestRoute !== null) {
    const notFound = <p className="page-message">{t("common.pageNotFound")}</p>;
    return <Shell>{renderRequestScreen(requestRoute, user, notFound)}</Shell>;
  }
  return <Shell>{renderScreen(route, user, t("common.pageNotFound"))}</Shell>;
}

/** Returns the first screen the user may open. */
function homePath(user: Me): string {
  if (can(user, "case.search")) return "/cases";
  if (can(user, "user.manage") || can(user, "organisation.manage"))
    return "/admin/users";
  if (can(user, "audit.search")) return "/audit";
  if (can(user, "request.approve")) return "/approvals";
  if (can(user, "provider.pull")) return "/inbox";
  return "/cases";
}

function renderScreen(route: Route, user: Me, notFoundText: string) {
  const notFound = <p className="page-message">{notFoundText}</p>;
  switch (route.name) {
    case "cases":
      if (can(user, "case.search")) return <CaseListPage />;
      // The list is the default after login, so users without it go to their own first screen.
      return homePath(user) === "/cases" ? (
        <NoScreens />
      ) : (
        <Redirect to={homePath(user)} />
      );
    case "newCase":
      return can(user, "case.create") ? <NewCasePage /> : notFound;
    case "case":
      return can(user, "case.view") ? (
        <CasePage key={route.id} caseId={route.id} />
      ) : (
        notFound
      );
    case "changePassword":
      return <ChangePasswordPage voluntary />;
    case "enrolSecondFactor":
      return user.secondFactorEnrolled ? notFound : <EnrolmentPage voluntary />;
    case "users": {
      const allowed =
        can(user, "user.manage") || can(user, "organisation.manage");
      return allowed ? <UsersPage /> : notFound;
    }
    default:
      return notFound;
  }
}

function NoScreens() {
  const { t } = useI18n();
  return <p className="page-message">{t("common.noScreens")}</p>;
}
