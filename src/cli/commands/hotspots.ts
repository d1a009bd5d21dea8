import { readFile } from "node:fs/promises";

import { InvalidArgumentError, Option, type Command } from "commander";
import { parse } from "csv-parse/sync";

import type { GiStarArea } from "../../analysis/hotspots/gi-star/index.js";
import {
  DEFAULT_SCAN_OPTIONS,
  dateOfEpochDay,
  epochDayOf,
  runSpaceTimeScan,
  type ScanCaseCount,
  type ScanCluster,
  type ScanLocation,
  type ScanModel,
  type ScanOptions,
  type ScanPopulation,
  type ScanResult,
} from "../../analysis/hotspots/scan/index.js";

/** A hotspots input file, or one of its values, that cannot be read. */
export class HotspotsInputError extends Error {
  override readonly name = "HotspotsInputError";
}

/** Header of the `gi-star` CSV output. */
export const GI_STAR_CSV_HEADER = "id,z_score,p_value,q_value";

/** Header of the `scan` CSV output. */
export const SCAN_CSV_HEADER =
  "rank,center_id,location_ids,radius,start,end,observed,expected,relative_risk,log_likelihood_ratio,p_value";

interface GiStarCommandOptions {
  readonly band: number;
  readonly planar?: true;
  readonly json?: true;
}

interface ScanCommandOptions {
  readonly cases: string;
  readonly coordinates: string;
  readonly population?: string;
  readonly century?: number;
  readonly model: ScanModel;
  readonly prospective?: true;
  readonly retrospective?: true;
  readonly start: string;
  readonly end: string;
  readonly timeUnit: "day" | "year";
  readonly maxRadiusKm?: number;
  readonly maxRadius?: number;
  readonly planar?: true;
  readonly maxDays?: number;
  readonly maxYears?: number;
  readonly maxPopulationShare: number;
  readonly replications: number;
  readonly seed: number;
  readonly json?: true;
}

/** Registers `epitrace hotspots gi-star` and `epitrace hotspots scan`. */
export function registerHotspotsCommand(program: Command): void {
  const hotspots = program
    .command("hotspots")
    .description(
      "Find hot spots and space-time clusters in case counts, without a store.",
    );
  registerGiStar(hotspots);
  registerScan(hotspots);
}

function registerGiStar(hotspots: Command): void {
  hotspots
    .command("gi-star")
    .description(
      "Compute the Getis-Ord Gi* z-score of each area with binary distance-band weights, " +
        "each area its own neighbour. Prints id, z-score, two-sided normal p-value and " +
        "Benjamini-Hochberg q-value.",
    )
    .argument(
      "<file>",
      "CSV with the header id,x,y,value: x and y are longitude and latitude in degrees, or planar coordinates with --planar",
    )
    .requiredOption(
      "--band <distance>",
      "maximum distance of a neighbour, inclusive: metres, or coordinate units with --planar",
      parseNonNegative,
    )
    .option(
      "--planar",
      "measure Euclidean distances between x,y instead of haversine metres",
    )
    .option("--json", "print JSON instead of CSV")
    .action(runGiStarCommand);
}

