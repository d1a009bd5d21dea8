import fs from "node:fs";
import path from "node:path";

import SqliteDatabase from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Caller } from "../../src/access/index.js";
import { commandLineActor } from "../../src/audit/index.js";
import { registerCase } from "../../src/cases/index.js";
import {
  DataKeyMissingError,
  findPersonsByCardNumber,
  findPersonsByPhoneNumber,
  isSealed,
  openField,
  type KeyedAccessContext,
} from "../../src/privacy/index.js";
import {
  backupStore,
  certificateHash,
  purgeCase,
  type DestructionCertificate,
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
import { sealCardNumbers } from "../../src/ingest/provider/persons.js";
import { startTestSystem } from "../support/system.js";

interface Subject {
  caseNumber: string;
  name: string;
  phoneNumber: string;
  cardNumber: string;
}

const PURGED: Subject = {
  caseNumber: "PURGE-1",
  name: "김영희",
  phoneNumber: "010-2345-6789",
  cardNumber: "9410-1234-5678-9012",
};

/** A further card of the purged subject, stored in `person_card_numbers`. */
const PURGED_SECOND_CARD = "5310-4444-3333-2222";

const KEPT: Subject = {
  caseNumber: "KEEP-1",
  name: "박철수",
  phoneNumber: "010-8765-4321",
  cardNumber: "9410-9999-8888-7777",
};

/** Returns every form in which a subject's identifiers could be written down. */
function needlesOf(subject: Subject): string[] {
  const digits = (value: string) => value.replace(/-/g, "");
  return [
    subject.name,
    subject.phoneNumber,
    digits(subject.phoneNumber),
    subject.cardNumber,
    digits(subject.cardNumber),
  ];
}

/** Lists every file under a folder. */
function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Returns `file: needle (encoding)` for every needle found in the raw bytes of a file. */
function findInFiles(folder: string, needles: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of filesUnder(folder)) {
    const bytes = fs.readFileSync(file);
    for (const needle of needles) {
      for (const encoding of ["utf8", "utf16le"] as const) {
        if (bytes.includes(Buffer.from(needle, encoding))) {
          found.push(`${path.relative(folder, file)}: ${needle} (${encoding})`);
        }
      }
    }
  }
  return found;
}

