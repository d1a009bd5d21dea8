import { bench, describe } from "vitest";

import { seoulDayStart } from "../../domain/seoul-time.js";
import { seededRandom } from "../stays/testing.js";
import { buildRoute, type RouteInput } from "./build-route.js";
import { at } from "./testing.js";

const DAYS = 14;
const MINUTE_MS = 60_000;
const FIRST_DAY = seoulDayStart("2024-03-01");

/** Places of the generated person's days, in metres east and north of the origin. */
const HOME = [0, 0] as const;
const OFFICE = [5000, 0] as const;
const LUNCH = [5500, 400] as const;

/**
 * Generates two weeks of one person. Each day has a GPS fix every 30 s
 * while the phone is on (7:00 to 23:00) and a base-station record every
 * 5 minutes around the clock, alternating at random between two cells per
 * place. It also has three card payments and one check-in.
 */
function generatePerson(): RouteInput {
  const random = seededRandom(7);
  const gpsFixes: NonNullable<RouteInput["gpsFixes"]>[number][] = [];
  const cellRecords: NonNullable<RouteInput["cellRecords"]>[number][] = [];
  const cardTransactions: NonNullable<
    RouteInput["cardTransactions"]
  >[number][] = [];
  const checkIns: NonNullable<RouteInput["checkIns"]>[number][] = [];

  const placeAt = (minuteOfDay: number): readonly [number, number] => {
    if (minuteOfDay < 8 * 60 || minuteOfDay >= 19 * 60) {
      return HOME;
    }
    if (minuteOfDay >= 12 * 60 && minuteOfDay < 13 * 60) {
      return LUNCH;
    }
    return OFFICE;
  };

  for (let day = 0; day < DAYS; day++) {
    const dayStart = FIRST_DAY + day * 24 * 60 * MINUTE_MS;
    for (let second = 7 * 3600; second < 23 * 3600; second += 30) {
      const [east, north] = placeAt(second / 60);
      gpsFixes.push({
        trackedAt: dayStart + second * 1000,
        ...at(east + (random() - 0.5) * 30, north + (random() - 0.5) * 30),
        accuracyMeters: 10,
      });
    }
    for (let minute = 0; minute < 24 * 60; minute += 5) {
      const [east, north] = placeAt(minute);
      const cell = random() < 0.5 ? 0 : 250;
      cellRecords.push({
        observedAt: dayStart + minute * MINUTE_MS,
        cellId: `${east + cell},${north}`,
        ...at(east + cell, north),
        radiusMeters: 500,
      });
    }
    for (const [minute, place, name] of [
      [8 * 60 + 50, OFFICE, "카페"],
      [12 * 60 + 40, LUNCH, "식당"],
      [19 * 60 + 30, HOME, "편의점"],
    ] as const) {
      cardTransactions.push({
        paidAt: dayStart + minute * MINUTE_MS,
        merchantName: name,
        businessCategory: name,
        ...at(place[0], place[1]),
      });
    }
    checkIns.push({
      checkedInAt: dayStart + 12 * 60 * MINUTE_MS,
      venueName: "식당",
      ...at(LUNCH[0], LUNCH[1]),
    });
  }
  return { personId: "P1", gpsFixes, cellRecords, cardTransactions, checkIns };
}

describe("buildRoute", () => {
  const person = generatePerson();
  bench(
    `two weeks of one person (${person.gpsFixes?.length} fixes, ${person.cellRecords?.length} cell records)`,
    () => {
      buildRoute(person);
    },
    { iterations: 5, time: 0 },
  );
});
