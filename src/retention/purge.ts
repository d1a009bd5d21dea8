import fs from "node:fs/promises";
import path from "node:path";

import { sql, type Transaction } from "kysely";

import { appendAuditEvent, type AuditActor } from "../audit/index.js";
import type { FieldKeys } from "../privacy/index.js";
import { uploadDirOf } from "../requests/index.js";
import {
  countSeriesRecords,
  deleteSeries,
  type Case,
  type Database,
  type SeriesSelection,
  type Store,
} from "../store/index.js";
import {
  sealCertificate,
  type DestroyedCounts,
  type DestructionCertificate,
} from "./certificate.js";
import { findExportCopies, loadCaseScope, type CaseScope } from "./scope.js";

/** Dependencies of a purge. */
export interface PurgeContext {
  store: Store;
  keys: FieldKeys;
  /** The data folder, whose uploads folder contains the provider files. */
  dataDir: string;
  actor: AuditActor;
}

export interface PurgeOptions {
  /** The decision or rule the purge runs under, written into the certificate. */
  authority: string;
  /** Count what would be destroyed and change nothing. Default false. */
  dryRun?: boolean;
  now?: number;
}

/**
 * Destroys a case's personal data: its location records and stays, the
 * name and identifiers of its person and of the persons its requests
 * brought in, its request identifiers, uploads and their files, and the
 * contact decisions about it. Then it destroys the case's data key, so
 * that every backup's encrypted copy becomes unreadable, and compacts the
 * store (`VACUUM`, then a WAL checkpoint with TRUNCATE) so that no deleted
 * bytes remain in its files. The certificate is appended to the audit log,
 * which keeps every event about the case. A dry run only counts.
 */
export async function purgeCase(
  context: PurgeContext,
  kase: Case,
  options: PurgeOptions,
): Promise<DestructionCertificate> {
  const now = options.now ?? Date.now();
  const dryRun = options.dryRun === true;
  const { db } = context.store;

  const { scope, counts, copies } = await db
    .transaction()
    .execute(async (trx) => {
      const found = await loadCaseScope(trx, kase);
      const counted = dryRun
        ? await countCaseData(trx, found)
        : await deleteCaseData(trx, found, now);
      return {
        scope: found,
        counts: counted,
        copies: await findExportCopies(trx, kase.id),
      };
    });

  if (dryRun) {
    counts.uploadFiles = await countUploadFiles(context.dataDir, scope);
    counts.dataKeys = context.keys.dataKeys.find(kase.id) === null ? 0 : 1;
  } else {
    counts.uploadFiles = await deleteUploadFiles(context.dataDir, scope);
    counts.dataKeys = context.keys.dataKeys.destroy(kase.id) ? 1 : 0;
    await compactStore(context.store);
  }

  const certificate = sealCertificate({
    caseId: kase.id,
    caseNumber: kase.case_number,
    scope: "case",
    destroyedAt: new Date(now).toISOString(),
    authority: options.authority,
    performedBy: context.actor.username,
    destroyed: counts,
    copiesOutsideSystem: copies,
  });
  if (!dryRun) {
    await recordCertificate(context, certificate, now);
  }
  return certificate;
}

/** Prefix of the data keys that seal the numbers of persons an import created outside any case. */
const IMPORT_KEY_PREFIX = "import:";

/**
 * Destroys the persons that provider imports created outside any case
 * (no case and no data request names them): their location records and
 * stays, their sealed numbers, and the data keys of those imports. Run at
 * the declared end of the epidemic, after every case is purged. Returns
 * null when there is nothing to destroy.
 */
