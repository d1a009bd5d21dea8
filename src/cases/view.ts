import { withCaseAccess } from "../access/index.js";
import type { KeyedAccessContext } from "../privacy/index.js";
import { loadCaseDetails, type CaseDetails } from "./details.js";

/** Returns a case of the caller's jurisdiction with its person. */
export function viewCase(
  context: KeyedAccessContext,
  caseId: string,
): Promise<CaseDetails> {
  return withCaseAccess(context, { action: "case.view", caseId }, (kase) =>
    loadCaseDetails(context.db, context.keys, kase),
  );
}
