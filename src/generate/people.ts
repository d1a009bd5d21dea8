import { distanceMeters, type Position } from "./geo.js";
import {
  makeHome,
  MERCHANT_CATEGORIES,
  OPERATORS,
  pad,
  type City,
  type OperatorName,
  type Place,
} from "./city.js";
import { Random } from "./random.js";

/** Card companies, their share of cards and a synthetic 4-digit prefix of their card numbers. */
export const CARD_COMPANIES = [
  { name: "신한카드", fileName: "shinhan", share: 0.2, prefix: "9410" },
  { name: "KB국민카드", fileName: "kbkookmin", share: 0.18, prefix: "9420" },
  { name: "삼성카드", fileName: "samsung", share: 0.15, prefix: "9430" },
  { name: "현대카드", fileName: "hyundai", share: 0.14, prefix: "9440" },
  { name: "롯데카드", fileName: "lotte", share: 0.09, prefix: "9450" },
  { name: "우리카드", fileName: "woori", share: 0.08, prefix: "9460" },
  { name: "하나카드", fileName: "hana", share: 0.08, prefix: "9470" },
  { name: "NH농협카드", fileName: "nhnonghyup", share: 0.08, prefix: "9480" },
] as const;
export type CardCompanyName = (typeof CARD_COMPANIES)[number]["name"];

/** A payment card of a person, with its number masked as card companies send it. */
export interface Card {
  readonly company: CardCompanyName;
  readonly maskedNumber: string;
}

/** Weekday occupation of a person. */
export type Occupation = "worker" | "student" | "at_home";

/** A synthetic resident of the city. */
export interface Person {
  readonly index: number;
  readonly id: string;
  /** Mobile number in the form 010-XXXX-XXXX, from 010-0000-0000 to 010-1999-9999. */
  readonly phone: string;
  readonly operator: OperatorName;
  readonly occupation: Occupation;
  readonly home: Place;
  /** Workplace or school; null for persons at home. */
  readonly work: Place | null;
  readonly cards: readonly Card[];
  /** GPS logging of the person's phone: none, a GPS CSV export or GPX tracks. */
  readonly gps: "none" | "csv" | "gpx";
  /** Share of the person's venue visits checked in by QR code. */
  readonly checkInRate: number;
  /** Share of the person's check-ins followed by a check-out. */
  readonly checkOutRate: number;
  /** Share of the person's purchases paid by card, not cash. */
  readonly cardRate: number;
  /** Factor of the person's base-station record rate (phone use), mean 1. */
  readonly activity: number;
  /** Places near work for lunch, near home and work for shopping, and venues the person goes to. */
  readonly lunchPlaces: readonly Place[];
  readonly shops: readonly Place[];
  readonly eveningPlaces: readonly Place[];
  readonly venues: readonly Place[];
}

/** Shares of persons who log GPS in a CSV export and in GPX files. */
export interface GpsShares {
  readonly csv: number;
  readonly gpx: number;
}

/** Creates `count` persons with homes, workplaces, phones, cards and habits. */
export function buildPersons(
  count: number,
  city: City,
  seed: number,
  gpsShares: GpsShares,
): Person[] {
  const random = new Random(seed, "persons");
  const phones = new Set<string>();
  const persons: Person[] = [];
  for (let index = 0; index < count; index++) {
    const id = `P-${pad(index + 1, 4)}`;
    const home = makeHome(`H-${pad(index + 1, 4)}`, random);
    const draw = random.next();
    const occupation = occupationOf(draw);
    const work =
      occupation === "at_home"
        ? null
        : pickWorkplace(home, city, occupation, random);
    persons.push({
      index,
      id,
      phone: uniquePhone(phones, random),
      operator: random.pickWeighted(OPERATORS, (operator) => operator.share)
        .name,
      occupation,
      home,
      work,
      cards: drawCards(random),
      gps: gpsKindOf(index, gpsShares),
      checkInRate: random.uniform(0.85, 1),
      checkOutRate: random.uniform(0.3, 0.9),
      cardRate: random.uniform(0.7, 0.95),
      activity: random.uniform(0.4, 1.6),
      lunchPlaces: nearestMerchants(
        work ?? home,
        city,
        (place) => isMeal(place),
        6,
      ),
      shops: [
        ...nearestMerchants(
          home,
          city,
          (place) => !isMeal(place) && place.category !== "일반주점",
          5,
        ),
        ...nearestMerchants(
          work ?? home,
          city,
          (place) => !isMeal(place) && place.category !== "일반주점",
          2,
        ),
      ],
      eveningPlaces: nearestMerchants(
        random.chance(0.6) ? (work ?? home) : home,
        city,
        (place) => place.category === "일반주점" || place.category === "한식",
        4,
      ),
      venues: [
        ...nearest(city.venues, home, 3),
        ...nearest(city.venues, work ?? home, 2),
      ],
    });
  }
  return persons;
}

