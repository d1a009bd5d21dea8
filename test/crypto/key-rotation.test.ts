import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { Caller } from "../../src/access/index.js";
import {
  deriveTotpSecretKey,
  openTotpSecret,
} from "../../src/accounts/index.js";
import { registerCase } from "../../src/cases/index.js";
import { registerKeysCommand } from "../../src/cli/commands/keys.js";
import { readSettings } from "../../src/config/settings.js";
import {
  DATA_KEY_FILE_NAME,
  DataKeyStore,
  deriveLookupKey,
  loadMasterKey,
  lookupHash,
  masterKeySource,
  type MasterKey,
} from "../../src/crypto/index.js";
import {
  findPersonsByCardNumber,
  findPersonsByPhoneNumber,
  keyFolderOf,
  openFieldKeys,
  openField,
  type FieldKeys,
} from "../../src/privacy/index.js";
import {
  createLogger,
  startSystem,
  type RunningSystem,
} from "../../src/server/index.js";
import {
  createRequestWorld,
  locationRequestBody,
  seoulDateFromToday,
  submitRequest,
  type RequestWorld,
  type System,
} from "../requests/fixtures.js";
import { sealCardNumbers } from "../../src/ingest/provider/persons.js";
import { captureStdout } from "../support/stdout.js";
import {
  freshTotpCode,
  logInWithPassword,
  totpSecretOf,
} from "../support/system.js";

const NAME = "정다은";
const PHONE = "010-5555-0101";
const CARD = "9410-2222-3333-4444";
const SECOND_CARD = "5310-7777-6666-5555";
const REQUEST_PHONE = "010-5555-0202";

/** Starts the system on a data folder that outlives it, so that a second start finds the same store. */
async function startOn(dataDir: string): Promise<System> {
  const settings = {
    ...readSettings({}),
    dataDir,
    host: "127.0.0.1",
    port: 0,
    loginAttemptsPerMinute: 1000,
  };
  const system = await startSystem({
    settings,
    logger: createLogger("silent"),
  });
  return { ...system, dataDir };
}

/** Runs `epitrace keys rotate` in this process on a data folder and returns what it printed. */
async function runRotate(dataDir: string): Promise<string> {
  const program = new Command("epitrace").exitOverride();
  registerKeysCommand(program);
  vi.stubEnv("EPITRACE_DATA_DIR", dataDir);
  try {
    return await captureStdout(async () => {
      await program.parseAsync(["keys", "rotate"], { from: "user" });
    });
  } finally {
    vi.unstubAllEnvs();
  }
}

