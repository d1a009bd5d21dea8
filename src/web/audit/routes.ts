/** The auditors' screens, matched from the location path. */
export type AuditRoute =
  | { name: "auditSearch" }
  | { name: "auditReview" }
  | { name: "auditPerson"; personId: string };

export const AUDIT_SEARCH_PATH = "/audit";
export const AUDIT_REVIEW_PATH = "/audit/review";

/** Returns the path of a person's access history. */
export function personHistoryPath(personId: string): string {
  return `/audit/persons/${encodeURIComponent(personId)}`;
}

/** Matches a location path to an auditors' screen, or returns null for any other path. */
export function matchAuditRoute(pathname: string): AuditRoute | null {
  const path = pathname.replace(/\/+$/, "");
  if (path === AUDIT_SEARCH_PATH) return { name: "auditSearch" };
  if (path === AUDIT_REVIEW_PATH) return { name: "auditReview" };

  const person = /^\/audit\/persons\/([^/]+)$/.exec(path);
  if (person?.[1] !== undefined) {
    return { name: "auditPerson", personId: decodeURIComponent(person[1]) };
  }
  return null;
}