export async function purgePersonsWithoutCase(
  context: PurgeContext,
  options: PurgeOptions,
): Promise<DestructionCertificate | null> {
  const now = options.now ?? Date.now();
  const dryRun = options.dryRun === true;
  const { db } = context.store;

  const found = await db.transaction().execute(async (trx) => {
    const persons = await trx
      .selectFrom("persons")
      .select("id")
      .where("source", "=", "provider")
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("cases")
              .select("cases.id")
              .whereRef("cases.person_id", "=", "persons.id"),
          ),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("data_requests")
              .select("data_requests.id")
              .whereRef("data_requests.person_id", "=", "persons.id"),
          ),
        ),
      )
      .where((eb) =>
        eb.or([
          eb("phone_number", "is not", null),
          eb("card_number", "is not", null),
          eb.exists(
            eb
              .selectFrom("location_records")
              .select("location_records.id")
              .whereRef("location_records.person_id", "=", "persons.id"),
          ),
          eb.exists(
            eb
              .selectFrom("record_series")
              .select("record_series.id")
              .whereRef("record_series.person_id", "=", "persons.id"),
          ),
        ]),
      )
      .execute();

    const personIds = persons.map((person) => person.id);

    const imports = await trx
      .selectFrom("imports")
      .select("id")
      .where("kind", "like", "provider-%")
      .execute();

    const counts = emptyCounts();
    if (personIds.length === 0) {
      return { counts, importIds: imports.map((row) => row.id) };
    }

    const records = await trx
      .selectFrom("location_records")
      .select(["source_kind", (eb) => eb.fn.countAll<number>().as("count")])
      .where("person_id", "in", personIds)
      .groupBy("source_kind")
      .execute();
    for (const row of records) {
      addRecordCount(counts, row.source_kind, Number(row.count));
    }
    const series = await countSeriesRecords(trx, { personIds });
    for (const [kind, count] of Object.entries(series)) {
      addRecordCount(counts, kind, count);
    }

    const stays = await trx
      .selectFrom("stays")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("person_id", "in", personIds)
      .executeTakeFirstOrThrow();
    counts.stays = Number(stays.count);

    counts.persons = personIds.length;

    if (!dryRun) {
      await trx
        .deleteFrom("location_records")
        .where("person_id", "in", personIds)
        .execute();
      await deleteSeries(trx, { personIds });
      await trx
        .deleteFrom("stays")
        .where("person_id", "in", personIds)
        .execute();
      await trx
        .deleteFrom("person_card_numbers")
        .where("person_id", "in", personIds)
        .execute();
      await trx
        .updateTable("persons")
        .set({
          name: null,
          phone_number: null,
          phone_number_hash: null,
          card_number: null,
          card_number_hash: null,
        })
        .where("id", "in", personIds)
        .execute();
    }
    return { counts, importIds: imports.map((row) => row.id) };
  });

  const { counts } = found;
  for (const importId of found.importIds) {
    const keyId = `${IMPORT_KEY_PREFIX}${importId}`;
    if (dryRun) {
      counts.dataKeys += context.keys.dataKeys.find(keyId) === null ? 0 : 1;
    } else if (context.keys.dataKeys.destroy(keyId)) {
      counts.dataKeys += 1;
    }
  }
  if (counts.persons === 0 && counts.dataKeys === 0) {
    return null;
  }
  if (!dryRun) {
    await compactStore(context.store);
  }

  const certificate = sealCertificate({
    caseId: "",
    caseNumber: "",
    scope: "persons_without_case",
    destroyedAt: new Date(now).toISOString(),
    authority: options.authority,
    performedBy: context.actor.username,
    destroyed: counts,
    copiesOutsideSystem: [],
  });
  if (!dryRun) {
    await recordCertificate(context, certificate, now);
  }
  return certificate;
}

/**
 * Rewrites the store without free pages and empties its write-ahead log,
 * so that deleted rows leave no bytes in the database, -wal or -shm files.
 */
export async function compactStore(store: Store): Promise<void> {
  await sql`VACUUM`.execute(store.db);
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
}

/** Appends a certificate to the audit log as a `retention.purge` event. */
export async function recordCertificate(
  context: PurgeContext,
  certificate: DestructionCertificate,
  now: number,
): Promise<void> {
  await appendAuditEvent(context.store.db, {
    actor: context.actor,
    action: "retention.purge",
    result: "succeeded",
    caseId: certificate.caseId === "" ? null : certificate.caseId,
    purpose: certificate.authority,
    detail: { certificate },
    occurredAt: now,
  });
}

function emptyCounts(): DestroyedCounts {
  return {
    locationRecords: 0,
    cardRecords: 0,
    stays: 0,
    persons: 0,
    requestIdentifiers: 0,
    uploads: 0,
    uploadFiles: 0,
    imports: 0,
    contactDecisions: 0,
    dataKeys: 0,
  };
}

