/** Sources of provider data, as the truth file names them. */
export type ObservingSource = "base-station" | "card" | "checkin" | "gps";

/** Observations of one person in the written files: record instants and the visits that left a row. */
interface PersonObservations {
  baseStationInstants: readonly number[];
  gpsInstants: readonly number[];
  readonly cardVisits: Set<string>;
  readonly checkinVisits: Set<string>;
}

/**
 * Keeps what the files of a scenario show of each person, to tell for each
 * seeded contact which sources saw each side of the encounter.
 */
export class Observations {
  readonly #byPerson = new Map<string, PersonObservations>();

  addBaseStation(personId: string, instants: readonly number[]): void {
    this.#of(personId).baseStationInstants = instants;
  }

  addGps(personId: string, instants: readonly number[]): void {
    this.#of(personId).gpsInstants = instants;
  }

  addCardVisit(personId: string, placeId: string, visitStartsAt: number): void {
    this.#of(personId).cardVisits.add(visitKey(placeId, visitStartsAt));
  }

  addCheckinVisit(
    personId: string,
    placeId: string,
    visitStartsAt: number,
  ): void {
    this.#of(personId).checkinVisits.add(visitKey(placeId, visitStartsAt));
  }

  /**
   * Returns the sources that saw a person during `[startsAt, endsAt]` of a
   * visit: a base-station record or GPS fix inside the interval, or a card
   * transaction or check-in of the visit.
   */
  sourcesOf(
    personId: string,
    placeId: string,
    visitStartsAt: number,
    startsAt: number,
    endsAt: number,
  ): ObservingSource[] {
    const observed = this.#byPerson.get(personId);
    if (observed === undefined) {
      return [];
    }
    const sources: ObservingSource[] = [];
    if (hasInstantIn(observed.baseStationInstants, startsAt, endsAt)) {
      sources.push("base-station");
    }
    if (observed.cardVisits.has(visitKey(placeId, visitStartsAt))) {
      sources.push("card");
    }
    if (observed.checkinVisits.has(visitKey(placeId, visitStartsAt))) {
      sources.push("checkin");
    }
    if (hasInstantIn(observed.gpsInstants, startsAt, endsAt)) {
      sources.push("gps");
    }
    return sources;
  }

  #of(personId: string): PersonObservations {
    let observed = this.#byPerson.get(personId);
    if (observed === undefined) {
      observed = {
        baseStationInstants: [],
        gpsInstants: [],
        cardVisits: new Set(),
        checkinVisits: new Set(),
      };
      this.#byPerson.set(personId, observed);
    }
    return observed;
  }
}

function visitKey(placeId: string, visitStartsAt: number): string {
  return `${placeId}@${visitStartsAt}`;
}

/** Tells whether a sorted list contains an instant in `[startsAt, endsAt]`, by binary search. */
function hasInstantIn(
  instants: readonly number[],
  startsAt: number,
  endsAt: number,
): boolean {
  let low = 0;
  let high = instants.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (instants[middle]! < startsAt) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low < instants.length && instants[low]! <= endsAt;
}
