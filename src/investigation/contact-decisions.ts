import type { Kysely } from "kysely";

import { withCaseAccess, type AccessContext } from "../access/index.js";
import { AppError, notFound } from "../errors.js";
import type { ContactDecisionKind, Database } from "../store/index.js";

/** Maximum length of a decision's reason, in characters. */
export const MAX_REASON_LENGTH = 2000;

/** What an investigator decides about one contact of a case. */
export interface ContactDecisionInput {
  decision: ContactDecisionKind;
  /** Why, in the investigator's words; blank reasons are rejected. */
  reason: string;
}

/** A stored decision with the investigator who made it. */
export interface ContactDecisionRecord {
  id: number;
  caseId: string;
  personId: string;
  decision: ContactDecisionKind;
  reason: string;
  decidedBy: { id: string; displayName: string };
  /** Epoch milliseconds. */
  decidedAt: number;
}

/**
 * Stores an investigator's confirmation or dismissal of a person as a
 * contact of a case, through the case's access check (one audit event).
 * Earlier decisions are kept; the newest one counts.
 *
 * The person must exist and must not be the case's own person. Whether the
 * person is among the contacts that a search finds is not checked, because
 * the search depends on the settings the investigator chose.
 */
export function decideContact(
  context: AccessContext,
  caseId: string,
  personId: string,
  input: ContactDecisionInput,
  now: number = Date.now(),
): Promise<ContactDecisionRecord> {
  const reason = input.reason.trim();
  return withCaseAccess(
    context,
    { action: "contact.decide", caseId },
    async (kase) => {
      if (reason === "" || reason.length > MAX_REASON_LENGTH) {
        throw new AppError(
          "validation_failed",
          `Invalid reason: give the reason for the decision in 1 to ${MAX_REASON_LENGTH} characters.`,
        );
      }
      if (personId === kase.person_id) {
        throw new AppError(
          "validation_failed",
          "Invalid person: a case cannot be its own contact.",
        );
      }
      const person = await context.db
        .selectFrom("persons")
        .select("id")
        .where("id", "=", personId)
        .executeTakeFirst();
      if (person === undefined) {
        throw notFound("Person");
      }

      const inserted = await context.db
        .insertInto("contact_decisions")
        .values({
          case_id: kase.id,
          person_id: personId,
          decision: input.decision,
          reason,
          decided_by_user_id: context.caller.user.id,
          decided_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return {
        id: Number(inserted.id),
        caseId: kase.id,
        personId,
        decision: input.decision,
        reason,
        decidedBy: {
          id: context.caller.user.id,
          displayName: context.caller.user.display_name,
        },
        decidedAt: now,
      };
    },
  );
}

/** Loads the newest decision on each person for a case, by person id. */
export async function loadLatestDecisions(
  db: Kysely<Database>,
  caseId: string,
): Promise<Map<string, ContactDecisionRecord>> {
  const rows = await db
    .selectFrom("contact_decisions")
    .innerJoin("users", "users.id", "contact_decisions.decided_by_user_id")
    .select([
      "contact_decisions.id",
      "contact_decisions.case_id",
      "contact_decisions.person_id",
      "contact_decisions.decision",
      "contact_decisions.reason",
      "contact_decisions.decided_at",
      "users.id as user_id",
      "users.display_name",
    ])
    .where("contact_decisions.case_id", "=", caseId)
    .orderBy("contact_decisions.decided_at")
    .orderBy("contact_decisions.id")
    .execute();

  // Rows come oldest first, so each later row replaces the one before it.
  const latest = new Map<string, ContactDecisionRecord>();
  for (const row of rows) {
    latest.set(row.person_id, {
      id: Number(row.id),
      caseId: row.case_id,
      personId: row.person_id,
      decision: row.decision,
      reason: row.reason,
      decidedBy: { id: row.user_id, displayName: row.display_name },
      decidedAt: Number(row.decided_at),
    });
  }
  return latest;
}
