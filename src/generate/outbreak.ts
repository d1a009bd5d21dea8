import { VENUE_TYPES, type City, type Place } from "./city.js";
import { distanceMeters } from "./geo.js";
import type { Person } from "./people.js";
import { Random } from "./random.js";
import {
  buildTimeline,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  type FixedVisit,
  type Period,
  type Segment,
} from "./routine.js";

/** Minutes of co-presence with an infectious case that make a seeded contact. */
export const CONTACT_MINUTES = 15;

/** Persons who share each evening of an index case at a seeded venue. */
const CROWD_SIZE = 16;

/** Factor of the time scale of infection by cases other than index cases. */
const OTHER_CASE_SCALE = 4;

/** Days before symptom onset at which a case becomes infectious, as the contact search counts them. */
export const INFECTIOUS_DAYS_BEFORE_ONSET = 2;

/** Origin of a case: seeded at the start, infected by a case of the scenario, or infected outside it. */
export type CaseKind = "index" | "secondary" | "sporadic";

/** A case of the scenario. Days count from the first day of the period, 0-based. */
export interface ScenarioCase {
  readonly person: Person;
  readonly kind: CaseKind;
  readonly onsetDay: number;
  readonly confirmedDay: number;
  /** Day of isolation, the confirmation day; the person stays home afterwards. */
  readonly isolationDay: number;
  /** Index of the case that infected this one, for secondary cases. */
  readonly infectedBy: Person | null;
  /** Place of the infection, for secondary cases. */
  readonly exposurePlace: Place | null;
  readonly exposedAt: number | null;
  /** Venue where an index case seeded the outbreak. */
  readonly seededVenue: Place | null;
}

/** A person who stayed at least `CONTACT_MINUTES` with an infectious case at a merchant or venue. */
export interface SeededContact {
  readonly case: Person;
  readonly contact: Person;
  readonly place: Place;
  /** The overlap of the two stays inside the case's infectious period. */
  readonly startsAt: number;
  readonly endsAt: number;
  readonly overlapMinutes: number;
  /** Starts of the case's and the contact's stays at the place, which name the visits. */
  readonly caseVisitStartsAt: number;
  readonly contactVisitStartsAt: number;
}

/** The outcome of the outbreak simulation, with every person's final timeline. */
export interface Outbreak {
  readonly seededVenues: readonly Place[];
  readonly cases: readonly ScenarioCase[];
  readonly contacts: readonly SeededContact[];
  readonly timelines: readonly (readonly Segment[])[];
}

/** Settings of the outbreak. */
export interface OutbreakOptions {
  /** Venues where index cases spend evenings. Default 3. */
  readonly seededVenues: number;
  /** Share of persons who fall ill from outside the scenario, at any time. Default 1/150. */
  readonly sporadicShare: number;
}

interface Visit {
  readonly person: Person;
  readonly startsAt: number;
  readonly endsAt: number;
}

/**
 * Seeds an outbreak at a few venues and runs it through the persons'
 * timelines. Each index case spends two evenings of its infectious period at
 * a seeded venue with a crowd of people from the surroundings. Every person
 * who stays at least 15 minutes at the same merchant or venue as an
 * infectious case is a seeded contact. With an index case, the contact falls
 * ill with probability 1 - exp(-minutes / 250) at venues and
 * 1 - exp(-minutes / 3,000) at merchants. Other cases infect with four times
 * these time scales, so the outbreak rests on a few superspreading evenings.
 * A secondary case's onset comes 2 to 6 days after the exposure, its
 * confirmation 1 to 3 days after onset, and it stays home after the
 * confirmation day. Cases are taken in order of onset, so secondary cases
 * infect others in turn.
 */
