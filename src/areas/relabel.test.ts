import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { findProvince } from "../domain/index.js";
import { importBoundaries } from "../ingest/boundaries/index.js";
import { importDs4c } from "../ingest/ds4c/index.js";
import { silentProgress } from "../ingest/progress.js";
import { importProviderFiles } from "../ingest/provider/index.js";
import { openFieldKeys } from "../privacy/index.js";
import { openStore, type Store } from "../store/index.js";
import {
  describeAreaCodes,
  findAreaNames,
  loadAreaLabeller,
  relabelStoredLocations,
  type AreaCodes,
} from "./index.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const DS4C_0601 = path.resolve(
  REPO_ROOT,
  "../shared/data/korea-covid/ds4c-20200601",
);
const KOSTAT_2018 = path.resolve(
  REPO_ROOT,
  "../shared/data/korea-boundaries/kostat-2018",
);
const [PROVINCES, MUNICIPALITIES, SUBMUNICIPALITIES] = [
  "provinces",
  "municipalities",
  "submunicipalities",
].map((level) =>
  path.join(KOSTAT_2018, `skorea-${level}-2018-topo-simple.json`),
) as [string, string, string];

/** A point near Gwanghwamun, Seoul. */
const JONGNO_POINT = { latitude: 37.5729, longitude: 126.9794 };

const cleanups: (() => Promise<void>)[] = [];

async function openTempStore(): Promise<Store> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-label-"));
  const store = await openStore({ dataDir });
  cleanups.push(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return store;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) {
    await cleanup();
  }
});

/** Counts the visits with a code at each level. */
async function countLabelledVisits(store: Store) {
  const row = await store.db
    .selectFrom("location_records")
    .select((eb) => [
      eb.fn.countAll().as("visits"),
      eb.fn.count("province_code").as("province"),
      eb.fn.count("municipality_code").as("municipality"),
      eb.fn.count("submunicipality_code").as("submunicipality"),
    ])
    .executeTakeFirstOrThrow();
  return {
    visits: Number(row.visits),
    province: Number(row.province),
    municipality: Number(row.municipality),
    submunicipality: Number(row.submunicipality),
  };
}

// With the simplified 2018 boundaries, one Busan visit on the Yeongdo coast
// falls outside every province, and one Busan visit (on two days) outside
// every eup/myeon/dong.
const EXPECTED_2018_SIMPLE_LABELS = {
  visits: 7330,
  province: 7329,
  municipality: 7330,
  submunicipality: 7328,
};

describe("area labels of DS4C visits", () => {
  it("are set again after a boundaries import", async () => {
    const store = await openTempStore();
    await importDs4c(store, DS4C_0601);
    expect(await countLabelledVisits(store)).toEqual({
      visits: 7330,
      province: 0,
      municipality: 0,
      submunicipality: 0,
    });

    const report = await importBoundaries(store, [
      PROVINCES,
      MUNICIPALITIES,
      SUBMUNICIPALITIES,
    ]);
    expect(report.records.locationRecordsRelabelled).toBe(7330);
    expect(await countLabelledVisits(store)).toEqual(
      EXPECTED_2018_SIMPLE_LABELS,
    );
  });

  it("are set by a DS4C import after the boundaries", async () => {
    const store = await openTempStore();
    await importBoundaries(store, [
      PROVINCES,
      MUNICIPALITIES,
      SUBMUNICIPALITIES,
    ]);
    await importDs4c(store, DS4C_0601);

    expect(await countLabelledVisits(store)).toEqual(
      EXPECTED_2018_SIMPLE_LABELS,
    );
  });

  it("agree with the province each row names", async () => {
    const store = await openTempStore();
    await importBoundaries(store, [PROVINCES]);
    await importDs4c(store, DS4C_0601);

    const visits = await store.db
      .selectFrom("location_records")
      .select(["province", "province_code"])
      .execute();
    const mismatched = visits.filter(
      (row) =>
        row.province_code !== null &&
        findProvince(row.province ?? "")?.code !== row.province_code,
    );
    expect(mismatched).toEqual([]);

    const seoul = visits.filter((row) => row.province === "Seoul");
    expect(seoul).toHaveLength(3320);
    expect(seoul.every((row) => row.province_code === "11")).toBe(true);
  });

  it("set only the levels that are stored", async () => {
    const store = await openTempStore();
    await importDs4c(store, DS4C_0601);
    await importBoundaries(store, [PROVINCES]);

    expect(await countLabelledVisits(store)).toEqual({
      visits: 7330,
      province: 7329,
      municipality: 0,
      submunicipality: 0,
    });
  });
});

