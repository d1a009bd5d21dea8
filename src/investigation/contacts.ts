import { withCaseAccess, type AccessContext } from "../access/index.js";
import {
  DEFAULT_CONTACT_OPTIONS,
  findContacts,
  type Contact,
  type ContactOptions,
  type ContactPair,
  type DayLevelContact,
  type DayLevelPair,
  type InfectiousPeriod,
  type TimeInterval,
} from "../analysis/contacts/index.js";
import { isDateOnlyStay, type Stay } from "../analysis/stays/index.js";
import type { Case } from "../store/index.js";
import {
  loadLatestDecisions,
  type ContactDecisionRecord,
} from "./contact-decisions.js";
import {
  loadPersonReferences,
  unknownPerson,
  type PersonReference,
} from "./persons.js";
import {
  indexCaseOf,
  infectiousPeriodOf,
  invalidAnalysisInput,
} from "./scope.js";
import { selectCandidates } from "./contact-candidates.js";
import {
  DEFAULT_RECORD_RADIUS_METERS,
  loadStays,
  loadStaysAroundWindows,
} from "./store-stays.js";

/**
 * Milliseconds of a candidate's records read around the case stay it lies
 * near (3 hours): its records near the meeting make its stays there.
 */
const CANDIDATE_CONTEXT_MS = 3 * 3_600_000;

/** Settings of a contact search of a case. Every field is optional. */
export interface CaseContactsOptions {
  /** Replaces the infectious period that the case's dates fix. */
  infectiousPeriod?: TimeInterval;
  /** Metres added to the two stays' radii. Default 2. */
  contactDistanceMeters?: number;
  /** Minimum cumulative minutes of certain overlap. Default 15. */
  minimumMinutes?: number;
}

/** A stay behind a contact, as the explanation of a score shows it. */
export interface StayView {
  id: string;
  source: string;
  /** Epoch milliseconds, or null for a stay known only to the day. */
  startedAt: number | null;
  lastFixAt: number | null;
  finishedAt: number | null;
  /** Seoul date of a stay known only to the day, else null. */
  visitDate: string | null;
  latitude: number;
  longitude: number;
  radiusMeters: number;
}

/** A pair of overlapping timed stays; the contact's stay is null outside the jurisdiction. */
export interface ContactPairView {
  caseStay: StayView;
  contactStay: StayView | null;
  distanceMeters: number;
  proximityWeight: number;
  certainMinutes: number;
  possibleMinutes: number;
  /** Epoch milliseconds, inside the infectious period. */
  overlapStartsAt: number;
  overlapEndsAt: number;
}

/** A pair of stays that share a Seoul day; the contact's stay is null outside the jurisdiction. */
export interface DayLevelPairView {
  date: string;
  distanceMeters: number;
  caseStay: StayView;
  contactStay: StayView | null;
}

/** The list of the contact search that a person is in. */
export type ContactGroup = "contact" | "possible" | "day_level";

/** One person found by the contact search, with what explains it. */
export interface CaseContact {
  person: PersonReference;
  group: ContactGroup;
  /** Minutes and scores as `findContacts` computes them; null for a day-level contact. */
  certainMinutes: number | null;
  possibleMinutes: number | null;
  score: number | null;
  possibleScore: number | null;
  /** Epoch milliseconds, or null for a day-level contact. */
  firstOverlapAt: number | null;
  lastOverlapAt: number | null;
  /** Seoul dates of the day-level pairs. */
  dates: string[];
  /** Sources of the contact's stays; null outside the jurisdiction. */
  sources: string[] | null;
  pairs: ContactPairView[];
  dayLevelPairs: DayLevelPairView[];
  decision: ContactDecisionRecord | null;
}

/** The contacts of one case and the settings they were found with. */
export interface CaseContacts {
  caseId: string;
  infectiousPeriod: InfectiousPeriod;
  contactDistanceMeters: number;
  minimumMinutes: number;
  defaultRadiusMeters: number;
  /** The case's own stays inside the infectious period. */
  caseStays: StayView[];
  /** Stays of other persons that the search read. */
  searchedStayCount: number;
  contacts: CaseContact[];
  possibleContacts: CaseContact[];
  dayLevelContacts: CaseContact[];
  belowMinimumCount: number;
}

