import type { Transaction } from "kysely";

import type { Case, Database } from "../store/index.js";
import type { ExportCopy } from "./certificate.js";

/** The rows that hold a case's personal data, found before anything is deleted. */
export interface CaseScope {
  kase: Case;
  /** The case's person and the persons its data requests brought in. */
  personIds: string[];
  requestIds: string[];
  uploads: { id: string; stored_file: string; import_id: string | null }[];
}

/** Finds the persons, requests and uploads of a case. */
export async function loadCaseScope(
  trx: Transaction<Database>,
  kase: Case,
): Promise<CaseScope> {
  const brought = await trx
    .selectFrom("persons")
    .select("id")
    .where("key_case_id", "=", kase.id)
    .execute();
  const personIds = [
    ...new Set([kase.person_id, ...brought.map((row) => row.id)]),
  ];
  const requests = await trx
    .selectFrom("data_requests")
    .select("id")
    .where("case_id", "=", kase.id)
    .execute();
  const requestIds = requests.map((row) => row.id);
  const uploads =
    requestIds.length === 0
      ? []
      : await trx
          .selectFrom("data_request_uploads")
          .select(["id", "stored_file", "import_id"])
          .where("request_id", "in", requestIds)
          .execute();
  return { kase, personIds, requestIds, uploads };
}

/** Lists the exports of a case's data that the audit log records. */
export async function findExportCopies(
  trx: Transaction<Database>,
  caseId: string,
): Promise<ExportCopy[]> {
  const rows = await trx
    .selectFrom("audit_events")
    .select([
      "id",
      "action",
      "occurred_at",
      "actor_username",
      "purpose",
      "detail",
    ])
    .where("case_id", "=", caseId)
    .where("action", "like", "%.export")
    .where("result", "in", ["allowed", "succeeded"])
    .orderBy("id")
    .execute();
  return rows.map((row) => {
    const detail = JSON.parse(row.detail) as Record<string, unknown>;
    return {
      auditEventId: Number(row.id),
      action: row.action,
      occurredAt: new Date(Number(row.occurred_at)).toISOString(),
      actorUsername: row.actor_username,
      purpose: row.purpose,
      format: stringOrNull(detail.format),
      sha256: stringOrNull(detail.sha256),
    };
  });
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
