import type { ReactNode } from "react";

import { useI18n } from "../i18n/index.js";
import { NotificationBell } from "../notifications/NotificationBell.js";
import { can, useSession, useUser } from "../session/session.js";
import { Link, useLocation } from "./router.js";
import { LanguageSwitch } from "./ui.js";

/** Renders the top bar with the screens the user may open, and the page below it. */
export function Shell({ children }: { children: ReactNode }) {
  const { t, label } = useI18n();
  const user = useUser();
  const { logout } = useSession();
  const { pathname } = useLocation();

  const items = [
    { to: "/cases", text: t("nav.cases"), allowed: can(user, "case.search") },
    {
      to: "/cases/new",
      text: t("nav.newCase"),
      allowed: can(user, "case.create"),
    },
    {
      to: "/requests",
      text: t("nav.requests"),
      allowed: can(user, "request.view"),
    },
    {
      to: "/approvals",
      text: t("nav.approvals"),
      allowed: can(user, "request.approve"),
    },
    {
      to: "/inbox",
      text: t("nav.inbox"),
      allowed: can(user, "provider.pull"),
    },
    {
      to: "/admin/users",
      text: t("nav.users"),
      allowed: can(user, "user.manage") || can(user, "organisation.manage"),
    },
    {
      to: "/hotspots",
      text: t("nav.hotspots"),
      allowed: can(user, "hotspot.view"),
    },
    {
      to: "/exposure",
      text: t("nav.exposure"),
      allowed: can(user, "exposure.query"),
    },
    { to: "/links", text: t("nav.links"), allowed: can(user, "link.view") },
    { to: "/audit", text: t("nav.audit"), allowed: can(user, "audit.search") },
    {
      to: "/audit/review",
      text: t("nav.auditReview"),
      allowed: can(user, "audit.review"),
    },
  ];
  const isCurrent = (to: string) =>
    to === "/cases"
      ? pathname === "/cases" ||
        (pathname.startsWith("/cases/") && pathname !== "/cases/new")
      : pathname === to;

  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          epitrace
        </Link>
        <nav aria-label={t("nav.main")}>
          {items
            .filter((item) => item.allowed)
            .map((item) => (
              <Link
                key={item.to}
                to={item.to}
                className={isCurrent(item.to) ? "nav-item current" : "nav-item"}
              >
                {item.text}
              </Link>
            ))}
        </nav>
        <div className="topbar-user">
          <span className="user-name">{user.displayName}</span>
          <span className="user-meta">
            {user.organisation.name} · {label("role", user.role)}
          </span>
          {can(user, "request.view") ? <NotificationBell /> : null}
          <LanguageSwitch />
          <Link to="/account/password" className="link-button">
            {t("nav.changePassword")}
          </Link>
          {user.secondFactorEnrolled ? null : (
            <Link to="/account/second-factor" className="link-button">
              {t("nav.secondFactor")}
            </Link>
          )}
          <button
            type="button"
            className="link-button"
            onClick={() => void logout()}
          >
            {t("nav.logout")}
          </button>
        </div>
      </header>
      <main className="page">{children}</main>
    </div>
  );
}