/**
 * Finds the contacts of a case in the store: every other person whose stays
 * or visits overlap the case's during its infectious period. Runs through
 * the case's access check, so the call writes one audit event.
 *
 * NOTE: that event names the case's person only. The contacts' person ids
 * are not in it, because the access check records no detail of an allowed
 * call, so an audit history of a contact does not show this search.
 */
export function listCaseContacts(
  context: AccessContext,
  caseId: string,
  options: CaseContactsOptions = {},
): Promise<CaseContacts> {
  return withCaseAccess(context, { action: "contact.view", caseId }, (kase) =>
    searchContacts(context, kase, options),
  );
}

async function searchContacts(
  context: AccessContext,
  kase: Case,
  options: CaseContactsOptions,
): Promise<CaseContacts> {
  const period = infectiousPeriodOf(kase, options.infectiousPeriod);
  const stays = await loadSearchStays(context, kase, period, options);
  const result = runContactSearch(kase, stays, options);

  const personIds = [
    ...result.contacts,
    ...result.possibleContacts,
    ...result.dayLevelContacts,
  ].map((contact) => contact.personId);
  const persons = await loadPersonReferences(
    context.db,
    personIds,
    context.caller.organisation,
  );
  const decisions = await loadLatestDecisions(context.db, kase.id);
  const staysById = new Map(stays.map((stay) => [stay.id, stay]));
  const build = (contact: Contact | DayLevelContact, group: ContactGroup) =>
    caseContactOf(contact, group, {
      person: persons.get(contact.personId) ?? unknownPerson(contact.personId),
      decision: decisions.get(contact.personId) ?? null,
      staysById,
    });

  return {
    caseId: kase.id,
    infectiousPeriod: result.infectiousPeriod,
    contactDistanceMeters:
      options.contactDistanceMeters ??
      DEFAULT_CONTACT_OPTIONS.contactDistanceMeters,
    minimumMinutes:
      options.minimumMinutes ?? DEFAULT_CONTACT_OPTIONS.minimumMinutes,
    defaultRadiusMeters: DEFAULT_RECORD_RADIUS_METERS,
    caseStays: stays
      .filter((stay) => stay.personId === kase.person_id)
      .map(stayViewOf),
    searchedStayCount: stays.filter((stay) => stay.personId !== kase.person_id)
      .length,
    contacts: result.contacts.map((contact) => build(contact, "contact")),
    possibleContacts: result.possibleContacts.map((contact) =>
      build(contact, "possible"),
    ),
    dayLevelContacts: result.dayLevelContacts.map((contact) =>
      build(contact, "day_level"),
    ),
    belowMinimumCount: result.belowMinimumCount,
  };
}

/**
 * Loads the case's route in the period, then the stays of the persons with
 * records near one of its stays (the others cannot meet it), built from
 * their records within `CANDIDATE_CONTEXT_MS` of those stays.
 *
 * NOTE: a candidate's stay that lasts longer than that context around the
 * meeting is cut at the records read, which may shorten its possible end.
 */
async function loadSearchStays(
  context: AccessContext,
  kase: Case,
  period: TimeInterval,
  options: CaseContactsOptions,
): Promise<Stay[]> {
  const caseStays = await loadStays(context.db, {
    personIds: [kase.person_id],
    window: period,
  });
  const candidates = await selectCandidates(context.db, caseStays, {
    casePersonId: kase.person_id,
    contactDistanceMeters:
      options.contactDistanceMeters ??
      DEFAULT_CONTACT_OPTIONS.contactDistanceMeters,
  });
  const others = await loadStaysAroundWindows(context.db, candidates, {
    window: period,
    contextMs: CANDIDATE_CONTEXT_MS,
  });
  return [...caseStays, ...others];
}

