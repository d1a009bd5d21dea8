import type { Kysely } from "kysely";

import { openPersonRow, type FieldKeys } from "../privacy/index.js";
import type { Case, Database, Organisation, Person } from "../store/index.js";

/** A case with its person, its jurisdiction and its investigators. */
export interface CaseDetails {
  kase: Case;
  /** The person with name, phone and card number decrypted. */
  person: Person;
  organisation: Organisation;
  investigators: { id: string; display_name: string }[];
}

/** Loads the records that make up a case's page, decrypting the person's identifiers. */
export async function loadCaseDetails(
  db: Kysely<Database>,
  keys: FieldKeys,
  kase: Case,
): Promise<CaseDetails> {
  const stored = await db
    .selectFrom("persons")
    .selectAll()
    .where("id", "=", kase.person_id)
    .executeTakeFirstOrThrow();
  const organisation = await db
    .selectFrom("organisations")
    .selectAll()
    .where("id", "=", kase.organisation_id)
    .executeTakeFirstOrThrow();
  const investigators = await db
    .selectFrom("case_investigators")
    .innerJoin("users", "users.id", "case_investigators.user_id")
    .select(["users.id", "users.display_name"])
    .where("case_investigators.case_id", "=", kase.id)
    .orderBy("users.display_name")
    .execute();

  const person = openPersonRow(keys, stored);
  return { kase, person, organisation, investigators };
}
