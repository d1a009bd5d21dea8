import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { MultiPolygon } from "geojson";
import { afterEach, describe, expect, it } from "vitest";

import { openStore, type Store } from "../../store/index.js";
import { ImportValidationError } from "../report.js";
import { importBoundaries } from "./index.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
const BOUNDARIES = path.resolve(REPO_ROOT, "../shared/data/korea-boundaries");
const KOSTAT_2018_SIMPLE = [
  "provinces",
  "municipalities",
  "submunicipalities",
].map((level) =>
  path.join(BOUNDARIES, "kostat-2018", `skorea-${level}-2018-topo-simple.json`),
);
const MUNICIPALITIES_2013 = path.join(
  BOUNDARIES,
  "kostat-2013",
  "skorea_municipalities_geo_simple.json",
);
const PROVINCES_2013 = path.join(
  BOUNDARIES,
  "kostat-2013",
  "skorea_provinces_geo_simple.json",
);

const cleanups: (() => Promise<void>)[] = [];

async function openTempStore(): Promise<Store> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-areas-"));
  const store = await openStore({ dataDir });
  cleanups.push(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return store;
}

function writeTempFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-boundaries-"));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) {
    await cleanup();
  }
});

async function countAreas(store: Store, level?: string): Promise<number> {
  let query = store.db
    .selectFrom("administrative_areas")
    .select((eb) => eb.fn.countAll().as("count"));
  if (level !== undefined) {
    query = query.where("level", "=", level as "province");
  }
  return Number((await query.executeTakeFirstOrThrow()).count);
}

describe("importBoundaries", () => {
  it("imports the three 2018 TopoJSON levels", async () => {
    const store = await openTempStore();
    const report = await importBoundaries(store, KOSTAT_2018_SIMPLE);

    expect(report.rowsRead).toBe(3771);
    expect(report.rowsImported).toBe(3771);
    expect(report.records).toMatchObject({
      provinces: 17,
      municipalities: 250,
      submunicipalities: 3504,
      areasCreated: 3771,
      areasReplaced: 0,
    });
    expect(await countAreas(store, "province")).toBe(17);
    expect(await countAreas(store, "municipality")).toBe(250);
    expect(await countAreas(store, "submunicipality")).toBe(3504);
  });

  it("stores code, parent, names, year and bbox", async () => {
    const store = await openTempStore();
    await importBoundaries(store, KOSTAT_2018_SIMPLE);

    const jongno = await store.db
      .selectFrom("administrative_areas")
      .selectAll()
      .where("code", "=", "11010")
      .executeTakeFirstOrThrow();
    expect(jongno).toMatchObject({
      level: "municipality",
      name: "종로구",
      name_eng: "Jongno-gu",
      parent_code: "11",
      base_year: "2018",
    });
    expect(jongno.min_longitude).toBeLessThan(126.9794);
    expect(jongno.max_longitude).toBeGreaterThan(126.9794);
    expect(jongno.min_latitude).toBeLessThan(37.5729);
    expect(jongno.max_latitude).toBeGreaterThan(37.5729);
    const geometry = JSON.parse(jongno.geometry) as MultiPolygon;
    expect(geometry.type).toBe("MultiPolygon");
    expect(Object.keys(geometry).sort()).toEqual(["coordinates", "type"]);

    const sajik = await store.db
      .selectFrom("administrative_areas")
      .select(["level", "parent_code", "name"])
      .where("code", "=", "1101053")
      .executeTakeFirstOrThrow();
    expect(sajik).toEqual({
      level: "submunicipality",
      parent_code: "11010",
      name: "사직동",
    });
  });

  it("keeps the English names as given", async () => {
    const store = await openTempStore();
    await importBoundaries(store, [KOSTAT_2018_SIMPLE[1]!]);

    const cheorwon = await store.db
      .selectFrom("administrative_areas")
      .select(["name", "name_eng", "parent_code"])
      .where("code", "=", "32360")
      .executeTakeFirstOrThrow();
    expect(cheorwon).toEqual({
      name: "철원군",
      name_eng: "Gongju-si",
      parent_code: "32",
    });
  });

  it("skips the same files imported again", async () => {
    const store = await openTempStore();
    const first = await importBoundaries(store, KOSTAT_2018_SIMPLE);
    const second = await importBoundaries(store, KOSTAT_2018_SIMPLE);

    expect(second.skippedAsAlreadyImported).toBe(true);
    expect(second.importId).toBe(first.importId);
    expect(await countAreas(store)).toBe(3771);
  });

  it("replaces areas of the same level by code", async () => {
    const store = await openTempStore();
    await importBoundaries(store, [KOSTAT_2018_SIMPLE[1]!]);
    const report = await importBoundaries(store, [MUNICIPALITIES_2013]);

    expect(report.rowsRead).toBe(251);
    expect(report.records.areasReplaced).toBe(245);
    // 2013 codes gone by 2018: Cheongju's old gu, Cheongwon-gun, Bucheon's gu.
    expect(report.records.areasCreated).toBe(6);
    // 2018 codes absent in 2013: the new Cheongju gu and the merged Bucheon.
    expect(report.flagged).toEqual([
      expect.objectContaining({ flag: "kept_areas_not_in_files", records: 5 }),
    ]);
    expect(await countAreas(store, "municipality")).toBe(256);

    const jongno = await store.db
      .selectFrom("administrative_areas")
      .select(["base_year", "name"])
      .where("code", "=", "11010")
      .executeTakeFirstOrThrow();
    expect(jongno).toEqual({ base_year: "2013", name: "종로구" });
  });

  it("imports GeoJSON", async () => {
    const store = await openTempStore();
    const report = await importBoundaries(store, [PROVINCES_2013]);

    expect(report.records.provinces).toBe(17);
    const jeju = await store.db
      .selectFrom("administrative_areas")
      .select(["name", "base_year", "level", "parent_code"])
      .where("code", "=", "39")
      .executeTakeFirstOrThrow();
    expect(jeju).toEqual({
      name: "제주특별자치도",
      base_year: "2013",
      level: "province",
      parent_code: null,
    });
  });
});

