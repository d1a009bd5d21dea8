import type { Kysely } from "kysely";

import type { Database } from "../../../store/index.js";
import {
  ACTOR_SELECTIONS,
  accountOf,
  actorKeyOf,
  type AuditAccount,
} from "../actor.js";
import { parseDetail } from "../events.js";
import type { SeoulMonth } from "../seoul-calendar.js";

/** The failed logins and locks of one account in the month. */
export interface FailedLoginsOfAccount {
  account: AuditAccount;
  /** Failed events of `session.*` actions, such as `session.login`. */
  failures: number;
  /** Failures by the reason the event records, such as `wrong_password`, `unknown_user` or `locked`. */
  reasons: Record<string, number>;
  /** Times the account was locked (`account.lock`). */
  locks: number;
  /** Source addresses of the attempts, sorted. */
  sourceAddresses: string[];
  firstAt: number;
  lastAt: number;
}

export interface FailedLoginsSection {
  failures: number;
  locks: number;
  items: FailedLoginsOfAccount[];
}

/**
 * Lists the failed logins and account locks of the month by account, the
 * account with the most failures first. Attempts with an unknown username
 * share the account `(unknown)`, because the audit log does not keep the
 * username that was tried.
 */
export async function findFailedLogins(
  db: Kysely<Database>,
  month: SeoulMonth,
): Promise<FailedLoginsSection> {
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
        eb.and([
          eb("audit_events.action", "like", "session.%"),
          eb("audit_events.result", "=", "failed"),
        ]),
        eb("audit_events.action", "=", "account.lock"),
      ]),
    )
    .select(ACTOR_SELECTIONS)
    .select([
      "audit_events.occurred_at",
      "audit_events.action",
      "audit_events.source_address",
      "audit_events.detail",
    ])
    .orderBy("audit_events.occurred_at")
    .orderBy("audit_events.id")
    .execute();

  const groups = new Map<
    string,
    FailedLoginsOfAccount & { addresses: Set<string> }
  >();
  for (const row of rows) {
    const key = actorKeyOf(row);
    const at = Number(row.occurred_at);
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        account: accountOf(row),
        failures: 0,
        reasons: {},
        locks: 0,
        sourceAddresses: [],
        addresses: new Set(),
        firstAt: at,
        lastAt: at,
      };
      groups.set(key, group);
    }

    group.lastAt = at;
    if (row.source_address !== null) group.addresses.add(row.source_address);
    if (row.action === "account.lock") {
      group.locks++;
      continue;
    }
    group.failures++;
    const reason = parseDetail(row.detail)["reason"];
    const reasonKey = typeof reason === "string" ? reason : "unspecified";
    group.reasons[reasonKey] = (group.reasons[reasonKey] ?? 0) + 1;
  }

  const items = [...groups.values()]
    .map(({ addresses, ...group }) => ({
      ...group,
      sourceAddresses: [...addresses].sort(),
    }))
    .sort((a, b) => b.failures - a.failures || a.firstAt - b.firstAt);
  return {
    failures: items.reduce((sum, item) => sum + item.failures, 0),
    locks: items.reduce((sum, item) => sum + item.locks, 0),
    items,
  };
}
