import { seoulDayEnd, seoulDayStart } from "../../domain/seoul-time.js";
import { EARTH_RADIUS_METERS, haversineMeters } from "../geo/index.js";
import {
  isDateOnlyStay,
  validateStay,
  type DateOnlyStay,
  type Stay,
  type TimedStay,
} from "../stays/index.js";
import type { TimeInterval } from "./types.js";

/** Metres per degree of latitude on the haversine sphere. */
const METERS_PER_DEGREE = (EARTH_RADIUS_METERS * Math.PI) / 180;

/** A timed case stay and a timed stay of another person that meet. */
export interface TimedCandidate {
  readonly caseStay: TimedStay;
  readonly otherStay: TimedStay;
  readonly distanceMeters: number;
}

/** A case stay and another person's stay that share a Seoul day and a place. */
export interface DayLevelCandidate {
  readonly caseStay: Stay;
  readonly otherStay: Stay;
  readonly distanceMeters: number;
  readonly date: string;
}

/** Pairs of stays that meet, grouped by the other person. */
export interface PersonCandidates {
  readonly timed: TimedCandidate[];
  readonly dayLevel: DayLevelCandidate[];
}

interface DateOnlyCaseStay {
  readonly stay: DateOnlyStay;
  readonly startsAt: number;
  readonly endsAt: number;
}

/**
 * The case's stays inside the infectious period, packed for interval
 * stabbing: timed stays sorted by start, with the running maximum of their
 * ends so that a backward walk can stop early.
 */
class CaseStayIndex {
  readonly timed: TimedStay[];
  readonly startsAt: Float64Array;
  readonly endsAt: Float64Array;
  readonly maxEndsAt: Float64Array;
  readonly latitude: Float64Array;
  readonly radiusMeters: Float64Array;
  readonly dateOnly: DateOnlyCaseStay[];

  constructor(caseStays: readonly Stay[], period: TimeInterval) {
    const timed: TimedStay[] = [];
    this.dateOnly = [];
    for (const stay of caseStays) {
      if (isDateOnlyStay(stay)) {
        const startsAt = Math.max(
          seoulDayStart(stay.visitDate),
          period.startsAt,
        );
        const endsAt = Math.min(seoulDayEnd(stay.visitDate), period.endsAt);
        if (startsAt < endsAt) {
          this.dateOnly.push({ stay, startsAt, endsAt });
        }
      } else if (
        Math.max(stay.startedAt, period.startsAt) <
        Math.min(stay.finishedAt, period.endsAt)
      ) {
        timed.push(stay);
      }
    }
    timed.sort((a, b) => a.startedAt - b.startedAt);

    const count = timed.length;
    this.timed = timed;
    this.startsAt = new Float64Array(count);
    this.endsAt = new Float64Array(count);
    this.maxEndsAt = new Float64Array(count);
    this.latitude = new Float64Array(count);
    this.radiusMeters = new Float64Array(count);
    let maxEnd = -Infinity;
    for (let i = 0; i < count; i++) {
      const stay = timed[i]!;
      this.startsAt[i] = Math.max(stay.startedAt, period.startsAt);
      this.endsAt[i] = Math.min(stay.finishedAt, period.endsAt);
      maxEnd = Math.max(maxEnd, this.endsAt[i]!);
      this.maxEndsAt[i] = maxEnd;
      this.latitude[i] = stay.latitude;
      this.radiusMeters[i] = stay.radiusMeters;
    }
  }

  /** Returns the index of the last timed stay that starts before `instant`, or -1. */
  lastStartingBefore(instant: number): number {
    let low = 0;
    let high = this.startsAt.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.startsAt[middle]! < instant) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low - 1;
  }
}

/**
 * Finds every pair of a case stay and another person's stay that meet in
 * space and in time inside `period`. In space, the centres lie at most the
 * two radii plus `contactDistanceMeters` apart. In time, two timed stays
 * overlap for a positive time, possible ends included, and a date-only stay
 * shares its Seoul day with the other stay. Runs in one pass over `stays`,
 * each stay tested against the case stays that overlap it in time, found by
 * binary search.
 */
export function collectCandidates(
  casePersonId: string,
  stays: readonly Stay[],
  period: TimeInterval,
  contactDistanceMeters: number,
): Map<string, PersonCandidates> {
  const caseStays = stays.filter((stay) => stay.personId === casePersonId);
  caseStays.forEach(validateStay);
  const index = new CaseStayIndex(caseStays, period);
  const byPerson = new Map<string, PersonCandidates>();

  for (const stay of stays) {
    if (stay.personId === casePersonId) {
      continue;
    }
    validateStay(stay);
    if (isDateOnlyStay(stay)) {
      collectForDateOnly(index, stay, period, contactDistanceMeters, byPerson);
    } else {
      collectForTimed(index, stay, period, contactDistanceMeters, byPerson);
    }
  }
  return byPerson;
}

