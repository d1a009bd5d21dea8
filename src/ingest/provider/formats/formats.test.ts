import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RejectedRow } from "../../report.js";
import { FIXTURES, readable, TemporaryFolder } from "../test-support.js";
import {
  validateProviderFiles,
  type ProviderReadOptions,
} from "../validate.js";

const folder = new TemporaryFolder();

beforeAll(() => folder.create());
afterAll(() => folder.remove());

/** Validates a file written from `content` as gps data. */
async function validateWritten(name: string, content: string) {
  const rejected: RejectedRow[] = [];
  const result = await validateProviderFiles(
    [await folder.write(name, content)],
    { kind: "gps", onRejected: (row) => rejected.push(row) },
  );
  return { result, rejected, records: result.records.map(readable) };
}

async function validateFixture(
  name: string,
  options: Partial<ProviderReadOptions> = {},
) {
  const rejected: RejectedRow[] = [];
  const result = await validateProviderFiles([path.join(FIXTURES, name)], {
    kind: "gps",
    ...options,
    onRejected: (row) => rejected.push(row),
  });
  return { result, rejected, records: result.records.map(readable) };
}

/** Returns the instants, position and flags of each record. */
function tracks(records: readonly Record<string, unknown>[]) {
  return records.map(({ startedAt, endedAt, latitude, longitude, flags }) => ({
    startedAt,
    endedAt,
    latitude,
    longitude,
    flags,
  }));
}

describe("GeoJSON", () => {
  it("reads points and timed lines", async () => {
    const { records, result } = await validateFixture("track.geojson");
    expect(result.files[0]?.format).toBe("geojson");
    expect(tracks(records)).toEqual([
      {
        startedAt: "2024-03-05T05:30:00.000Z",
        endedAt: "2024-03-05T05:30:00.000Z",
        latitude: 37.5665,
        longitude: 126.978,
        flags: [],
      },
      {
        startedAt: "2024-03-05T05:31:00.000Z",
        endedAt: "2024-03-05T05:31:00.000Z",
        latitude: 37.567,
        longitude: 126.9784,
        flags: [],
      },
      {
        startedAt: "2024-03-05T05:32:00.000Z",
        endedAt: "2024-03-05T05:32:00.000Z",
        latitude: 37.5682,
        longitude: 126.9801,
        flags: [],
      },
    ]);
    expect(records[0]).toMatchObject({
      radiusMeters: 12,
      altitudeMeters: 38,
      rows: [1],
    });
    expect(records[2]?.rows).toEqual([2]);
  });

  it("rejects swapped and unsupported features", async () => {
    const { rejected, result } = await validateFixture("track.geojson");
    expect(
      rejected.map((row) => [row.row, row.field, row.value, row.rule]),
    ).toEqual([
      [3, "coordinates[1]", "126.978", "coordinates_swapped"],
      [4, "geometry", "Polygon", "geometry_type"],
    ]);
    expect(result.rowsRead).toBe(4);
  });
});

