import fs from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  commandLineActor,
  loadSigningKey,
  signingKeySource,
  verifyAuditLog,
} from "../../src/audit/index.js";
import {
  backupStore,
  MIN_AUDIT_RETENTION_YEARS,
  openBackupUpload,
  purgeCase,
  readRetentionSettings,
  runRetention,
  type BackupResult,
  type PurgeContext,
} from "../../src/retention/index.js";
import {
  baseStationFile,
  createKey,
  createRequestWorld,
  locationRequestBody,
  providerClient,
  seoulDateFromToday,
  submitRequest,
  type RequestWorld,
  type System,
} from "../requests/fixtures.js";
import { startTestSystem } from "../support/system.js";

const PURGED_PHONE = "010-3141-5926";
const KEPT_PHONE = "010-2718-2818";

/** Returns the spellings in which a phone number could be written down. */
function spellingsOf(phoneNumber: string): string[] {
  return [phoneNumber, phoneNumber.replace(/-/g, "")];
}

function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Returns `file: needle (encoding)` for every needle found in the raw bytes of the files. */
function findInFiles(files: readonly string[], needles: readonly string[]) {
  const found: string[] = [];
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    for (const needle of needles) {
      for (const encoding of ["utf8", "utf16le"] as const) {
        if (bytes.includes(Buffer.from(needle, encoding))) {
          found.push(`${path.basename(file)}: ${needle} (${encoding})`);
        }
      }
    }
  }
  return found;
}

