import { MERCHANT_CATEGORIES, VENUE_TYPES, type Place } from "./city.js";
import { distanceMeters, type Position } from "./geo.js";
import type { Person } from "./people.js";
import { Random } from "./random.js";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A part of a person's timeline: a stay at a place, or a move between two. */
export interface Segment {
  readonly startsAt: number;
  readonly endsAt: number;
  /** The place of a stay; null for a move. */
  readonly place: Place | null;
  readonly from: Position;
  readonly to: Position;
}

/** A visit that the scenario fixes in advance, such as an index case's evening at a venue. */
export interface FixedVisit {
  readonly day: number;
  readonly place: Place;
  readonly startsAt: number;
  readonly endsAt: number;
}

/** The period of a scenario: its first Seoul midnight and its number of days. */
export interface Period {
  readonly startsAt: number;
  readonly days: number;
}

/** Rounds milliseconds to a whole second, the resolution of every generated time. */
function toSecond(milliseconds: number): number {
  return Math.round(milliseconds / 1_000) * 1_000;
}

/** Travel time between two positions: on foot up to 700 m, else 6 minutes plus 22 km/h. */
export function travelMs(from: Position, to: Position): number {
  const meters = distanceMeters(from, to);
  const milliseconds =
    meters <= 700
      ? Math.max(MINUTE_MS, (meters / 75) * MINUTE_MS)
      : 6 * MINUTE_MS + (meters / 22_000) * HOUR_MS;
  return toSecond(milliseconds);
}

/**
 * Builds the timeline of one person over the period: home at night, work or
 * school on weekdays, lunch, shops and venues in between, and outings at the
 * weekend. Each day draws from its own stream, so a change on one day leaves
 * the others as they were. From the day after `isolatedAfterDay` on, the
 * person stays at home.
 */
export function buildTimeline(
  person: Person,
  period: Period,
  seed: number,
  fixedVisits: readonly FixedVisit[],
  isolatedAfterDay: number | null,
): Segment[] {
  const itinerary = new Itinerary(person.home, period.startsAt);
  for (let day = 0; day < period.days; day++) {
    if (isolatedAfterDay !== null && day > isolatedAfterDay) {
      break;
    }
    const random = new Random(seed, `day:${person.index}:${day}`);
    const dayStart = period.startsAt + day * DAY_MS;
    const fixed = fixedVisits.find((visit) => visit.day === day) ?? null;
    itinerary.setFixedVisit(fixed);
    const weekday = new Date(dayStart + 9 * HOUR_MS).getUTCDay();
    const isWeekend = weekday === 0 || weekday === 6;
    if (isWeekend || person.work === null) {
      planFreeDay(person, dayStart, isWeekend, itinerary, random);
    } else {
      planWorkday(person, person.work, dayStart, itinerary, random);
    }
    itinerary.returnHome(person.home);
  }
  return itinerary.finish(period.startsAt + period.days * DAY_MS);
}

function planWorkday(
  person: Person,
  work: Place,
  dayStart: number,
  itinerary: Itinerary,
  random: Random,
): void {
  const isStudent = person.occupation === "student";
  const leave =
    dayStart +
    (isStudent
      ? 7.5 * HOUR_MS + random.uniform(0, 40) * MINUTE_MS
      : 7 * HOUR_MS + random.uniform(0, 110) * MINUTE_MS);
  itinerary.goTo(work, leave);

  if (!isStudent && person.lunchPlaces.length > 0 && random.chance(0.85)) {
    const lunchAt =
      dayStart + 11.75 * HOUR_MS + random.uniform(0, 40) * MINUTE_MS;
    const place = random.pick(person.lunchPlaces);
    itinerary.visit(place, lunchAt, minutesOf(place, random));
    if (itinerary.current === place) {
      itinerary.goTo(work, itinerary.since);
    }
  }

  const workEnd =
    dayStart +
    (isStudent
      ? 15.5 * HOUR_MS + random.uniform(0, 90) * MINUTE_MS
      : 17.8 * HOUR_MS + random.uniform(0, 100) * MINUTE_MS);
  let departAt = workEnd;
  if (random.chance(0.45)) {
    const draw = random.next();
    const pool = poolByShare(draw, [
      [0.4, person.eveningPlaces],
      [0.3, person.venues],
      [0.3, person.shops],
    ]);
    if (pool.length > 0) {
      const place = random.pick(pool);
      itinerary.visit(place, departAt, minutesOf(place, random));
      departAt = itinerary.since;
    }
  }
  if (random.chance(0.25) && person.shops.length > 0) {
    const place = random.pick(person.shops);
    itinerary.visit(place, departAt, minutesOf(place, random));
  }
  itinerary.returnHome(person.home);
}

