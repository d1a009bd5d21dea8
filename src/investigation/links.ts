import { withPersonalDataSearch, type AccessContext } from "../access/index.js";
import type { Case } from "../store/index.js";
import { findCandidateLinks, type CandidateLink } from "./link-candidates.js";
import { loadCasesInScope } from "./scope.js";
import { loadStays } from "./store-stays.js";

/** A case that takes part in a link. */
export interface LinkCase {
  caseId: string;
  caseNumber: string;
  province: string | null;
  symptomOnsetDate: string | null;
  confirmedDate: string | null;
  /** Whether the case has a stay or visit with a position. */
  hasStays: boolean;
}

/** A link reported in the interview, such as DS4C's `infected_by`. */
export interface KnownLink {
  infecteeCaseId: string;
  /** The infector's case number as reported. */
  reportedInfector: string;
  /** The infector's case when it is among the cases searched, else null. */
  infectorCaseId: string | null;
  /** Whether both cases are among those searched and have stays. */
  bothHaveStays: boolean;
  /** Whether a candidate link runs from the infector to the infectee. */
  found: boolean;
  /** Whether a candidate link runs the other way, from the infectee to the infector. */
  foundReversed: boolean;
}

/** A candidate link with whether a known link joins the same two cases. */
export interface ProposedLink extends CandidateLink {
  /** Whether a known link joins the two cases, in either direction. */
  known: boolean;
}

/** Counts that compare the candidate links with the known ones. */
export interface LinkSummary {
  caseCount: number;
  casesWithStays: number;
  casesWithoutPeriod: number;
  knownLinkCount: number;
  /** Known links whose two cases are both searched and have stays. */
  knownLinksWithStays: number;
  /** Of those, the links that a candidate from infector to infectee finds. */
  knownLinksFound: number;
  /** Of those, the links that a candidate in either direction finds. */
  knownLinksFoundEitherDirection: number;
  /** Candidate links, each direction counted. */
  candidateLinkCount: number;
  /** Pairs of cases joined by a candidate link in either direction. */
  candidatePairCount: number;
  /** Of those pairs, the ones that no known link joins. */
  candidatePairsNotKnown: number;
}

/** The known and candidate transmission links among the cases in scope. */
export interface TransmissionLinks {
  province: string | null;
  /** The cases that appear in a link, by case number. */
  cases: LinkCase[];
  knownLinks: KnownLink[];
  candidateLinks: ProposedLink[];
  summary: LinkSummary;
  /** Known and candidate links returned. */
  total: number;
}

/**
 * Lists the transmission links among the cases of the caller's
 * jurisdiction (every case for the national agency), optionally of one
 * stored province: the known links beside the candidate links that
 * overlapping stays suggest. Both ends of a link are cases in scope. Writes
 * one audit event with the province and the number of links.
 */
export function listTransmissionLinks(
  context: AccessContext,
  province?: string,
): Promise<TransmissionLinks> {
  return withPersonalDataSearch(
    context,
    "link.view",
    async (organisationId) => {
      const cases = await loadCasesInScope(
        context.db,
        organisationId,
        province,
      );
      const stays = await loadStays(context.db, {
        personIds: cases.map((kase) => kase.person_id),
      });
      const personsWithStays = new Set(stays.map((stay) => stay.personId));
      const candidates = findCandidateLinks(cases, stays);
      const known = knownLinksOf(cases, personsWithStays, candidates.links);
      const proposed = markKnown(candidates.links, known);

      return {
        province: province ?? null,
        cases: linkCasesOf(cases, personsWithStays, known, proposed),
        knownLinks: known,
        candidateLinks: proposed,
        summary: summarise(
          cases,
          personsWithStays,
          known,
          proposed,
          candidates.casesWithoutPeriod,
        ),
        total: known.length + proposed.length,
      };
    },
    { province: province ?? null },
  );
}

