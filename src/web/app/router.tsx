import { useSyncExternalStore, type MouseEvent, type ReactNode } from "react";

/** The screens of the app, matched from the location path. */
export type Route =
  | { name: "login" }
  | { name: "home" }
  | { name: "cases" }
  | { name: "newCase" }
  | { name: "case"; id: string }
  | { name: "users" }
  | { name: "changePassword" }
  | { name: "enrolSecondFactor" }
  | { name: "notFound" };

const NAVIGATION_EVENT = "epitrace:navigate";

/** Matches a location path to a route. */
export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/") return { name: "home" };
  if (path === "/login") return { name: "login" };
  if (path === "/cases") return { name: "cases" };
  if (path === "/cases/new") return { name: "newCase" };
  if (path === "/admin/users") return { name: "users" };
  if (path === "/account/password") return { name: "changePassword" };
  if (path === "/account/second-factor") return { name: "enrolSecondFactor" };

  const caseMatch = /^\/cases\/([^/]+)$/.exec(path);
  if (caseMatch?.[1] !== undefined) {
    return { name: "case", id: decodeURIComponent(caseMatch[1]) };
  }
  return { name: "notFound" };
}

/** Moves to a path with the History API and re-renders every useLocation caller. */
export function navigate(
  to: string,
  options: { replace?: boolean } = {},
): void {
  const current = window.location.pathname + window.location.search;
  if (to === current) {
    return;
  }
  if (options.replace === true) {
    window.history.replaceState(null, "", to);
  } else {
    window.history.pushState(null, "", to);
  }
  window.dispatchEvent(new Event(NAVIGATION_EVENT));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(NAVIGATION_EVENT, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(NAVIGATION_EVENT, onChange);
  };
}

const readLocation = (): string =>
  window.location.pathname + window.location.search;

/** Returns the current path and query string, updated on every navigation. */
export function useLocation(): { pathname: string; search: string } {
  const href = useSyncExternalStore(subscribe, readLocation);
  const url = new URL(href, window.location.origin);
  return { pathname: url.pathname, search: url.search };
}

interface LinkProps {
  to: string;
  children: ReactNode;
  className?: string;
}

/** Renders an anchor that navigates within the app on a plain left click. */
export function Link({ to, children, className }: LinkProps) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    const modified =
      event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.button !== 0 || modified) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className}>
      {children}
    </a>
  );
}
