import { randomUUID } from "node:crypto";

import { auditActorOf, authorize } from "../access/index.js";
import { appendAuditEvent } from "../audit/index.js";
import { AppError } from "../errors.js";
import {
  sealPersonIdentifiers,
  type FieldKeys,
  type KeyedAccessContext,
} from "../privacy/index.js";
import { normalisePhoneNumber } from "../requests/identifiers.js";
import type { Case, Person } from "../store/index.js";
import { loadCaseDetails, type CaseDetails } from "./details.js";
import { checkDate, normaliseCardNumber } from "./validation.js";

export interface NewPerson {
  /** Reference that names no one; defaults to "Case <number>". */
  label?: string;
  name?: string;
  /** Korean mobile number, stored as its digits. */
  phoneNumber?: string;
  /** Card number, stored trimmed. */
  cardNumber?: string;
  sex?: string;
  birthYear?: number;
  country?: string;
  homeProvince?: string;
  homeCity?: string;
}

export interface NewCase {
  caseNumber: string;
  person: NewPerson;
  province?: string;
  city?: string;
  symptomOnsetDate?: string;
  testDate?: string;
  confirmedDate?: string;
  isolationDate?: string;
}

/**
 * Registers a case and its person in the caller's organisation, which
 * becomes the case's jurisdiction, and assigns the caller to it. The
 * person's name, phone number and card number are encrypted under the
 * case's data key.
 */
export async function registerCase(
  context: KeyedAccessContext,
  input: NewCase,
  now: number = Date.now(),
): Promise<CaseDetails> {
  const { db, caller } = context;
  authorize(caller, "case.create");
  checkNewCase(input);

  return db.transaction().execute(async (trx) => {
    const duplicate = await trx
      .selectFrom("cases")
      .select("id")
      .where("case_number", "=", input.caseNumber)
      .executeTakeFirst();
    if (duplicate !== undefined) {
      throw new AppError(
        "conflict",
        `Case number ${JSON.stringify(input.caseNumber)} is already registered.`,
      );
    }

    const personId = randomUUID();
    const kase = newCaseRow(input, personId, caller.organisation.id, now);
    const person = newPersonRow(context.keys, input, personId, kase.id, now);
    await trx.insertInto("persons").values(person).execute();
    await trx.insertInto("cases").values(kase).execute();
    await trx
      .insertInto("case_investigators")
      .values({ case_id: kase.id, user_id: caller.user.id, assigned_at: now })
      .execute();
    await appendAuditEvent(trx, {
      actor: auditActorOf(caller),
      action: "case.create",
      result: "allowed",
      caseId: kase.id,
      personId: person.id,
    });

    return loadCaseDetails(trx, context.keys, kase);
  });
}

function checkNewCase(input: NewCase): void {
  if (input.caseNumber.trim() === "") {
    throw new AppError("validation_failed", "A case number is required.");
  }
  checkDate("symptomOnsetDate", input.symptomOnsetDate);
  checkDate("testDate", input.testDate);
  checkDate("confirmedDate", input.confirmedDate);
  checkDate("isolationDate", input.isolationDate);
}

function newPersonRow(
  keys: FieldKeys,
  input: NewCase,
  id: string,
  caseId: string,
  now: number,
): Person {
  const { phoneNumber, cardNumber } = input.person;
  const identifiers = sealPersonIdentifiers(keys, caseId, id, {
    name: input.person.name ?? null,
    phoneNumber:
      phoneNumber === undefined ? null : normalisePhoneNumber(phoneNumber),
    cardNumber:
      cardNumber === undefined ? null : normaliseCardNumber(cardNumber),
  });
  return {
    id,
    label: input.person.label ?? `Case ${input.caseNumber}`,
    ...identifiers,
    sex: input.person.sex ?? null,
    birth_year: input.person.birthYear ?? null,
    country: input.person.country ?? null,
    home_province: input.person.homeProvince ?? null,
    home_city: input.person.homeCity ?? null,
    source: "manual",
    source_ref: id,
    created_at: now,
  };
}

function newCaseRow(
  input: NewCase,
  personId: string,
  organisationId: string,
  now: number,
): Case {
  return {
    id: randomUUID(),
    case_number: input.caseNumber.trim(),
    person_id: personId,
    organisation_id: organisationId,
    province: input.province ?? null,
    city: input.city ?? null,
    symptom_onset_date: input.symptomOnsetDate ?? null,
    test_date: input.testDate ?? null,
    confirmed_date: input.confirmedDate ?? null,
    isolation_date: input.isolationDate ?? null,
    released_date: null,
    deceased_date: null,
    closed_date: null,
    status: "open",
    state: null,
    infection_case: null,
    infected_by: null,
    contact_count: null,
    created_at: now,
    updated_at: now,
    purged_at: null,
  };
}