/**
 * Returns how a person's phone logs GPS. The persons are spread evenly by
 * index, so that even a small scenario has some of each.
 */
function gpsKindOf(index: number, shares: GpsShares): Person["gps"] {
  const position = (index * 0.618_034) % 1;
  if (position < shares.gpx) {
    return "gpx";
  }
  return position < shares.gpx + shares.csv ? "csv" : "none";
}

/** Returns the occupation of a draw in [0, 1): 65% work, 12% go to school and the rest stay at home. */
function occupationOf(draw: number): Occupation {
  if (draw < 0.65) {
    return "worker";
  }
  return draw < 0.77 ? "student" : "at_home";
}

function isMeal(place: Place): boolean {
  return MERCHANT_CATEGORIES.some(
    (category) => category.category === place.category && category.meal,
  );
}

function pickWorkplace(
  home: Place,
  city: City,
  occupation: Occupation,
  random: Random,
): Place {
  const schools = city.workplaces.filter((place) => place.category === "학교");
  if (occupation === "student" && schools.length > 0) {
    return nearest(schools, home, 3)[
      random.integer(0, Math.min(2, schools.length - 1))
    ]!;
  }
  // Commutes favour nearby workplaces but reach across the city.
  return random.pickWeighted(
    city.workplaces,
    (place) => 1 / (1 + distanceMeters(home, place) / 4_000),
  );
}

/**
 * Draws an unused mobile number from 010-0000-0000 to 010-1999-9999,
 * because 010 numbers whose middle block starts with 0 or 1 are not issued
 * to subscribers.
 * NOTE: that rule was not checked against the regulator's current number
 * allocation; see the warning in docs/generator.md.
 */
function uniquePhone(used: Set<string>, random: Random): string {
  for (;;) {
    const phone = `010-${pad(random.integer(0, 1_999), 4)}-${pad(random.integer(0, 9_999), 4)}`;
    if (!used.has(phone)) {
      used.add(phone);
      return phone;
    }
  }
}

function drawCards(random: Random): Card[] {
  const count = random.chance(0.4) ? 2 : 1;
  const companies = new Set<(typeof CARD_COMPANIES)[number]>();
  while (companies.size < count) {
    companies.add(
      random.pickWeighted(CARD_COMPANIES, (company) => company.share),
    );
  }
  return [...companies].map((company) => ({
    company: company.name,
    maskedNumber: `${company.prefix}-${pad(random.integer(0, 99), 2)}**-****-${pad(random.integer(0, 9_999), 4)}`,
  }));
}

function nearestMerchants(
  origin: Position,
  city: City,
  accept: (place: Place) => boolean,
  count: number,
): Place[] {
  return nearest(city.merchants.filter(accept), origin, count);
}

/** Returns the `count` places nearest to a position, ties by id. */
export function nearest(
  places: readonly Place[],
  origin: Position,
  count: number,
): Place[] {
  return places
    .map((place) => ({ place, distance: distanceMeters(origin, place) }))
    .sort(
      (a, b) => a.distance - b.distance || (a.place.id < b.place.id ? -1 : 1),
    )
    .slice(0, count)
    .map((item) => item.place);
}
