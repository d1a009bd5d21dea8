import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Command, CommanderError } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createOrganisation } from "../../accounts/organisations.js";
import { openStore } from "../../store/index.js";
import { registerImportCommand } from "./import.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
const SHARED_DATA = path.resolve(REPO_ROOT, "../shared/data");
const DS4C_0601 = path.join(SHARED_DATA, "korea-covid/ds4c-20200601");
const GEOLIFE_LONG = path.join(SHARED_DATA, "mobility/trackintel/geolife_long");
const PROVINCES_2018 = path.join(
  SHARED_DATA,
  "korea-boundaries/kostat-2018/skorea-provinces-2018-topo-simple.json",
);
const MUNICIPALITIES_2018 = path.join(
  SHARED_DATA,
  "korea-boundaries/kostat-2018/skorea-municipalities-2018-topo-simple.json",
);

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-cli-import-"));
  vi.stubEnv("EPITRACE_DATA_DIR", dataDir);
});

afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `epitrace import ...` and returns what it wrote, or the error it exited with. */
async function runCli(args: readonly string[]) {
  const output = { out: "", err: "" };
  const program = new Command("epitrace").exitOverride().configureOutput({
    writeOut: (text) => (output.out += text),
    writeErr: (text) => (output.err += text),
  });
  registerImportCommand(program);

  let error: CommanderError | undefined;
  try {
    await program.parseAsync(["import", ...args], { from: "user" });
  } catch (caught) {
    if (!(caught instanceof CommanderError)) {
      throw caught;
    }
    error = caught;
  }
  return { ...output, error };
}

async function countRows(table: "persons" | "cases" | "administrative_areas") {
  const store = await openStore({ dataDir });
  try {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as("count"))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  } finally {
    await store.close();
  }
}

describe("epitrace import", () => {
  it("imports a DS4C release and prints the report", async () => {
    const result = await runCli(["ds4c", DS4C_0601]);

    expect(result.error).toBeUndefined();
    expect(result.out).toContain(`Import ds4c: ${DS4C_0601}`);
    expect(result.out).toContain("visitsCreated: 7,330");
    expect(result.out).toContain("exact_duplicate: 645");
    expect(await countRows("persons")).toBe(4004);

    const again = await runCli(["ds4c", DS4C_0601]);
    expect(again.out).toContain(
      "skipped: the same content was imported before",
    );
  });

  it("imports several boundary files at once", async () => {
    const result = await runCli([
      "boundaries",
      PROVINCES_2018,
      MUNICIPALITIES_2018,
    ]);

    expect(result.error).toBeUndefined();
    expect(result.out).toContain("provinces: 17");
    expect(result.out).toContain("municipalities: 250");
    expect(await countRows("administrative_areas")).toBe(267);
  });

  it("registers GeoLife cases at a named organisation", async () => {
    const store = await openStore({ dataDir });
    await createOrganisation(store.db, {
      name: "Demo health office",
      kind: "health_office",
    });
    await store.close();

    const result = await runCli([
      "geolife",
      GEOLIFE_LONG,
      "--register-cases-at",
      "Demo health office",
    ]);
    expect(result.error).toBeUndefined();
    expect(result.out).toContain("fixesCreated: 4,241");
    expect(await countRows("cases")).toBe(2);
  });

  it("fails on an unknown organisation", async () => {
    const result = await runCli([
      "geolife",
      GEOLIFE_LONG,
      "--register-cases-at",
      "Nowhere",
    ]);

    expect(result.error?.exitCode).toBe(1);
    expect(result.err).toContain(
      'epitrace import geolife failed: Organisation "Nowhere" not found.',
    );
    expect(await countRows("persons")).toBe(0);
  });

  it("fails on invalid rows and prints them", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-cli-bad-"));
    fs.writeFileSync(
      path.join(dir, "PatientInfo.csv"),
      "patient_id,sex,birth_year,country,province,city,infection_case,infected_by,contact_number,symptom_onset_date,confirmed_date,released_date,deceased_date,state\n" +
        "1000000001,male,1964,Korea,Seoul,Gangseo-gu,,,,,2020-01-23,,,isolated\n",
    );
    fs.writeFileSync(
      path.join(dir, "PatientRoute.csv"),
      "patient_id,date,province,city,type,latitude,longitude\n" +
        "1000000001,2020-01-22,Seoul,Jung-gu,etc,37.5,200\n",
    );

    const result = await runCli(["ds4c", dir]);
    fs.rmSync(dir, { recursive: true, force: true });

    expect(result.error?.exitCode).toBe(1);
    expect(result.err).toContain("epitrace import ds4c failed:");
    expect(result.err).toContain(
      'PatientRoute.csv row 1, field longitude: value "200" breaks rule longitude_range.',
    );
    expect(result.err).toContain("rerun with --skip-invalid");
    expect(result.err).not.toContain("import id");
    expect(await countRows("persons")).toBe(0);
  });

  it("fails on a missing folder", async () => {
    const result = await runCli(["ds4c", path.join(dataDir, "missing")]);

    expect(result.error?.exitCode).toBe(1);
    expect(result.err).toMatch(/Cannot read .*PatientInfo\.csv/);
  });
});
