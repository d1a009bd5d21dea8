import path from "node:path";
import { fileURLToPath } from "node:url";

import type { FeatureCollection, MultiLineString, Position } from "geojson";
import { describe, expect, it } from "vitest";

import { seoulDayEnd, seoulDayStart } from "../../domain/seoul-time.js";
import { haversineMeters } from "../geo/index.js";
import { deepFreeze } from "../route/testing.js";
import {
  dateOnlyStay,
  goldenPair,
  readJsonFixture,
  seededRandom,
  stayOfFeature,
  timedStay,
  type TimedStaySpec,
} from "../stays/testing.js";
import { isDateOnlyStay, type Stay } from "../stays/index.js";
import {
  DEFAULT_CONTACT_OPTIONS,
  findContacts,
  DEFAULT_INFECTIOUSNESS_BUCKETS,
  infectiousnessWeightOf,
  lastInfectiousDate,
  proximityWeightOf,
  resolveInfectiousPeriod,
  type Contact,
  type ContactOptions,
  type ContactsResult,
  type DayLevelContact,
  type IndexCase,
  type InfectiousPeriod,
} from "./index.js";

const FIXTURES_FOLDER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "fixtures",
);

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Midnight in Seoul at the start of 2020-03-10, the onset of the test case. */
const ONSET_START = seoulDayStart("2020-03-10");

const INDEX_CASE: IndexCase = {
  personId: "case",
  symptomOnsetDate: "2020-03-10",
  testDate: "2020-03-12",
  confirmedDate: "2020-03-13",
  isolationDate: "2020-03-13",
};

/** Builds a timed stay placed in minutes after midnight of the onset day. */
function stay(spec: TimedStaySpec): Stay {
  return timedStay(ONSET_START, spec);
}

describe("resolveInfectiousPeriod", () => {
  it("starts two days before onset", () => {
    const period = resolveInfectiousPeriod(INDEX_CASE, 2, undefined);
    expect(period.startsAt).toBe(seoulDayStart("2020-03-08"));
    expect(period.endsAt).toBe(seoulDayEnd("2020-03-13"));
    expect(period.anchor).toBe("symptom_onset");
    expect(period.referenceDate).toBe("2020-03-10");
  });

  it("starts before the test without symptoms", () => {
    const period = resolveInfectiousPeriod(
      { personId: "p", testDate: "2020-03-12", isolationDate: "2020-03-14" },
      2,
      undefined,
    );
    expect(period.startsAt).toBe(seoulDayStart("2020-03-10"));
    expect(period.endsAt).toBe(seoulDayEnd("2020-03-14"));
    expect(period.anchor).toBe("test");
  });

  it("falls back to confirmation dates", () => {
    const period = resolveInfectiousPeriod(
      { personId: "p", confirmedDate: "2020-03-12" },
      2,
      undefined,
    );
    expect(period.startsAt).toBe(seoulDayStart("2020-03-10"));
    expect(period.endsAt).toBe(seoulDayEnd("2020-03-12"));
    expect(period.anchor).toBe("confirmation");
  });

  it("rejects a case without dates", () => {
    expect(() =>
      resolveInfectiousPeriod({ personId: "p" }, 2, undefined),
    ).toThrow(/set the infectiousPeriod option/);
  });

  it("rejects an invalid date", () => {
    expect(() =>
      resolveInfectiousPeriod(
        { personId: "p", symptomOnsetDate: "2020-02-30" },
        2,
        undefined,
      ),
    ).toThrow(/Invalid symptomOnsetDate "2020-02-30"/);
  });

  it("derives a reference from a set interval", () => {
    const startsAt = seoulDayStart("2020-03-01");
    const interval = { startsAt, endsAt: startsAt + 5 * DAY_MS };
    const period = resolveInfectiousPeriod({ personId: "p" }, 2, interval);
    expect(period.anchor).toBe("set_period");
    expect(period.referenceDate).toBe("2020-03-03");
  });

  it("uses a set interval", () => {
    const interval = { startsAt: 1_000, endsAt: 2_000 };
    const period = resolveInfectiousPeriod(INDEX_CASE, 2, interval);
    expect(period.startsAt).toBe(1_000);
    expect(period.endsAt).toBe(2_000);
    expect(period.isSetByCaller).toBe(true);
    expect(period.referenceDate).toBe("2020-03-10");
  });
});