export function simulateOutbreak(
  persons: readonly Person[],
  city: City,
  period: Period,
  seed: number,
  options: OutbreakOptions,
): Outbreak {
  const random = new Random(seed, "outbreak");
  const seededVenues = chooseSeededVenues(city, options.seededVenues, random);
  const fixed = new Map<number, FixedVisit[]>();
  const seeds = seedIndexCases(persons, seededVenues, period, fixed, random);
  const sporadic = seedSporadicCases(persons, seeds, period, options, random);

  const initialTimelines = persons.map((person) =>
    buildTimeline(person, period, seed, fixed.get(person.index) ?? [], null),
  );
  const cases = spread(
    [...seeds, ...sporadic],
    persons,
    initialTimelines,
    period,
    seed,
  );

  const isolation = new Map(
    cases.map((item) => [item.person.index, item.isolationDay]),
  );
  const timelines = persons.map((person, index) =>
    isolation.has(index) && isolation.get(index)! < period.days - 1
      ? buildTimeline(
          person,
          period,
          seed,
          fixed.get(index) ?? [],
          isolation.get(index)!,
        )
      : initialTimelines[index]!,
  );
  const contacts = findSeededContacts(cases, persons, timelines, period);
  return { seededVenues, cases, contacts, timelines };
}

/** Returns the infectious period of a case in epoch milliseconds, as the contact search computes it. */
export function infectiousPeriodOf(
  item: Pick<ScenarioCase, "onsetDay" | "isolationDay">,
  period: Period,
): { startsAt: number; endsAt: number } {
  return {
    startsAt:
      period.startsAt + (item.onsetDay - INFECTIOUS_DAYS_BEFORE_ONSET) * DAY_MS,
    endsAt: period.startsAt + (item.isolationDay + 1) * DAY_MS,
  };
}

function chooseSeededVenues(
  city: City,
  count: number,
  random: Random,
): Place[] {
  const seedable = new Set(
    VENUE_TYPES.filter((type) => type.seedable).map((type) => type.type),
  );
  const candidates = random.sample(
    city.venues.filter((venue) => seedable.has(venue.category)),
    city.venues.length,
  );
  const chosen: Place[] = [];
  for (const venue of candidates) {
    if (chosen.length >= count) {
      break;
    }
    // Seeded venues lie apart, so that each makes its own hotspot.
    if (chosen.every((other) => distanceMeters(other, venue) > 4_000)) {
      chosen.push(venue);
    }
  }
  return chosen;
}

/**
 * Picks an index case near each seeded venue, with onset on day 3 (or the
 * last day of a shorter period), and fixes its two evenings at the venue and
 * the crowd that shares them.
 */
function seedIndexCases(
  persons: readonly Person[],
  venues: readonly Place[],
  period: Period,
  fixed: Map<number, FixedVisit[]>,
  random: Random,
): ScenarioCase[] {
  const onsetDay = Math.min(3, period.days - 1);
  const taken = new Set<number>();
  const chosen: { person: Person; venue: Place }[] = [];
  for (const venue of venues) {
    const nearby = persons
      .filter(
        (person) => !taken.has(person.index) && person.occupation !== "student",
      )
      .map((person) => ({ person, distance: closestDistance(person, venue) }))
      .sort(
        (a, b) => a.distance - b.distance || a.person.index - b.person.index,
      );
    const index =
      nearby[random.integer(0, Math.min(4, nearby.length - 1))]?.person;
    if (index !== undefined) {
      taken.add(index.index);
      chosen.push({ person: index, venue });
    }
  }

  // The crowds are drawn once every index case is known, so that no index
  // case is sent to another venue's crowd.
  const cases: ScenarioCase[] = [];
  for (const { person, venue } of chosen) {
    const confirmedDay = onsetDay + random.integer(1, 2);
    cases.push({
      person,
      kind: "index",
      onsetDay,
      confirmedDay,
      isolationDay: confirmedDay,
      infectedBy: null,
      exposurePlace: null,
      exposedAt: null,
      seededVenue: venue,
    });
    for (const day of [onsetDay - 1, onsetDay]) {
      if (day < 0) {
        continue;
      }
      const visit = eveningAt(venue, day, period, random);
      addFixed(fixed, person.index, visit);
      addCrowd(persons, venue, visit, taken, fixed, random);
    }
  }
  return cases;
}

