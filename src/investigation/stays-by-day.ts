import type { TimeInterval } from "../analysis/contacts/index.js";
import { isDateOnlyStay, type Stay } from "../analysis/stays/index.js";
import { seoulDateOf, seoulDayStart } from "../domain/index.js";

const DAY_MS = 86_400_000;

/**
 * Stays filed under every Seoul day they touch, so that a search for one
 * case's infectious period reads only the stays of those days instead of
 * every stay of the store.
 */
export class StaysByDay {
  readonly #byDay = new Map<string, Stay[]>();
  readonly #byPerson = new Map<string, Stay[]>();

  constructor(stays: readonly Stay[]) {
    for (const stay of stays) {
      for (const day of daysOf(stay)) {
        pushTo(this.#byDay, day, stay);
      }
      pushTo(this.#byPerson, stay.personId, stay);
    }
  }

  /** Returns the stays of one person, in the order given. */
  ofPerson(personId: string): readonly Stay[] {
    return this.#byPerson.get(personId) ?? [];
  }

  /** Returns each stay that touches a Seoul day of the interval once, in no fixed order. */
  during(interval: TimeInterval): Stay[] {
    const found = new Set<Stay>();
    for (const day of daysBetween(interval.startsAt, interval.endsAt)) {
      for (const stay of this.#byDay.get(day) ?? []) {
        found.add(stay);
      }
    }
    return [...found];
  }
}

/** Lists the Seoul days of a stay: its visit date, or each day from its start to its possible end. */
function daysOf(stay: Stay): string[] {
  if (isDateOnlyStay(stay)) {
    return [stay.visitDate];
  }
  return daysBetween(stay.startedAt, stay.finishedAt + 1);
}

/** Lists the Seoul days that the interval from `startsAt` to just before `endsAt` touches. */
function daysBetween(startsAt: number, endsAt: number): string[] {
  const days: string[] = [];
  const last = seoulDateOf(Math.max(startsAt, endsAt - 1));
  for (
    let day = seoulDateOf(startsAt);
    day <= last;
    day = seoulDateOf(seoulDayStart(day) + DAY_MS)
  ) {
    days.push(day);
  }
  return days;
}

function pushTo(map: Map<string, Stay[]>, key: string, stay: Stay): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [stay]);
  } else {
    list.push(stay);
  }
}
