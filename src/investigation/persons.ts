import type { Kysely } from "kysely";

import { coversCase } from "../access/index.js";
import type { Case, Database, Organisation } from "../store/index.js";

const PERSON_BATCH = 500;

/** A person as an analysis result names it. */
export interface PersonReference {
  personId: string;
  /**
   * Reference that names no one, such as "DS4C 1000000013". For a case of
   * another jurisdiction the stored label is replaced by an opaque one made
   * from the person id, because stored labels such as "Case <number>"
   * contain the case number.
   */
  label: string;
  /**
   * Whether the caller's organisation may see the person's personal data:
   * the national agency always, a health office when it registered a case
   * of the person. A person without a case belongs to no health office.
   */
  inJurisdiction: boolean;
  /** The person's case that the caller may open, or null when there is none or it lies outside the jurisdiction. */
  case: { id: string; caseNumber: string } | null;
}

/** Loads the label and jurisdiction of each person, by person id. */
export async function loadPersonReferences(
  db: Kysely<Database>,
  personIds: readonly string[],
  organisation: Organisation,
): Promise<Map<string, PersonReference>> {
  const references = new Map<string, PersonReference>();
  for (let start = 0; start < personIds.length; start += PERSON_BATCH) {
    const batch = personIds.slice(start, start + PERSON_BATCH);
    const persons = await db
      .selectFrom("persons")
      .select(["id", "label"])
      .where("id", "in", batch)
      .execute();
    const cases = await db
      .selectFrom("cases")
      .select(["id", "case_number", "person_id", "organisation_id"])
      .where("person_id", "in", batch)
      .orderBy("case_number")
      .execute();

    for (const person of persons) {
      const ownCases = cases.filter((kase) => kase.person_id === person.id);
      references.set(person.id, referenceOf(person, ownCases, organisation));
    }
  }
  return references;
}

function referenceOf(
  person: { id: string; label: string },
  cases: readonly Pick<Case, "id" | "case_number" | "organisation_id">[],
  organisation: Organisation,
): PersonReference {
  const covered = cases.find((kase) => coversCase(organisation, kase));
  const inJurisdiction =
    organisation.kind === "national_agency" || covered !== undefined;
  return {
    personId: person.id,
    label:
      inJurisdiction || cases.length === 0
        ? person.label
        : opaqueLabel(person.id),
    inJurisdiction,
    case:
      covered === undefined
        ? null
        : { id: covered.id, caseNumber: covered.case_number },
  };
}

/** Returns the reference of a person missing from the store, which a stay still names. */
export function unknownPerson(personId: string): PersonReference {
  return {
    personId,
    label: opaqueLabel(personId),
    inJurisdiction: false,
    case: null,
  };
}

/** Label of a person outside the caller's jurisdiction: the start of the person id. */
function opaqueLabel(personId: string): string {
  return `outside jurisdiction ${personId.slice(0, 8)}`;
}
