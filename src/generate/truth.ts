import { areaIdOf } from "./city.js";
import { caseAreaId } from "./hotspot-files.js";
import type { ObservingSource, Observations } from "./observations.js";
import type { Outbreak } from "./outbreak.js";
import type { Person } from "./people.js";
import type { Period } from "./routine.js";
import { formatSeoulInstant, seoulDateOfDay } from "./time.js";

/** A file that contains rows of a person, with the kind to read it as. */
export interface PersonFile {
  /** Path relative to the scenario folder. */
  readonly path: string;
  readonly kind: "base-station" | "card" | "checkin" | "gps";
  /** Rows of the person in the file (points for GPX). */
  readonly rows: number;
}

/** The truth file of a scenario: who is who, who fell ill, where and with whom. */
export interface ScenarioTruth {
  readonly format: "epitrace-scenario-truth/1";
  readonly seed: number;
  readonly start: string;
  readonly days: number;
  readonly timeZone: "Asia/Seoul";
  readonly persons: readonly TruthPerson[];
  readonly cases: readonly TruthCase[];
  readonly seededVenues: readonly TruthVenue[];
  readonly contacts: readonly TruthContact[];
  readonly files: readonly string[];
}

export interface TruthPerson {
  readonly id: string;
  readonly phone: string;
  readonly operator: string;
  readonly occupation: string;
  readonly home: TruthPlace;
  readonly work: TruthPlace | null;
  readonly cards: readonly {
    readonly company: string;
    readonly cardNumber: string;
  }[];
  readonly files: readonly PersonFile[];
  /** Base-station records of the person that are impossible jumps. */
  readonly baseStationGlitches: number;
}

export interface TruthPlace {
  readonly id: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly address: string;
}

export interface TruthCase {
  readonly personId: string;
  readonly kind: "index" | "secondary" | "sporadic";
  /** Seoul dates YYYY-MM-DD. */
  readonly onsetDate: string;
  readonly confirmedDate: string;
  readonly isolationDate: string;
  readonly infectedBy: string | null;
  readonly exposurePlaceId: string | null;
  readonly exposedAt: string | null;
  /** Venue where an index case seeded the outbreak. */
  readonly seededVenueId: string | null;
  /** Area of the hotspot files where the case is counted. */
  readonly areaId: string;
  /** Whether the onset lies in the period, so that the hotspot files count the case. */
  readonly inHotspotFiles: boolean;
}

export interface TruthVenue extends TruthPlace {
  readonly name: string;
  readonly category: string;
  readonly areaId: string;
}

export interface TruthContact {
  readonly caseId: string;
  readonly contactId: string;
  readonly placeId: string;
  readonly placeKind: "merchant" | "venue";
  /** Overlap of the two stays inside the case's infectious period, ISO 8601 in Seoul time. */
  readonly startedAt: string;
  readonly endedAt: string;
  readonly overlapMinutes: number;
  /**
   * Sources whose rows show each side at the place during the overlap: a
   * base-station record or GPS fix inside it, or a card transaction or
   * check-in of the visit. An encounter that no source shows for one side
   * cannot be found in the files.
   */
  readonly observedBy: {
    readonly case: readonly ObservingSource[];
    readonly contact: readonly ObservingSource[];
  };
}

/** Inputs of the truth file. */
export interface TruthInput {
  readonly seed: number;
  readonly start: string;
  readonly period: Period;
  readonly persons: readonly Person[];
  readonly outbreak: Outbreak;
  readonly personFiles: ReadonlyMap<string, readonly PersonFile[]>;
  readonly glitches: ReadonlyMap<string, number>;
  readonly observations: Observations;
  readonly files: ReadonlySet<string>;
}

/** Builds the truth file of a scenario. */
export function buildTruth(input: TruthInput): ScenarioTruth {
  const { period, outbreak } = input;
  const date = (day: number) => seoulDateOfDay(period.startsAt, day);
  return {
    format: "epitrace-scenario-truth/1",
    seed: input.seed,
    start: input.start,
    days: period.days,
    timeZone: "Asia/Seoul",
    persons: input.persons.map((person) => ({
      id: person.id,
      phone: person.phone,
      operator: person.operator,
      occupation: person.occupation,
      home: placeOf(person.home),
      work: person.work === null ? null : placeOf(person.work),
      cards: person.cards.map((card) => ({
        company: card.company,
        cardNumber: card.maskedNumber,
      })),
      files: input.personFiles.get(person.id) ?? [],
      baseStationGlitches: input.glitches.get(person.id) ?? 0,
    })),
    cases: outbreak.cases.map((item) => ({
      personId: item.person.id,
      kind: item.kind,
      onsetDate: date(item.onsetDay),
      confirmedDate: date(item.confirmedDay),
      isolationDate: date(item.isolationDay),
      infectedBy: item.infectedBy?.id ?? null,
      exposurePlaceId: item.exposurePlace?.id ?? null,
      exposedAt:
        item.exposedAt === null ? null : formatSeoulInstant(item.exposedAt),
      seededVenueId: item.seededVenue?.id ?? null,
      areaId: caseAreaId(item),
      inHotspotFiles: item.onsetDay >= 0 && item.onsetDay < period.days,
    })),
    seededVenues: outbreak.seededVenues.map((venue) => ({
      ...placeOf(venue),
      name: venue.name,
      category: venue.category,
      areaId: areaIdOf(venue),
    })),
    contacts: outbreak.contacts.map((contact) => ({
      caseId: contact.case.id,
      contactId: contact.contact.id,
      placeId: contact.place.id,
      placeKind: contact.place.kind === "venue" ? "venue" : "merchant",
      startedAt: formatSeoulInstant(contact.startsAt),
      endedAt: formatSeoulInstant(contact.endsAt),
      overlapMinutes: contact.overlapMinutes,
      observedBy: {
        case: input.observations.sourcesOf(
          contact.case.id,
          contact.place.id,
          contact.caseVisitStartsAt,
          contact.startsAt,
          contact.endsAt,
        ),
        contact: input.observations.sourcesOf(
          contact.contact.id,
          contact.place.id,
          contact.contactVisitStartsAt,
          contact.startsAt,
          contact.endsAt,
        ),
      },
    })),
    files: [...input.files, "truth.json"].sort(),
  };
}

function placeOf(place: {
  id: string;
  latitude: number;
  longitude: number;
  address: string;
}): TruthPlace {
  return {
    id: place.id,
    latitude: place.latitude,
    longitude: place.longitude,
    address: place.address,
  };
}
