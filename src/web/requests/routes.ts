/** The data request screens, matched from the location path. */
export type RequestRoute =
  | { name: "requestList" }
  | { name: "request"; id: string }
  | { name: "approvalQueue" }
  | { name: "approval"; id: string }
  | { name: "inbox" }
  | { name: "inboxPart"; id: string }
  | { name: "forwarding"; id: string };

export const REQUEST_LIST_PATH = "/requests";
export const APPROVAL_QUEUE_PATH = "/approvals";
export const INBOX_PATH = "/inbox";

/** Returns the path of a provider's part of one request in its web inbox. */
export function inboxPartPath(id: string): string {
  return `${INBOX_PATH}/${encodeURIComponent(id)}`;
}

/** Returns the path of the card association's forwarding page of one request. */
export function forwardingPath(id: string): string {
  return `${inboxPartPath(id)}/forward`;
}

/** Returns the path of one request's page for investigators. */
export function requestPath(id: string): string {
  return `${REQUEST_LIST_PATH}/${encodeURIComponent(id)}`;
}

/** Returns the path of one location request's page for the police. */
export function approvalPath(id: string): string {
  return `${APPROVAL_QUEUE_PATH}/${encodeURIComponent(id)}`;
}

/** Matches a location path to a data request screen, or returns null for any other path. */
export function matchRequestRoute(pathname: string): RequestRoute | null {
  const path = pathname.replace(/\/+$/, "");
  if (path === REQUEST_LIST_PATH) return { name: "requestList" };
  if (path === APPROVAL_QUEUE_PATH) return { name: "approvalQueue" };
  if (path === INBOX_PATH) return { name: "inbox" };

  const request = /^\/requests\/([^/]+)$/.exec(path);
  if (request?.[1] !== undefined) {
    return { name: "request", id: decodeURIComponent(request[1]) };
  }
  const approval = /^\/approvals\/([^/]+)$/.exec(path);
  if (approval?.[1] !== undefined) {
    return { name: "approval", id: decodeURIComponent(approval[1]) };
  }
  const forwarding = /^\/inbox\/([^/]+)\/forward$/.exec(path);
  if (forwarding?.[1] !== undefined) {
    return { name: "forwarding", id: decodeURIComponent(forwarding[1]) };
  }
  const inboxPart = /^\/inbox\/([^/]+)$/.exec(path);
  if (inboxPart?.[1] !== undefined) {
    return { name: "inboxPart", id: decodeURIComponent(inboxPart[1]) };
  }
  return null;
}