function registerScan(hotspots: Command): void {
  hotspots
    .command("scan")
    .description(
      "Run Kulldorff's space-time scan statistic (space-time permutation or Poisson model) " +
        "and print the most likely and secondary clusters with Monte Carlo p-values.",
    )
    .requiredOption(
      "--cases <file>",
      "CSV location,cases,time[,covariate...] with a header; time is a date YYYY-MM-DD or YYYY/M/D, or a year with --time-unit year",
    )
    .requiredOption(
      "--coordinates <file>",
      "CSV id,latitude,longitude with a header; with --planar the columns are id,y,x",
    )
    .option(
      "--population <file>",
      "CSV location,time,population[,covariate...] with a header, for the Poisson model; covariates must match the case file",
    )
    .option(
      "--century <year>",
      "read two-digit years of the --population file as years of this century, such as 1900 to read 73 as 1973",
      parseCentury,
    )
    .addOption(
      new Option("--model <model>", "probability model")
        .choices(["space-time-permutation", "poisson"])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option(
        "--prospective",
        "scan only clusters that end on the last time unit",
      ).conflicts("retrospective"),
    )
    .option(
      "--retrospective",
      "scan every cluster in the study period (the default)",
    )
    .requiredOption("--start <time>", "first day (or year) of the study period")
    .requiredOption("--end <time>", "last day (or year) of the study period")
    .addOption(
      new Option("--time-unit <unit>", "time unit of the scan")
        .choices(["day", "year"])
        .default("day"),
    )
    .option(
      "--max-radius-km <km>",
      "maximum circle radius in kilometres",
      parseNonNegative,
    )
    .option(
      "--planar",
      "read planar coordinates and measure Euclidean distances",
    )
    .option(
      "--max-radius <units>",
      "maximum circle radius in coordinate units, with --planar",
      parseNonNegative,
    )
    .option(
      "--max-days <days>",
      "maximum cluster duration in days (default half the study period)",
      parsePositiveInteger,
    )
    .option(
      "--max-years <years>",
      "maximum cluster duration in years, with --time-unit year",
      parsePositiveInteger,
    )
    .option(
      "--max-population-share <share>",
      "maximum share of the population at risk inside a circle",
      parseNonNegative,
      DEFAULT_SCAN_OPTIONS.maxPopulationShare,
    )
    .option(
      "--replications <count>",
      "Monte Carlo replications",
      parseNonNegativeInteger,
      DEFAULT_SCAN_OPTIONS.replications,
    )
    .option(
      "--seed <seed>",
      "seed of the replications",
      parseNonNegativeInteger,
      DEFAULT_SCAN_OPTIONS.seed,
    )
    .option("--json", "print JSON instead of CSV")
    .action(runScanCommand);
}

/** Runs `hotspots gi-star FILE` and writes the result to the command's output. */
export async function runGiStarCommand(
  file: string,
  options: GiStarCommandOptions,
  command: Command,
): Promise<void> {
  const areas = await readGiStarAreas(file);
  // Loaded here: the H3 library it brings takes tens of MiB, which the
  // other commands do not need.
  const { computeGiStar } =
    await import("../../analysis/hotspots/gi-star/index.js");
  const results = computeGiStar(areas, {
    kind: "distance-band",
    bandDistance: options.band,
    metric: options.planar === true ? "planar" : "haversine",
  });

  let text: string;
  if (options.json === true) {
    text = `${JSON.stringify(results, null, 2)}\n`;
  } else {
    const lines = [GI_STAR_CSV_HEADER];
    for (const result of results) {
      const fields = [result.id, result.zScore, result.pValue, result.qValue];
      lines.push(fields.map((field) => quoteCsvField(String(field))).join(","));
    }
    text = `${lines.join("\n")}\n`;
  }
  rootCommand(command).configureOutput().writeOut?.(text);
}

/** Runs `hotspots scan` and writes the clusters to the command's output. */
export async function runScanCommand(
  options: ScanCommandOptions,
  command: Command,
): Promise<void> {
  const scanOptions = scanOptionsOf(options);
  const parseTime = options.timeUnit === "day" ? epochDayOf : parseYear;
  const startTime = parseOptionTime(parseTime, "--start", options.start);
  const endTime = parseOptionTime(parseTime, "--end", options.end);

  const locations = await readLocations(options.coordinates);
  const cases = await readCases(options.cases, parseTime);
  if (options.century !== undefined && options.population === undefined) {
    throw new InvalidArgumentError(
      "--century applies to the years of a --population file; give --population or leave --century out.",
    );
  }
  const populations =
    options.population === undefined
      ? undefined
      : await readPopulations(
          options.population,
          populationTimeParser(options, parseTime),
        );
  const result = runSpaceTimeScan(
    {
      locations,
      cases,
      startTime,
      endTime,
      ...(populations === undefined ? {} : { populations }),
    },
    scanOptions,
  );

  const formatTime = options.timeUnit === "day" ? dateOfEpochDay : String;
  const text =
    options.json === true
      ? scanJson(result, formatTime)
      : scanCsv(result, formatTime);
  rootCommand(command).configureOutput().writeOut?.(text);
}