function runContactSearch(
  kase: Case,
  stays: readonly Stay[],
  options: CaseContactsOptions,
) {
  const contactOptions: ContactOptions = {
    ...(options.infectiousPeriod === undefined
      ? {}
      : { infectiousPeriod: options.infectiousPeriod }),
    ...(options.contactDistanceMeters === undefined
      ? {}
      : { contactDistanceMeters: options.contactDistanceMeters }),
    ...(options.minimumMinutes === undefined
      ? {}
      : { minimumMinutes: options.minimumMinutes }),
  };
  try {
    return findContacts(indexCaseOf(kase), stays, contactOptions);
  } catch (error) {
    throw invalidAnalysisInput(error, `case ${kase.case_number}`);
  }
}

interface ContactContext {
  person: PersonReference;
  decision: ContactDecisionRecord | null;
  staysById: ReadonlyMap<string, Stay>;
}

function caseContactOf(
  contact: Contact | DayLevelContact,
  group: ContactGroup,
  { person, decision, staysById }: ContactContext,
): CaseContact {
  const stayOf = (id: string): StayView => stayViewOf(staysById.get(id)!);
  const contactStayOf = (id: string): StayView | null =>
    person.inJurisdiction ? stayOf(id) : null;
  const dayLevelPairs = isTimedContact(contact)
    ? contact.dayLevelPairs
    : contact.pairs;

  return {
    person,
    group,
    certainMinutes: isTimedContact(contact) ? contact.certainMinutes : null,
    possibleMinutes: isTimedContact(contact) ? contact.possibleMinutes : null,
    score: isTimedContact(contact) ? contact.score : null,
    possibleScore: isTimedContact(contact) ? contact.possibleScore : null,
    firstOverlapAt: isTimedContact(contact) ? contact.firstOverlapAt : null,
    lastOverlapAt: isTimedContact(contact) ? contact.lastOverlapAt : null,
    dates: [...new Set(dayLevelPairs.map((pair) => pair.date))].sort(),
    sources: person.inJurisdiction ? [...contact.sources] : null,
    pairs: isTimedContact(contact)
      ? contact.pairs.map((pair) => pairViewOf(pair, stayOf, contactStayOf))
      : [],
    dayLevelPairs: dayLevelPairs.map((pair) =>
      dayLevelPairViewOf(pair, stayOf, contactStayOf),
    ),
    decision,
  };
}

function isTimedContact(
  contact: Contact | DayLevelContact,
): contact is Contact {
  return "certainMinutes" in contact;
}

function pairViewOf(
  pair: ContactPair,
  stayOf: (id: string) => StayView,
  contactStayOf: (id: string) => StayView | null,
): ContactPairView {
  return {
    caseStay: stayOf(pair.caseStayId),
    contactStay: contactStayOf(pair.contactStayId),
    distanceMeters: pair.distanceMeters,
    proximityWeight: pair.proximityWeight,
    certainMinutes: pair.certainMinutes,
    possibleMinutes: pair.possibleMinutes,
    overlapStartsAt: pair.overlapStartsAt,
    overlapEndsAt: pair.overlapEndsAt,
  };
}

function dayLevelPairViewOf(
  pair: DayLevelPair,
  stayOf: (id: string) => StayView,
  contactStayOf: (id: string) => StayView | null,
): DayLevelPairView {
  return {
    date: pair.date,
    distanceMeters: pair.distanceMeters,
    caseStay: stayOf(pair.caseStayId),
    contactStay: contactStayOf(pair.contactStayId),
  };
}

/** Shapes a stay for a result, with null for the fields its kind lacks. */
export function stayViewOf(stay: Stay): StayView {
  const dateOnly = isDateOnlyStay(stay);
  return {
    id: stay.id,
    source: stay.source,
    startedAt: dateOnly ? null : stay.startedAt,
    lastFixAt: dateOnly ? null : stay.lastFixAt,
    finishedAt: dateOnly ? null : stay.finishedAt,
    visitDate: dateOnly ? stay.visitDate : null,
    latitude: stay.latitude,
    longitude: stay.longitude,
    radiusMeters: stay.radiusMeters,
  };
}