describe("lastInfectiousDate", () => {
  it("returns day 9 by default buckets", () => {
    const date = lastInfectiousDate(
      "2020-02-25",
      DEFAULT_INFECTIOUSNESS_BUCKETS,
    );

    expect(date).toBe("2020-03-05");
    expect(
      infectiousnessWeightOf(DEFAULT_INFECTIOUSNESS_BUCKETS, 9),
    ).toBeGreaterThan(0);
    expect(infectiousnessWeightOf(DEFAULT_INFECTIOUSNESS_BUCKETS, 10)).toBe(0);
  });

  it("skips buckets of weight 0", () => {
    const buckets = [
      { fromDay: -2, toDay: 3, weight: 1 },
      { fromDay: 4, toDay: 20, weight: 0 },
    ];

    expect(lastInfectiousDate("2020-03-01", buckets)).toBe("2020-03-04");
  });

  it("returns undefined before the reference", () => {
    const buckets = [{ fromDay: -5, toDay: -1, weight: 1 }];

    expect(lastInfectiousDate("2020-03-01", buckets)).toBeUndefined();
    expect(lastInfectiousDate("2020-03-01", [])).toBeUndefined();
  });
});

describe("contact weights", () => {
  it("buckets proximity by radius", () => {
    const buckets = DEFAULT_CONTACT_OPTIONS.proximityBuckets;
    expect(proximityWeightOf(buckets, 0)).toBe(1);
    expect(proximityWeightOf(buckets, 9.99)).toBe(1);
    expect(proximityWeightOf(buckets, 10)).toBe(0.5);
    expect(proximityWeightOf(buckets, 49)).toBe(0.5);
    expect(proximityWeightOf(buckets, 199)).toBe(0.2);
    expect(proximityWeightOf(buckets, 200)).toBe(0.05);
    expect(proximityWeightOf(buckets, 5_000)).toBe(0.05);
  });

  it("buckets infectiousness by day", () => {
    const buckets = DEFAULT_CONTACT_OPTIONS.infectiousnessBuckets;
    const weights = [-6, -5, -3, -2, 0, 3, 4, 9, 10].map((day) =>
      infectiousnessWeightOf(buckets, day),
    );
    expect(weights).toEqual([0, 0.6, 0.6, 1, 1, 1, 0.6, 0.6, 0]);
  });
});

