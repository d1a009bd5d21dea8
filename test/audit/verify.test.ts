import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import {
  appendAuditEvent,
  commandLineActor,
  loadSigningKey,
  verifyAuditLog,
  writeCheckpoint,
  type SigningKey,
} from "../../src/audit/index.js";
import { SQLITE_FILE_NAME } from "../../src/store/sqlite/connect.js";
import { openStore, type Store } from "../../src/store/index.js";

describe("audit verify", () => {
  let dataDir: string;
  let store: Store;
  let key: SigningKey;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-audit-"));
    store = await openStore({ dataDir });
    key = loadSigningKey({ file: path.join(dataDir, "key.pem") });
    for (let i = 1; i <= 6; i++) {
      await appendAuditEvent(store.db, {
        actor: commandLineActor("test"),
        action: "case.view",
        result: "allowed",
        caseId: `case-${i}`,
        detail: { n: i },
        occurredAt: 1_600_000_000_000 + i,
      });
    }
    await writeCheckpoint(store.db, key, 1_600_000_001_000);
    await store.close();
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Changes the store file directly, the way an intruder with disk access would. */
  function tamper(statements: string): void {
    const database = new SqliteDatabase(path.join(dataDir, SQLITE_FILE_NAME));
    database.exec(statements);
    database.close();
  }

  async function verify() {
    store = await openStore({ dataDir });
    return verifyAuditLog(store.db, key.publicKeyBase64);
  }

  it("accepts an intact log", async () => {
    const result = await verify();
    expect(result.problem).toBeNull();
    expect(result.eventsChecked).toBe(6);
    expect(result.checkpointsChecked).toBe(1);
  });

  it("names a modified event", async () => {
    tamper("UPDATE audit_events SET case_id = 'case-x' WHERE id = 3");
    const result = await verify();
    expect(result.problem?.kind).toBe("modified");
    expect(result.problem?.auditEventId).toBe(3);
  });

  it("finds a deleted event", async () => {
    tamper("DELETE FROM audit_events WHERE id = 4");
    const result = await verify();
    expect(result.problem?.kind).toBe("chain_broken");
    expect(result.problem?.auditEventId).toBe(5);
  });

  it("finds an inserted event", async () => {
    tamper(`INSERT INTO audit_events (id, occurred_at, action, result, detail, previous_hash, hash)
            SELECT 100, occurred_at, action, result, detail, hash, hash FROM audit_events WHERE id = 6;
            UPDATE audit_events SET id = id + 1000 WHERE id >= 4 AND id <= 6;
            UPDATE audit_events SET id = 4 WHERE id = 100;`);
    const result = await verify();
    expect(result.problem?.kind).toBe("chain_broken");
    expect(result.problem?.auditEventId).toBe(4);
  });

  it("finds reordered events", async () => {
    tamper(`UPDATE audit_events SET id = 1002 WHERE id = 2;
            UPDATE audit_events SET id = 2 WHERE id = 3;
            UPDATE audit_events SET id = 3 WHERE id = 1002;`);
    const result = await verify();
    expect(result.problem?.kind).toBe("chain_broken");
    expect(result.problem?.auditEventId).toBe(2);
  });

  it("finds a removed end of the log", async () => {
    tamper("DELETE FROM audit_events WHERE id >= 5");
    const result = await verify();
    expect(result.problem?.kind).toBe("truncated");
    expect(result.problem?.auditEventId).toBe(6);
  });

  it("finds a forged checkpoint signature", async () => {
    tamper("UPDATE audit_checkpoints SET created_at = created_at + 1");
    const result = await verify();
    expect(result.problem?.kind).toBe("checkpoint_signature_invalid");
  });

  it("rejects a checkpoint of another key", async () => {
    const other = loadSigningKey({ file: path.join(dataDir, "other.pem") });
    const result = await verify();
    const checkedWithOther = await verifyAuditLog(
      store.db,
      other.publicKeyBase64,
    );
    expect(result.problem).toBeNull();
    expect(checkedWithOther.problem?.kind).toBe("checkpoint_key_untrusted");
  });
});
