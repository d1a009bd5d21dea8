import type { Kysely } from "kysely";

import { PERSONAL_DATA_ACTIONS } from "../../../access/index.js";
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
  seoulMinuteOfDay,
  seoulWeekday,
  weekdayOfDate,
  type SeoulMonth,
} from "../seoul-calendar.js";
import type { ReviewSettings } from "../settings.js";

/** The accesses of one account on one Seoul day that fell outside working hours. */
export interface OutsideHoursAccess {
  account: AuditAccount;
  /** Seoul calendar day, `YYYY-MM-DD`. */
  date: string;
  /** True when the whole day is outside working hours, as a weekend day of the settings. */
  weekend: boolean;
  events: number;
  distinctPersons: number;
  firstAt: number;
  lastAt: number;
}

export interface OutsideHoursSection {
  /** Events outside working hours in the month. */
  events: number;
  items: OutsideHoursAccess[];
}

/**
 * Finds the accesses to personal data outside working hours: before the
 * start or from the end of the working day in Seoul, or on a weekend day.
 * Every personal-data action and every `.export` action counts, whatever
 * its result. Grouped by account and day, in order of day.
 *
 * NOTE: public holidays count as working days, because the store has no
 * holiday calendar.
 */
export async function findOutsideHoursAccess(
  db: Kysely<Database>,
  month: SeoulMonth,
  settings: ReviewSettings,
): Promise<OutsideHoursSection> {
  const day = seoulDayNumber();
  const minute = seoulMinuteOfDay();
  const rows = await db
    .selectFrom("audit_events")
    .leftJoin(
      "organisations",
      "organisations.id",
      "audit_events.organisation_id",
    )
    .where("audit_events.occurred_at", ">=", month.startsAt)
    .where("audit_events.occurred_at", "<", month.endsAt)
    .where((eb) =>
      eb.or([
        eb("audit_events.action", "in", [...PERSONAL_DATA_ACTIONS]),
        eb("audit_events.action", "like", "%.export"),
      ]),
    )
    .where((eb) => {
      const outside = [
        eb(minute, "<", settings.workdayStartMinute),
        eb(minute, ">=", settings.workdayEndMinute),
      ];
      if (settings.weekendDays.length > 0) {
        outside.push(eb(seoulWeekday(), "in", [...settings.weekendDays]));
      }
      return eb.or(outside);
    })
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
    .execute();

  const items = rows
    .map((row) => {
      const date = dateOfDayNumber(row.day);
      return {
        account: accountOf(row),
        date,
        weekend: settings.weekendDays.includes(weekdayOfDate(date)),
        events: Number(row.events),
        distinctPersons: Number(row.distinct_persons),
        firstAt: Number(row.first_at),
        lastAt: Number(row.last_at),
      };
    })
    .sort((a, b) => a.firstAt - b.firstAt);
  return {
    events: items.reduce((sum, item) => sum + item.events, 0),
    items,
  };
}
