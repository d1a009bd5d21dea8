import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { registerGenerateCommand } from "../cli/commands/generate.js";
import type { ScenarioTruth } from "./index.js";

let folder = "";

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "epitrace-generate-command-"));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Runs `epitrace generate ARGS` in-process and returns what it printed. */
async function runGenerate(
  args: readonly string[],
): Promise<{ stdout: string; stderr: string }> {
  const program = new Command("epitrace");
  registerGenerateCommand(program);
  let stdout = "";
  let stderr = "";
  const writers = {
    writeOut: (text: string) => {
      stdout += text;
    },
    writeErr: (text: string) => {
      stderr += text;
    },
  };
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput(writers);
  }
  await program.parseAsync(["generate", ...args], { from: "user" });
  return { stdout, stderr };
}

describe("epitrace generate", () => {
  it("writes a scenario and prints a summary", async () => {
    const out = path.join(folder, "scenario");
    const { stdout } = await runGenerate([
      "--persons",
      "20",
      "--days",
      "2",
      "--seed",
      "3",
      "--start",
      "2024-05-01",
      "--records-per-day",
      "50",
      "--out",
      out,
    ]);

    const truth = JSON.parse(
      await readFile(path.join(out, "truth.json"), "utf8"),
    ) as ScenarioTruth;
    expect(truth.persons).toHaveLength(20);
    expect(truth.start).toBe("2024-05-01");
    expect(truth.seed).toBe(3);
    expect(stdout).toContain(
      `to ${out}: 20 persons over 2 days from 2024-05-01, seed 3.`,
    );
    expect(stdout).toContain("The truth is in truth.json.");

    const header = (
      await readFile(path.join(out, "base-stations.csv"), "utf8")
    ).split("\n")[0];
    expect(header).toBe(
      "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator,address",
    );
  });

  it("rejects a count of zero persons", async () => {
    await expect(
      runGenerate(["--persons", "0", "--days", "2"]),
    ).rejects.toThrow(/Expected an integer >= 1/);
  });

  it("rejects a start that is not a date", async () => {
    await expect(
      runGenerate(["--persons", "2", "--days", "2", "--start", "2024-02-30"]),
    ).rejects.toThrow(/Invalid date "2024-02-30"/);
  });
});
