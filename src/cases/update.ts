import { withCaseAccess } from "../access/index.js";
import { seoulDateOf } from "../domain/index.js";
import { AppError } from "../errors.js";
import type { KeyedAccessContext } from "../privacy/index.js";
import type { Case, CaseStatus } from "../store/index.js";
import { loadCaseDetails, type CaseDetails } from "./details.js";
import { checkDate } from "./validation.js";

/** Fields of a case an investigator may change; null clears a date. */
export interface CaseChanges {
  symptomOnsetDate?: string | null;
  testDate?: string | null;
  confirmedDate?: string | null;
  isolationDate?: string | null;
  releasedDate?: string | null;
  deceasedDate?: string | null;
  state?: string | null;
  status?: CaseStatus;
}

const DATE_COLUMNS = {
  symptomOnsetDate: "symptom_onset_date",
  testDate: "test_date",
  confirmedDate: "confirmed_date",
  isolationDate: "isolation_date",
  releasedDate: "released_date",
  deceasedDate: "deceased_date",
} as const;

/** Changes the dates, state or status of a case of the caller's jurisdiction. */
export function updateCase(
  context: KeyedAccessContext,
  caseId: string,
  changes: CaseChanges,
  now: number = Date.now(),
): Promise<CaseDetails> {
  for (const field of Object.keys(
    DATE_COLUMNS,
  ) as (keyof typeof DATE_COLUMNS)[]) {
    checkDate(field, changes[field]);
  }

  return withCaseAccess(
    context,
    { action: "case.update", caseId },
    async (kase) => {
      const values: Partial<Case> = { updated_at: now };
      for (const [field, column] of Object.entries(DATE_COLUMNS)) {
        const value = changes[field as keyof typeof DATE_COLUMNS];
        if (value !== undefined) {
          values[column] = value;
        }
      }
      if (changes.state !== undefined) {
        values.state = changes.state;
      }
      if (changes.status !== undefined) {
        values.status = changes.status;
        values.closed_date =
          changes.status === "closed"
            ? (kase.closed_date ?? seoulDateOf(now))
            : null;
      }

      return saveCase(context, kase, values);
    },
  );
}

/** Closes a case, on the given Seoul date or today. */
export function closeCase(
  context: KeyedAccessContext,
  caseId: string,
  closedDate: string | undefined,
  now: number = Date.now(),
): Promise<CaseDetails> {
  checkDate("closedDate", closedDate);

  return withCaseAccess(context, { action: "case.update", caseId }, (kase) => {
    if (kase.status === "closed") {
      throw new AppError("conflict", "The case is already closed.");
    }
    return saveCase(context, kase, {
      status: "closed",
      closed_date: closedDate ?? seoulDateOf(now),
      updated_at: now,
    });
  });
}

async function saveCase(
  { db, keys }: KeyedAccessContext,
  kase: Case,
  values: Partial<Case>,
): Promise<CaseDetails> {
  await db.updateTable("cases").set(values).where("id", "=", kase.id).execute();
  return loadCaseDetails(db, keys, { ...kase, ...values });
}
