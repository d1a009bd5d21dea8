import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  GI_STAR_CSV_HEADER,
  HotspotsInputError,
  SCAN_CSV_HEADER,
  registerHotspotsCommand,
} from "./hotspots.js";

const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../..",
);
const SATSCAN_DATA = path.resolve(
  REPO_ROOT,
  "../shared/data/hotspot/satscan_rsatscan",
);

/** Runs `epitrace hotspots ARGS` in-process and returns what it printed. */
async function runHotspots(args: readonly string[]): Promise<string> {
  const program = new Command("epitrace");
  registerHotspotsCommand(program);
  let stdout = "";
  const writers = {
    writeOut: (text: string) => {
      stdout += text;
    },
    writeErr: () => {},
  };
  const commands = [program];
  for (let k = 0; k < commands.length; k++) {
    commands[k]!.exitOverride().configureOutput(writers);
    commands.push(...commands[k]!.commands);
  }
  await program.parseAsync(["hotspots", ...args], { from: "user" });
  return stdout;
}

let temporaryFolder = "";

beforeAll(async () => {
  temporaryFolder = await mkdtemp(path.join(os.tmpdir(), "epitrace-hotspots-"));
});

afterAll(async () => {
  await rm(temporaryFolder, { recursive: true, force: true });
});

async function writeTemporary(name: string, text: string): Promise<string> {
  const file = path.join(temporaryFolder, name);
  await writeFile(file, text);
  return file;
}

const ESDA_CSV = [
  "id,x,y,value",
  "a0,10,10,2",
  "a1,20,10,3",
  "a2,40,10,3.2",
  "a3,15,20,5",
  "a4,30,20,8",
  "a5,30,30,7",
].join("\n");