describe("rows of several points", () => {
  it("rejects a whole LineString with one bad point", async () => {
    const { rejected, records } = await validateWritten(
      "line.geojson",
      JSON.stringify({
        type: "Feature",
        geometry: {
          type: "LineString",
          coordinates: [
            [127.0, 37.5],
            [127.001, 37.501],
            [200, 37.5],
          ],
        },
        properties: {
          coordTimes: [
            "2024-03-05T05:00:00Z",
            "2024-03-05T05:01:00Z",
            "2024-03-05T05:02:00Z",
          ],
          subject: "A",
        },
      }),
    );
    expect(rejected).toEqual([
      {
        file: "line.geojson",
        row: 1,
        field: "coordinates[2][0]",
        value: "200",
        rule: "longitude_range",
        hint: "Give a longitude in decimal degrees from -180 to 180.",
      },
    ]);
    expect(records).toEqual([]);
  });

  it("rejects a whole Takeout segment with one bad end", async () => {
    const { rejected, records, result } = await validateWritten(
      "segment.json",
      JSON.stringify({
        timelineObjects: [
          {
            activitySegment: {
              startLocation: { latitudeE7: 375665000, longitudeE7: 1269780000 },
              endLocation: { latitudeE7: 1269780000, longitudeE7: 375665000 },
              duration: {
                startTimestamp: "2024-03-05T06:00:00Z",
                endTimestamp: "2024-03-05T06:30:00Z",
              },
            },
          },
          {
            placeVisit: {
              location: { latitudeE7: "NaN", longitudeE7: 1269780000 },
              duration: {
                startTimestamp: "2024-03-05T07:00:00Z",
                endTimestamp: "2024-03-05T08:00:00Z",
              },
            },
          },
          {
            placeVisit: {
              location: { latitudeE7: 375665000, longitudeE7: 1269780000 },
              duration: {
                startTimestampMs: "1709614800000",
                endTimestampMs: "1709618400000",
              },
            },
          },
        ],
      }),
    );
    const e7Form =
      "E7 values are degrees × 10^7 as whole numbers, such as latitudeE7 375665000 and longitudeE7 1269780000 for Seoul City Hall.";
    expect(rejected).toEqual([
      {
        file: "segment.json",
        row: 1,
        field: "endLocation.latitudeE7",
        value: "1269780000",
        rule: "coordinates_swapped",
        hint: `endLocation.latitudeE7 1269780000 is 126.978°, outside -90 to 90, but endLocation.longitudeE7 375665000 would be a valid latitude: the values look swapped. Swap them in the file. ${e7Form}`,
      },
      {
        file: "segment.json",
        row: 2,
        field: "location.latitudeE7",
        value: "NaN",
        rule: "number_format",
        hint: `location.latitudeE7 is "NaN", not a whole number. ${e7Form}`,
      },
    ]);
    expect(tracks(records)).toEqual([
      {
        startedAt: "2024-03-05T05:00:00.000Z",
        endedAt: "2024-03-05T06:00:00.000Z",
        latitude: 37.5665,
        longitude: 126.978,
        flags: [],
      },
    ]);
    expect(result.rowsRead).toBe(3);
    expect(result.rowsRejected).toBe(2);
  });
});

describe("GPX", () => {
  it("reads waypoints and track points", async () => {
    const { records, rejected } = await validateFixture("track.gpx");
    expect(tracks(records)).toEqual([
      {
        startedAt: "2024-03-05T05:30:00.000Z",
        endedAt: "2024-03-05T05:30:00.000Z",
        latitude: 37.5665,
        longitude: 126.978,
        flags: [],
      },
      {
        startedAt: "2024-03-05T05:31:00.000Z",
        endedAt: "2024-03-05T05:31:00.000Z",
        latitude: 37.567,
        longitude: 126.9784,
        flags: [],
      },
      {
        startedAt: "2024-03-05T05:32:00.000Z",
        endedAt: "2024-03-05T05:32:00.000Z",
        latitude: 37.5682,
        longitude: 126.9801,
        flags: [],
      },
    ]);
    expect(records.map((record) => record.altitudeMeters)).toEqual([
      38,
      39.5,
      null,
    ]);
    expect(rejected).toEqual([
      {
        file: "track.gpx",
        row: 4,
        field: "lat",
        value: "95.0",
        rule: "latitude_range",
        hint: "Give a latitude in decimal degrees from -90 to 90.",
      },
    ]);
  });

  it("rejects malformed XML", async () => {
    const file = await folder.write("broken.gpx", "<gpx><trk></gpx>");
    const result = await validateProviderFiles([file], { kind: "gps" });
    expect(result.fileErrors.map((error) => error.rule)).toEqual([
      "xml_syntax",
    ]);
  });
});