function scanOptionsOf(options: ScanCommandOptions): ScanOptions {
  if (options.planar === true && options.maxRadiusKm !== undefined) {
    throw new InvalidArgumentError(
      "--max-radius-km measures haversine distances; with --planar use --max-radius.",
    );
  }
  if (options.planar !== true && options.maxRadius !== undefined) {
    throw new InvalidArgumentError(
      "--max-radius is in coordinate units and needs --planar; use --max-radius-km.",
    );
  }
  const maxDuration =
    options.timeUnit === "day" ? options.maxDays : options.maxYears;
  const wrongDuration =
    options.timeUnit === "day" ? options.maxYears : options.maxDays;
  if (wrongDuration !== undefined) {
    throw new InvalidArgumentError(
      `--max-${options.timeUnit === "day" ? "years" : "days"} does not match --time-unit ${options.timeUnit}.`,
    );
  }
  return {
    model: options.model,
    analysis: options.prospective === true ? "prospective" : "retrospective",
    metric: options.planar === true ? "planar" : "haversine",
    ...(options.maxRadiusKm === undefined
      ? {}
      : { maxRadiusKm: options.maxRadiusKm }),
    ...(options.maxRadius === undefined
      ? {}
      : { maxRadiusPlanar: options.maxRadius }),
    ...(maxDuration === undefined ? {} : { maxDuration }),
    maxPopulationShare: options.maxPopulationShare,
    replications: options.replications,
    seed: options.seed,
  };
}

function scanCsv(
  result: ScanResult,
  formatTime: (time: number) => string,
): string {
  const lines = [SCAN_CSV_HEADER];
  result.clusters.forEach((cluster, index) => {
    const fields = [
      String(index + 1),
      cluster.centerId,
      cluster.locationIds.join(" "),
      String(cluster.radius),
      formatTime(cluster.startTime),
      formatTime(cluster.endTime),
      String(cluster.observed),
      String(cluster.expected),
      String(cluster.relativeRisk),
      String(cluster.logLikelihoodRatio),
      String(cluster.pValue),
    ];
    lines.push(fields.map(quoteCsvField).join(","));
  });
  return `${lines.join("\n")}\n`;
}

function scanJson(
  result: ScanResult,
  formatTime: (time: number) => string,
): string {
  const clusters = result.clusters.map((cluster: ScanCluster) => ({
    ...cluster,
    startTime: formatTime(cluster.startTime),
    endTime: formatTime(cluster.endTime),
  }));
  return `${JSON.stringify({ ...result, clusters }, null, 2)}\n`;
}

async function readGiStarAreas(file: string): Promise<GiStarArea[]> {
  const { rows } = await readCsvRows(file, 4);
  return rows.map(({ fields, row }) => ({
    id: fields[0]!,
    x: parseNumberField(file, row, "x", fields[1]!),
    y: parseNumberField(file, row, "y", fields[2]!),
    value: parseNumberField(file, row, "value", fields[3]!),
  }));
}

async function readLocations(file: string): Promise<ScanLocation[]> {
  const { rows } = await readCsvRows(file, 3);
  return rows.map(({ fields, row }) => ({
    id: fields[0]!,
    y: parseNumberField(file, row, "latitude", fields[1]!),
    x: parseNumberField(file, row, "longitude", fields[2]!),
  }));
}

async function readCases(
  file: string,
  parseTime: (text: string) => number,
): Promise<ScanCaseCount[]> {
  const { header, rows } = await readCsvRows(file, 3);
  const timeField = header[2] ?? "time";
  return rows.map(({ fields, row }) => {
    const covariates = fields.slice(3);
    return {
      locationId: fields[0]!,
      count: parseNumberField(file, row, "cases", fields[1]!),
      time: parseTimeField(file, row, timeField, fields[2]!, parseTime),
      ...(covariates.length > 0 ? { stratum: covariates.join("|") } : {}),
    };
  });
}

async function readPopulations(
  file: string,
  parseTime: (text: string) => number,
): Promise<ScanPopulation[]> {
  const { header, rows } = await readCsvRows(file, 3);
  const timeField = header[1] ?? "time";
  return rows.map(({ fields, row }) => {
    const covariates = fields.slice(3);
    return {
      locationId: fields[0]!,
      time: parseTimeField(file, row, timeField, fields[1]!, parseTime),
      population: parseNumberField(file, row, "population", fields[2]!),
      ...(covariates.length > 0 ? { stratum: covariates.join("|") } : {}),
    };
  });
}

