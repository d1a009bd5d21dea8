import { bench, describe } from "vitest";

import { seoulDayStart } from "../../domain/seoul-time.js";
import { seededRandom, timedStay } from "../stays/testing.js";
import type { Stay } from "../stays/index.js";
import { findContacts, type IndexCase } from "./index.js";

const PERSON_COUNT = 100_000;
const DAYS = 14;
const STAYS_PER_DAY = 4;
const CASE_STAYS_PER_DAY = 6;

const INDEX_CASE: IndexCase = {
  personId: "case",
  symptomOnsetDate: "2020-03-12",
  isolationDate: "2020-03-21",
};

/**
 * Generates 100,000 persons with 4 stays a day for 14 days (5.6 million
 * stays) in a 20 km square around Seoul City Hall, and a case with 6 stays
 * a day at the same kind of places.
 */
function generateCity(): Stay[] {
  const random = seededRandom(42);
  const base = seoulDayStart("2020-03-08");
  const stays: Stay[] = [];
  const addDay = (personId: string, day: number, count: number): void => {
    for (let i = 0; i < count; i++) {
      const startMinute = day * 1440 + Math.floor(random() * 1380);
      const lastFixMinute = startMinute + 10 + Math.floor(random() * 120);
      stays.push(
        timedStay(base, {
          id: `${personId}-${day}-${i}`,
          personId,
          startMinute,
          lastFixMinute,
          finishMinute: lastFixMinute + 5,
          eastMeters: (random() - 0.5) * 20_000,
          northMeters: (random() - 0.5) * 20_000,
          radiusMeters: random() < 0.5 ? 5 : 150,
        }),
      );
    }
  };
  for (let day = 0; day < DAYS; day++) {
    addDay("case", day, CASE_STAYS_PER_DAY);
    for (let p = 0; p < PERSON_COUNT; p++) {
      addDay(`p${p}`, day, STAYS_PER_DAY);
    }
  }
  return stays;
}

describe("findContacts", () => {
  const stays = generateCity();
  bench(
    "100,000 persons x 14 days, 4 stays a day",
    () => {
      findContacts(INDEX_CASE, stays);
    },
    { iterations: 5, warmupIterations: 1 },
  );
});