function knownLinksOf(
  cases: readonly Case[],
  personsWithStays: ReadonlySet<string>,
  candidates: readonly CandidateLink[],
): KnownLink[] {
  const byNumber = new Map(cases.map((kase) => [kase.case_number, kase]));
  const directed = new Set(
    candidates.map((link) => pairKey(link.infectorCaseId, link.infecteeCaseId)),
  );

  const links: KnownLink[] = [];
  for (const infectee of cases) {
    if (infectee.infected_by === null || infectee.infected_by === "") {
      continue;
    }
    const infector = byNumber.get(infectee.infected_by);
    const bothHaveStays =
      infector !== undefined &&
      personsWithStays.has(infector.person_id) &&
      personsWithStays.has(infectee.person_id);
    links.push({
      infecteeCaseId: infectee.id,
      reportedInfector: infectee.infected_by,
      infectorCaseId: infector?.id ?? null,
      bothHaveStays,
      found:
        infector !== undefined &&
        directed.has(pairKey(infector.id, infectee.id)),
      foundReversed:
        infector !== undefined &&
        directed.has(pairKey(infectee.id, infector.id)),
    });
  }
  return links;
}

function markKnown(
  candidates: readonly CandidateLink[],
  known: readonly KnownLink[],
): ProposedLink[] {
  const knownPairs = new Set(
    known.flatMap((link) =>
      link.infectorCaseId === null
        ? []
        : [unorderedKey(link.infectorCaseId, link.infecteeCaseId)],
    ),
  );
  return candidates.map((link) => ({
    ...link,
    known: knownPairs.has(
      unorderedKey(link.infectorCaseId, link.infecteeCaseId),
    ),
  }));
}

function linkCasesOf(
  cases: readonly Case[],
  personsWithStays: ReadonlySet<string>,
  known: readonly KnownLink[],
  proposed: readonly ProposedLink[],
): LinkCase[] {
  const linked = new Set<string>();
  for (const link of known) {
    linked.add(link.infecteeCaseId);
    if (link.infectorCaseId !== null) linked.add(link.infectorCaseId);
  }
  for (const link of proposed) {
    linked.add(link.infectorCaseId);
    linked.add(link.infecteeCaseId);
  }
  return cases
    .filter((kase) => linked.has(kase.id))
    .map((kase) => ({
      caseId: kase.id,
      caseNumber: kase.case_number,
      province: kase.province,
      symptomOnsetDate: kase.symptom_onset_date,
      confirmedDate: kase.confirmed_date,
      hasStays: personsWithStays.has(kase.person_id),
    }));
}

function summarise(
  cases: readonly Case[],
  personsWithStays: ReadonlySet<string>,
  known: readonly KnownLink[],
  proposed: readonly ProposedLink[],
  casesWithoutPeriod: number,
): LinkSummary {
  const withStays = known.filter((link) => link.bothHaveStays);
  const pairs = new Map<string, boolean>();
  for (const link of proposed) {
    pairs.set(
      unorderedKey(link.infectorCaseId, link.infecteeCaseId),
      link.known,
    );
  }
  return {
    caseCount: cases.length,
    casesWithStays: cases.filter((kase) => personsWithStays.has(kase.person_id))
      .length,
    casesWithoutPeriod,
    knownLinkCount: known.length,
    knownLinksWithStays: withStays.length,
    knownLinksFound: withStays.filter((link) => link.found).length,
    knownLinksFoundEitherDirection: withStays.filter(
      (link) => link.found || link.foundReversed,
    ).length,
    candidateLinkCount: proposed.length,
    candidatePairCount: pairs.size,
    candidatePairsNotKnown: [...pairs.values()].filter((isKnown) => !isKnown)
      .length,
  };
}

function pairKey(fromId: string, toId: string): string {
  return `${fromId} ${toId}`;
}

function unorderedKey(a: string, b: string): string {
  return a < b ? pairKey(a, b) : pairKey(b, a);
}