/** A data row of a CSV file: its fields and its number, 1 for the row after the header. */
interface CsvRow {
  fields: string[];
  row: number;
}

/** Reads a CSV file with a header; each row needs at least `minimumFields` fields. */
async function readCsvRows(
  file: string,
  minimumFields: number,
): Promise<{ header: string[]; rows: CsvRow[] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new HotspotsInputError(
      `Cannot read ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const records = parse(text, {
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
  }) as string[][];
  const rows = records.slice(1).map((fields, index) => {
    const row = index + 1;
    if (fields.length < minimumFields) {
      throw new HotspotsInputError(
        `Invalid row ${row} of ${file}: ${fields.length} fields, expected at least ${minimumFields}.`,
      );
    }
    return { fields, row };
  });
  return { header: records[0] ?? [], rows };
}

function parseNumberField(
  file: string,
  row: number,
  field: string,
  text: string,
): number {
  const value = Number(text);
  if (text === "" || !Number.isFinite(value)) {
    throw new HotspotsInputError(
      `Invalid ${field} ${JSON.stringify(text)} in row ${row} of ${file}: expected a number.`,
    );
  }
  return value;
}

function parseTimeField(
  file: string,
  row: number,
  field: string,
  text: string,
  parseTime: (text: string) => number,
): number {
  try {
    return parseTime(text);
  } catch (error) {
    throw new HotspotsInputError(
      `${file}, row ${row}, field ${field}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function parseOptionTime(
  parseTime: (text: string) => number,
  name: string,
  text: string,
): number {
  try {
    return parseTime(text);
  } catch (error) {
    throw new InvalidArgumentError(
      `${(error as Error).message} (option ${name})`,
    );
  }
}

/**
 * Returns the time parser of the population file. With --century a
 * two-digit year is read in that century. Without it the parser rejects
 * such a year and names the option in its message.
 */
function populationTimeParser(
  options: ScanCommandOptions,
  parseTime: (text: string) => number,
): (text: string) => number {
  if (options.timeUnit !== "year") {
    if (options.century !== undefined) {
      throw new InvalidArgumentError(
        "--century reads two-digit years and needs --time-unit year.",
      );
    }
    return parseTime;
  }
  const century = options.century;
  return (text) => {
    const trimmed = text.trim();
    if (!/^\d{2}$/.test(trimmed)) {
      return parseYear(text);
    }
    if (century === undefined) {
      throw new RangeError(
        `Invalid year ${JSON.stringify(text)}: expected four digits. To read two-digit years, give their century, such as --century 1900 to read ${trimmed} as ${1900 + Number(trimmed)}.`,
      );
    }
    return century + Number(trimmed);
  };
}

function parseYear(text: string): number {
  if (!/^\d{4}$/.test(text.trim())) {
    throw new RangeError(
      `Invalid year ${JSON.stringify(text)}: expected four digits.`,
    );
  }
  return Number(text);
}

function parseCentury(value: string): number {
  const number = Number(value);
  if (
    !/^\d+$/.test(value.trim()) ||
    !Number.isSafeInteger(number) ||
    number % 100 !== 0
  ) {
    throw new InvalidArgumentError(
      "Expected a year that is a multiple of 100, such as 1900.",
    );
  }
  return number;
}

function parseNonNegative(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !(number >= 0) || !Number.isFinite(number)) {
    throw new InvalidArgumentError("Expected a finite number >= 0.");
  }
  return number;
}

function parseNonNegativeInteger(value: string): number {
  const number = parseNonNegative(value);
  if (!Number.isInteger(number)) {
    throw new InvalidArgumentError("Expected an integer >= 0.");
  }
  return number;
}

function parsePositiveInteger(value: string): number {
  const number = parseNonNegativeInteger(value);
  if (number < 1) {
    throw new InvalidArgumentError("Expected an integer >= 1.");
  }
  return number;
}

function quoteCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function rootCommand(command: Command): Command {
  let root = command;
  while (root.parent !== null) {
    root = root.parent;
  }
  return root;
}
