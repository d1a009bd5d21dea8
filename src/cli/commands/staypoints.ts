import { InvalidArgumentError, Option, type Command } from "commander";
import type { Feature, FeatureCollection, Point } from "geojson";

import {
  DEFAULT_STAYPOINT_OPTIONS,
  generateStaypoints,
  generateStaypointsByPerson,
  type PersonStaypoint,
  type StaypointOptions,
} from "../../analysis/staypoints/index.js";
import { readFixesCsv } from "../../ingest/fixes-csv.js";
import { readGeolifeFixes } from "../../ingest/geolife/index.js";

type UserStaypoint = PersonStaypoint<string>;

interface StaypointsCommandOptions {
  readonly distThreshold: number;
  readonly timeThreshold: number;
  readonly gapThreshold: number;
  readonly includeLast?: true;
  readonly format: "csv" | "geojson";
}

/** Header of the CSV output, one stay point per row. */
export const STAYPOINTS_CSV_HEADER =
  "user_id,started_at,finished_at,last_fix_at,longitude,latitude,fix_count";

/** Decimals of the CSV coordinates: 7 decimals of a degree are about 1 cm. */
const COORDINATE_DECIMALS = 7;

/** Registers `epitrace staypoints`. */
export function registerStaypointsCommand(program: Command): void {
  const defaults = DEFAULT_STAYPOINT_OPTIONS;
  program
    .command("staypoints")
    .description(
      "Detect stay points in position fixes with trackintel's sliding-window method, without a store. " +
        "Prints one stay point per row; times are UTC in ISO 8601 with milliseconds.",
    )
    .argument(
      "<path>",
      "a GeoLife .plt file, a user folder containing Trajectory/*.plt, a folder of user folders, " +
        "or a .csv file with the columns user_id,tracked_at,latitude,longitude",
    )
    .option(
      "--dist-threshold <meters>",
      "distance in metres from the first fix of a stay at which a fix ends the stay",
      parseNonNegative,
      defaults.distThresholdMeters,
    )
    .option(
      "--time-threshold <minutes>",
      "minimum duration of a stay in minutes",
      parseNonNegative,
      defaults.timeThresholdMinutes,
    )
    .option(
      "--gap-threshold <minutes>",
      "longest interval between consecutive fixes in minutes; a longer one discards the stay being built",
      parseNonNegative,
      defaults.gapThresholdMinutes,
    )
    .option(
      "--include-last",
      "also report the stay still open at the end of each track",
    )
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["csv", "geojson"])
        .default("csv"),
    )
    .action(runStaypoints);
}

async function runStaypoints(
  inputPath: string,
  options: StaypointsCommandOptions,
  command: Command,
): Promise<void> {
  const staypoints = await detectStaypoints(inputPath, {
    distThresholdMeters: options.distThreshold,
    timeThresholdMinutes: options.timeThreshold,
    gapThresholdMinutes: options.gapThreshold,
    includeLast: options.includeLast === true,
  });

  const text =
    options.format === "geojson"
      ? `${JSON.stringify(toFeatureCollection(staypoints))}\n`
      : toCsv(staypoints);
  rootCommand(command).configureOutput().writeOut?.(text);
}

function parseNonNegative(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !(number >= 0)) {
    throw new InvalidArgumentError("Expected a number >= 0.");
  }
  return number;
}

/** Returns the stay points of every user, sorted by user id and then time. */
async function detectStaypoints(
  inputPath: string,
  options: StaypointOptions,
): Promise<UserStaypoint[]> {
  const staypoints = inputPath.toLowerCase().endsWith(".csv")
    ? await detectCsvStaypoints(inputPath, options)
    : await detectGeolifeStaypoints(inputPath, options);

  // Array.prototype.sort is stable, so each user's stays stay in time order.
  return staypoints.sort((a, b) => compareText(a.personKey, b.personKey));
}

async function detectCsvStaypoints(
  file: string,
  options: StaypointOptions,
): Promise<UserStaypoint[]> {
  const fixes = await readFixesCsv(file);
  return generateStaypointsByPerson(fixes, (fix) => fix.userId, options);
}

async function detectGeolifeStaypoints(
  inputPath: string,
  options: StaypointOptions,
): Promise<UserStaypoint[]> {
  const staypoints: UserStaypoint[] = [];
  for (const user of await readGeolifeFixes(inputPath)) {
    // Line numbers differ on every line, so keeping them would stop
    // repeated lines from being dropped as duplicate fixes.
    const fixes = user.fixes.map(
      ({ trackedAt, latitude, longitude, altitudeFeet }) => ({
        trackedAt,
        latitude,
        longitude,
        altitudeFeet,
      }),
    );
    for (const stay of generateStaypoints(fixes, options)) {
      staypoints.push({ personKey: user.userId, ...stay });
    }
  }
  return staypoints;
}

function toCsv(staypoints: readonly UserStaypoint[]): string {
  const lines = [STAYPOINTS_CSV_HEADER];
  for (const stay of staypoints) {
    const fields = [
      quoteCsvField(stay.personKey),
      formatInstant(stay.startedAt),
      formatInstant(stay.finishedAt),
      formatInstant(stay.lastFixAt),
      stay.longitude.toFixed(COORDINATE_DECIMALS),
      stay.latitude.toFixed(COORDINATE_DECIMALS),
      String(stay.fixCount),
    ];
    lines.push(fields.join(","));
  }
  return `${lines.join("\n")}\n`;
}

function toFeatureCollection(
  staypoints: readonly UserStaypoint[],
): FeatureCollection<Point> {
  const features: Feature<Point>[] = staypoints.map((stay) => ({
    type: "Feature",
    geometry: { type: "Point", coordinates: [stay.longitude, stay.latitude] },
    properties: {
      user_id: stay.personKey,
      started_at: formatInstant(stay.startedAt),
      finished_at: formatInstant(stay.finishedAt),
      last_fix_at: formatInstant(stay.lastFixAt),
      longitude: stay.longitude,
      latitude: stay.latitude,
      fix_count: stay.fixCount,
      radius_meters: stay.radiusMeters,
    },
  }));
  return { type: "FeatureCollection", features };
}

/** Formats epoch milliseconds as UTC ISO 8601, always with milliseconds. */
function formatInstant(epochMilliseconds: number): string {
  return new Date(epochMilliseconds).toISOString();
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

function compareText(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}
