import type { Kysely } from "kysely";

import type { Database } from "../../../store/index.js";
import {
  ACTOR_GROUPING,
  ACTOR_SELECTIONS,
  accountOf,
  type AuditAccount,
} from "../actor.js";
import {
  dateOfDayNumber,
  seoulDayNumber,
  type SeoulMonth,
} from "../seoul-calendar.js";

/** An account that accessed the data of many distinct persons on one Seoul day. */
export interface BulkView {
  account: AuditAccount;
  /** Seoul calendar day, `YYYY-MM-DD`. */
  date: string;
  distinctPersons: number;
  events: number;
  firstAt: number;
  lastAt: number;
}

/**
 * Finds the accounts that accessed the data of more than `maxPersons`
 * distinct persons on one Seoul day of the month. Every allowed event that
 * names a person counts, reads and writes alike. Sorted by day, then by
 * the number of persons, most first.
 */
export async function findBulkViews(
  db: Kysely<Database>,
  month: SeoulMonth,
  maxPersons: number,
): Promise<BulkView[]> {
  const day = seoulDayNumber();
  const rows = await db
    .selectFrom("audit_events")
    .leftJoin(
      "organisations",
      "organisations.id",
      "audit_events.organisation_id",
    )
    .where("audit_events.occurred_at", ">=", month.startsAt)
    .where("audit_events.occurred_at", "<", month.endsAt)
    .where("audit_events.result", "=", "allowed")
    .where("audit_events.person_id", "is not", null)
    .select(ACTOR_SELECTIONS)
    .select((eb) => [
      day.as("day"),
      eb.fn
        .count<number>("audit_events.person_id")
        .distinct()
        .as("distinct_persons"),
      eb.fn.countAll<number>().as("events"),
      eb.fn.min<number>("audit_events.occurred_at").as("first_at"),
      eb.fn.max<number>("audit_events.occurred_at").as("last_at"),
    ])
    .groupBy([...ACTOR_GROUPING, day])
    .having(
      (eb) => eb.fn.count("audit_events.person_id").distinct(),
      ">",
      maxPersons,
    )
    .execute();

  return rows
    .map((row) => ({
      account: accountOf(row),
      date: dateOfDayNumber(row.day),
      distinctPersons: Number(row.distinct_persons),
      events: Number(row.events),
      firstAt: Number(row.first_at),
      lastAt: Number(row.last_at),
    }))
    .sort(
      (a, b) =>
        a.date.localeCompare(b.date) || b.distinctPersons - a.distinctPersons,
    );
}
