import type { Kysely, Transaction } from "kysely";

import type { AuditResult, Database } from "../store/index.js";
import {
  GENESIS_HASH,
  hashAuditEvent,
  type AuditEventFields,
} from "./chain.js";

/** Who acted: a signed-in user, or a command run on the server itself. */
export interface AuditActor {
  userId: string | null;
  username: string;
  role: string | null;
  organisationId: string | null;
  sourceAddress: string | null;
}

export interface AuditEntry {
  actor: AuditActor;
  /** Dotted verb such as `case.view` or `session.login`. */
  action: string;
  result: AuditResult;
  caseId?: string | null;
  personId?: string | null;
  purpose?: string | null;
  /** Ids and counts only: an audit event never holds personal data. */
  detail?: Record<string, unknown>;
  occurredAt?: number;
}

/**
 * Appends one event to the audit log, chained to the event before it.
 * Runs in its own transaction unless given one, so the read of the last
 * hash and the insert cannot interleave with another writer.
 */
export async function appendAuditEvent(
  db: Kysely<Database> | Transaction<Database>,
  entry: AuditEntry,
): Promise<void> {
  if (db.isTransaction) {
    await appendInTransaction(db as Transaction<Database>, entry);
    return;
  }
  await db.transaction().execute((trx) => appendInTransaction(trx, entry));
}

async function appendInTransaction(
  trx: Transaction<Database>,
  entry: AuditEntry,
): Promise<void> {
  // NOTE: SQLite serialises writers, so the chain cannot fork; a
  // PostgreSQL store needs a lock around this read and insert.
  const last = await trx
    .selectFrom("audit_events")
    .select("hash")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  const previousHash = last?.hash ?? GENESIS_HASH;

  const fields: AuditEventFields = {
    occurred_at: entry.occurredAt ?? Date.now(),
    actor_user_id: entry.actor.userId,
    actor_username: entry.actor.username,
    actor_role: entry.actor.role,
    organisation_id: entry.actor.organisationId,
    source_address: entry.actor.sourceAddress,
    action: entry.action,
    case_id: entry.caseId ?? null,
    person_id: entry.personId ?? null,
    purpose: entry.purpose ?? null,
    result: entry.result,
    detail: JSON.stringify(entry.detail ?? {}),
  };
  await trx
    .insertInto("audit_events")
    .values({
      ...fields,
      previous_hash: previousHash,
      hash: hashAuditEvent(previousHash, fields),
    })
    .execute();
}

/** The actor of a command run from the terminal on the server host. */
export function commandLineActor(command: string): AuditActor {
  return {
    userId: null,
    username: `cli:${command}`,
    role: null,
    organisationId: null,
    sourceAddress: null,
  };
}
