import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  GeolifeFormatError,
  GeolifePathError,
  parsePlt,
  readGeolifeFixes,
  resolvePltFiles,
} from "./index.js";

const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../..",
);
const TRACKINTEL_DATA = path.resolve(
  REPO_ROOT,
  "../shared/data/mobility/trackintel",
);
const GEOLIFE = path.join(TRACKINTEL_DATA, "geolife");
const GEOLIFE_LONG = path.join(TRACKINTEL_DATA, "geolife_long");
const GEOLIFE_FILE = path.join(
  GEOLIFE,
  "000",
  "Trajectory",
  "20081024020959.plt",
);

const HEADER = [
  "Geolife trajectory",
  "WGS 84",
  "Altitude is in Feet",
  "Reserved 3",
  "0,2,255,My Track,0,0,2,8421376",
  "0",
].join("\n");

function pltText(...fixLines: string[]): string {
  return `${HEADER}\n${fixLines.join("\n")}\n`;
}

describe("parsePlt", () => {
  it("reads a fix line", () => {
    const text = pltText(
      "40.008304,116.319876,0,492,39745.0902662037,2008-10-24,02:09:59",
    );
    expect(parsePlt(text, "a.plt")).toEqual([
      {
        trackedAt: Date.UTC(2008, 9, 24, 2, 9, 59),
        latitude: 40.008304,
        longitude: 116.319876,
        altitudeFeet: 492,
        lineNumber: 7,
      },
    ]);
  });

  it("reads CRLF line endings", () => {
    const text = pltText(
      "40.0,116.3,0,-777,39745.09,2008-10-24,02:09:59",
      "40.1,116.4,0,12.5,39745.10,2008-10-24,02:10:04",
    ).replaceAll("\n", "\r\n");
    const fixes = parsePlt(text, "crlf.plt");

    expect(fixes).toHaveLength(2);
    expect(fixes[1]!.altitudeFeet).toBe(12.5);
    expect(fixes[1]!.lineNumber).toBe(8);
  });

  it("returns no fixes for a header-only file", () => {
    expect(parsePlt(HEADER, "empty.plt")).toEqual([]);
  });

  it("rejects a file shorter than the header", () => {
    expect(() => parsePlt("Geolife trajectory\nWGS 84\n", "short.plt")).toThrow(
      /short\.plt: it has 2 lines/,
    );
  });

  const badLines = [
    {
      case: "latitude out of range",
      line: "95.0,116.3,0,492,39745.09,2008-10-24,02:09:59",
      field: "latitude",
      value: "95.0",
    },
    {
      case: "text as longitude",
      line: "40.0,east,0,492,39745.09,2008-10-24,02:09:59",
      field: "longitude",
      value: "east",
    },
    {
      case: "empty altitude",
      line: "40.0,116.3,0,,39745.09,2008-10-24,02:09:59",
      field: "altitude_ft",
      value: "",
    },
    {
      case: "impossible date",
      line: "40.0,116.3,0,492,39745.09,2008-02-30,02:09:59",
      field: "date",
      value: "2008-02-30",
    },
    {
      case: "time past midnight",
      line: "40.0,116.3,0,492,39745.09,2008-10-24,24:00:01",
      field: "time",
      value: "24:00:01",
    },
    {
      case: "missing fields",
      line: "40.0,116.3,0,492",
      field: "line",
      value: "40.0,116.3,0,492",
    },
  ];

  for (const bad of badLines) {
    it(`rejects ${bad.case}`, () => {
      const text = pltText(
        "40.0,116.3,0,492,39745.09,2008-10-24,02:09:59",
        bad.line,
      );
      let caught: unknown;
      try {
        parsePlt(text, "bad.plt");
      } catch (error) {
        caught = error;
      }

      expect(caught).toBeInstanceOf(GeolifeFormatError);
      const error = caught as GeolifeFormatError;
      expect(error.file).toBe("bad.plt");
      expect(error.line).toBe(8);
      expect(error.field).toBe(bad.field);
      expect(error.value).toBe(bad.value);
      expect(error.message).toContain(`bad.plt line 8`);
      expect(error.message).toContain(`"${bad.value}"`);
      expect(error.message).toContain("Correct or delete this line");
    });
  }
});