describe("findContacts", () => {
  it("finds a 30-minute close contact", () => {
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: 600,
        lastFixMinute: 660,
      }),
      stay({
        id: "a1",
        personId: "a",
        startMinute: 630,
        lastFixMinute: 700,
        eastMeters: 1.5,
      }),
    ];
    const result = findContacts(INDEX_CASE, stays);
    expect(result.contacts).toHaveLength(1);
    const contact = result.contacts[0]!;
    expect(contact.personId).toBe("a");
    expect(contact.certainMinutes).toBe(30);
    expect(contact.possibleMinutes).toBe(0);
    expect(contact.score).toBeCloseTo(30, 9);
    expect(contact.pairs).toHaveLength(1);
    expect(contact.pairs[0]!.distanceMeters).toBeCloseTo(1.5, 3);
  });

  it("ignores a stay beyond the contact distance", () => {
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: 600,
        lastFixMinute: 660,
      }),
      stay({
        id: "a1",
        personId: "a",
        startMinute: 600,
        lastFixMinute: 660,
        eastMeters: 2.1,
      }),
    ];
    expect(findContacts(INDEX_CASE, stays).contacts).toEqual([]);
  });

  it("adds both radii to the distance", () => {
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: 600,
        lastFixMinute: 660,
        radiusMeters: 30,
      }),
      stay({
        id: "a1",
        personId: "a",
        startMinute: 600,
        lastFixMinute: 660,
        eastMeters: 50,
        radiusMeters: 19,
      }),
    ];
    const contact = findContacts(INDEX_CASE, stays).contacts[0]!;
    expect(contact.pairs[0]!.proximityWeight).toBe(0.5);
    expect(contact.score).toBeCloseTo(30, 9);
  });

  it("counts no overlap for touching intervals", () => {
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: 600,
        lastFixMinute: 660,
      }),
      stay({ id: "a1", personId: "a", startMinute: 660, lastFixMinute: 720 }),
      stay({ id: "b1", personId: "b", startMinute: 540, lastFixMinute: 600 }),
    ];
    const result = findContacts(INDEX_CASE, stays);
    expect(result.contacts).toEqual([]);
    expect(result.belowMinimumCount).toBe(0);
  });

  it("counts no overlap for zero-length stays", () => {
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: 600,
        lastFixMinute: 660,
      }),
      stay({ id: "a1", personId: "a", startMinute: 630, lastFixMinute: 630 }),
      stay({
        id: "c2",
        personId: "case",
        startMinute: 700,
        lastFixMinute: 700,
      }),
      stay({ id: "b1", personId: "b", startMinute: 680, lastFixMinute: 720 }),
    ];
    const result = findContacts(INDEX_CASE, stays);
    expect(result.contacts).toEqual([]);
    expect(result.possibleContacts).toEqual([]);
    expect(result.belowMinimumCount).toBe(0);
  });

  it("keeps the 15-minute boundary inclusive", () => {
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: 600,
        lastFixMinute: 615,
      }),
      stay({ id: "a1", personId: "a", startMinute: 600, lastFixMinute: 615 }),
      stay({ id: "b1", personId: "b", startMinute: 601, lastFixMinute: 615 }),
    ];
    const result = findContacts(INDEX_CASE, stays);
    expect(result.contacts.map((contact) => contact.personId)).toEqual(["a"]);
    expect(result.belowMinimumCount).toBe(1);
  });

  it("scores possible ends separately", () => {
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: 600,
        lastFixMinute: 610,
        finishMinute: 640,
      }),
      stay({ id: "a1", personId: "a", startMinute: 600, lastFixMinute: 660 }),
    ];
    const result = findContacts(INDEX_CASE, stays);
    expect(result.contacts).toEqual([]);
    expect(result.possibleContacts).toHaveLength(1);
    const contact = result.possibleContacts[0]!;
    expect(contact.certainMinutes).toBe(10);
    expect(contact.possibleMinutes).toBe(30);
    expect(contact.score).toBeCloseTo(10, 9);
    expect(contact.possibleScore).toBeCloseTo(30, 9);
  });

  it("counts one encounter from two sources once", () => {
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: 600,
        lastFixMinute: 660,
      }),
      stay({
        id: "a-checkin",
        personId: "a",
        source: "checkin",
        startMinute: 600,
        lastFixMinute: 640,
      }),
      stay({
        id: "a-gps",
        personId: "a",
        source: "gps",
        startMinute: 620,
        lastFixMinute: 660,
        radiusMeters: 20,
      }),
    ];
    const result = findContacts(INDEX_CASE, stays);
    expect(result.contacts).toHaveLength(1);
    const contact = result.contacts[0]!;
    expect(contact.certainMinutes).toBe(60);
    expect(contact.pairs).toHaveLength(2);
    expect(contact.sources).toEqual(["checkin", "gps"]);
    // 40 minutes at weight 1 from the check-in, the last 20 at 0.5 from GPS.
    expect(contact.score).toBeCloseTo(40 + 20 * 0.5, 9);
  });

  it("clips overlaps to the infectious period", () => {
    const twoDaysBefore = -2 * 24 * 60;
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: twoDaysBefore - 60,
        lastFixMinute: twoDaysBefore + 30,
      }),
      stay({
        id: "a1",
        personId: "a",
        startMinute: twoDaysBefore - 60,
        lastFixMinute: twoDaysBefore + 30,
      }),
    ];
    const contact = findContacts(INDEX_CASE, stays).contacts[0]!;
    expect(contact.certainMinutes).toBe(30);
    expect(contact.firstOverlapAt).toBe(seoulDayStart("2020-03-08"));
  });

  it("weighs days by infectiousness", () => {
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: 600,
        lastFixMinute: 660,
      }),
      stay({ id: "a1", personId: "a", startMinute: 600, lastFixMinute: 660 }),
    ];
    const options: ContactOptions = {
      infectiousPeriod: {
        startsAt: ONSET_START - 10 * DAY_MS,
        endsAt: ONSET_START + 10 * DAY_MS,
      },
      infectiousnessBuckets: [{ fromDay: 0, toDay: 0, weight: 0.25 }],
    };
    const contact = findContacts(INDEX_CASE, stays, options).contacts[0]!;
    expect(contact.score).toBeCloseTo(15, 9);
  });

  it("splits a stay across midnight by day", () => {
    const onsetEve = -60;
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: onsetEve,
        lastFixMinute: 60,
      }),
      stay({
        id: "a1",
        personId: "a",
        startMinute: onsetEve,
        lastFixMinute: 60,
      }),
    ];
    const options: ContactOptions = {
      infectiousnessBuckets: [
        { fromDay: -1, toDay: -1, weight: 0.5 },
        { fromDay: 0, toDay: 0, weight: 1 },
      ],
    };
    const contact = findContacts(INDEX_CASE, stays, options).contacts[0]!;
    expect(contact.certainMinutes).toBe(120);
    expect(contact.score).toBeCloseTo(60 * 0.5 + 60, 9);
  });

  it("lists date-only contacts apart", () => {
    const stays = [
      dateOnlyStay({ id: "c1", personId: "case", visitDate: "2020-03-11" }),
      stay({
        id: "c2",
        personId: "case",
        startMinute: 600,
        lastFixMinute: 660,
      }),
      stay({
        id: "a1",
        personId: "a",
        startMinute: 1440 + 60,
        lastFixMinute: 1440 + 70,
      }),
      dateOnlyStay({ id: "b1", personId: "b", visitDate: "2020-03-10" }),
      dateOnlyStay({ id: "d1", personId: "d", visitDate: "2020-03-12" }),
    ];
    const result = findContacts(INDEX_CASE, stays);
    expect(result.contacts).toEqual([]);
    expect(result.dayLevelContacts.map((c) => c.personId)).toEqual(["a", "b"]);
    expect(result.dayLevelContacts[0]!.dates).toEqual(["2020-03-11"]);
    expect(result.dayLevelContacts[1]!.pairs[0]!.caseStayId).toBe("c2");
  });

  it("uses the test date without onset", () => {
    const indexCase: IndexCase = {
      personId: "case",
      testDate: "2020-03-12",
      isolationDate: "2020-03-14",
    };
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: 600,
        lastFixMinute: 660,
      }),
      stay({ id: "a1", personId: "a", startMinute: 600, lastFixMinute: 660 }),
      stay({
        id: "c2",
        personId: "case",
        startMinute: 1440 * 4 + 600,
        lastFixMinute: 1440 * 4 + 660,
      }),
      stay({
        id: "b1",
        personId: "b",
        startMinute: 1440 * 4 + 600,
        lastFixMinute: 1440 * 4 + 660,
      }),
    ];
    const result = findContacts(indexCase, stays);
    expect(result.infectiousPeriod.anchor).toBe("test");
    expect(result.contacts.map((c) => c.personId).sort()).toEqual(["a", "b"]);
    const score = Object.fromEntries(
      result.contacts.map((c) => [c.personId, c.score]),
    );
    // Day 0 is the test date, 2020-03-12: 2020-03-10 is day -2, 2020-03-14 day 2.
    expect(score.a).toBeCloseTo(60, 9);
    expect(score.b).toBeCloseTo(60, 9);
  });

  it("leaves the input unchanged", () => {
    const stays = generateStays(7, 20);
    const before = structuredClone(stays);
    findContacts(INDEX_CASE, stays);
    expect(stays).toEqual(before);
  });

  it("rejects an invalid stay", () => {
    const stays = [
      stay({
        id: "c1",
        personId: "case",
        startMinute: 600,
        lastFixMinute: 660,
      }),
      stay({ id: "a1", personId: "a", startMinute: 600, lastFixMinute: 500 }),
    ];
    expect(() => findContacts(INDEX_CASE, stays)).toThrow(
      /Invalid stay "a1": lastFixAt/,
    );
  });

  it("rejects a negative contact distance", () => {
    expect(() =>
      findContacts(INDEX_CASE, [], { contactDistanceMeters: -1 }),
    ).toThrow(/Invalid contactDistanceMeters/);
  });
});