function eveningAt(
  venue: Place,
  day: number,
  period: Period,
  random: Random,
): FixedVisit {
  const type = VENUE_TYPES.find((item) => item.type === venue.category);
  const [min, max] = type?.minutes ?? [60, 120];
  const startHour = venue.category === "유흥주점" ? 21.5 : 19;
  const startsAt =
    period.startsAt +
    day * DAY_MS +
    startHour * HOUR_MS +
    Math.round(random.uniform(0, 90)) * MINUTE_MS;
  const minutes = Math.round(
    random.uniform(Math.max(min, 90), Math.max(max, 120)),
  );
  return {
    day,
    place: venue,
    startsAt,
    endsAt: startsAt + minutes * MINUTE_MS,
  };
}

/** Sends 16 persons who live or work within 8 km to the venue, arriving within half an hour of the index case. */
function addCrowd(
  persons: readonly Person[],
  venue: Place,
  visit: FixedVisit,
  taken: ReadonlySet<number>,
  fixed: Map<number, FixedVisit[]>,
  random: Random,
): void {
  const nearby = persons.filter(
    (person) =>
      !taken.has(person.index) &&
      closestDistance(person, venue) <= 8_000 &&
      !(fixed.get(person.index) ?? []).some((other) => other.day === visit.day),
  );
  for (const person of random.sample(nearby, CROWD_SIZE)) {
    const startsAt =
      visit.startsAt + Math.round(random.uniform(-30, 30)) * MINUTE_MS;
    const minutes = Math.round(random.uniform(60, 150));
    addFixed(fixed, person.index, {
      day: visit.day,
      place: venue,
      startsAt,
      endsAt: startsAt + minutes * MINUTE_MS,
    });
  }
}

function addFixed(
  fixed: Map<number, FixedVisit[]>,
  index: number,
  visit: FixedVisit,
): void {
  const list = fixed.get(index) ?? [];
  list.push(visit);
  fixed.set(index, list);
}

function closestDistance(person: Person, place: Place): number {
  const home = distanceMeters(person.home, place);
  return person.work === null
    ? home
    : Math.min(home, distanceMeters(person.work, place));
}

function seedSporadicCases(
  persons: readonly Person[],
  seeds: readonly ScenarioCase[],
  period: Period,
  options: OutbreakOptions,
  random: Random,
): ScenarioCase[] {
  const taken = new Set(seeds.map((item) => item.person.index));
  const count = Math.max(1, Math.round(persons.length * options.sporadicShare));
  const candidates = random.sample(
    persons.filter((person) => !taken.has(person.index)),
    count,
  );
  return candidates.map((person) => {
    const onsetDay = random.integer(0, period.days - 1);
    const confirmedDay = onsetDay + random.integer(1, 3);
    return {
      person,
      kind: "sporadic",
      onsetDay,
      confirmedDay,
      isolationDay: confirmedDay,
      infectedBy: null,
      exposurePlace: null,
      exposedAt: null,
      seededVenue: null,
    };
  });
}

