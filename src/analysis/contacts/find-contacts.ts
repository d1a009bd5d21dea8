import type { Stay } from "../stays/index.js";
import {
  collectCandidates,
  type DayLevelCandidate,
  type PersonCandidates,
} from "./candidates.js";
import { resolveInfectiousPeriod } from "./infectious-period.js";
import {
  resolveContactOptions,
  type ResolvedContactOptions,
} from "./options.js";
import { totalOverlaps } from "./overlap.js";
import type {
  Contact,
  ContactOptions,
  ContactsResult,
  DayLevelContact,
  DayLevelPair,
  IndexCase,
  InfectiousPeriod,
} from "./types.js";

/**
 * Finds the contacts of an index case: every other person whose stays
 * overlap the case's stays in time and in space during the case's
 * infectious period. `stays` contains the stays of the case (those with its
 * `personId`) and of everyone else, in any order; none is changed.
 *
 * Throws a RangeError for an invalid stay or option, or when the case's
 * dates cannot fix an infectious period and none is set.
 */
export function findContacts(
  indexCase: IndexCase,
  stays: readonly Stay[],
  options: ContactOptions = {},
): ContactsResult {
  const resolved = resolveContactOptions(options);
  const period = resolveInfectiousPeriod(
    indexCase,
    resolved.daysBeforeReference,
    resolved.infectiousPeriod,
  );
  const byPerson = collectCandidates(
    indexCase.personId,
    stays,
    period,
    resolved.contactDistanceMeters,
  );

  const contacts: Contact[] = [];
  const possibleContacts: Contact[] = [];
  const dayLevelContacts: DayLevelContact[] = [];
  let belowMinimumCount = 0;
  for (const [personId, candidates] of byPerson) {
    const contact = contactOf(personId, candidates, period, resolved);
    const minimum = resolved.minimumMinutes;
    if (contact !== undefined && contact.certainMinutes >= minimum) {
      contacts.push(contact);
    } else if (
      contact !== undefined &&
      contact.certainMinutes + contact.possibleMinutes >= minimum
    ) {
      possibleContacts.push(contact);
    } else if (candidates.dayLevel.length > 0) {
      dayLevelContacts.push(dayLevelContactOf(personId, candidates.dayLevel));
    } else {
      belowMinimumCount++;
    }
  }

  contacts.sort(
    (a, b) => b.score - a.score || compareText(a.personId, b.personId),
  );
  possibleContacts.sort(
    (a, b) =>
      b.score + b.possibleScore - (a.score + a.possibleScore) ||
      compareText(a.personId, b.personId),
  );
  dayLevelContacts.sort((a, b) => compareText(a.personId, b.personId));
  return {
    infectiousPeriod: period,
    contacts,
    possibleContacts,
    dayLevelContacts,
    belowMinimumCount,
  };
}

function contactOf(
  personId: string,
  candidates: PersonCandidates,
  period: InfectiousPeriod,
  options: ResolvedContactOptions,
): Contact | undefined {
  if (candidates.timed.length === 0) {
    return undefined;
  }
  const totals = totalOverlaps(
    candidates.timed,
    period,
    period.referenceDate,
    options,
  );
  const dayLevelPairs = candidates.dayLevel
    .map(dayLevelPairOf)
    .sort(compareDayLevelPairs);
  return {
    personId,
    certainMinutes: totals.certainMinutes,
    possibleMinutes: totals.possibleMinutes,
    score: totals.score,
    possibleScore: totals.possibleScore,
    firstOverlapAt: totals.firstOverlapAt,
    lastOverlapAt: totals.lastOverlapAt,
    sources: distinctSorted(totals.pairs.map((pair) => pair.contactSource)),
    pairs: totals.pairs,
    dayLevelPairs,
  };
}

function dayLevelContactOf(
  personId: string,
  candidates: readonly DayLevelCandidate[],
): DayLevelContact {
  const pairs = candidates.map(dayLevelPairOf).sort(compareDayLevelPairs);
  return {
    personId,
    dates: distinctSorted(pairs.map((pair) => pair.date)),
    sources: distinctSorted(pairs.map((pair) => pair.contactSource)),
    pairs,
  };
}

function dayLevelPairOf(candidate: DayLevelCandidate): DayLevelPair {
  return {
    caseStayId: candidate.caseStay.id,
    contactStayId: candidate.otherStay.id,
    caseSource: candidate.caseStay.source,
    contactSource: candidate.otherStay.source,
    distanceMeters: candidate.distanceMeters,
    date: candidate.date,
  };
}

function compareDayLevelPairs(a: DayLevelPair, b: DayLevelPair): number {
  return (
    compareText(a.date, b.date) ||
    compareText(a.caseStayId, b.caseStayId) ||
    compareText(a.contactStayId, b.contactStayId)
  );
}

function distinctSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText);
}

function compareText(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}
