import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";

import { readGeolifeFixes } from "../../ingest/geolife/index.js";
import { haversineMeters, type GeoPosition } from "../geo/index.js";
import { generateStaypoints, type Staypoint } from "./index.js";

// trackintel's test of generate_trips reproduces geolife_long/trips.csv from
// these settings. Its create_activity_flag marks a stay as an activity when
// finished_at - started_at > 15 minutes (strictly greater).
const TRACKINTEL_OPTIONS = {
  distThresholdMeters: 25,
  timeThresholdMinutes: 5,
  gapThresholdMinutes: 1e6,
};
const ACTIVITY_MINUTES = 15;
const MAX_CENTRE_OFFSET_METERS = 1;

const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../..",
);
const GEOLIFE_LONG = path.resolve(
  REPO_ROOT,
  "../shared/data/mobility/trackintel/geolife_long",
);

interface Trip {
  readonly id: string;
  readonly userId: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly originStaypointId: string;
  readonly destinationStaypointId: string;
  readonly origin: GeoPosition;
  readonly destination: GeoPosition;
}

interface TrackintelStaypoint {
  readonly userId: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly isActivity: boolean;
}

/** Stays per user, keyed by trackintel's numeric user id (folder "000" is 0). */
let staysByUser = new Map<number, Staypoint[]>();
let trips: Trip[] = [];

beforeAll(async () => {
  staysByUser = await detectGeolifeLongStays();
  trips = await readTrips();
});

function isActivity(stay: Staypoint): boolean {
  return stay.finishedAt - stay.startedAt > ACTIVITY_MINUTES * 60_000;
}

function activitiesOf(userId: number): Staypoint[] {
  return (staysByUser.get(userId) ?? []).filter(isActivity);
}

function centreOf(stay: Staypoint): GeoPosition {
  return { latitude: stay.latitude, longitude: stay.longitude };
}

describe("stays on trackintel's geolife_long sample", () => {
  it("finds the stays of both users", () => {
    expect([...staysByUser.keys()]).toEqual([0, 1]);
    expect(staysByUser.get(0)).toHaveLength(10);
    expect(staysByUser.get(1)).toHaveLength(12);
  });

  it("finds the activities of both users", () => {
    expect(activitiesOf(0)).toHaveLength(4);
    expect(activitiesOf(1)).toHaveLength(8);
  });

  it("matches the times in sp_tpls.csv", async () => {
    const expected = await readTrackintelStaypoints();
    const actual = [...staysByUser].flatMap(([userId, stays]) =>
      stays.map((stay) => ({
        userId,
        startedAt: stay.startedAt,
        finishedAt: stay.finishedAt,
        isActivity: isActivity(stay),
      })),
    );

    expect(expected).toHaveLength(22);
    expect(actual).toEqual(expected);
  });
});

describe("activities against trackintel's trips.csv", () => {
  const completeTrips = () =>
    trips.filter(
      (trip) =>
        trip.originStaypointId !== "" && trip.destinationStaypointId !== "",
    );

  it("sets aside trips without both ends", () => {
    expect(trips).toHaveLength(14);
    expect(completeTrips()).toHaveLength(10);
  });

  it("starts each trip when its origin stay ends", () => {
    for (const trip of completeTrips()) {
      const origins = activitiesOf(trip.userId).filter(
        (stay) => stay.finishedAt === trip.startedAt,
      );
      expect(origins, `origin of trip ${trip.id}`).toHaveLength(1);
    }
  });

  it("places each origin within 1 m", () => {
    for (const trip of completeTrips()) {
      const origin = findOrigin(trip);
      const offset = haversineMeters(centreOf(origin), trip.origin);
      expect(offset, `origin of trip ${trip.id}`).toBeLessThan(
        MAX_CENTRE_OFFSET_METERS,
      );
    }
  });

  it("places each destination within 1 m", () => {
    for (const trip of completeTrips()) {
      const destination = findDestination(trip);
      const offset = haversineMeters(centreOf(destination), trip.destination);
      expect(destination.startedAt).toBeGreaterThanOrEqual(trip.finishedAt);
      expect(offset, `destination of trip ${trip.id}`).toBeLessThan(
        MAX_CENTRE_OFFSET_METERS,
      );
    }
  });

  it("uses every activity and nothing else", () => {
    const staysById = new Map<string, Staypoint>();
    for (const trip of completeTrips()) {
      const ends: [string, Staypoint][] = [
        [trip.originStaypointId, findOrigin(trip)],
        [trip.destinationStaypointId, findDestination(trip)],
      ];
      for (const [id, stay] of ends) {
        expect(staysById.get(id) ?? stay, `staypoint ${id}`).toBe(stay);
        staysById.set(id, stay);
      }
    }

    const activities = [...staysByUser.keys()].flatMap(activitiesOf);
    expect(staysById.size).toBe(12);
    expect(new Set(staysById.values())).toEqual(new Set(activities));
  });
});