describe("KML", () => {
  it("reads a visit, a track and a stamped point", async () => {
    const { records, rejected } = await validateFixture("track.kml");
    expect(rejected).toEqual([]);
    expect(tracks(records)).toEqual([
      {
        startedAt: "2024-03-05T00:10:00.000Z",
        endedAt: "2024-03-05T01:40:00.000Z",
        latitude: 37.5665,
        longitude: 126.978,
        flags: [],
      },
      {
        startedAt: "2024-03-05T01:45:00.000Z",
        endedAt: "2024-03-05T01:45:00.000Z",
        latitude: 37.567,
        longitude: 126.9784,
        flags: [],
      },
      {
        startedAt: "2024-03-05T01:46:00.000Z",
        endedAt: "2024-03-05T01:46:00.000Z",
        latitude: 37.5682,
        longitude: 126.9801,
        flags: [],
      },
      {
        startedAt: "2024-03-05T02:00:00.000Z",
        endedAt: "2024-03-05T02:00:00.000Z",
        latitude: 37.57,
        longitude: 126.99,
        flags: [],
      },
    ]);
    expect(records[0]).toMatchObject({
      placeName: "서울시청",
      address: "서울특별시 중구 세종대로 110",
    });
    expect(records[1]?.altitudeMeters).toBe(40);
  });

  it("names TimeSpan begin in an end before it", async () => {
    const { rejected, records } = await validateWritten(
      "span.kml",
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>' +
        "<Placemark><name>Cafe</name><TimeSpan><begin>2024-03-05T14:30:00+09:00</begin><end>2024-03-05T14:00:00+09:00</end></TimeSpan>" +
        "<Point><coordinates>127.0,37.5,0</coordinates></Point></Placemark>" +
        "</Document></kml>",
    );
    expect(rejected).toEqual([
      {
        file: "span.kml",
        row: 1,
        field: "TimeSpan end",
        value: "2024-03-05T14:00:00+09:00",
        rule: "end_before_start",
        hint: "TimeSpan end is earlier than TimeSpan begin. Check both times.",
      },
    ]);
    expect(records).toEqual([]);
  });
});

describe("Google Takeout", () => {
  it("reads place visits and activity segments", async () => {
    const { records, result } = await validateFixture(
      "semantic-location-history.json",
    );
    expect(result.files[0]?.format).toBe("json");
    expect(
      records.map(
        ({
          rows,
          startedAt,
          endedAt,
          visitDate,
          latitude,
          longitude,
          placeName,
          flags,
        }) => ({
          rows,
          startedAt,
          endedAt,
          visitDate,
          latitude,
          longitude,
          placeName,
          flags,
        }),
      ),
    ).toEqual([
      {
        rows: [1],
        startedAt: "2024-03-05T00:10:00.000Z",
        endedAt: "2024-03-05T01:40:00.000Z",
        visitDate: null,
        latitude: 37.5665,
        longitude: 126.978,
        placeName: "서울시청",
        flags: [],
      },
      {
        rows: [2],
        startedAt: "2024-03-05T01:40:00.000Z",
        endedAt: "2024-03-05T01:40:00.000Z",
        visitDate: null,
        latitude: 37.5665,
        longitude: 126.978,
        placeName: null,
        flags: [],
      },
      {
        rows: [2],
        startedAt: "2024-03-05T02:05:30.250Z",
        endedAt: "2024-03-05T02:05:30.250Z",
        visitDate: null,
        latitude: 37.5347,
        longitude: 126.9946,
        placeName: null,
        flags: [],
      },
      {
        rows: [3],
        startedAt: null,
        endedAt: null,
        visitDate: "2024-03-06",
        latitude: 37.5347,
        longitude: 126.9946,
        placeName: "서울",
        flags: ["date_only"],
      },
    ]);
  });

  it("rejects a visit without coordinates", async () => {
    const { rejected, result } = await validateFixture(
      "semantic-location-history.json",
    );
    expect(rejected.map((row) => [row.row, row.field, row.rule])).toEqual([
      [4, "location.latitudeE7", "required"],
      [4, "location.longitudeE7", "required"],
    ]);
    expect(result.rowsRead).toBe(4);
    expect(result.rowsRejected).toBe(1);
  });

  it("reads Records.json", async () => {
    const { records, rejected } = await validateFixture("records.json");
    expect(rejected).toEqual([]);
    expect(
      records.map(({ startedAt, radiusMeters, altitudeMeters }) => [
        startedAt,
        radiusMeters,
        altitudeMeters,
      ]),
    ).toEqual([
      ["2024-03-05T05:30:00.000Z", 20, 38],
      ["2024-03-05T05:31:00.500Z", 15, null],
      ["2024-03-05T05:32:00.000Z", null, null],
    ]);
  });

  it("rejects non-GPS kinds", async () => {
    const result = await validateProviderFiles(
      [path.join(FIXTURES, "records.json")],
      { kind: "card" },
    );
    expect(
      result.fileErrors.map((error) => [error.rule, error.message]),
    ).toEqual([
      [
        "format_for_kind",
        "records.json is read as json, which contains GPS data only; card files must be CSV. Give --format csv, or check --kind.",
      ],
    ]);
  });
});
