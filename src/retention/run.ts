import { seoulDateOf } from "../domain/index.js";
import {
  deleteSeries,
  type Case,
  type SeriesSelection,
} from "../store/index.js";
import {
  sealCertificate,
  type DestroyedCounts,
  type DestructionCertificate,
} from "./certificate.js";
import {
  compactStore,
  purgeCase,
  purgePersonsWithoutCase,
  recordCertificate,
  type PurgeContext,
} from "./purge.js";
import { findExportCopies } from "./scope.js";
import type { RetentionSettings } from "./settings.js";

export interface RetentionRunOptions {
  settings: RetentionSettings;
  authority: string;
  /** Seoul day (`YYYY-MM-DD`) the epidemic was declared over; from then on every case is purged whole. */
  epidemicEndedDate?: string | undefined;
  dryRun?: boolean;
  now?: number;
}

/**
 * Applies the retention rules to every case not yet purged. Once the
 * declared end of the epidemic has come, each case is purged whole.
 * Before that, a closed case loses its card transactions `cardRecordDays`
 * after its closing day and its other location records and stays
 * `locationRecordDays` after it. Returns one certificate per case that
 * lost anything.
 */
export async function runRetention(
  context: PurgeContext,
  options: RetentionRunOptions,
): Promise<DestructionCertificate[]> {
  const now = options.now ?? Date.now();
  const today = seoulDateOf(now);
  const ended =
    options.epidemicEndedDate !== undefined &&
    options.epidemicEndedDate <= today;

  const cases = await context.store.db
    .selectFrom("cases")
    .selectAll()
    .where("purged_at", "is", null)
    .orderBy("case_number")
    .execute();

  const certificates: DestructionCertificate[] = [];
  for (const kase of cases) {
    const purgeOptions = {
      authority: options.authority,
      dryRun: options.dryRun === true,
      now,
    };
    if (ended) {
      certificates.push(await purgeCase(context, kase, purgeOptions));
      continue;
    }
    const certificate = await purgeExpiredRecords(
      context,
      kase,
      expiredKinds(kase, options.settings, today),
      purgeOptions,
    );
    if (certificate !== null) {
      certificates.push(certificate);
    }
  }
  if (ended) {
    const certificate = await purgePersonsWithoutCase(context, {
      authority: options.authority,
      dryRun: options.dryRun === true,
      now,
    });
    if (certificate !== null) {
      certificates.push(certificate);
    }
  }
  return certificates;
}

/** Adds whole days to a calendar date written `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const instant = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(instant).toISOString().slice(0, 10);
}

type RecordGroup = "card" | "location";

function expiredKinds(
  kase: Case,
  settings: RetentionSettings,
  today: string,
): RecordGroup[] {
  if (kase.status !== "closed" || kase.closed_date === null) {
    return [];
  }
  const groups: RecordGroup[] = [];
  if (addDays(kase.closed_date, settings.cardRecordDays) < today) {
    groups.push("card");
  }
  if (addDays(kase.closed_date, settings.locationRecordDays) < today) {
    groups.push("location");
  }
  return groups;
}

/**
 * Deletes a case's location records and stays of the expired groups,
 * keeping the person and the data key. Returns null when nothing was
 * there to delete.
 */
async function purgeExpiredRecords(
  context: PurgeContext,
  kase: Case,
  groups: readonly RecordGroup[],
  options: { authority: string; dryRun: boolean; now: number },
): Promise<DestructionCertificate | null> {
  if (groups.length === 0) {
    return null;
  }
  const { db } = context.store;
  const counts = await db
    .transaction()
    .execute(async (trx) => {
      const found: Partial<DestroyedCounts> = {};
      for (const group of groups) {
        let records = trx
          .deleteFrom("location_records")
          .where("person_id", "=", kase.person_id);
        let stays = trx
          .deleteFrom("stays")
          .where("person_id", "=", kase.person_id);
        const series: SeriesSelection = {
          personIds: [kase.person_id],
          ...(group === "card"
            ? { sourceKinds: ["card"] }
            : { excludedSourceKinds: ["card"] }),
        };
        if (group === "card") {
          records = records.where("source_kind", "=", "card");
          stays = stays.where("source_kind", "=", "card");
        } else {
          records = records.where("source_kind", "!=", "card");
          stays = stays.where("source_kind", "!=", "card");
        }
        // NOTE: a dry run deletes inside the transaction and rolls it back,
        // so that it counts exactly what a real run would delete.
        const deleted = await records.executeTakeFirst();
        const deletedSeries = await deleteSeries(trx, series);
        const deletedStays = await stays.executeTakeFirst();
        const key = group === "card" ? "cardRecords" : "locationRecords";
        found[key] = Number(deleted.numDeletedRows) + deletedSeries.records;
        found.stays = (found.stays ?? 0) + Number(deletedStays.numDeletedRows);
      }
      const copies = await findExportCopies(trx, kase.id);
      if (options.dryRun) {
        throw new DryRunRollback(found, copies);
      }
      return { found, copies };
    })
    .catch((error: unknown) => {
      if (error instanceof DryRunRollback) {
        return { found: error.counts, copies: error.copies };
      }
      throw error;
    });

  const total =
    (counts.found.cardRecords ?? 0) +
    (counts.found.locationRecords ?? 0) +
    (counts.found.stays ?? 0);
  if (total === 0) {
    return null;
  }
  if (!options.dryRun) {
    await compactStore(context.store);
  }
  const certificate = sealCertificate({
    caseId: kase.id,
    caseNumber: kase.case_number,
    scope: "records",
    destroyedAt: new Date(options.now).toISOString(),
    authority: options.authority,
    performedBy: context.actor.username,
    destroyed: { ...zeroCounts(), ...counts.found },
    copiesOutsideSystem: counts.copies,
  });
  if (!options.dryRun) {
    await recordCertificate(context, certificate, options.now);
  }
  return certificate;
}

class DryRunRollback extends Error {
  constructor(
    readonly counts: Partial<DestroyedCounts>,
    readonly copies: Awaited<ReturnType<typeof findExportCopies>>,
  ) {
    super("dry run");
  }
}

function zeroCounts(): DestroyedCounts {
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