function findOrigin(trip: Trip): Staypoint {
  const origin = activitiesOf(trip.userId).find(
    (stay) => stay.finishedAt === trip.startedAt,
  );
  if (origin === undefined) {
    throw new Error(`No activity ends when trip ${trip.id} starts`);
  }
  return origin;
}

/** Returns the activity after the trip's origin, where the trip must end. */
function findDestination(trip: Trip): Staypoint {
  const activities = activitiesOf(trip.userId);
  const destination = activities[activities.indexOf(findOrigin(trip)) + 1];
  if (destination === undefined) {
    throw new Error(`No activity follows the origin of trip ${trip.id}`);
  }
  return destination;
}

async function detectGeolifeLongStays(): Promise<Map<number, Staypoint[]>> {
  const stays = new Map<number, Staypoint[]>();
  for (const user of await readGeolifeFixes(GEOLIFE_LONG)) {
    const fixes = user.fixes.map(
      ({ trackedAt, latitude, longitude, altitudeFeet }) => ({
        trackedAt,
        latitude,
        longitude,
        altitudeFeet,
      }),
    );
    stays.set(
      Number(user.userId),
      generateStaypoints(fixes, TRACKINTEL_OPTIONS),
    );
  }
  return stays;
}

async function readCsv(name: string): Promise<Record<string, string>[]> {
  const text = await readFile(path.join(GEOLIFE_LONG, name), "utf8");
  return parse(text, { columns: true }) as Record<string, string>[];
}

/** Parses pandas' `2008-10-23 04:08:07+00:00` form. */
function parseTime(text: string | undefined): number {
  const epochMilliseconds = Date.parse(String(text).replace(" ", "T"));
  if (Number.isNaN(epochMilliseconds)) {
    throw new Error(`Invalid time "${text}"`);
  }
  return epochMilliseconds;
}

async function readTrips(): Promise<Trip[]> {
  const rows = await readCsv("trips.csv");
  return rows.map((row) => {
    const [origin, destination] = parseMultipoint(row.geom);
    return {
      id: String(row.id),
      userId: Number(row.user_id),
      startedAt: parseTime(row.started_at),
      finishedAt: parseTime(row.finished_at),
      originStaypointId: row.origin_staypoint_id ?? "",
      destinationStaypointId: row.destination_staypoint_id ?? "",
      origin,
      destination,
    };
  });
}

/** Parses a WKT `MULTIPOINT (lon lat, lon lat)` of exactly two points. */
function parseMultipoint(wkt: string | undefined): [GeoPosition, GeoPosition] {
  const match =
    /^MULTIPOINT \(([-\d.]+) ([-\d.]+), ([-\d.]+) ([-\d.]+)\)$/.exec(
      String(wkt),
    );
  if (match === null) {
    throw new Error(`Invalid two-point MULTIPOINT "${wkt}"`);
  }
  const [lon1, lat1, lon2, lat2] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return [
    { latitude: lat1, longitude: lon1 },
    { latitude: lat2, longitude: lon2 },
  ];
}

async function readTrackintelStaypoints(): Promise<TrackintelStaypoint[]> {
  const rows = await readCsv("sp_tpls.csv");
  return rows
    .filter((row) => row.type === "staypoint")
    .map((row) => ({
      userId: Number(row.user_id),
      startedAt: parseTime(row.started_at),
      finishedAt: parseTime(row.finished_at),
      isActivity: row.is_activity === "True",
    }));
}
