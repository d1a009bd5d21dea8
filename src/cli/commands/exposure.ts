import { readFile } from "node:fs/promises";

import { InvalidArgumentError, type Command } from "commander";
import type { MultiPolygon, Polygon } from "geojson";

import {
  DEFAULT_EXPOSURE_OPTIONS,
  findExposures,
  type ExposurePlace,
  type ExposureResult,
} from "../../analysis/exposure/index.js";
import type { TimeInterval } from "../../analysis/contacts/index.js";
import {
  formatInstant,
  parseInstant,
  parseNonNegative,
  quoteCsvField,
  readStaysCsv,
  rootCommand,
  STAYS_CSV_COLUMNS,
} from "./contacts.js";

/** Header of the `exposure` CSV output, one person per row. */
export const EXPOSURE_CSV_HEADER =
  "person_id,minutes,possible_minutes,first_seen_at,last_seen_at,stay_ids,sources";

interface ExposureCommandOptions {
  readonly latitude?: number;
  readonly longitude?: number;
  readonly polygon?: string;
  readonly radius: number;
  readonly window: TimeInterval[];
  readonly minDwell: number;
  readonly json?: true;
}

/** Registers `epitrace exposure`. */
export function registerExposureCommand(program: Command): void {
  program
    .command("exposure")
    .description(
      "List the persons in a stays CSV who stayed at a place during exposure windows for at least a " +
        "dwell time, without a store. Prints one person per row, most minutes first, and writes to " +
        "standard error how many persons looser settings would add.",
    )
    .argument(
      "<file>",
      `stays CSV with the header ${STAYS_CSV_COLUMNS.join(",")}`,
    )
    .option(
      "--latitude <degrees>",
      "latitude of the centre of a circular place",
      parseLatitude,
    )
    .option(
      "--longitude <degrees>",
      "longitude of the centre of a circular place",
      parseLongitude,
    )
    .option(
      "--radius <meters>",
      "radius of the circular place in metres",
      parseNonNegative,
      DEFAULT_EXPOSURE_OPTIONS.radiusMeters,
    )
    .option(
      "--polygon <file>",
      "GeoJSON file with a Polygon or MultiPolygon (or a Feature of one) as the place",
    )
    .requiredOption(
      "--window <from/until>",
      "exposure window as two ISO 8601 instants with zones joined by '/'; repeat for several windows",
      collectWindow,
      [],
    )
    .option(
      "--min-dwell <minutes>",
      "minimum minutes inside the place within the windows",
      parseNonNegative,
      DEFAULT_EXPOSURE_OPTIONS.minimumDwellMinutes,
    )
    .option("--json", "print the full result as JSON instead of CSV")
    .action(runExposureCommand);
}

/** Runs `exposure FILE` and writes the persons to the command's output. */
export async function runExposureCommand(
  file: string,
  options: ExposureCommandOptions,
  command: Command,
): Promise<void> {
  const place = await placeOf(options);
  const stays = await readStaysCsv(file);
  const result = findExposures({ place, window: options.window }, stays, {
    radiusMeters: options.radius,
    minimumDwellMinutes: options.minDwell,
  });

  const output = rootCommand(command).configureOutput();
  if (options.json === true) {
    output.writeOut?.(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  output.writeOut?.(exposureCsv(result));
  output.writeErr?.(looserSummary(result));
}

async function placeOf(
  options: ExposureCommandOptions,
): Promise<ExposurePlace> {
  const hasCircle =
    options.latitude !== undefined || options.longitude !== undefined;
  if (hasCircle === (options.polygon !== undefined)) {
    throw new InvalidArgumentError(
      "Give the place either as --latitude and --longitude or as --polygon.",
    );
  }
  if (options.polygon !== undefined) {
    return readPolygon(options.polygon);
  }
  if (options.latitude === undefined || options.longitude === undefined) {
    throw new InvalidArgumentError(
      "--latitude and --longitude go together: give both.",
    );
  }
  return {
    latitude: options.latitude,
    longitude: options.longitude,
    radiusMeters: options.radius,
  };
}

async function readPolygon(file: string): Promise<Polygon | MultiPolygon> {
  const json = JSON.parse(await readFile(file, "utf8")) as {
    type?: string;
    geometry?: { type?: string };
  };
  const geometry = json.type === "Feature" ? json.geometry : json;
  if (geometry?.type !== "Polygon" && geometry?.type !== "MultiPolygon") {
    throw new InvalidArgumentError(
      `Invalid polygon file ${file}: expected a GeoJSON Polygon or MultiPolygon, or a Feature of one.`,
    );
  }
  return geometry as Polygon | MultiPolygon;
}

function exposureCsv(result: ExposureResult): string {
  const lines = [EXPOSURE_CSV_HEADER];
  for (const person of result.persons) {
    const fields = [
      person.personId,
      String(person.minutes),
      String(person.possibleMinutes),
      formatInstant(person.firstSeenAt),
      formatInstant(person.lastSeenAt),
      person.stays.map((stay) => stay.stayId).join(" "),
      [...new Set(person.stays.map((stay) => stay.source))].sort().join(" "),
    ];
    lines.push(fields.map(quoteCsvField).join(","));
  }
  return `${lines.join("\n")}\n`;
}

function looserSummary(result: ExposureResult): string {
  const lines = [
    `Found ${result.persons.length} persons; ${result.dayLevelPersons.length} more known only to the day.`,
  ];
  for (const setting of result.looserSettings) {
    const radius =
      setting.radiusMeters === null
        ? "the polygon"
        : `${setting.radiusMeters} m`;
    lines.push(
      `With ${radius} and at least ${setting.minimumDwellMinutes} min: ${setting.personCount} persons (${setting.addedCount} more).`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function collectWindow(
  value: string,
  previous: TimeInterval[],
): TimeInterval[] {
  const parts = value.split("/");
  if (parts.length !== 2) {
    throw new InvalidArgumentError(
      `Invalid window ${JSON.stringify(value)}: expected FROM/UNTIL.`,
    );
  }
  const startsAt = parseInstant(parts[0]!);
  const endsAt = parseInstant(parts[1]!);
  if (!(startsAt < endsAt)) {
    throw new InvalidArgumentError(
      `Invalid window ${JSON.stringify(value)}: FROM must be before UNTIL.`,
    );
  }
  return [...previous, { startsAt, endsAt }];
}

function parseLatitude(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !(Math.abs(number) <= 90)) {
    throw new InvalidArgumentError("Expected a latitude in [-90, 90].");
  }
  return number;
}

function parseLongitude(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !(Math.abs(number) <= 180)) {
    throw new InvalidArgumentError("Expected a longitude in [-180, 180].");
  }
  return number;
}