function planFreeDay(
  person: Person,
  dayStart: number,
  isWeekend: boolean,
  itinerary: Itinerary,
  random: Random,
): void {
  let departAt =
    dayStart +
    (isWeekend ? 10 : 9.5) * HOUR_MS +
    random.uniform(0, 150) * MINUTE_MS;
  const outings = random.integer(isWeekend ? 1 : 0, 3);
  for (let k = 0; k < outings; k++) {
    const draw = random.next();
    const pool = poolByShare(draw, [
      [0.45, person.shops],
      [0.25, person.lunchPlaces],
      [0.15, person.venues],
      [0.15, person.eveningPlaces],
    ]);
    if (pool.length === 0) {
      continue;
    }
    const place = random.pick(pool);
    itinerary.visit(place, departAt, minutesOf(place, random));
    departAt = itinerary.since + random.uniform(0, 30) * MINUTE_MS;
  }
  if (isWeekend && random.chance(0.3) && person.eveningPlaces.length > 0) {
    itinerary.goTo(person.home, itinerary.since);
    const place = random.pick(person.eveningPlaces);
    const evening =
      dayStart + 18.5 * HOUR_MS + random.uniform(0, 120) * MINUTE_MS;
    itinerary.visit(place, evening, minutesOf(place, random));
  }
}

/** Returns the first list of places whose cumulative share exceeds a draw in [0, 1). */
function poolByShare(
  draw: number,
  pools: readonly (readonly [number, readonly Place[]])[],
): readonly Place[] {
  let total = 0;
  for (const [share, places] of pools) {
    total += share;
    if (draw < total) {
      return places;
    }
  }
  return pools.at(-1)?.[1] ?? [];
}

/** Returns how many minutes a visit to a merchant or venue lasts, from its category. */
function minutesOf(place: Place, random: Random): number {
  const merchant = MERCHANT_CATEGORIES.find(
    (category) => category.category === place.category,
  );
  const venue = VENUE_TYPES.find((type) => type.type === place.category);
  const [min, max] = merchant?.minutes ?? venue?.minutes ?? [30, 60];
  return Math.round(random.uniform(min, max));
}

/**
 * Lays stays and moves end to end. Every stay ends when the person leaves
 * for the next place, so the timeline has no gaps and no overlaps.
 */
class Itinerary {
  current: Place;
  /** Instant at which the current stay began. */
  since: number;
  /** Earliest instant at which the person leaves the current place. */
  #leaveAfter: number;
  readonly #segments: Segment[] = [];
  #fixed: FixedVisit | null = null;

  constructor(home: Place, startsAt: number) {
    this.current = home;
    this.since = startsAt;
    this.#leaveAfter = startsAt;
  }

  setFixedVisit(fixed: FixedVisit | null): void {
    this.#fixed = fixed;
  }

  /**
   * Visits a place, leaving the current one at `departAt` or later, for
   * `minutes`. A visit that would run into the day's fixed visit gives way
   * to it.
   */
  visit(place: Place, departAt: number, minutes: number): void {
    const fixed = this.#fixed;
    if (fixed === null) {
      this.goTo(place, departAt);
      this.#leaveAfter = this.since + Math.round(minutes) * MINUTE_MS;
      return;
    }
    const depart = Math.max(departAt, this.#leaveAfter, this.since + MINUTE_MS);
    const arrival = depart + travelMs(this.current, place);
    const latestDeparture = fixed.startsAt - travelMs(place, fixed.place);
    if (arrival + 10 * MINUTE_MS > latestDeparture) {
      this.attendFixedVisit();
      return;
    }
    this.goTo(place, departAt);
    this.#leaveAfter = Math.min(
      this.since + Math.round(minutes) * MINUTE_MS,
      latestDeparture,
    );
  }

  /** Goes to the day's fixed visit, if it is still to come, cutting the current stay short to arrive in time. */
  attendFixedVisit(): void {
    const fixed = this.#fixed;
    if (fixed === null) {
      return;
    }
    this.#fixed = null;
    const latestDeparture =
      fixed.startsAt - travelMs(this.current, fixed.place);
    this.#leaveAfter = Math.min(this.#leaveAfter, latestDeparture);
    this.goTo(fixed.place, latestDeparture);
    this.#leaveAfter = Math.max(fixed.endsAt, this.since + 10 * MINUTE_MS);
  }

  /** Attends the day's fixed visit if it is still to come, then goes home. */
  returnHome(home: Place): void {
    this.attendFixedVisit();
    this.goTo(home, this.since);
  }

  /** Leaves the current place at `departAt` or later and travels to `place`. */
  goTo(place: Place, departAt: number): void {
    if (place === this.current) {
      return;
    }
    const depart = toSecond(
      Math.max(departAt, this.#leaveAfter, this.since + MINUTE_MS),
    );
    this.#segments.push(stay(this.current, this.since, depart));
    const arrival = depart + travelMs(this.current, place);
    this.#segments.push({
      startsAt: depart,
      endsAt: arrival,
      place: null,
      from: this.current,
      to: place,
    });
    this.current = place;
    this.since = arrival;
    this.#leaveAfter = arrival;
  }

  /** Ends the timeline at `endsAt` with the current stay. */
  finish(endsAt: number): Segment[] {
    const end = Math.max(endsAt, this.#leaveAfter, this.since + MINUTE_MS);
    this.#segments.push(stay(this.current, this.since, end));
    return this.#segments;
  }
}

function stay(place: Place, startsAt: number, endsAt: number): Segment {
  return { startsAt, endsAt, place, from: place, to: place };
}
