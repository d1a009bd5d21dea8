import { createPublicKey, sign, verify } from "node:crypto";

import type { Kysely } from "kysely";

import type { Database } from "../store/index.js";
import type { SigningKey } from "./signing-key.js";

/** Text a checkpoint signs: the last event's id and hash, and when. */
export function checkpointStatement(
  auditEventId: number,
  eventHash: string,
  createdAt: number,
): Buffer {
  return Buffer.from(
    `epitrace audit checkpoint\n${auditEventId}\n${eventHash}\n${createdAt}`,
    "utf8",
  );
}

/**
 * Signs the current end of the audit log. Writes nothing when no event was
 * added since the last checkpoint; returns whether it wrote one.
 */
export async function writeCheckpoint(
  db: Kysely<Database>,
  key: SigningKey,
  now: number = Date.now(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const lastEvent = await trx
      .selectFrom("audit_events")
      .select(["id", "hash"])
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    if (lastEvent === undefined) {
      return false;
    }

    const lastCheckpoint = await trx
      .selectFrom("audit_checkpoints")
      .select("audit_event_id")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    if (Number(lastCheckpoint?.audit_event_id) === Number(lastEvent.id)) {
      return false;
    }

    const id = Number(lastEvent.id);
    const statement = checkpointStatement(id, lastEvent.hash, now);
    await trx
      .insertInto("audit_checkpoints")
      .values({
        audit_event_id: id,
        event_hash: lastEvent.hash,
        created_at: now,
        public_key: key.publicKeyBase64,
        signature: sign(null, statement, key.privateKey).toString("base64"),
      })
      .execute();
    return true;
  });
}

/** Checks a checkpoint's signature against the public key it names. */
export function isCheckpointSignatureValid(checkpoint: {
  audit_event_id: number;
  event_hash: string;
  created_at: number;
  public_key: string;
  signature: string;
}): boolean {
  try {
    const publicKey = createPublicKey({
      key: Buffer.from(checkpoint.public_key, "base64"),
      format: "der",
      type: "spki",
    });
    const statement = checkpointStatement(
      Number(checkpoint.audit_event_id),
      checkpoint.event_hash,
      Number(checkpoint.created_at),
    );
    return verify(
      null,
      statement,
      publicKey,
      Buffer.from(checkpoint.signature, "base64"),
    );
  } catch {
    return false;
  }
}