describe("labels of a known point", () => {
  it("name the dong of Gwanghwamun", async () => {
    const store = await openTempStore();
    await importBoundaries(store, [
      PROVINCES,
      MUNICIPALITIES,
      SUBMUNICIPALITIES,
    ]);
    const labeller = await loadAreaLabeller(store.db);

    const codes = labeller.label(JONGNO_POINT.latitude, JONGNO_POINT.longitude);
    expect(codes).toEqual({
      provinceCode: "11",
      municipalityCode: "11010",
      submunicipalityCode: "1101061",
    });
    expect(await describeAreaCodes(store.db, codes)).toBe(
      "서울특별시 종로구 종로1·2·3·4가동",
    );
  });

  it("give only the province with provinces alone", async () => {
    const store = await openTempStore();
    await importBoundaries(store, [PROVINCES]);
    const labeller = await loadAreaLabeller(store.db);

    const codes: AreaCodes = labeller.label(
      JONGNO_POINT.latitude,
      JONGNO_POINT.longitude,
    );
    expect(codes).toEqual({
      provinceCode: "11",
      municipalityCode: null,
      submunicipalityCode: null,
    });
    expect(await describeAreaCodes(store.db, codes)).toBe("서울특별시");
  });
});

describe("relabelling stays", () => {
  it("labels a stored stay", async () => {
    const store = await openTempStore();
    await store.db
      .insertInto("persons")
      .values({
        id: "person-1",
        label: "GeoLife test",
        source: "geolife",
        source_ref: "test",
        created_at: 0,
      })
      .execute();
    await store.db
      .insertInto("stays")
      .values({
        person_id: "person-1",
        source_kind: "gps",
        method: "{}",
        started_at: 0,
        finished_at: 600_000,
        last_fix_at: 600_000,
        latitude: JONGNO_POINT.latitude,
        longitude: JONGNO_POINT.longitude,
        radius_meters: 20,
        fix_count: 10,
        created_at: 0,
      })
      .execute();

    const report = await importBoundaries(store, [PROVINCES, MUNICIPALITIES]);
    expect(report.records.staysRelabelled).toBe(1);
    const stay = await store.db
      .selectFrom("stays")
      .select(["province_code", "municipality_code", "submunicipality_code"])
      .executeTakeFirstOrThrow();
    expect(stay).toEqual({
      province_code: "11",
      municipality_code: "11010",
      submunicipality_code: null,
    });
  });
});

describe("relabelling series sites", () => {
  it("labels the site of base-station records", async () => {
    const store = await openTempStore();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-label-"));
    const keys = openFieldKeys(folder, {});
    cleanups.push(async () => {
      keys.close();
      fs.rmSync(folder, { recursive: true, force: true });
    });
    const file = path.join(folder, "cells.csv");
    fs.writeFileSync(
      file,
      "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n" +
        `010-7000-0001,2024-03-05T09:00:00+09:00,C1,micro,${JONGNO_POINT.latitude},${JONGNO_POINT.longitude},300,SKT\n` +
        `010-7000-0001,2024-03-05T09:30:00+09:00,C1,micro,${JONGNO_POINT.latitude},${JONGNO_POINT.longitude},300,SKT\n`,
    );
    await importProviderFiles(store, [file], {
      kind: "base-station",
      keys,
    });
    await importBoundaries(store, [PROVINCES, MUNICIPALITIES]);

    const labeller = await loadAreaLabeller(store.db);
    await store.db
      .updateTable("record_sites")
      .set({ province_code: null, municipality_code: null })
      .execute();
    const counts = await relabelStoredLocations(
      store.db,
      labeller,
      silentProgress,
    );
    const records = await store.db
      .selectFrom("location_records_all")
      .select(["province_code", "municipality_code", "submunicipality_code"])
      .execute();

    expect(counts).toEqual({ locationRecords: 0, stays: 0, recordSites: 1 });
    expect(records).toEqual([
      {
        province_code: "11",
        municipality_code: "11010",
        submunicipality_code: null,
      },
      {
        province_code: "11",
        municipality_code: "11010",
        submunicipality_code: null,
      },
    ]);
  });
});

describe("findAreaNames", () => {
  it("returns names of stored codes only", async () => {
    const store = await openTempStore();
    await importBoundaries(store, [PROVINCES, MUNICIPALITIES]);

    const names = await findAreaNames(store.db, ["11", "31014", "11", "99"]);
    expect([...names.entries()].sort()).toEqual([
      ["11", "서울특별시"],
      ["31014", "수원시영통구"],
    ]);
  });
});
