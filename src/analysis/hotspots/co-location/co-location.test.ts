import path from "node:path";
import { fileURLToPath } from "node:url";

import type { FeatureCollection, Point } from "geojson";
import { describe, expect, it } from "vitest";

import { seoulDayStart } from "../../../domain/seoul-time.js";
import { findContacts, type IndexCase } from "../../contacts/index.js";
import type { Stay } from "../../stays/index.js";
import { deepFreeze } from "../../route/testing.js";
import {
  UPDATE_GOLDEN,
  dateOnlyStay,
  goldenPair,
  pointFeature,
  readJsonFixture,
  stayOfFeature,
  staysToFeatureCollection,
  timedStay,
  type TimedStaySpec,
  writeJsonFixture,
} from "../../stays/testing.js";
import { findCoLocationHotspots, type CoLocationHotspot } from "./index.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES_FOLDER = path.join(HERE, "fixtures");
const ONSET_START = seoulDayStart("2020-03-10");

const INDEX_CASE: IndexCase = {
  personId: "case",
  symptomOnsetDate: "2020-03-10",
  isolationDate: "2020-03-13",
};

function stay(spec: TimedStaySpec): Stay {
  return timedStay(ONSET_START, spec);
}

/** Builds stays at a cafe the case visited twice (20 m apart), an office and a market. */
function scenario(): Stay[] {
  return [
    stay({
      id: "cafe-1",
      personId: "case",
      startMinute: 600,
      lastFixMinute: 660,
    }),
    stay({
      id: "cafe-2",
      personId: "case",
      startMinute: 2040,
      lastFixMinute: 2100,
      eastMeters: 20,
    }),
    stay({
      id: "office",
      personId: "case",
      startMinute: 1440 + 540,
      lastFixMinute: 1440 + 600,
      eastMeters: 3_000,
    }),
    dateOnlyStay({
      id: "market",
      personId: "case",
      visitDate: "2020-03-12",
      eastMeters: -2_000,
    }),
    stay({ id: "a-1", personId: "a", startMinute: 600, lastFixMinute: 640 }),
    stay({
      id: "b-1",
      personId: "b",
      startMinute: 2040,
      lastFixMinute: 2080,
      eastMeters: 21,
    }),
    stay({
      id: "c-1",
      personId: "c",
      startMinute: 1440 + 540,
      lastFixMinute: 1440 + 600,
      eastMeters: 3_001,
    }),
    dateOnlyStay({
      id: "d-1",
      personId: "d",
      visitDate: "2020-03-12",
      eastMeters: -2_000,
    }),
    dateOnlyStay({
      id: "e-1",
      personId: "e",
      visitDate: "2020-03-12",
      eastMeters: -2_001,
    }),
  ];
}

function hotspotsOf(stays: readonly Stay[], options = {}): CoLocationHotspot[] {
  const contacts = findContacts(INDEX_CASE, stays);
  const caseStays = stays.filter((s) => s.personId === INDEX_CASE.personId);
  return findCoLocationHotspots(contacts, caseStays, options);
}

describe("findCoLocationHotspots", () => {
  it("merges nearby visits into one place", () => {
    const hotspots = hotspotsOf(scenario());
    expect(hotspots).toHaveLength(1);
    expect(hotspots[0]!.caseStayIds).toEqual(["cafe-1", "cafe-2"]);
    expect(hotspots[0]!.personIds).toEqual(["a", "b"]);
    expect(hotspots[0]!.radiusMeters).toBeCloseTo(10, 3);
  });

  it("keeps visits apart without merging", () => {
    expect(hotspotsOf(scenario(), { mergeDistanceMeters: 5 })).toEqual([]);
  });

  it("lowers the person minimum", () => {
    const hotspots = hotspotsOf(scenario(), {
      minimumPersons: 1,
      mergeDistanceMeters: 5,
    });
    expect(hotspots.map((h) => h.caseStayIds.join("+"))).toEqual([
      "cafe-1",
      "office",
      "cafe-2",
    ]);
  });

  it("counts day-level contacts on request", () => {
    const hotspots = hotspotsOf(scenario(), { includeDayLevelContacts: true });
    const market = hotspots.find((h) => h.caseStayIds.includes("market"))!;
    expect(market.personIds).toEqual(["d", "e"]);
    expect(market.firstOverlapAt).toBeNull();
    expect(market.dayLevelDates).toEqual(["2020-03-12"]);
  });

  it("rejects an unknown case stay", () => {
    const stays = scenario();
    const contacts = findContacts(INDEX_CASE, stays);
    expect(() => findCoLocationHotspots(contacts, [])).toThrow(
      /Unknown case stay "office": it is not among the case stays/,
    );
  });

  it("leaves the input unchanged", () => {
    const stays = scenario();
    const contacts = findContacts(INDEX_CASE, stays);
    const before = structuredClone({ stays, contacts });
    findCoLocationHotspots(
      contacts,
      stays.filter((s) => s.personId === "case"),
    );
    expect({ stays, contacts }).toEqual(before);
  });

  it("matches expected.geojson", async () => {
    const inputFile = path.join(FIXTURES_FOLDER, "input.geojson");
    if (UPDATE_GOLDEN) {
      await writeJsonFixture(inputFile, staysToFeatureCollection(scenario()));
    }
    const input = readJsonFixture<FeatureCollection>(inputFile);
    const stays = deepFreeze(input.features.map(stayOfFeature));
    expect(stays).toEqual(scenario());
    const before = structuredClone(stays);

    const hotspots = hotspotsOf(stays, {
      includeDayLevelContacts: true,
      minimumPersons: 1,
    });
    const { actual, expected } = await goldenPair(
      path.join(FIXTURES_FOLDER, "expected.geojson"),
      hotspotsToGeoJson(hotspots),
    );
    expect(actual).toEqual(expected);
    expect(stays).toEqual(before);
  });
});

/** Converts hotspots to point features at their centres, with their other fields as properties. */
function hotspotsToGeoJson(
  hotspots: readonly CoLocationHotspot[],
): FeatureCollection<Point> {
  return {
    type: "FeatureCollection",
    features: hotspots.map(({ latitude, longitude, ...properties }) =>
      pointFeature(longitude, latitude, properties),
    ),
  };
}
