import type { Kysely } from "kysely";

import type { Database } from "../store/index.js";
import { GENESIS_HASH, hashAuditEvent } from "./chain.js";
import { isCheckpointSignatureValid } from "./checkpoint.js";

export type AuditProblemKind =
  | "modified"
  | "chain_broken"
  | "checkpoint_signature_invalid"
  | "checkpoint_key_untrusted"
  | "checkpoint_mismatch"
  | "truncated";

export interface AuditProblem {
  kind: AuditProblemKind;
  /** Id of the first audit event found wrong, or of the checkpoint's event. */
  auditEventId: number;
  message: string;
}

export interface AuditVerification {
  eventsChecked: number;
  checkpointsChecked: number;
  /** The first problem found, or null when the log is intact. */
  problem: AuditProblem | null;
}

/**
 * Verifies the audit log: every event's hash over its fields and the hash
 * before it, then every checkpoint's signature and the event it signs. A
 * changed event shows as `modified`. A deleted, inserted or reordered event
 * breaks the chain at the first event after the change. A cut-off end is
 * found by the last checkpoint.
 */
export async function verifyAuditLog(
  db: Kysely<Database>,
  trustedPublicKey: string,
): Promise<AuditVerification> {
  const chain = await verifyChain(db);
  if (chain.problem !== null) {
    return { ...chain, checkpointsChecked: 0 };
  }

  const checkpoints = await verifyCheckpoints(db, trustedPublicKey);
  return {
    eventsChecked: chain.eventsChecked,
    checkpointsChecked: checkpoints.checked,
    problem: checkpoints.problem,
  };
}

async function verifyChain(
  db: Kysely<Database>,
): Promise<{ eventsChecked: number; problem: AuditProblem | null }> {
  const pageSize = 5_000;
  let previousHash = GENESIS_HASH;
  let lastId = 0;
  let eventsChecked = 0;

  for (;;) {
    const events = await db
      .selectFrom("audit_events")
      .selectAll()
      .where("id", ">", lastId)
      .orderBy("id")
      .limit(pageSize)
      .execute();

    for (const event of events) {
      const id = Number(event.id);
      if (event.previous_hash !== previousHash) {
        return {
          eventsChecked,
          problem: {
            kind: "chain_broken",
            auditEventId: id,
            message: `Audit event ${id} does not follow the event before it: an event was deleted, inserted or reordered just before ${id}.`,
          },
        };
      }
      if (hashAuditEvent(previousHash, event) !== event.hash) {
        return {
          eventsChecked,
          problem: {
            kind: "modified",
            auditEventId: id,
            message: `Audit event ${id} was modified: its fields do not match its hash.`,
          },
        };
      }
      previousHash = event.hash;
      lastId = id;
      eventsChecked++;
    }
    if (events.length < pageSize) {
      return { eventsChecked, problem: null };
    }
  }
}

async function verifyCheckpoints(
  db: Kysely<Database>,
  trustedPublicKey: string,
): Promise<{ checked: number; problem: AuditProblem | null }> {
  const checkpoints = await db
    .selectFrom("audit_checkpoints")
    .selectAll()
    .orderBy("id")
    .execute();

  let checked = 0;
  for (const checkpoint of checkpoints) {
    const eventId = Number(checkpoint.audit_event_id);
    const problem = await checkCheckpoint(db, checkpoint, trustedPublicKey);
    if (problem !== null) {
      return { checked, problem: { ...problem, auditEventId: eventId } };
    }
    checked++;
  }
  return { checked, problem: null };
}

async function checkCheckpoint(
  db: Kysely<Database>,
  checkpoint: {
    id: number;
    audit_event_id: number;
    event_hash: string;
    created_at: number;
    public_key: string;
    signature: string;
  },
  trustedPublicKey: string,
): Promise<Omit<AuditProblem, "auditEventId"> | null> {
  const eventId = Number(checkpoint.audit_event_id);
  if (checkpoint.public_key !== trustedPublicKey) {
    return {
      kind: "checkpoint_key_untrusted",
      message: `Checkpoint ${checkpoint.id} is signed by a key other than this system's signing key.`,
    };
  }
  if (!isCheckpointSignatureValid(checkpoint)) {
    return {
      kind: "checkpoint_signature_invalid",
      message: `Checkpoint ${checkpoint.id} has an invalid signature.`,
    };
  }

  const event = await db
    .selectFrom("audit_events")
    .select("hash")
    .where("id", "=", eventId)
    .executeTakeFirst();
  if (event === undefined) {
    return {
      kind: "truncated",
      message: `Audit event ${eventId}, signed by checkpoint ${checkpoint.id}, is missing: the end of the log was removed.`,
    };
  }
  if (event.hash !== checkpoint.event_hash) {
    return {
      kind: "checkpoint_mismatch",
      message: `Audit event ${eventId} does not match checkpoint ${checkpoint.id}: the log was rewritten after it was signed.`,
    };
  }
  return null;
}
