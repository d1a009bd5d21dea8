/** The data request screens, matched from the location path. */
export type RequestRoute =
  | { name: "requestList" }
  | { name: "request"; id: string }
  | { name: "approvalQueue" }
  | { name: "approval"; id: string };

export const REQUEST_LIST_PATH = "/requests";
export const APPROVAL_QUEUE_PATH = "/approvals";

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

  const request = /^\/requests\/([^/]+)$/.exec(path);
  if (request?.[1] !== undefined) {
    return { name: "request", id: decodeURIComponent(request[1]) };
  }
  const approval = /^\/approvals\/([^/]+)$/.exec(path);
  if (approval?.[1] !== undefined) {
    return { name: "approval", id: decodeURIComponent(approval[1]) };
  }
  return null;
}