async function countCaseData(
  trx: Transaction<Database>,
  scope: CaseScope,
): Promise<DestroyedCounts> {
  const counts = emptyCounts();

  const records = await trx
    .selectFrom("location_records")
    .select(["source_kind", (eb) => eb.fn.countAll<number>().as("n")])
    .where((eb) =>
      eb.or([
        eb("case_id", "=", scope.kase.id),
        eb("person_id", "in", scope.personIds),
      ]),
    )
    .groupBy("source_kind")
    .execute();
  for (const row of records) {
    addRecordCount(counts, row.source_kind, Number(row.n));
  }
  const series = await countSeriesRecords(trx, caseSeries(scope));
  for (const [kind, count] of Object.entries(series)) {
    addRecordCount(counts, kind, count);
  }

  const stays = await trx
    .selectFrom("stays")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("person_id", "in", scope.personIds)
    .executeTakeFirstOrThrow();
  counts.stays = Number(stays.n);

  const decisions = await trx
    .selectFrom("contact_decisions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where((eb) =>
      eb.or([
        eb("case_id", "=", scope.kase.id),
        eb("person_id", "in", scope.personIds),
      ]),
    )
    .executeTakeFirstOrThrow();
  counts.contactDecisions = Number(decisions.n);

  counts.persons = scope.personIds.length;
  counts.requestIdentifiers = scope.requestIds.length;
  counts.uploads = scope.uploads.length;
  counts.imports = importIdsOf(scope).length;
  return counts;
}

async function deleteCaseData(
  trx: Transaction<Database>,
  scope: CaseScope,
  now: number,
): Promise<DestroyedCounts> {
  const counts = await countCaseData(trx, scope);
  const { kase, personIds, requestIds } = scope;

  if (requestIds.length > 0) {
    await trx
      .deleteFrom("data_request_uploads")
      .where("request_id", "in", requestIds)
      .execute();
  }
  await trx
    .deleteFrom("location_records")
    .where((eb) =>
      eb.or([eb("case_id", "=", kase.id), eb("person_id", "in", personIds)]),
    )
    .execute();
  await deleteSeries(trx, caseSeries(scope));
  const importIds = importIdsOf(scope);
  if (importIds.length > 0) {
    await trx.deleteFrom("imports").where("id", "in", importIds).execute();
  }
  await trx.deleteFrom("stays").where("person_id", "in", personIds).execute();
  await trx
    .deleteFrom("contact_decisions")
    .where((eb) =>
      eb.or([eb("case_id", "=", kase.id), eb("person_id", "in", personIds)]),
    )
    .execute();
  await trx
    .updateTable("data_requests")
    .set({
      phone_number: null,
      phone_number_hash: null,
      card_holder: null,
      card_holder_hash: null,
      updated_at: now,
    })
    .where("case_id", "=", kase.id)
    .execute();
  await trx
    .deleteFrom("person_card_numbers")
    .where("person_id", "in", personIds)
    .execute();
  await trx
    .updateTable("persons")
    .set({
      name: null,
      phone_number: null,
      phone_number_hash: null,
      card_number: null,
      card_number_hash: null,
      sex: null,
      birth_year: null,
      country: null,
      home_province: null,
      home_city: null,
    })
    .where("id", "in", personIds)
    .execute();
  await trx
    .updateTable("cases")
    .set({ purged_at: now, updated_at: now })
    .where("id", "=", kase.id)
    .execute();
  return counts;
}

/** Adds records of a source kind to the count of card records or of other location records. */
function addRecordCount(
  counts: DestroyedCounts,
  sourceKind: string,
  count: number,
): void {
  if (sourceKind === "card") {
    counts.cardRecords += count;
  } else {
    counts.locationRecords += count;
  }
}

/** Returns the selection of the series of a case and of its persons, as its location records are selected. */
function caseSeries(scope: CaseScope): SeriesSelection {
  return { caseId: scope.kase.id, personIds: scope.personIds };
}

function importIdsOf(scope: CaseScope): string[] {
  return [
    ...new Set(
      scope.uploads.flatMap((upload) =>
        upload.import_id === null ? [] : [upload.import_id],
      ),
    ),
  ];
}

async function countUploadFiles(
  dataDir: string,
  scope: CaseScope,
): Promise<number> {
  let count = 0;
  for (const file of uploadFilesOf(dataDir, scope)) {
    try {
      await fs.access(file);
      count += 1;
    } catch {
      // A missing file is not counted.
    }
  }
  return count;
}

/** Deletes the stored upload files and returns how many existed. */
async function deleteUploadFiles(
  dataDir: string,
  scope: CaseScope,
): Promise<number> {
  let count = 0;
  for (const file of uploadFilesOf(dataDir, scope)) {
    try {
      await fs.rm(file);
      count += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        throw error;
      }
    }
  }
  return count;
}

function uploadFilesOf(dataDir: string, scope: CaseScope): string[] {
  const folder = uploadDirOf(dataDir);
  return scope.uploads.map((upload) =>
    path.join(folder, path.basename(upload.stored_file)),
  );
}
