import { createHash } from "node:crypto";

import type { AuditEventTable } from "../store/index.js";

/** Hash that the first audit event of a store chains to. */
export const GENESIS_HASH = "0".repeat(64);

export type AuditEventFields = Omit<
  AuditEventTable,
  "id" | "previous_hash" | "hash"
>;

/**
 * Computes the hash of an audit event: SHA-256 over the previous event's
 * hash and the event's fields in a fixed order, so that a changed, removed
 * or reordered event breaks every hash after it.
 */
export function hashAuditEvent(
  previousHash: string,
  event: AuditEventFields,
): string {
  const fields = [
    event.occurred_at,
    event.actor_user_id,
    event.actor_username,
    event.actor_role,
    event.organisation_id,
    event.source_address,
    event.action,
    event.case_id,
    event.person_id,
    event.purpose,
    event.result,
    event.detail,
  ];
  return createHash("sha256")
    .update(previousHash)
    .update(JSON.stringify(fields))
    .digest("hex");
}