describe("findContacts against brute force", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`matches per-minute totals, seed ${seed}`, () => {
      const stays = generateStays(seed, 60);
      const options: ContactOptions = { contactDistanceMeters: 15 };
      const result = findContacts(INDEX_CASE, stays, options);
      const expected = bruteForceContacts(INDEX_CASE, stays, options);

      expect(summarise(result)).toEqual(roundSummary(expected));
      for (const contact of [...result.contacts, ...result.possibleContacts]) {
        const person = expected.get(contact.personId)!;
        expect(contact.score).toBeCloseTo(person.score, 6);
        expect(contact.possibleScore).toBeCloseTo(person.possibleScore, 6);
      }
    });
  }
});

describe("findContacts golden output", () => {
  it("matches expected.geojson", async () => {
    const input = readJsonFixture<FeatureCollection & { indexCase: IndexCase }>(
      path.join(FIXTURES_FOLDER, "input.geojson"),
    );
    const stays = deepFreeze(input.features.map(stayOfFeature));
    const before = structuredClone(stays);

    const result = findContacts(input.indexCase, stays);
    const { actual, expected } = await goldenPair(
      path.join(FIXTURES_FOLDER, "expected.geojson"),
      contactsToGeoJson(result, stays),
    );
    expect(actual).toEqual(expected);
    expect(stays).toEqual(before);
  });
});