/** Runs the transmission from the seeded cases and returns every case, in order of infectious start. */
function spread(
  seeds: readonly ScenarioCase[],
  persons: readonly Person[],
  timelines: readonly (readonly Segment[])[],
  period: Period,
  seed: number,
): ScenarioCase[] {
  const visits = visitsByPlace(timelines, persons);
  const cases = new Map<number, ScenarioCase>(
    seeds.map((item) => [item.person.index, item]),
  );
  const queue = [...seeds];
  const done: ScenarioCase[] = [];
  while (queue.length > 0) {
    queue.sort(
      (a, b) => a.onsetDay - b.onsetDay || a.person.index - b.person.index,
    );
    const infectious = queue.shift()!;
    done.push(infectious);
    for (const exposure of exposuresOf(infectious, timelines, visits, period)) {
      if (cases.has(exposure.contact.index)) {
        continue;
      }
      const scale =
        (exposure.place.kind === "venue" ? 250 : 3_000) *
        (infectious.kind === "index" ? 1 : OTHER_CASE_SCALE);
      const random = new Random(
        seed,
        `infection:${infectious.person.index}:${exposure.contact.index}:${exposure.startsAt}`,
      );
      if (!random.chance(1 - Math.exp(-exposure.overlapMinutes / scale))) {
        continue;
      }
      const exposureDay = Math.floor(
        (exposure.startsAt - period.startsAt) / DAY_MS,
      );
      const onsetDay = exposureDay + random.integer(2, 6);
      const confirmedDay = onsetDay + random.integer(1, 3);
      const secondary: ScenarioCase = {
        person: exposure.contact,
        kind: "secondary",
        onsetDay,
        confirmedDay,
        isolationDay: confirmedDay,
        infectedBy: infectious.person,
        exposurePlace: exposure.place,
        exposedAt: exposure.startsAt,
        seededVenue: null,
      };
      cases.set(exposure.contact.index, secondary);
      queue.push(secondary);
    }
  }
  return done;
}

/** Finds the seeded contacts of every case in the final timelines. */
function findSeededContacts(
  cases: readonly ScenarioCase[],
  persons: readonly Person[],
  timelines: readonly (readonly Segment[])[],
  period: Period,
): SeededContact[] {
  const visits = visitsByPlace(timelines, persons);
  return cases.flatMap((item) => exposuresOf(item, timelines, visits, period));
}

type VisitsByPlace = ReadonlyMap<string, readonly Visit[]>;

/** Returns the stays at merchants and venues, by place id, in order of start. */
function visitsByPlace(
  timelines: readonly (readonly Segment[])[],
  persons: readonly Person[],
): VisitsByPlace {
  const byPlace = new Map<string, Visit[]>();
  timelines.forEach((segments, index) => {
    const person = persons[index]!;
    for (const segment of segments) {
      const place = segment.place;
      if (
        place === null ||
        (place.kind !== "merchant" && place.kind !== "venue")
      ) {
        continue;
      }
      let list = byPlace.get(place.id);
      if (list === undefined) {
        list = [];
        byPlace.set(place.id, list);
      }
      list.push({ person, startsAt: segment.startsAt, endsAt: segment.endsAt });
    }
  });
  return byPlace;
}

/** Returns every stay of at least `CONTACT_MINUTES` with the case at a merchant or venue during its infectious period. */
function exposuresOf(
  infectious: ScenarioCase,
  timelines: readonly (readonly Segment[])[],
  visits: VisitsByPlace,
  period: Period,
): SeededContact[] {
  const window = infectiousPeriodOf(infectious, period);
  const exposures: SeededContact[] = [];
  for (const segment of timelines[infectious.person.index] ?? []) {
    const place = segment.place;
    if (
      place === null ||
      (place.kind !== "merchant" && place.kind !== "venue")
    ) {
      continue;
    }
    const startsAt = Math.max(segment.startsAt, window.startsAt);
    const endsAt = Math.min(segment.endsAt, window.endsAt);
    if (endsAt - startsAt < CONTACT_MINUTES * MINUTE_MS) {
      continue;
    }
    for (const other of visits.get(place.id) ?? []) {
      if (other.person === infectious.person) {
        continue;
      }
      const overlapStart = Math.max(startsAt, other.startsAt);
      const overlapEnd = Math.min(endsAt, other.endsAt);
      if (overlapEnd - overlapStart >= CONTACT_MINUTES * MINUTE_MS) {
        exposures.push({
          case: infectious.person,
          contact: other.person,
          place,
          startsAt: overlapStart,
          endsAt: overlapEnd,
          overlapMinutes: (overlapEnd - overlapStart) / MINUTE_MS,
          caseVisitStartsAt: segment.startsAt,
          contactVisitStartsAt: other.startsAt,
        });
      }
    }
  }
  return exposures;
}