describe("backup and purge of provider uploads", () => {
  let system: System;
  let world: RequestWorld;
  let purgeContext: PurgeContext;
  let purgedCaseId: string;
  let purgedUploadId: string;
  let keptUploadId: string;
  let backupFile: string;
  let backup: BackupResult;
  let eventsBefore: { id: number; hash: string }[];

  /** Registers a case, has a provider upload a file naming the phone number, and returns the ids. */
  async function caseWithUpload(caseNumber: string, phoneNumber: string) {
    const created = await world.seoul.request("POST", "/api/cases", {
      caseNumber,
      person: {},
      symptomOnsetDate: seoulDateFromToday(-3),
      confirmedDate: seoulDateFromToday(-1),
    });
    expect(created.status).toBe(201);
    const caseId = ((await created.json()) as { id: string }).id;
    const requestId = await submitRequest(world.seoul, {
      ...locationRequestBody(caseId, [world.skt.id]),
      phoneNumber,
    });
    const approval = await world.police.request(
      "POST",
      `/api/location-approvals/${requestId}/approve`,
      {},
    );
    expect(approval.status).toBe(200);
    const skt = providerClient(
      system,
      (await createKey(world.admin, world.skt.id, caseNumber)).secret,
    );
    const upload = await skt.upload(
      requestId,
      "base_station",
      baseStationFile(3, phoneNumber),
    );
    expect(upload.status).toBe(201);
    const { uploadId } = (await upload.json()) as { uploadId: string };
    return { caseId, uploadId };
  }

  beforeAll(async () => {
    system = await startTestSystem({ loginAttemptsPerMinute: 1000 });
    world = await createRequestWorld(system);
    purgeContext = {
      store: system.store,
      keys: system.app.services.keys,
      dataDir: system.dataDir,
      actor: commandLineActor("purge"),
    };
    ({ caseId: purgedCaseId, uploadId: purgedUploadId } = await caseWithUpload(
      "BACKUP-PURGED",
      PURGED_PHONE,
    ));
    ({ uploadId: keptUploadId } = await caseWithUpload(
      "BACKUP-KEPT",
      KEPT_PHONE,
    ));

    backupFile = path.join(system.dataDir, "backups", "before-purge.sqlite");
    backup = await backupStore(system.dataDir, backupFile, {
      keys: system.app.services.keys,
    });
    eventsBefore = await system.store.db
      .selectFrom("audit_events")
      .select(["id", "hash"])
      .orderBy("id")
      .execute();

    const kase = await system.store.db
      .selectFrom("cases")
      .selectAll()
      .where("id", "=", purgedCaseId)
      .executeTakeFirstOrThrow();
    await purgeCase(purgeContext, kase, { authority: "Backup test decision" });
  }, 120_000);

  afterAll(async () => {
    await system?.close();
  });

  it("copies every upload file into the backup", () => {
    const kept = openBackupUpload(
      backupFile,
      keptUploadId,
      system.app.services.keys,
    );
    expect(backup.uploadFiles).toBe(2);
    expect(backup.uploadFilesSkipped).toBe(0);
    expect(kept?.toString("utf8")).toBe(baseStationFile(3, KEPT_PHONE));
  });

  it("keeps no upload file in clear in the backup", () => {
    const found = findInFiles(
      [backupFile],
      [...spellingsOf(PURGED_PHONE), ...spellingsOf(KEPT_PHONE)],
    );
    expect(found).toEqual([]);
  });

  it("locks a purged case's upload in the backup", () => {
    expect(() =>
      openBackupUpload(backupFile, purgedUploadId, system.app.services.keys),
    ).toThrow(/data key of case .* is destroyed/);
  });

  it("keeps the upload files sealed in the data folder", () => {
    const uploads = filesUnder(path.join(system.dataDir, "provider-uploads"));
    expect(uploads.length).toBeGreaterThan(0);
    expect(findInFiles(uploads, spellingsOf(KEPT_PHONE))).toEqual([]);
  });

  it("leaves the purged phone number in no file", () => {
    const files = filesUnder(system.dataDir);
    expect(files).toContain(backupFile);
    expect(findInFiles(files, spellingsOf(PURGED_PHONE))).toEqual([]);
  });

  it("keeps every audit event unchanged", async () => {
    const after = await system.store.db
      .selectFrom("audit_events")
      .select(["id", "hash"])
      .orderBy("id")
      .execute();
    const purgedCaseEvents = await system.store.db
      .selectFrom("audit_events")
      .select("action")
      .where("case_id", "=", purgedCaseId)
      .execute();

    expect(after.slice(0, eventsBefore.length)).toEqual(eventsBefore);
    expect(purgedCaseEvents.map((event) => event.action)).toContain(
      "case.create",
    );
    expect(purgedCaseEvents.map((event) => event.action)).toContain(
      "retention.purge",
    );
  });

  it("keeps the audit chain verifiable", async () => {
    const key = loadSigningKey(signingKeySource(system.dataDir));
    const result = await verifyAuditLog(system.store.db, key.publicKeyBase64);
    expect(result.problem).toBeNull();
    expect(result.eventsChecked).toBeGreaterThan(eventsBefore.length);
  });

  it("keeps audit events when the epidemic has ended", async () => {
    const before = await system.store.db
      .selectFrom("audit_events")
      .select(["id", "hash"])
      .orderBy("id")
      .execute();
    await runRetention(purgeContext, {
      settings: readRetentionSettings({}),
      authority: "End of the epidemic",
      epidemicEndedDate: seoulDateFromToday(0),
    });
    const after = await system.store.db
      .selectFrom("audit_events")
      .select(["id", "hash"])
      .orderBy("id")
      .execute();
    expect(after.slice(0, before.length)).toEqual(before);
  });
});

describe("audit retention setting", () => {
  it("defaults to two years", () => {
    expect(readRetentionSettings({}).auditRetentionYears).toBe(2);
    expect(MIN_AUDIT_RETENTION_YEARS).toBe(2);
  });

  it("accepts more than two years", () => {
    const settings = readRetentionSettings({
      EPITRACE_AUDIT_RETENTION_YEARS: "5",
    });
    expect(settings.auditRetentionYears).toBe(5);
  });

  it("rejects less than two years", () => {
    expect(() =>
      readRetentionSettings({ EPITRACE_AUDIT_RETENTION_YEARS: "1" }),
    ).toThrow(/EPITRACE_AUDIT_RETENTION_YEARS="1".*at least 2 years/);
  });

  it("rejects a value that is not a whole number", () => {
    expect(() =>
      readRetentionSettings({ EPITRACE_AUDIT_RETENTION_YEARS: "2.5" }),
    ).toThrow(/expected a whole number of years from 2 to 100/);
  });
});