/**
 * Converts a contact search result to GeoJSON: one feature per person,
 * whose lines join the centres of each pair of stays, case stay first. The
 * properties hold the person's fields and `list`, the result list it is in.
 */
function contactsToGeoJson(
  result: ContactsResult,
  stays: readonly Stay[],
): FeatureCollection<MultiLineString> & {
  infectiousPeriod: InfectiousPeriod;
  belowMinimumCount: number;
} {
  const centres = new Map(
    stays.map((stay): [string, Position] => [
      stay.id,
      [stay.longitude, stay.latitude],
    ]),
  );
  const featureOf = (list: string, contact: Contact | DayLevelContact) => {
    const pairs =
      "dayLevelPairs" in contact
        ? [...contact.pairs, ...contact.dayLevelPairs]
        : contact.pairs;
    const lines = pairs.map((pair) => [
      centres.get(pair.caseStayId)!,
      centres.get(pair.contactStayId)!,
    ]);
    return {
      type: "Feature" as const,
      geometry: { type: "MultiLineString" as const, coordinates: lines },
      properties: { list, ...contact },
    };
  };
  return {
    type: "FeatureCollection",
    infectiousPeriod: result.infectiousPeriod,
    belowMinimumCount: result.belowMinimumCount,
    features: [
      ...result.contacts.map((contact) => featureOf("contacts", contact)),
      ...result.possibleContacts.map((contact) =>
        featureOf("possibleContacts", contact),
      ),
      ...result.dayLevelContacts.map((contact) =>
        featureOf("dayLevelContacts", contact),
      ),
    ],
  };
}