describe("case purge", () => {
  let system: System;
  let world: RequestWorld;
  let context: KeyedAccessContext;
  let purgedCaseId: string;
  let keptCaseId: string;
  let backupFile: string;
  let expectedRecords: number;
  let expectedStays: number;
  let certificate: DestructionCertificate;

  async function registerSubject(subject: Subject): Promise<string> {
    const details = await registerCase(context, {
      caseNumber: subject.caseNumber,
      person: {
        name: subject.name,
        phoneNumber: subject.phoneNumber,
        cardNumber: subject.cardNumber,
      },
      symptomOnsetDate: seoulDateFromToday(-3),
      confirmedDate: seoulDateFromToday(-1),
    });
    const caseId = details.kase.id;

    const visit = await world.seoul.request(
      "POST",
      `/api/cases/${caseId}/visits`,
      {
        placeName: "Bakery",
        latitude: 37.5665,
        longitude: 126.978,
        visitDate: seoulDateFromToday(-2),
      },
    );
    expect(visit.status).toBe(201);

    const requestId = await submitRequest(world.seoul, {
      ...locationRequestBody(caseId, [world.skt.id]),
      phoneNumber: subject.phoneNumber,
    });
    const approval = await world.police.request(
      "POST",
      `/api/location-approvals/${requestId}/approve`,
      {},
    );
    expect(approval.status).toBe(200);
    const skt = providerClient(
      system,
      (await createKey(world.admin, world.skt.id, subject.caseNumber)).secret,
    );
    const upload = await skt.upload(
      requestId,
      "base_station",
      baseStationFile(3, subject.phoneNumber),
    );
    expect(upload.status).toBe(201);
    return caseId;
  }

  beforeAll(async () => {
    system = await startTestSystem({ loginAttemptsPerMinute: 1000 });
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
    context = { db, caller, keys: system.app.services.keys };

    purgedCaseId = await registerSubject(PURGED);
    keptCaseId = await registerSubject(KEPT);

    const kase = await db
      .selectFrom("cases")
      .selectAll()
      .where("id", "=", purgedCaseId)
      .executeTakeFirstOrThrow();
    await sealCardNumbers(
      db,
      new Map([[kase.person_id, new Set([PURGED_SECOND_CARD])]]),
      { keys: context.keys, keyId: purgedCaseId },
    );
    const records = await db
      .selectFrom("location_records_all")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("person_id", "=", kase.person_id)
      .executeTakeFirstOrThrow();
    expectedRecords = Number(records.n);
    const stays = await db
      .selectFrom("stays")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("person_id", "=", kase.person_id)
      .executeTakeFirstOrThrow();
    expectedStays = Number(stays.n);

    backupFile = path.join(system.dataDir, "backups", "before-purge.sqlite");
    await backupStore(system.dataDir, backupFile);

    const purgeContext: PurgeContext = {
      store: system.store,
      keys: system.app.services.keys,
      dataDir: system.dataDir,
      actor: commandLineActor("purge"),
    };
    certificate = await purgeCase(purgeContext, kase, {
      authority: "Retention decision 2020-17 of the Seoul health office",
    });
  }, 120_000);

  afterAll(async () => {
    await system.close();
  });

  it("finds identifiers by keyed hash", async () => {
    const { db, keys } = context;
    const kept = await db
      .selectFrom("cases")
      .select("person_id")
      .where("id", "=", keptCaseId)
      .executeTakeFirstOrThrow();
    expect(await findPersonsByPhoneNumber(db, keys, KEPT.phoneNumber)).toEqual([
      kept.person_id,
    ]);
    expect(await findPersonsByCardNumber(db, keys, KEPT.cardNumber)).toEqual([
      kept.person_id,
    ]);
    expect(
      await findPersonsByPhoneNumber(db, keys, PURGED.phoneNumber),
    ).toEqual([]);
    expect(await findPersonsByCardNumber(db, keys, PURGED.cardNumber)).toEqual(
      [],
    );
    expect(await findPersonsByCardNumber(db, keys, PURGED_SECOND_CARD)).toEqual(
      [],
    );
    const furtherCards = await db
      .selectFrom("person_card_numbers")
      .select("id")
      .execute();
    expect(furtherCards).toEqual([]);
  });

  it("leaves no identifier in any file", () => {
    expect(findInFiles(system.dataDir, needlesOf(PURGED))).toEqual([]);
  });

  it("stores the kept case encrypted", () => {
    const found = findInFiles(system.dataDir, needlesOf(KEPT));
    const outsideUploads = found.filter(
      (entry) => !entry.startsWith("provider-uploads"),
    );
    expect(outsideUploads).toEqual([]);
  });

  it("locks the backup made before", () => {
    const backup = new SqliteDatabase(backupFile, { readonly: true });
    const row = backup
      .prepare(
        "SELECT persons.id, persons.name FROM persons JOIN cases ON cases.person_id = persons.id WHERE cases.id = ?",
      )
      .get(purgedCaseId) as { id: string; name: string };
    backup.close();

    expect(isSealed(row.name)).toBe(true);
    expect(() =>
      openField(
        context.keys,
        purgedCaseId,
        { table: "persons", column: "name", rowId: row.id },
        row.name,
      ),
    ).toThrow(DataKeyMissingError);
  });

  it("counts what it destroyed", () => {
    expect(expectedRecords).toBeGreaterThanOrEqual(4);
    expect(certificate.destroyed.locationRecords).toBe(expectedRecords);
    expect(certificate.destroyed.cardRecords).toBe(0);
    expect(certificate.destroyed.stays).toBe(expectedStays);
    expect(certificate.destroyed.persons).toBe(1);
    expect(certificate.destroyed.requestIdentifiers).toBe(1);
    expect(certificate.destroyed.uploads).toBe(1);
    expect(certificate.destroyed.uploadFiles).toBe(1);
    expect(certificate.destroyed.dataKeys).toBe(1);
    expect(certificate.caseNumber).toBe(PURGED.caseNumber);
    expect(certificate.copiesOutsideSystem).toEqual([]);
  });

  it("records the certificate in the audit log", async () => {
    const event = await system.store.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "retention.purge")
      .executeTakeFirstOrThrow();
    const stored = (
      JSON.parse(event.detail) as { certificate: DestructionCertificate }
    ).certificate;

    expect(event.case_id).toBe(purgedCaseId);
    expect(stored).toEqual(certificate);
    expect(certificateHash(stored)).toBe(certificate.sha256);
    const earlier = await system.store.db
      .selectFrom("audit_events")
      .select("id")
      .where("case_id", "=", purgedCaseId)
      .where("action", "=", "case.create")
      .execute();
    expect(earlier).toHaveLength(1);
  });

  it("keeps the purged case readable without a name", async () => {
    const response = await world.seoul.request(
      "GET",
      `/api/cases/${purgedCaseId}`,
    );
    const body = (await response.json()) as { person: { name: unknown } };

    expect(response.status).toBe(200);
    expect(body.person.name).toBeNull();
  });

  it("leaves another case untouched", async () => {
    const response = await world.seoul.request(
      "GET",
      `/api/cases/${keptCaseId}`,
    );
    const body = (await response.json()) as { person: { name: unknown } };
    const records = await system.store.db
      .selectFrom("location_records_all")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("case_id", "=", keptCaseId)
      .executeTakeFirstOrThrow();
    const list = await world.seoul.request(
      "GET",
      `/api/requests?caseId=${keptCaseId}`,
    );
    const { items } = (await list.json()) as { items: { id: string }[] };
    const request = await world.seoul.request(
      "GET",
      `/api/requests/${items[0]?.id ?? "missing"}`,
    );
    const requestBody = (await request.json()) as { phoneNumber: unknown };

    expect(response.status).toBe(200);
    expect(body.person.name).toBe(KEPT.name);
    expect(Number(records.n)).toBe(4);
    expect(request.status).toBe(200);
    expect(requestBody.phoneNumber).toBe(KEPT.phoneNumber.replace(/-/g, ""));
  });
});