describe("master key rotation", () => {
  let dataDir: string;
  let system: System;
  let restarted: RunningSystem | null = null;
  let world: RequestWorld;
  let oldMaster: MasterKey;
  let newMaster: MasterKey;
  /** Keys opened before the rotation, as another running process would have them. */
  let otherProcessKeys: FieldKeys;
  let caseId: string;
  let personId: string;
  let requestId: string;
  let printed: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-rotation-"));
    system = await startOn(dataDir);
    world = await createRequestWorld(system);
    const { db } = system.store;
    const user = await db
      .selectFrom("users")
      .selectAll()
      .where("username", "=", "seoul.investigator")
      .executeTakeFirstOrThrow();
    const organisation = await db
      .selectFrom("organisations")
      .selectAll()
      .where("id", "=", user.organisation_id)
      .executeTakeFirstOrThrow();
    const caller: Caller = { user, organisation, sourceAddress: null };
    const details = await registerCase(
      { db, caller, keys: system.app.services.keys },
      {
        caseNumber: "ROT-1",
        person: { name: NAME, phoneNumber: PHONE, cardNumber: CARD },
        symptomOnsetDate: seoulDateFromToday(-3),
        confirmedDate: seoulDateFromToday(-1),
      },
    );
    caseId = details.kase.id;
    personId = details.kase.person_id;
    await sealCardNumbers(db, new Map([[personId, new Set([SECOND_CARD])]]), {
      keys: system.app.services.keys,
      keyId: caseId,
    });
    requestId = await submitRequest(world.seoul, {
      ...locationRequestBody(caseId, [world.skt.id]),
      phoneNumber: REQUEST_PHONE,
    });

    oldMaster = loadMasterKey(masterKeySource(dataDir, {}));
    otherProcessKeys = openFieldKeys(dataDir, {});
    printed = await runRotate(dataDir);
    newMaster = loadMasterKey(masterKeySource(dataDir, {}));
  }, 120_000);

  afterAll(async () => {
    otherProcessKeys?.close();
    await restarted?.close();
    await system?.close().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("writes a new key file with one key", () => {
    const file = masterKeySource(dataDir, {}).file;
    const lines = fs.readFileSync(file, "utf8").trim().split("\n");
    expect(newMaster.id).not.toBe(oldMaster.id);
    expect(lines).toEqual([newMaster.key.toString("base64")]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(printed).toMatch(
      new RegExp(`${oldMaster.id} replaced by ${newMaster.id}`),
    );
  });

  it("keeps the running server reading sealed fields", async () => {
    const response = await world.seoul.request("GET", `/api/cases/${caseId}`);
    const body = (await response.json()) as { person: { name: string } };
    const request = await world.seoul.request(
      "GET",
      `/api/requests/${requestId}`,
    );
    const requestBody = (await request.json()) as { phoneNumber: string };

    expect(response.status).toBe(200);
    expect(body.person.name).toBe(NAME);
    expect(request.status).toBe(200);
    expect(requestBody.phoneNumber).toBe(REQUEST_PHONE.replace(/-/g, ""));
  });

  it("keeps lookups of the running server finding persons", async () => {
    const { db } = system.store;
    const keys = system.app.services.keys;
    expect(await findPersonsByPhoneNumber(db, keys, PHONE)).toEqual([personId]);
    expect(await findPersonsByCardNumber(db, keys, CARD)).toEqual([personId]);
    expect(await findPersonsByCardNumber(db, keys, SECOND_CARD)).toEqual([
      personId,
    ]);
    expect(keys.master.id).toBe(newMaster.id);
  });

  it("lets a process opened before switch keys", async () => {
    const person = await system.store.db
      .selectFrom("persons")
      .selectAll()
      .where("id", "=", personId)
      .executeTakeFirstOrThrow();
    const name = openField(
      otherProcessKeys,
      caseId,
      { table: "persons", column: "name", rowId: personId },
      person.name,
    );
    expect(name).toBe(NAME);
    expect(otherProcessKeys.master.id).toBe(newMaster.id);
    expect(otherProcessKeys.lookupKey.equals(deriveLookupKey(newMaster))).toBe(
      true,
    );
  });

  it("opens nothing with the old master key", async () => {
    const store = new DataKeyStore(
      path.join(keyFolderOf(dataDir), DATA_KEY_FILE_NAME),
      oldMaster,
    );
    try {
      expect(() => store.find(caseId)).toThrow(/has not loaded/);
    } finally {
      store.close();
    }

    const users = await system.store.db
      .selectFrom("users")
      .select(["id", "totp_secret"])
      .where("totp_secret", "is not", null)
      .execute();
    expect(users.length).toBeGreaterThan(0);
    for (const user of users) {
      expect(() =>
        openTotpSecret(
          deriveTotpSecretKey(oldMaster),
          user.id,
          user.totp_secret ?? "",
        ),
      ).toThrow();
    }

    const oldHash = lookupHash(deriveLookupKey(oldMaster), "phone", PHONE);
    const matches = await system.store.db
      .selectFrom("persons")
      .select("id")
      .where("phone_number_hash", "=", oldHash)
      .execute();
    expect(matches).toEqual([]);
  });

  it("records the rotation in the audit log", async () => {
    const event = await system.store.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "keys.rotate")
      .executeTakeFirstOrThrow();
    const detail = JSON.parse(event.detail) as Record<string, unknown>;

    expect(event.actor_username).toBe("cli:keys rotate");
    expect(detail.masterKeyId).toBe(newMaster.id);
    expect(detail.previousMasterKeyId).toBe(oldMaster.id);
    expect(detail.dataKeys).toBe(1);
    // The person's phone and two cards, and the request's phone number.
    expect(detail.lookupHashes).toBe(4);
    expect(Number(detail.totpSecrets)).toBeGreaterThan(0);
    expect(JSON.stringify(detail)).not.toContain(
      newMaster.key.toString("base64"),
    );
  });

  it("verifies TOTP codes after a restart", async () => {
    const secret = totpSecretOf(system, "seoul.investigator");
    await system.close();
    restarted = await startOn(dataDir);

    const login = await logInWithPassword(restarted, "seoul.investigator");
    expect(login.stage).toBe("second_factor");
    const completed = await login.client.request(
      "POST",
      "/api/session/second-factor",
      { code: await freshTotpCode(secret ?? "") },
    );
    const kase = await login.client.request("GET", `/api/cases/${caseId}`);
    const body = (await kase.json()) as { person: { name: string } };

    expect(completed.status).toBe(200);
    expect(kase.status).toBe(200);
    expect(body.person.name).toBe(NAME);
  }, 60_000);
});
