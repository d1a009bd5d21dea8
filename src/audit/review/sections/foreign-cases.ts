import type { Kysely } from "kysely";

import type { Database } from "../../../store/index.js";
import {
  ACTOR_SELECTIONS,
  accountOf,
  actorKeyOf,
  type AuditAccount,
} from "../actor.js";
import { parseDetail, type AuditPerson } from "../events.js";
import type { SeoulMonth } from "../seoul-calendar.js";

/** The accesses of one account, with one result, to one case of another jurisdiction. */
export interface ForeignCaseAccess {
  account: AuditAccount;
  result: "allowed" | "denied";
  case: {
    id: string;
    caseNumber: string;
    /** The health office that registered the case: its jurisdiction. */
    organisation: { id: string; name: string | null };
  };
  person: AuditPerson;
  events: number;
  firstAt: number;
  lastAt: number;
}

export interface ForeignCasesSection {
  /** Events denied because the case lies outside the actor's jurisdiction. */
  denied: number;
  /** Allowed events on a case that another organisation registered, such as views by the national agency. */
  allowed: number;
  items: ForeignCaseAccess[];
}

/**
 * Finds the accesses to cases of another jurisdiction in the month: events
 * denied for the reason `jurisdiction`, and allowed events whose case
 * belongs to an organisation other than the actor's. Grouped by account,
 * case and result, in order of first access.
 */
export async function findForeignCaseAccess(
  db: Kysely<Database>,
  month: SeoulMonth,
): Promise<ForeignCasesSection> {
  const rows = await db
    .selectFrom("audit_events")
    .innerJoin("cases", "cases.id", "audit_events.case_id")
    .leftJoin(
      "organisations",
      "organisations.id",
      "audit_events.organisation_id",
    )
    .leftJoin(
      "organisations as case_organisations",
      "case_organisations.id",
      "cases.organisation_id",
    )
    .leftJoin("persons", "persons.id", "cases.person_id")
    .where("audit_events.occurred_at", ">=", month.startsAt)
    .where("audit_events.occurred_at", "<", month.endsAt)
    .where((eb) =>
      eb.or([
        eb("audit_events.result", "=", "denied"),
        eb.and([
          eb("audit_events.result", "=", "allowed"),
          eb("audit_events.organisation_id", "is not", null),
          eb(
            "cases.organisation_id",
            "!=",
            eb.ref("audit_events.organisation_id"),
          ),
        ]),
      ]),
    )
    .select(ACTOR_SELECTIONS)
    .select([
      "audit_events.occurred_at",
      "audit_events.result",
      "audit_events.detail",
      "cases.id as case_id",
      "cases.case_number",
      "cases.organisation_id as case_organisation_id",
      "case_organisations.name as case_organisation_name",
      "cases.person_id",
      "persons.label as person_label",
    ])
    .orderBy("audit_events.occurred_at")
    .orderBy("audit_events.id")
    .execute();

  const groups = new Map<string, ForeignCaseAccess>();
  let denied = 0;
  let allowed = 0;
  for (const row of rows) {
    const result = row.result;
    if (result === "denied") {
      if (parseDetail(row.detail)["reason"] !== "jurisdiction") continue;
      denied++;
    } else if (result === "allowed") {
      allowed++;
    } else {
      continue;
    }

    const at = Number(row.occurred_at);
    const key = JSON.stringify([actorKeyOf(row), row.case_id, result]);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, {
        account: accountOf(row),
        result,
        case: {
          id: row.case_id,
          caseNumber: row.case_number,
          organisation: {
            id: row.case_organisation_id,
            name: row.case_organisation_name,
          },
        },
        person: { id: row.person_id, label: row.person_label },
        events: 1,
        firstAt: at,
        lastAt: at,
      });
    } else {
      group.events++;
      group.lastAt = at;
    }
  }
  return { denied, allowed, items: [...groups.values()] };
}
