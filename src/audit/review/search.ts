import { sql } from "kysely";

import type { AccessContext } from "../../access/index.js";
import { seoulDayEnd, seoulDayStart } from "../../domain/index.js";
import { AppError } from "../../errors.js";
import type { AuditResult } from "../../store/index.js";
import { withAuditLogAccess } from "./access.js";
import {
  selectAuditRecords,
  toAuditRecord,
  type AuditRecord,
} from "./events.js";
import { checkCalendarDate } from "./seoul-calendar.js";

export interface AuditSearch {
  /** Username of the acting account, matched exactly. */
  actor?: string;
  /** Action matched exactly, or by prefix when it ends with `*`, such as `case.*`. */
  action?: string;
  personId?: string;
  caseId?: string;
  result?: AuditResult;
  /** First Seoul calendar day to include, `YYYY-MM-DD`. */
  from?: string;
  /** Last Seoul calendar day to include, `YYYY-MM-DD`. */
  to?: string;
  /** 1-based page number. */
  page: number;
  pageSize: number;
}

export interface AuditPage {
  items: AuditRecord[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Lists the audit events that match the search, newest first, one page at
 * a time. The search itself is audited as `audit.search`.
 */
export function searchAuditEvents(
  context: AccessContext,
  search: AuditSearch,
): Promise<AuditPage> {
  const { page, pageSize, ...filters } = search;
  return withAuditLogAccess(
    context,
    {
      action: "audit.search",
      detail: { filters, page, pageSize },
      summarize: (result) => ({ total: result.total }),
    },
    () => runSearch(context, search),
  );
}

async function runSearch(
  { db }: AccessContext,
  search: AuditSearch,
): Promise<AuditPage> {
  checkRange(search);

  let query = selectAuditRecords(db);
  if (search.actor !== undefined && search.actor !== "") {
    query = query.where("audit_events.actor_username", "=", search.actor);
  }
  if (search.action !== undefined && search.action !== "") {
    query = search.action.endsWith("*")
      ? whereActionStartsWith(query, search.action.slice(0, -1))
      : query.where("audit_events.action", "=", search.action);
  }
  if (search.personId !== undefined && search.personId !== "") {
    query = query.where("audit_events.person_id", "=", search.personId);
  }
  if (search.caseId !== undefined && search.caseId !== "") {
    query = query.where("audit_events.case_id", "=", search.caseId);
  }
  if (search.result !== undefined) {
    query = query.where("audit_events.result", "=", search.result);
  }
  if (search.from !== undefined) {
    query = query.where(
      "audit_events.occurred_at",
      ">=",
      seoulDayStart(search.from),
    );
  }
  if (search.to !== undefined) {
    query = query.where(
      "audit_events.occurred_at",
      "<",
      seoulDayEnd(search.to),
    );
  }

  const counted = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .executeTakeFirstOrThrow();
  const rows = await query
    .orderBy("audit_events.occurred_at", "desc")
    .orderBy("audit_events.id", "desc")
    .limit(search.pageSize)
    .offset((search.page - 1) * search.pageSize)
    .execute();

  return {
    items: rows.map(toAuditRecord),
    total: Number(counted.total),
    page: search.page,
    pageSize: search.pageSize,
  };
}

function checkRange(search: AuditSearch): void {
  if (search.from !== undefined) checkCalendarDate("from", search.from);
  if (search.to !== undefined) checkCalendarDate("to", search.to);
  if (
    search.from !== undefined &&
    search.to !== undefined &&
    search.from > search.to
  ) {
    throw new AppError(
      "validation_failed",
      `Invalid range: from ${search.from} is after to ${search.to}.`,
    );
  }
}

/**
 * Matches actions by prefix without LIKE, so that `_` and `%` in the
 * prefix match themselves in every dialect.
 */
function whereActionStartsWith<Q extends ReturnType<typeof selectAuditRecords>>(
  query: Q,
  prefix: string,
): Q {
  return query.where(
    sql<string>`substr(audit_events.action, 1, ${sql.lit(prefix.length)})`,
    "=",
    prefix,
  ) as Q;
}