function collectForTimed(
  index: CaseStayIndex,
  stay: TimedStay,
  period: TimeInterval,
  contactDistanceMeters: number,
  byPerson: Map<string, PersonCandidates>,
): void {
  const startsAt = Math.max(stay.startedAt, period.startsAt);
  const endsAt = Math.min(stay.finishedAt, period.endsAt);
  if (!(startsAt < endsAt)) {
    return;
  }

  for (let i = index.lastStartingBefore(endsAt); i >= 0; i--) {
    if (!(index.maxEndsAt[i]! > startsAt)) {
      break;
    }
    if (!(index.endsAt[i]! > startsAt)) {
      continue;
    }
    const limit =
      index.radiusMeters[i]! + stay.radiusMeters + contactDistanceMeters;
    const distance = distanceWithin(
      index.timed[i]!,
      index.latitude[i]!,
      stay,
      limit,
    );
    if (distance !== undefined) {
      const candidates = candidatesOf(byPerson, stay.personId);
      candidates.timed.push({
        caseStay: index.timed[i]!,
        otherStay: stay,
        distanceMeters: distance,
      });
    }
  }

  for (const caseDay of index.dateOnly) {
    if (
      Math.max(startsAt, caseDay.startsAt) < Math.min(endsAt, caseDay.endsAt)
    ) {
      pushDayLevel(
        caseDay.stay,
        stay,
        caseDay.stay.visitDate,
        contactDistanceMeters,
        byPerson,
      );
    }
  }
}

function collectForDateOnly(
  index: CaseStayIndex,
  stay: DateOnlyStay,
  period: TimeInterval,
  contactDistanceMeters: number,
  byPerson: Map<string, PersonCandidates>,
): void {
  const startsAt = Math.max(seoulDayStart(stay.visitDate), period.startsAt);
  const endsAt = Math.min(seoulDayEnd(stay.visitDate), period.endsAt);
  if (!(startsAt < endsAt)) {
    return;
  }

  for (let i = index.lastStartingBefore(endsAt); i >= 0; i--) {
    if (!(index.maxEndsAt[i]! > startsAt)) {
      break;
    }
    if (index.endsAt[i]! > startsAt) {
      pushDayLevel(
        index.timed[i]!,
        stay,
        stay.visitDate,
        contactDistanceMeters,
        byPerson,
      );
    }
  }
  for (const caseDay of index.dateOnly) {
    if (caseDay.stay.visitDate === stay.visitDate) {
      pushDayLevel(
        caseDay.stay,
        stay,
        stay.visitDate,
        contactDistanceMeters,
        byPerson,
      );
    }
  }
}

function pushDayLevel(
  caseStay: Stay,
  otherStay: Stay,
  date: string,
  contactDistanceMeters: number,
  byPerson: Map<string, PersonCandidates>,
): void {
  const limit =
    caseStay.radiusMeters + otherStay.radiusMeters + contactDistanceMeters;
  const distance = distanceWithin(
    caseStay,
    caseStay.latitude,
    otherStay,
    limit,
  );
  if (distance !== undefined) {
    candidatesOf(byPerson, otherStay.personId).dayLevel.push({
      caseStay,
      otherStay,
      distanceMeters: distance,
      date,
    });
  }
}

/**
 * Returns the haversine distance between two centres when it is at most
 * `limitMeters`, else undefined. The latitude difference alone bounds the
 * great-circle distance from below, so most far pairs skip the trigonometry.
 */
function distanceWithin(
  from: Stay,
  fromLatitude: number,
  to: Stay,
  limitMeters: number,
): number | undefined {
  if (Math.abs(fromLatitude - to.latitude) * METERS_PER_DEGREE > limitMeters) {
    return undefined;
  }
  const distance = haversineMeters(from, to);
  return distance <= limitMeters ? distance : undefined;
}

function candidatesOf(
  byPerson: Map<string, PersonCandidates>,
  personId: string,
): PersonCandidates {
  let candidates = byPerson.get(personId);
  if (candidates === undefined) {
    candidates = { timed: [], dayLevel: [] };
    byPerson.set(personId, candidates);
  }
  return candidates;
}
