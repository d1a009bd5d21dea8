import { seoulDayStart } from "../../domain/seoul-time.js";
import type { TimedCandidate } from "./candidates.js";
import type { ResolvedContactOptions } from "./options.js";
import { infectiousnessWeightOf, proximityWeightOf } from "./options.js";
import type { ContactPair, TimeInterval } from "./types.js";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Minutes and weighted minutes of one person's overlaps with the case. */
export interface OverlapTotals {
  readonly pairs: ContactPair[];
  readonly certainMinutes: number;
  readonly possibleMinutes: number;
  readonly score: number;
  readonly possibleScore: number;
  readonly firstOverlapAt: number;
  readonly lastOverlapAt: number;
}

interface PairInterval {
  readonly startsAt: number;
  /** End of the certain overlap; equal to `startsAt` when there is none. */
  readonly certainEndsAt: number;
  /** End of the overlap with the possible ends counted. */
  readonly possibleEndsAt: number;
  readonly weight: number;
}

/**
 * Totals the overlaps of one person with the case. Each pair is clipped to
 * the infectious period. The union of the pairs is cut into segments at every
 * pair boundary and every Seoul midnight. Each segment counts once, at the
 * largest proximity weight among the pairs that cover it, times the
 * infectiousness weight of its day. Two stays of one encounter, say from a
 * check-in and from base stations, therefore add no minutes twice.
 */
export function totalOverlaps(
  candidates: readonly TimedCandidate[],
  period: TimeInterval,
  referenceDate: string,
  options: ResolvedContactOptions,
): OverlapTotals {
  const pairs: ContactPair[] = [];
  const intervals: PairInterval[] = [];
  for (const candidate of candidates) {
    const interval = pairIntervalOf(candidate, period, options);
    intervals.push(interval);
    pairs.push(contactPairOf(candidate, interval));
  }
  pairs.sort(comparePairs);

  const boundaries = segmentBoundaries(intervals, referenceDate);
  const referenceStart = seoulDayStart(referenceDate);
  let certainMs = 0;
  let possibleMs = 0;
  let certainScore = 0;
  let possibleScore = 0;
  for (let k = 0; k + 1 < boundaries.length; k++) {
    const from = boundaries[k]!;
    const to = boundaries[k + 1]!;
    const { certainWeight, possibleWeight, isCertain, isPossible } = coverageOf(
      intervals,
      from,
      to,
    );
    const lengthMs = to - from;
    const day = Math.floor((from - referenceStart) / DAY_MS);
    const infectiousness = infectiousnessWeightOf(
      options.infectiousnessBuckets,
      day,
    );

    if (isCertain) {
      certainMs += lengthMs;
      certainScore += (lengthMs / MINUTE_MS) * certainWeight * infectiousness;
    }
    if (isPossible) {
      possibleMs += lengthMs;
      possibleScore += (lengthMs / MINUTE_MS) * possibleWeight * infectiousness;
    }
  }

  return {
    pairs,
    certainMinutes: certainMs / MINUTE_MS,
    possibleMinutes: (possibleMs - certainMs) / MINUTE_MS,
    score: certainScore,
    possibleScore: possibleScore - certainScore,
    firstOverlapAt: boundaries[0]!,
    lastOverlapAt: boundaries[boundaries.length - 1]!,
  };
}

function pairIntervalOf(
  { caseStay, otherStay }: TimedCandidate,
  period: TimeInterval,
  options: ResolvedContactOptions,
): PairInterval {
  const startsAt = Math.max(
    caseStay.startedAt,
    otherStay.startedAt,
    period.startsAt,
  );
  const certainEnd = Math.min(
    caseStay.lastFixAt,
    otherStay.lastFixAt,
    period.endsAt,
  );
  const possibleEnd = Math.min(
    caseStay.finishedAt,
    otherStay.finishedAt,
    period.endsAt,
  );
  const radius = Math.max(caseStay.radiusMeters, otherStay.radiusMeters);
  return {
    startsAt,
    certainEndsAt: Math.max(startsAt, certainEnd),
    possibleEndsAt: Math.max(startsAt, possibleEnd),
    weight: proximityWeightOf(options.proximityBuckets, radius),
  };
}

function contactPairOf(
  { caseStay, otherStay, distanceMeters }: TimedCandidate,
  interval: PairInterval,
): ContactPair {
  const certainMs = interval.certainEndsAt - interval.startsAt;
  const possibleMs = interval.possibleEndsAt - interval.startsAt;
  return {
    caseStayId: caseStay.id,
    contactStayId: otherStay.id,
    caseSource: caseStay.source,
    contactSource: otherStay.source,
    distanceMeters,
    proximityWeight: interval.weight,
    certainMinutes: certainMs / MINUTE_MS,
    possibleMinutes: (possibleMs - certainMs) / MINUTE_MS,
    overlapStartsAt: interval.startsAt,
    overlapEndsAt: interval.possibleEndsAt,
  };
}

/** Returns the sorted distinct pair boundaries and the Seoul midnights between them. */
function segmentBoundaries(
  intervals: readonly PairInterval[],
  referenceDate: string,
): number[] {
  const instants: number[] = [];
  let first = Infinity;
  let last = -Infinity;
  for (const interval of intervals) {
    instants.push(
      interval.startsAt,
      interval.certainEndsAt,
      interval.possibleEndsAt,
    );
    first = Math.min(first, interval.startsAt);
    last = Math.max(last, interval.possibleEndsAt);
  }

  const referenceStart = seoulDayStart(referenceDate);
  const firstDay = Math.floor((first - referenceStart) / DAY_MS) + 1;
  for (
    let midnight = referenceStart + firstDay * DAY_MS;
    midnight < last;
    midnight += DAY_MS
  ) {
    instants.push(midnight);
  }

  instants.sort((a, b) => a - b);
  return instants.filter(
    (instant, i) => i === 0 || instant !== instants[i - 1],
  );
}

/** Finds the largest weights among the pairs that cover `[from, to)`. */
function coverageOf(
  intervals: readonly PairInterval[],
  from: number,
  to: number,
): {
  certainWeight: number;
  possibleWeight: number;
  isCertain: boolean;
  isPossible: boolean;
} {
  let certainWeight = 0;
  let possibleWeight = 0;
  let isCertain = false;
  let isPossible = false;
  for (const interval of intervals) {
    if (interval.startsAt > from || interval.possibleEndsAt < to) {
      continue;
    }
    isPossible = true;
    possibleWeight = Math.max(possibleWeight, interval.weight);
    if (interval.certainEndsAt >= to) {
      isCertain = true;
      certainWeight = Math.max(certainWeight, interval.weight);
    }
  }
  return { certainWeight, possibleWeight, isCertain, isPossible };
}

function comparePairs(a: ContactPair, b: ContactPair): number {
  return (
    a.overlapStartsAt - b.overlapStartsAt ||
    compareText(a.caseStayId, b.caseStayId) ||
    compareText(a.contactStayId, b.contactStayId)
  );
}

function compareText(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}