describe("readGeolifeFixes", () => {
  it("reads the one-user sample", async () => {
    const users = await readGeolifeFixes(GEOLIFE);

    expect(users.map((user) => user.userId)).toEqual(["000"]);
    expect(users[0]!.fixes).toHaveLength(244);
  });

  it("reads UTC times and coordinates", async () => {
    const [user] = await readGeolifeFixes(GEOLIFE);
    const first = user!.fixes[0]!;
    const last = user!.fixes.at(-1)!;

    expect(first).toEqual({
      trackedAt: Date.UTC(2008, 9, 24, 2, 9, 59),
      latitude: 40.008304,
      longitude: 116.319876,
      altitudeFeet: 492,
      lineNumber: 7,
    });
    expect(new Date(last.trackedAt).toISOString()).toBe(
      "2008-10-24T02:47:06.000Z",
    );
    expect(last.lineNumber).toBe(250);
  });

  it("reads both users of the long sample", async () => {
    const users = await readGeolifeFixes(GEOLIFE_LONG);
    const counts = users.map((user) => user.fixes.length);

    expect(users.map((user) => user.userId)).toEqual(["000", "001"]);
    expect(counts).toEqual([1152, 3089]);
    expect(counts[0]! + counts[1]!).toBe(4241);
  });

  it("keeps each user's files in name order", async () => {
    const users = await readGeolifeFixes(GEOLIFE_LONG);
    for (const user of users) {
      const times = user.fixes.map((fix) => fix.trackedAt);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });
});

describe("resolvePltFiles", () => {
  let temporaryFolder = "";

  beforeAll(async () => {
    temporaryFolder = await mkdtemp(path.join(os.tmpdir(), "epitrace-plt-"));
  });

  afterAll(async () => {
    await rm(temporaryFolder, { recursive: true, force: true });
  });

  it("takes the user id from a single file's folder", async () => {
    expect(await resolvePltFiles(GEOLIFE_FILE)).toEqual([
      { userId: "000", file: GEOLIFE_FILE },
    ]);
  });

  it("takes the user id from a user folder", async () => {
    const entries = await resolvePltFiles(path.join(GEOLIFE_LONG, "001"));
    expect(entries.map((entry) => entry.userId)).toEqual(["001", "001"]);
    expect(entries.map((entry) => path.basename(entry.file))).toEqual([
      "20081023055305.plt",
      "20081023234104.plt",
    ]);
  });

  it("lists a folder of users in sorted order", async () => {
    const entries = await resolvePltFiles(GEOLIFE_LONG);
    const listed = entries.map(
      (entry) => `${entry.userId}/${path.basename(entry.file)}`,
    );
    expect(listed).toEqual([
      "000/20081023025304.plt",
      "000/20081024020959.plt",
      "001/20081023055305.plt",
      "001/20081023234104.plt",
    ]);
  });

  it("uses the file name outside a Trajectory folder", async () => {
    const file = path.join(temporaryFolder, "walk.plt");
    await writeFile(file, HEADER);
    expect(await resolvePltFiles(file)).toEqual([{ userId: "walk", file }]);
  });

  it("rejects a folder without PLT files", async () => {
    const folder = path.join(temporaryFolder, "no-plt");
    await mkdir(path.join(folder, "007", "Trajectory"), { recursive: true });

    await expect(resolvePltFiles(folder)).rejects.toThrow(GeolifePathError);
    await expect(resolvePltFiles(folder)).rejects.toThrow(
      /No GeoLife \.plt files found in .*no-plt/,
    );
  });

  it("rejects a missing path", async () => {
    const missing = path.join(temporaryFolder, "missing");
    await expect(resolvePltFiles(missing)).rejects.toThrow(
      /GeoLife path not found: .*missing/,
    );
  });

  it("rejects a file that is not a PLT file", async () => {
    const file = path.join(temporaryFolder, "notes.txt");
    await writeFile(file, "hello");
    await expect(resolvePltFiles(file)).rejects.toThrow(/Not a GeoLife \.plt/);
  });

  it("reports a bad line with its file", async () => {
    const folder = path.join(temporaryFolder, "bad", "042", "Trajectory");
    const file = path.join(folder, "20240101000000.plt");
    await mkdir(folder, { recursive: true });
    await writeFile(
      file,
      pltText(
        "40.0,116.3,0,492,39745.09,2008-10-24,02:09:59",
        "40.0,116.3,0,492,39745.09,2008-10-24,2:10",
      ),
    );

    await expect(
      readGeolifeFixes(path.join(temporaryFolder, "bad")),
    ).rejects.toThrow(`Invalid time "2:10" in ${file} line 8`);
  });
});
