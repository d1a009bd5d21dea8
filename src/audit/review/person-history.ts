import type { AccessContext } from "../../access/index.js";
import { notFound } from "../../errors.js";
import { withAuditLogAccess } from "./access.js";
import {
  selectAuditRecords,
  toAuditRecord,
  type AuditPerson,
} from "./events.js";
import type { AuditPage } from "./search.js";

export interface PersonHistory extends AuditPage {
  person: AuditPerson;
}

export interface HistoryPaging {
  /** 1-based page number. */
  page: number;
  pageSize: number;
}

/**
 * Lists every access to one person's data, newest first: the events that
 * name the person and those that name one of the person's cases. The
 * lookup is audited as `audit.search`. An unknown person raises
 * `not_found`.
 */
export function listPersonHistory(
  context: AccessContext,
  personId: string,
  paging: HistoryPaging,
): Promise<PersonHistory> {
  return withAuditLogAccess(
    context,
    {
      action: "audit.search",
      detail: { history: "person", personId, ...paging },
      summarize: (result) => ({ total: result.total }),
    },
    () => loadHistory(context, personId, paging),
  );
}

async function loadHistory(
  { db }: AccessContext,
  personId: string,
  paging: HistoryPaging,
): Promise<PersonHistory> {
  const person = await db
    .selectFrom("persons")
    .select(["id", "label"])
    .where("id", "=", personId)
    .executeTakeFirst();
  if (person === undefined) {
    throw notFound("Person");
  }

  const query = selectAuditRecords(db).where((eb) =>
    eb.or([
      eb("audit_events.person_id", "=", personId),
      eb(
        "audit_events.case_id",
        "in",
        eb
          .selectFrom("cases as own_cases")
          .select("own_cases.id")
          .where("own_cases.person_id", "=", personId),
      ),
    ]),
  );
  const counted = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .executeTakeFirstOrThrow();
  const rows = await query
    .orderBy("audit_events.occurred_at", "desc")
    .orderBy("audit_events.id", "desc")
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize)
    .execute();

  return {
    person: { id: person.id, label: person.label },
    items: rows.map(toAuditRecord),
    total: Number(counted.total),
    page: paging.page,
    pageSize: paging.pageSize,
  };
}