describe("epitrace hotspots gi-star", () => {
  it("prints z-scores as CSV", async () => {
    const file = await writeTemporary("esda.csv", ESDA_CSV);
    const stdout = await runHotspots([
      "gi-star",
      file,
      "--band",
      "15",
      "--planar",
    ]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(GI_STAR_CSV_HEADER);
    expect(lines).toHaveLength(7);
    const [id, z, p] = lines[1]!.split(",");
    expect(id).toBe("a0");
    expect(Number(z)).toBeCloseTo(-1.39727626, 8);
    expect(Number(p)).toBeGreaterThan(0);
  });

  it("prints JSON", async () => {
    const file = await writeTemporary("esda-json.csv", ESDA_CSV);
    const stdout = await runHotspots([
      "gi-star",
      file,
      "--band",
      "15",
      "--planar",
      "--json",
    ]);
    const results = JSON.parse(stdout) as { id: string; zScore: number }[];
    expect(results.map((r) => r.id)).toEqual([
      "a0",
      "a1",
      "a2",
      "a3",
      "a4",
      "a5",
    ]);
  });

  it("uses haversine metres by default", async () => {
    const file = await writeTemporary(
      "seoul.csv",
      [
        "id,x,y,value",
        "a,126.978,37.5665,1",
        "b,126.979,37.5665,2",
        "c,127.0,37.5665,3",
      ].join("\n"),
    );
    const stdout = await runHotspots([
      "gi-star",
      file,
      "--band",
      "100",
      "--json",
    ]);
    const results = JSON.parse(stdout) as { neighborCount: number }[];
    // 0.001 degrees of longitude at 37.57 degrees north is about 88 m.
    expect(results.map((r) => r.neighborCount)).toEqual([2, 2, 1]);
  });

  it("rejects a row with a bad value", async () => {
    const file = await writeTemporary("bad.csv", "id,x,y,value\na,1,2,many\n");
    await expect(
      runHotspots(["gi-star", file, "--band", "1", "--planar"]),
    ).rejects.toThrow(HotspotsInputError);
    await expect(
      runHotspots(["gi-star", file, "--band", "1", "--planar"]),
    ).rejects.toThrow(/Invalid value "many" in row 1/);
  });

  it("rejects a missing band", async () => {
    const file = await writeTemporary("esda-band.csv", ESDA_CSV);
    await expect(runHotspots(["gi-star", file])).rejects.toThrow(/--band/);
  });
});

describe("epitrace hotspots scan", () => {
  const nycArgs = [
    "scan",
    "--cases",
    path.join(SATSCAN_DATA, "NYCfevercas.csv"),
    "--coordinates",
    path.join(SATSCAN_DATA, "NYCfevergeo.csv"),
    "--model",
    "space-time-permutation",
    "--prospective",
    "--start",
    "2001/11/1",
    "--end",
    "2001/11/24",
    "--max-radius-km",
    "3",
    "--max-days",
    "7",
    "--replications",
    "99",
    "--seed",
    "1",
  ];

  it("prints NYC fever clusters as CSV", async () => {
    const stdout = await runHotspots(nycArgs);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(SCAN_CSV_HEADER);
    const fields = lines[1]!.split(",");
    expect(fields[0]).toBe("1");
    expect(fields[1]).toBe("11418");
    expect(fields[4]).toBe("2001-11-22");
    expect(fields[5]).toBe("2001-11-24");
    expect(fields[6]).toBe("4");
    expect(Number(fields[9])).toBeCloseTo(3.8454, 4);
  });

  it("prints JSON with dates", async () => {
    const stdout = await runHotspots([...nycArgs, "--json"]);
    const result = JSON.parse(stdout) as {
      analysis: string;
      totalCases: number;
      clusters: { endTime: string }[];
    };
    expect(result.analysis).toBe("prospective");
    expect(result.totalCases).toBe(194);
    expect(result.clusters.every((c) => c.endTime === "2001-11-24")).toBe(true);
  });

  it("runs the Poisson model by year", async () => {
    const coordinates = await writeTemporary(
      "geo.csv",
      ["id,y,x", "a,0,0", "b,0,1", "c,5,5", "d,9,9"].join("\n"),
    );
    const cases = await writeTemporary(
      "cases.csv",
      [
        "location,cases,year",
        "a,9,2001",
        "b,8,2001",
        "a,1,2000",
        "c,1,2000",
        "d,2,2001",
        "c,1,2002",
      ].join("\n"),
    );
    const population = await writeTemporary(
      "population.csv",
      [
        "location,year,population",
        "a,2000,1000",
        "b,2000,1000",
        "c,2000,1000",
        "d,2000,1000",
      ].join("\n"),
    );
    const stdout = await runHotspots([
      "scan",
      "--cases",
      cases,
      "--coordinates",
      coordinates,
      "--population",
      population,
      "--model",
      "poisson",
      "--start",
      "2000",
      "--end",
      "2002",
      "--time-unit",
      "year",
      "--planar",
      "--max-radius",
      "2",
      "--max-years",
      "1",
      "--replications",
      "19",
      "--json",
    ]);
    const result = JSON.parse(stdout) as {
      clusters: {
        locationIds: string[];
        startTime: string;
        observed: number;
      }[];
    };
    const top = result.clusters[0]!;
    expect([...top.locationIds].sort()).toEqual(["a", "b"]);
    expect(top.startTime).toBe("2001");
    expect(top.observed).toBe(17);
  });

  const newMexicoArgs = [
    "scan",
    "--cases",
    path.join(SATSCAN_DATA, "NMcas.csv"),
    "--coordinates",
    path.join(SATSCAN_DATA, "NMgeo.csv"),
    "--population",
    path.join(SATSCAN_DATA, "NMpop.csv"),
    "--model",
    "poisson",
    "--time-unit",
    "year",
    "--start",
    "1973",
    "--end",
    "1991",
    "--planar",
    "--max-population-share",
    "0.25",
    "--max-years",
    "9",
  ];

  it("reads NMpop.csv with --century 1900", async () => {
    const stdout = await runHotspots([...newMexicoArgs, "--century", "1900"]);
    const lines = stdout.trimEnd().split("\n");
    const fields = lines[1]!.split(",");
    expect(fields[1]).toBe("LosAlamos");
    expect(fields[2]).toBe("LosAlamos SantaFe");
    expect(fields[4]).toBe("1986");
    expect(fields[5]).toBe("1989");
    expect(fields[6]).toBe("43");
    expect(Number(fields[7])).toBeCloseTo(21.64, 2);
    expect(Number(fields[9])).toBeCloseTo(8.363, 3);
    // 999 replications with the default seed 1.
    expect(Number(fields[10])).toBeGreaterThan(0.05);
    expect(Number(fields[10])).toBeLessThan(0.15);
  });

  it("rejects two-digit years without --century", async () => {
    const run = runHotspots(newMexicoArgs);
    await expect(run).rejects.toThrow(HotspotsInputError);
    await expect(run).rejects.toThrow(
      `${path.join(SATSCAN_DATA, "NMpop.csv")}, row 1, field year: Invalid year "73"`,
    );
    await expect(run).rejects.toThrow(/--century 1900/);
  });

  it("rejects a century that is no multiple of 100", async () => {
    await expect(
      runHotspots([...newMexicoArgs, "--century", "1950"]),
    ).rejects.toThrow(/multiple of 100/);
  });

  it("rejects --century without a population file", async () => {
    await expect(
      runHotspots([...nycArgs, "--century", "1900"]),
    ).rejects.toThrow(/--century applies to the years of a --population file/);
  });

  it("rejects both analysis flags", async () => {
    await expect(runHotspots([...nycArgs, "--retrospective"])).rejects.toThrow(
      /cannot be used with/,
    );
  });

  it("rejects a planar radius without --planar", async () => {
    const args = [
      ...nycArgs.filter((a) => a !== "--max-radius-km" && a !== "3"),
      "--max-radius",
      "3",
    ];
    await expect(runHotspots(args)).rejects.toThrow(
      /--max-radius is in coordinate units/,
    );
  });
});
