import { findContacts } from "../analysis/contacts/index.js";
import type { Stay } from "../analysis/stays/index.js";
import type { Case } from "../store/index.js";
import type { ContactGroup } from "./contacts.js";
import { indexCaseOf, tryInfectiousPeriodOf } from "./scope.js";
import { StaysByDay } from "./stays-by-day.js";

/**
 * A pair of cases whose stays overlap during the infectious period of the
 * first: the first may have infected the second.
 */
export interface CandidateLink {
  /** The case whose infectious period the overlap lies in. */
  infectorCaseId: string;
  infecteeCaseId: string;
  group: ContactGroup;
  /** Contact score and certain minutes; null for a day-level link. */
  score: number | null;
  certainMinutes: number | null;
  /** Seoul days of the day-level pairs, sorted. */
  dates: string[];
}

/** The candidate links among cases, and the cases they could not be sought for. */
export interface CandidateSearch {
  links: CandidateLink[];
  /** Cases with a stay whose dates fix no infectious period. */
  casesWithoutPeriod: number;
}

/**
 * Runs a contact search for each case over the stays of the other cases
 * and turns every contact found into a candidate link. Links keep the group
 * that `findContacts` sorts the contact into, so DS4C visits, known only to
 * the day, give day-level links. Each search reads only the stays of the
 * Seoul days of the case's infectious period.
 */
export function findCandidateLinks(
  cases: readonly Case[],
  stays: readonly Stay[],
): CandidateSearch {
  const index = new StaysByDay(stays);
  const caseIdByPerson = new Map(
    cases.map((kase) => [kase.person_id, kase.id]),
  );
  const links: CandidateLink[] = [];
  let casesWithoutPeriod = 0;

  for (const kase of cases) {
    if (index.ofPerson(kase.person_id).length === 0) {
      continue;
    }
    const period = tryInfectiousPeriodOf(kase);
    if (period === undefined) {
      casesWithoutPeriod++;
      continue;
    }

    const result = findContacts(indexCaseOf(kase), index.during(period));
    const linkTo = (personId: string) => caseIdByPerson.get(personId);
    for (const contact of [...result.contacts, ...result.possibleContacts]) {
      const infecteeCaseId = linkTo(contact.personId);
      if (infecteeCaseId === undefined) continue;
      links.push({
        infectorCaseId: kase.id,
        infecteeCaseId,
        group: result.contacts.includes(contact) ? "contact" : "possible",
        score: contact.score,
        certainMinutes: contact.certainMinutes,
        dates: distinctSorted(contact.dayLevelPairs.map((pair) => pair.date)),
      });
    }
    for (const contact of result.dayLevelContacts) {
      const infecteeCaseId = linkTo(contact.personId);
      if (infecteeCaseId === undefined) continue;
      links.push({
        infectorCaseId: kase.id,
        infecteeCaseId,
        group: "day_level",
        score: null,
        certainMinutes: null,
        dates: [...contact.dates],
      });
    }
  }
  return { links, casesWithoutPeriod };
}

function distinctSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
