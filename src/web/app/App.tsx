import { UsersPage } from "../admin/UsersPage.js";
import { CaseListPage } from "../cases/CaseListPage.js";
import { CasePage } from "../cases/CasePage.js";
import { NewCasePage } from "../cases/NewCasePage.js";
import { useI18n } from "../i18n/index.js";
import { ChangePasswordPage } from "../session/ChangePasswordPage.js";
import { LoginPage } from "../session/LoginPage.js";
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

  const user = state.user;
  if (user.passwordMustChange) {
    return <ChangePasswordPage />;
  }
  if (route.name === "login" || route.name === "home") {
    return <Redirect to={homePath(user)} />;
  }
  return <Shell>{renderScreen(route, user, t("common.pageNotFound"))}</Shell>;
}

/** Returns the first screen the user may open. */
function homePath(user: Me): string {
  if (can(user, "case.search")) return "/cases";
  if (can(user, "user.manage") || can(user, "organisation.manage"))
    return "/admin/users";
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
