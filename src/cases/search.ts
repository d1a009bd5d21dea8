import { sql } from "kysely";

import { withPersonalDataSearch, type AccessContext } from "../access/index.js";
import type { Case, CaseStatus } from "../store/index.js";

export interface CaseSearch {
  /** Case number, or the start of one. */
  q?: string;
  /** Province as stored with the case, such as "Seoul". */
  province?: string;
  /** First confirmation date to include, `YYYY-MM-DD`. */
  confirmedFrom?: string;
  /** Last confirmation date to include, `YYYY-MM-DD`. */
  confirmedTo?: string;
  status?: CaseStatus;
  sort: "confirmedDate" | "caseNumber";
  order: "asc" | "desc";
  /** 1-based page number. */
  page: number;
  pageSize: number;
}

export interface CaseSummaryRow extends Case {
  visit_count: number;
}

export interface CaseSearchResult {
  items: CaseSummaryRow[];
  total: number;
  page: number;
  pageSize: number;
}

/** Lists the cases of the caller's jurisdiction that match the search, one page at a time. */
export function searchCases(
  context: AccessContext,
  search: CaseSearch,
): Promise<CaseSearchResult> {
  return withPersonalDataSearch(
    context,
    "case.search",
    (organisationId) => runSearch(context, search, organisationId),
    { page: search.page, pageSize: search.pageSize },
  );
}

async function runSearch(
  { db }: AccessContext,
  search: CaseSearch,
  organisationId: string | null,
): Promise<CaseSearchResult> {
  let query = db.selectFrom("cases");
  if (organisationId !== null) {
    query = query.where("cases.organisation_id", "=", organisationId);
  }
  if (search.q !== undefined && search.q !== "") {
    // A prefix match without LIKE, so that % and _ in the input match
    // themselves in both dialects.
    const prefix = search.q;
    query = query.where(
      sql<string>`substr(cases.case_number, 1, ${prefix.length})`,
      "=",
      prefix,
    );
  }
  if (search.province !== undefined && search.province !== "") {
    query = query.where("cases.province", "=", search.province);
  }
  if (search.confirmedFrom !== undefined) {
    query = query.where("cases.confirmed_date", ">=", search.confirmedFrom);
  }
  if (search.confirmedTo !== undefined) {
    query = query.where("cases.confirmed_date", "<=", search.confirmedTo);
  }
  if (search.status !== undefined) {
    query = query.where("cases.status", "=", search.status);
  }

  const counted = await query
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .executeTakeFirstOrThrow();

  const sortColumn =
    search.sort === "caseNumber" ? "cases.case_number" : "cases.confirmed_date";
  const items = await query
    .selectAll("cases")
    .select((eb) =>
      eb
        .selectFrom("location_records")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("location_records.person_id", "=", "cases.person_id")
        .where("location_records.source_kind", "!=", "gps")
        .as("record_count"),
    )
    .select((eb) =>
      eb
        .selectFrom("record_series")
        .select((inner) =>
          inner.fn.sum<number>("record_series.record_count").as("n"),
        )
        .whereRef("record_series.person_id", "=", "cases.person_id")
        .where("record_series.source_kind", "!=", "gps")
        .as("series_record_count"),
    )
    .select((eb) =>
      eb
        .selectFrom("stays")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("stays.person_id", "=", "cases.person_id")
        .as("stay_count"),
    )
    .orderBy(sortColumn, search.order)
    .orderBy("cases.case_number", "asc")
    .limit(search.pageSize)
    .offset((search.page - 1) * search.pageSize)
    .execute();

  return {
    items: items.map(
      ({ record_count, series_record_count, stay_count, ...kase }) => ({
        ...kase,
        visit_count:
          Number(record_count ?? 0) +
          Number(series_record_count ?? 0) +
          Number(stay_count ?? 0),
      }),
    ),
    total: Number(counted.total),
    page: search.page,
    pageSize: search.pageSize,
  };
}
