import type {
  AreaHotspots,
  CaseContact,
  CaseContacts,
  CoLocationPlace,
  ContactDecisionRecord,
  ContactPairView,
  DayLevelPairView,
  ExposureQueryResult,
  PersonReference,
  StayView,
  TransmissionLinks,
  SpaceTimeClusters,
} from "../../investigation/index.js";

/** Instants of analysis results go out as ISO 8601 in UTC. */
const iso = (instant: number): string => new Date(instant).toISOString();
const isoOrNull = (instant: number | null): string | null =>
  instant === null ? null : iso(instant);

function presentStay(stay: StayView) {
  return {
    ...stay,
    startedAt: isoOrNull(stay.startedAt),
    lastFixAt: isoOrNull(stay.lastFixAt),
    finishedAt: isoOrNull(stay.finishedAt),
  };
}

function presentPerson(person: PersonReference) {
  return {
    id: person.personId,
    label: person.label,
    inJurisdiction: person.inJurisdiction,
    case: person.case,
  };
}

/** Shapes a contact decision with the investigator who made it. */
export function presentContactDecision(decision: ContactDecisionRecord) {
  return {
    id: decision.id,
    caseId: decision.caseId,
    personId: decision.personId,
    decision: decision.decision,
    reason: decision.reason,
    decidedBy: decision.decidedBy,
    decidedAt: iso(decision.decidedAt),
  };
}

function presentPair(pair: ContactPairView) {
  return {
    ...pair,
    caseStay: presentStay(pair.caseStay),
    contactStay:
      pair.contactStay === null ? null : presentStay(pair.contactStay),
    overlapStartsAt: iso(pair.overlapStartsAt),
    overlapEndsAt: iso(pair.overlapEndsAt),
  };
}

function presentDayLevelPair(pair: DayLevelPairView) {
  return {
    ...pair,
    caseStay: presentStay(pair.caseStay),
    contactStay:
      pair.contactStay === null ? null : presentStay(pair.contactStay),
  };
}

function presentContact(contact: CaseContact) {
  return {
    ...contact,
    person: presentPerson(contact.person),
    firstOverlapAt: isoOrNull(contact.firstOverlapAt),
    lastOverlapAt: isoOrNull(contact.lastOverlapAt),
    pairs: contact.pairs.map(presentPair),
    dayLevelPairs: contact.dayLevelPairs.map(presentDayLevelPair),
    decision:
      contact.decision === null
        ? null
        : presentContactDecision(contact.decision),
  };
}

/** Shapes the contacts of a case, with every instant as ISO 8601 in UTC. */
export function presentCaseContacts(result: CaseContacts) {
  return {
    ...result,
    infectiousPeriod: {
      ...result.infectiousPeriod,
      startsAt: iso(result.infectiousPeriod.startsAt),
      endsAt: iso(result.infectiousPeriod.endsAt),
    },
    caseStays: result.caseStays.map(presentStay),
    contacts: result.contacts.map(presentContact),
    possibleContacts: result.possibleContacts.map(presentContact),
    dayLevelContacts: result.dayLevelContacts.map(presentContact),
  };
}

function presentPlace(place: CoLocationPlace) {
  return {
    ...place,
    firstOverlapAt: isoOrNull(place.firstOverlapAt),
    lastOverlapAt: isoOrNull(place.lastOverlapAt),
  };
}

/** Shapes a hotspot search result: cells and places with counts. */
export function presentHotspots(result: AreaHotspots) {
  return { ...result, places: result.places.map(presentPlace) };
}

/** Shapes a space-time scan result, which contains dates and counts but no persons. */
export function presentSpaceTimeClusters(result: SpaceTimeClusters) {
  return result;
}

/** Shapes an exposure query result: persons by label and minutes. */
export function presentExposure(result: ExposureQueryResult) {
  return {
    ...result,
    from: iso(result.from),
    to: iso(result.to),
    windows: result.windows.map((window) => ({
      from: iso(window.startsAt),
      to: iso(window.endsAt),
    })),
    persons: result.persons.map((entry) => ({
      ...entry,
      person: presentPerson(entry.person),
      firstSeenAt: iso(entry.firstSeenAt),
      lastSeenAt: iso(entry.lastSeenAt),
    })),
    dayLevelPersons: result.dayLevelPersons.map((entry) => ({
      ...entry,
      person: presentPerson(entry.person),
    })),
  };
}

/** Shapes the transmission links; they hold no instants. */
export function presentLinks(result: TransmissionLinks) {
  return result;
}