describe("importBoundaries with invalid features", () => {
  const square = {
    type: "Polygon",
    coordinates: [
      [
        [127, 37],
        [127.1, 37],
        [127.1, 37.1],
        [127, 37.1],
        [127, 37],
      ],
    ],
  };

  function feature(properties: Record<string, unknown>, geometry: unknown) {
    return { type: "Feature", properties, geometry };
  }

  it("rejects the file and stores nothing", async () => {
    const store = await openTempStore();
    const file = writeTempFile(
      "bad.geojson",
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          feature({ code: "11", name: "서울특별시" }, square),
          feature({ code: "123", name: "잘못" }, square),
          feature({ code: "11010", name: "종로구" }, null),
          feature({ code: "11020" }, square),
          feature({ code: "11", name: "서울특별시" }, square),
        ],
      }),
    );

    const failure = await importBoundaries(store, [file]).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ImportValidationError);
    const report = (failure as ImportValidationError).report;
    const examples = report.rejected.flatMap((summary) => summary.examples);
    expect(
      examples.map((e) => [e.file, e.row, e.field, e.value, e.rule]),
    ).toEqual([
      ["bad.geojson", 2, "properties.code", "123", "area_code"],
      ["bad.geojson", 3, "geometry", "null", "area_geometry"],
      ["bad.geojson", 4, "properties.name", "", "area_name"],
      ["bad.geojson", 5, "properties.code", "11", "duplicate_area_code"],
    ]);
    expect(report.rowsRejected).toBe(4);
    expect(await countAreas(store)).toBe(0);

    const imports = await store.db.selectFrom("imports").selectAll().execute();
    expect(imports).toHaveLength(0);
  });

  it("rejects coordinates outside WGS 84", async () => {
    const store = await openTempStore();
    const projected = {
      type: "Polygon",
      coordinates: [
        [
          [953_000, 1_952_000],
          [954_000, 1_952_000],
          [954_000, 1_953_000],
          [953_000, 1_952_000],
        ],
      ],
    };
    const file = writeTempFile(
      "projected.json",
      JSON.stringify({
        type: "FeatureCollection",
        features: [feature({ code: "11", name: "서울특별시" }, projected)],
      }),
    );

    await expect(importBoundaries(store, [file])).rejects.toThrow(
      /projected\.json row 1, field geometry.*area_geometry.*WGS 84/,
    );
  });

  it("names a file that is not JSON", async () => {
    const store = await openTempStore();
    const file = writeTempFile("areas.json", "code,name\n11,서울특별시\n");

    await expect(importBoundaries(store, [file])).rejects.toThrow(
      /areas\.json is not valid JSON/,
    );
  });
});
