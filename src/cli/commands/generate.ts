import { InvalidArgumentError, type Command } from "commander";

import { isCalendarDate } from "../../domain/seoul-time.js";
import {
  DEFAULT_START_DATE,
  generateScenario,
  type ScenarioResult,
} from "../../generate/index.js";
import { createTerminalProgress } from "../../ingest/progress.js";

interface GenerateCommandOptions {
  readonly persons: number;
  readonly days: number;
  readonly seed: number;
  readonly out: string;
  readonly start: string;
  readonly recordsPerDay: number;
  readonly seededVenues: number;
  readonly perPerson?: true;
}

/** Registers `epitrace generate`. */
export function registerGenerateCommand(program: Command): void {
  program
    .command("generate")
    .description(
      "Generate the provider files of a synthetic Seoul with a seeded outbreak: base-station records, " +
        "card transactions, QR check-ins and GPS tracks in the published templates, hotspot files for " +
        "`hotspots scan` and `gi-star`, and truth.json with the cases and their seeded contacts. " +
        "The same options give byte-identical files.",
    )
    .requiredOption(
      "--persons <count>",
      "number of persons, each with one phone",
      parsePositiveInteger,
    )
    .requiredOption(
      "--days <count>",
      "number of days of the period",
      parsePositiveInteger,
    )
    .option(
      "--seed <seed>",
      "seed of every random draw, an integer from 0 to 4294967295",
      parseSeed,
      1,
    )
    .option(
      "--out <folder>",
      "folder to write into; created when missing",
      "scenario",
    )
    .option(
      "--start <date>",
      "first day of the period, a Seoul date YYYY-MM-DD",
      parseDate,
      DEFAULT_START_DATE,
    )
    .option(
      "--records-per-day <count>",
      "mean base-station records per phone and day",
      parsePositiveNumber,
      228,
    )
    .option(
      "--seeded-venues <count>",
      "venues where index cases seed the outbreak",
      parseNonNegativeInteger,
      3,
    )
    .option(
      "--per-person",
      "also write each person's records into files of their own under persons/",
    )
    .action(runGenerateCommand);
}

async function runGenerateCommand(
  options: GenerateCommandOptions,
  command: Command,
): Promise<void> {
  const result = await generateScenario({
    persons: options.persons,
    days: options.days,
    seed: options.seed,
    outDir: options.out,
    start: options.start,
    recordsPerPhonePerDay: options.recordsPerDay,
    seededVenues: options.seededVenues,
    perPerson: options.perPerson === true,
    progress: createTerminalProgress(process.stderr),
  });
  let root = command;
  while (root.parent !== null) {
    root = root.parent;
  }
  root.configureOutput().writeOut?.(summaryOf(result, options));
}

function summaryOf(
  result: ScenarioResult,
  options: GenerateCommandOptions,
): string {
  const truth = result.truth;
  const count = (kind: string) =>
    truth.cases.filter((item) => item.kind === kind).length;
  return [
    `Wrote ${result.files.length} files to ${options.out}: ${truth.persons.length} persons over ${truth.days} day${truth.days === 1 ? "" : "s"} from ${truth.start}, seed ${truth.seed}.`,
    `Base-station records: ${result.baseStationRecords}.`,
    `Cases: ${truth.cases.length} (${count("index")} index, ${count("secondary")} secondary, ${count("sporadic")} sporadic); seeded contacts: ${truth.contacts.length}.`,
    `Seeded venues: ${truth.seededVenues.map((venue) => venue.id).join(", ") || "none"}. The truth is in truth.json.`,
    "",
  ].join("\n");
}

function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number < 1) {
    throw new InvalidArgumentError("Expected an integer >= 1.");
  }
  return number;
}

function parseNonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new InvalidArgumentError("Expected an integer >= 0.");
  }
  return Number(value);
}

function parseSeed(value: string): number {
  const number = parseNonNegativeInteger(value);
  if (number > 4_294_967_295) {
    throw new InvalidArgumentError("Expected an integer from 0 to 4294967295.");
  }
  return number;
}

function parsePositiveNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) {
    throw new InvalidArgumentError("Expected a number > 0.");
  }
  return number;
}

function parseDate(value: string): string {
  if (!isCalendarDate(value)) {
    throw new InvalidArgumentError(
      `Invalid date ${JSON.stringify(value)}: expected YYYY-MM-DD.`,
    );
  }
  return value;
}