/** Generates the case's stays and those of `personCount` others near them. */
function generateStays(seed: number, personCount: number): Stay[] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T =>
    values[Math.floor(random() * values.length)]!;
  const radii = [0, 0, 3, 8, 20, 45, 120, 400];
  const stays: Stay[] = [];

  const makeStay = (personId: string, index: number): Stay => {
    const id = `${personId}-${index}`;
    const east = Math.round((random() - 0.5) * 80);
    const north = Math.round((random() - 0.5) * 80);
    const radiusMeters = pick(radii);
    if (random() < 0.1) {
      const day = 5 + Math.floor(random() * 8);
      const visitDate = `2020-03-${String(day).padStart(2, "0")}`;
      return dateOnlyStay({
        id,
        personId,
        visitDate,
        eastMeters: east,
        northMeters: north,
        radiusMeters,
      });
    }
    const startMinute = Math.floor((random() * 8 - 3) * 1440);
    const lastFixMinute =
      startMinute + Math.floor(random() * 240) * pick([0, 1, 1, 1]);
    const finishMinute = lastFixMinute + pick([0, 0, 5, 30, 90]);
    return stay({
      id,
      personId,
      source: pick(["gps", "base_station", "card", "checkin"]),
      startMinute,
      lastFixMinute,
      finishMinute,
      eastMeters: east,
      northMeters: north,
      radiusMeters,
    });
  };

  for (let i = 0; i < 40; i++) {
    stays.push(makeStay("case", i));
  }
  for (let p = 0; p < personCount; p++) {
    const count = 5 + Math.floor(random() * 30);
    for (let i = 0; i < count; i++) {
      stays.push(makeStay(`p${p}`, i));
    }
  }
  return stays;
}

interface BruteForcePerson {
  certainMinutes: number;
  possibleMinutes: number;
  score: number;
  possibleScore: number;
  hasDayLevel: boolean;
}

/**
 * Recomputes contacts minute by minute over every pair of stays. Generated
 * stays start and end on whole minutes, so minute steps are exact.
 */
function bruteForceContacts(
  indexCase: IndexCase,
  stays: readonly Stay[],
  options: ContactOptions,
): Map<string, BruteForcePerson> {
  const period = resolveInfectiousPeriod(indexCase, 2, undefined);
  const distance = options.contactDistanceMeters ?? 2;
  const caseStays = stays.filter((s) => s.personId === indexCase.personId);
  const others = stays.filter((s) => s.personId !== indexCase.personId);
  const byPerson = new Map<string, BruteForcePerson>();
  const referenceStart = seoulDayStart(period.referenceDate);

  const personIds = [...new Set(others.map((s) => s.personId))];
  for (const personId of personIds) {
    const mine = others.filter((s) => s.personId === personId);
    const pairs: {
      startsAt: number;
      certainEnd: number;
      possibleEnd: number;
      weight: number;
    }[] = [];
    let hasDayLevel = false;
    for (const a of caseStays) {
      for (const b of mine) {
        const near =
          haversineMeters(a, b) <= a.radiusMeters + b.radiusMeters + distance;
        if (!near) {
          continue;
        }
        if (isDateOnlyStay(a) || isDateOnlyStay(b)) {
          hasDayLevel ||= sharesDay(a, b, period);
          continue;
        }
        pairs.push({
          startsAt: Math.max(a.startedAt, b.startedAt),
          certainEnd: Math.min(a.lastFixAt, b.lastFixAt),
          possibleEnd: Math.min(a.finishedAt, b.finishedAt),
          weight: proximityWeightOf(
            DEFAULT_CONTACT_OPTIONS.proximityBuckets,
            Math.max(a.radiusMeters, b.radiusMeters),
          ),
        });
      }
    }

    const person: BruteForcePerson = {
      certainMinutes: 0,
      possibleMinutes: 0,
      score: 0,
      possibleScore: 0,
      hasDayLevel,
    };
    let anyOverlap = false;
    for (let t = period.startsAt; t < period.endsAt; t += MINUTE_MS) {
      let certain = -1;
      let possible = -1;
      for (const pair of pairs) {
        if (pair.startsAt <= t && t + MINUTE_MS <= pair.possibleEnd) {
          possible = Math.max(possible, pair.weight);
          if (t + MINUTE_MS <= pair.certainEnd) {
            certain = Math.max(certain, pair.weight);
          }
        }
      }
      const day = Math.floor((t - referenceStart) / DAY_MS);
      const infectiousness = infectiousnessWeightOf(
        DEFAULT_CONTACT_OPTIONS.infectiousnessBuckets,
        day,
      );
      if (possible >= 0) {
        anyOverlap = true;
        person.possibleMinutes += 1;
        person.possibleScore += possible * infectiousness;
      }
      if (certain >= 0) {
        person.certainMinutes += 1;
        person.score += certain * infectiousness;
      }
    }
    person.possibleMinutes -= person.certainMinutes;
    person.possibleScore -= person.score;
    if (anyOverlap || hasDayLevel) {
      byPerson.set(personId, person);
    }
  }
  return byPerson;
}

