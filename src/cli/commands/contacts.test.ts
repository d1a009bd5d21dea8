import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ContactsResult } from "../../analysis/contacts/index.js";
import {
  CONTACTS_CSV_HEADER,
  StaysCsvError,
  registerContactsCommand,
} from "./contacts.js";
import { EXPOSURE_CSV_HEADER, registerExposureCommand } from "./exposure.js";

interface CliOutput {
  stdout: string;
  stderr: string;
}

/** Runs `epitrace ARGS` in-process with the contacts and exposure commands. */
async function runCli(args: readonly string[]): Promise<CliOutput> {
  const program = new Command("epitrace");
  registerContactsCommand(program);
  registerExposureCommand(program);
  const output = { stdout: "", stderr: "" };
  const writers = {
    writeOut: (text: string) => {
      output.stdout += text;
    },
    writeErr: (text: string) => {
      output.stderr += text;
    },
  };
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput(writers);
  }
  await program.parseAsync([...args], { from: "user" });
  return output;
}

const HEADER =
  "id,person_id,source,started_at,last_fix_at,finished_at,visit_date,latitude,longitude,radius_meters";
const STAYS_CSV = [
  HEADER,
  "c1,case,gps,2020-05-02T01:00:00+09:00,2020-05-02T02:00:00+09:00,,,37.5665,126.978,3",
  "c2,case,disclosed_visit,,,,2020-05-03,37.57,126.98,10",
  "a1,alice,checkin,2020-05-02T01:20:00+09:00,2020-05-02T01:50:00+09:00,,,37.5665,126.97801,0",
  "b1,bob,card,2020-05-02T01:55:00+09:00,2020-05-02T01:59:00+09:00,2020-05-02T02:30:00+09:00,,37.5665,126.978,0",
  "d1,dana,disclosed_visit,,,,2020-05-03,37.57,126.98,5",
  "e1,erin,gps,2020-05-02T00:00:00+09:00,2020-05-02T04:00:00+09:00,,,37.5667,126.978,10",
].join("\n");

let temporaryFolder = "";
let staysFile = "";

beforeAll(async () => {
  temporaryFolder = await mkdtemp(path.join(os.tmpdir(), "epitrace-contacts-"));
  staysFile = path.join(temporaryFolder, "stays.csv");
  await writeFile(staysFile, STAYS_CSV);
});

afterAll(async () => {
  await rm(temporaryFolder, { recursive: true, force: true });
});

const CASE_ARGS = [
  "--person",
  "case",
  "--onset",
  "2020-05-03",
  "--isolation",
  "2020-05-05",
];

describe("epitrace contacts", () => {
  it("prints contacts by kind", async () => {
    const { stdout } = await runCli(["contacts", staysFile, ...CASE_ARGS]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(CONTACTS_CSV_HEADER);
    const kinds = lines
      .slice(1)
      .map((line) => line.split(",").slice(0, 2).join(" "));
    expect(kinds).toEqual(["alice contact", "dana day_level"]);
    expect(lines[1]!.split(",")[2]).toBe("30");
  });

  it("prints JSON", async () => {
    const { stdout } = await runCli([
      "contacts",
      staysFile,
      ...CASE_ARGS,
      "--min-minutes",
      "1",
      "--json",
    ]);
    const result = JSON.parse(stdout) as ContactsResult;
    expect(result.contacts.map((c) => c.personId)).toEqual(["alice", "bob"]);
    expect(result.infectiousPeriod.anchor).toBe("symptom_onset");
  });

  it("takes a set infectious period", async () => {
    const { stdout } = await runCli([
      "contacts",
      staysFile,
      "--person",
      "case",
      "--from",
      "2020-05-02T01:40:00+09:00",
      "--until",
      "2020-05-02T03:00:00+09:00",
      "--min-minutes",
      "5",
      "--json",
    ]);
    const result = JSON.parse(stdout) as ContactsResult;
    expect(result.contacts[0]!.certainMinutes).toBe(10);
  });

  it("rejects an instant without a zone", async () => {
    const file = path.join(temporaryFolder, "no-zone.csv");
    await writeFile(
      file,
      `${HEADER}\nc1,case,gps,2020-05-02T01:00:00,,,,37.5,127,0\n`,
    );
    await expect(runCli(["contacts", file, ...CASE_ARGS])).rejects.toThrow(
      StaysCsvError,
    );
    await expect(runCli(["contacts", file, ...CASE_ARGS])).rejects.toThrow(
      /Invalid instant .*with a zone.*\(field started_at, row 1 of /,
    );
  });

  it("rejects --from without --until", async () => {
    await expect(
      runCli([
        "contacts",
        staysFile,
        "--person",
        "case",
        "--from",
        "2020-05-02T00:00:00Z",
      ]),
    ).rejects.toThrow(/--from and --until go together/);
  });
});

describe("epitrace exposure", () => {
  const place = ["--latitude", "37.5665", "--longitude", "126.978"];
  const night = [
    "--window",
    "2020-05-02T00:00:00+09:00/2020-05-02T05:00:00+09:00",
  ];

  it("prints persons and looser settings", async () => {
    const { stdout, stderr } = await runCli([
      "exposure",
      staysFile,
      ...place,
      ...night,
    ]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(EXPOSURE_CSV_HEADER);
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual([
      "erin",
      "case",
      "alice",
    ]);
    expect(stderr).toContain(
      "With 50 m and at least 0 min: 4 persons (1 more).",
    );
  });

  it("adds up repeated windows", async () => {
    const { stdout } = await runCli([
      "exposure",
      staysFile,
      ...place,
      "--window",
      "2020-05-02T00:00:00+09:00/2020-05-02T01:00:00+09:00",
      "--window",
      "2020-05-02T03:00:00+09:00/2020-05-02T04:00:00+09:00",
      "--min-dwell",
      "100",
      "--json",
    ]);
    const result = JSON.parse(stdout) as {
      persons: { personId: string; minutes: number }[];
    };
    // Erin stayed from midnight to 4 am: one hour in each window.
    expect(result.persons.map((p) => [p.personId, p.minutes])).toEqual([
      ["erin", 120],
    ]);
  });

  it("rejects two kinds of place", async () => {
    const polygon = path.join(temporaryFolder, "place.geojson");
    await writeFile(
      polygon,
      JSON.stringify({ type: "Polygon", coordinates: [] }),
    );
    await expect(
      runCli(["exposure", staysFile, ...place, "--polygon", polygon, ...night]),
    ).rejects.toThrow(/either as --latitude and --longitude or as --polygon/);
  });
});
