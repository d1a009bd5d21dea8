import type { Kysely } from "kysely";

import type { AuditResult, Database } from "../../store/index.js";
import { ACTOR_SELECTIONS, accountOf, type AuditAccount } from "./actor.js";

/** A person named by an audit event: the id and the label that names no one. */
export interface AuditPerson {
  id: string;
  /** Null when the person's row no longer exists. */
  label: string | null;
}

export interface AuditCase {
  id: string;
  /** Null when the case's row no longer exists. */
  caseNumber: string | null;
}

/** One audit event as auditors see it: who touched whose data, never the data itself. */
export interface AuditRecord {
  id: number;
  occurredAt: number;
  account: AuditAccount;
  sourceAddress: string | null;
  action: string;
  result: AuditResult;
  person: AuditPerson | null;
  case: AuditCase | null;
  purpose: string | null;
  /** The event's detail object: ids, counts and reason codes. */
  detail: Record<string, unknown>;
}

/**
 * Starts a query of audit events joined to the label of the person, the
 * number of the case and the actor's organisation. It selects no column of
 * personal data: persons contribute their label only.
 */
export function selectAuditRecords(db: Kysely<Database>) {
  return db
    .selectFrom("audit_events")
    .leftJoin("persons", "persons.id", "audit_events.person_id")
    .leftJoin("cases", "cases.id", "audit_events.case_id")
    .leftJoin(
      "organisations",
      "organisations.id",
      "audit_events.organisation_id",
    )
    .select([
      "audit_events.id",
      "audit_events.occurred_at",
      ...ACTOR_SELECTIONS,
      "audit_events.source_address",
      "audit_events.action",
      "audit_events.result",
      "audit_events.person_id",
      "persons.label as person_label",
      "audit_events.case_id",
      "cases.case_number",
      "audit_events.purpose",
      "audit_events.detail",
    ]);
}

type AuditRecordRow = Awaited<
  ReturnType<ReturnType<typeof selectAuditRecords>["executeTakeFirstOrThrow"]>
>;

/** Converts a row of selectAuditRecords to an audit record. */
export function toAuditRecord(row: AuditRecordRow): AuditRecord {
  return {
    id: Number(row.id),
    occurredAt: Number(row.occurred_at),
    account: accountOf(row),
    sourceAddress: row.source_address,
    action: row.action,
    result: row.result,
    person:
      row.person_id === null
        ? null
        : { id: row.person_id, label: row.person_label },
    case:
      row.case_id === null
        ? null
        : { id: row.case_id, caseNumber: row.case_number },
    purpose: row.purpose,
    detail: parseDetail(row.detail),
  };
}

/** Parses the detail column, which appendAuditEvent always writes as a JSON object. */
export function parseDetail(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { value };
}