function sharesDay(
  a: Stay,
  b: Stay,
  period: { startsAt: number; endsAt: number },
): boolean {
  const intervalOf = (s: Stay): [number, number] =>
    isDateOnlyStay(s)
      ? [seoulDayStart(s.visitDate), seoulDayEnd(s.visitDate)]
      : [s.startedAt, s.finishedAt];
  const [aStart, aEnd] = intervalOf(a);
  const [bStart, bEnd] = intervalOf(b);
  const dateOnly = isDateOnlyStay(a) ? a : (b as Stay & { visitDate: string });
  const [dayStart, dayEnd] = [
    seoulDayStart(dateOnly.visitDate!),
    seoulDayEnd(dateOnly.visitDate!),
  ];
  const startsAt = Math.max(aStart, bStart, dayStart, period.startsAt);
  const endsAt = Math.min(aEnd, bEnd, dayEnd, period.endsAt);
  return startsAt < endsAt;
}

interface Summary {
  contacts: Record<string, [number, number]>;
  possible: Record<string, [number, number]>;
  dayLevel: string[];
  belowMinimum: number;
}

function summarise(result: ContactsResult): Summary {
  const minutes = (c: {
    personId: string;
    certainMinutes: number;
    possibleMinutes: number;
  }): [string, [number, number]] => [
    c.personId,
    [c.certainMinutes, c.possibleMinutes],
  ];
  return {
    contacts: Object.fromEntries(result.contacts.map(minutes)),
    possible: Object.fromEntries(result.possibleContacts.map(minutes)),
    dayLevel: result.dayLevelContacts.map((c) => c.personId).sort(),
    belowMinimum: result.belowMinimumCount,
  };
}

function roundSummary(people: Map<string, BruteForcePerson>): Summary {
  const summary: Summary = {
    contacts: {},
    possible: {},
    dayLevel: [],
    belowMinimum: 0,
  };
  const minimum = DEFAULT_CONTACT_OPTIONS.minimumMinutes;
  for (const [personId, person] of people) {
    const minutes: [number, number] = [
      person.certainMinutes,
      person.possibleMinutes,
    ];
    if (person.certainMinutes >= minimum) {
      summary.contacts[personId] = minutes;
    } else if (person.certainMinutes + person.possibleMinutes >= minimum) {
      summary.possible[personId] = minutes;
    } else if (person.hasDayLevel) {
      summary.dayLevel.push(personId);
    } else {
      summary.belowMinimum++;
    }
  }
  summary.dayLevel.sort();
  return summary;
}
