import type { Kysely } from "kysely";

import {
  resolveInfectiousPeriod,
  type IndexCase,
  type InfectiousPeriod,
  type TimeInterval,
} from "../analysis/contacts/index.js";
import { AppError } from "../errors.js";
import type { Case, Database } from "../store/index.js";

/** Days before the reference date at which an infectious period starts, as `findContacts` counts by default. */
export const DAYS_BEFORE_REFERENCE = 2;

/**
 * Loads the cases a search may cover: those the organisation registered,
 * or every case when `organisationId` is null, optionally only those whose
 * stored province equals `province` (such as "Seoul").
 */
export async function loadCasesInScope(
  db: Kysely<Database>,
  organisationId: string | null,
  province?: string,
): Promise<Case[]> {
  let select = db.selectFrom("cases").selectAll();
  if (organisationId !== null) {
    select = select.where("organisation_id", "=", organisationId);
  }
  if (province !== undefined && province !== "") {
    select = select.where("province", "=", province);
  }
  return select.orderBy("case_number").execute();
}

/** Returns the dates of a case that fix its infectious period. */
export function indexCaseOf(kase: Case): IndexCase {
  return {
    personId: kase.person_id,
    symptomOnsetDate: kase.symptom_onset_date,
    testDate: kase.test_date,
    confirmedDate: kase.confirmed_date,
    isolationDate: kase.isolation_date,
  };
}

/**
 * Returns the infectious period of a case by the default rule, or the set
 * interval. Raises `validation_failed` when the case's dates fix none and
 * no interval is set.
 */
export function infectiousPeriodOf(
  kase: Case,
  setInterval?: TimeInterval,
): InfectiousPeriod {
  try {
    return resolveInfectiousPeriod(
      indexCaseOf(kase),
      DAYS_BEFORE_REFERENCE,
      setInterval,
    );
  } catch (error) {
    if (!(error instanceof RangeError)) {
      throw error;
    }
    throw new AppError(
      "validation_failed",
      `Cannot fix the infectious period of case ${kase.case_number}: it needs a symptom onset, test or confirmation date, and an isolation or confirmation date. Add the dates to the case, or set the period with from and to.`,
      { cause: error },
    );
  }
}

/** Returns the infectious period of a case, or undefined when its dates fix none. */
export function tryInfectiousPeriodOf(
  kase: Case,
): InfectiousPeriod | undefined {
  try {
    return resolveInfectiousPeriod(
      indexCaseOf(kase),
      DAYS_BEFORE_REFERENCE,
      undefined,
    );
  } catch (error) {
    if (error instanceof RangeError) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Converts the RangeError of a pure analysis, which names the invalid
 * input, into a `validation_failed` error; any other error is returned as it is.
 */
export function invalidAnalysisInput(error: unknown, subject: string): unknown {
  if (error instanceof RangeError) {
    return new AppError(
      "validation_failed",
      `Analysis of ${subject} failed: ${error.message}`,
      { cause: error },
    );
  }
  return error;
}
