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
import type { Stay } from "../../analysis/stays/index.js";
import {
  isCalendarDate,
  seoulDayEnd,
  seoulDayStart,
} from "../../domain/seoul-time.js";
import type { ProviderKind } from "../../ingest/provider/index.js";
import {
  errorWriter,
  formatInstant,
  parseInstant,
  parseNonNegative,
  quoteCsvField,
  readOptionsOf,
  readStaysCsv,
  rootCommand,
  STAYS_CSV_COLUMNS,
} from "./contacts.js";
import {
  buildPersonRoute,
  hasCsvHeader,
  readPersonRecords,
  staysOfRoute,
} from "./person-files.js";
import { looserSummary, runExposureOnStore } from "./exposure-store.js";
import { REASON_HELP } from "./store-analysis.js";
import {
  addProviderReadOptions,
  type ProviderCommandOptions,
} from "./validate.js";

/** Header of the `exposure` CSV output, one person per row. */
export const EXPOSURE_CSV_HEADER =
  "person_id,minutes,possible_minutes,first_seen_at,last_seen_at,stay_ids,sources";

interface ExposureCommandOptions extends Partial<
  Omit<ProviderCommandOptions, "kind">
> {
  readonly kind?: ProviderKind;
  readonly stays?: string;
  readonly place?: { latitude: number; longitude: number };
  readonly latitude?: number;
  readonly longitude?: number;
  readonly polygon?: string;
  readonly radius: number;
  readonly from?: number;
  readonly to?: number;
  readonly window: TimeInterval[];
  readonly minDwell: number;
  readonly json?: true;
  readonly store?: true;
  readonly reason?: string;
}

/** Registers `epitrace exposure`. */
export function registerExposureCommand(program: Command): void {
  const command = program
    .command("exposure")
    .description(
      "List the persons who stayed at a place during exposure windows for at least a dwell time, " +
        "without a store. Reads provider files of any kind, each file one person (or one person per " +
        "subject in a file of several subjects), and fuses each person's records into a route first; " +
        "or reads one stays CSV. Prints one person per row, most minutes first, and writes to " +
        "standard error how many persons looser settings would add. With --store, queries the store instead.",
    )
    .argument(
      "[files...]",
      `provider files (CSV, gzip CSV, GeoJSON, GPX, KML or Google Takeout JSON), or one stays CSV with the header ${STAYS_CSV_COLUMNS.join(",")}`,
    )
    .option("--stays <file>", "stays CSV to read in place of provider files")
    .option(
      "--place <latitude,longitude>",
      "centre of a circular place in decimal degrees, such as 37.5340,126.9940",
      parsePlace,
    )
    .option(
      "--latitude <degrees>",
      "latitude of the centre of a circular place (with --longitude, in place of --place)",
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
    .option(
      "--from <time>",
      "start of the exposure window: ISO 8601 with a zone, or a Seoul date YYYY-MM-DD (its start)",
      (value) => parseBoundary(value, "start"),
    )
    .option(
      "--to <time>",
      "end of the exposure window: ISO 8601 with a zone, or a Seoul date YYYY-MM-DD (its end)",
      (value) => parseBoundary(value, "end"),
    )
    .option(
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
    .option(
      "--store",
      "query the stays of the store in EPITRACE_DATA_DIR in place of files, as POST /api/exposure does: " +
        "a circle of at most 1000 m or a Polygon of at most 2000 m each way, windows within 31 days; " +
        "--json prints that endpoint's object",
    )
    .option("--reason <text>", REASON_HELP);
  addProviderReadOptions(command, { kindRequired: false }).action(
    runExposureCommand,
  );
}

/** Runs `exposure FILE...` and writes the persons to the command's output. */
export async function runExposureCommand(
  files: string[],
  options: ExposureCommandOptions,
  command: Command,
): Promise<void> {
  const place = await placeOf(options);
  const window = windowsOf(options);
  if (options.store === true) {
    await runOnStoreOptions(files, options, { place, window }, command);
    return;
  }
  const stays = await staysOf(files, options, errorWriter(command));
  const result = findExposures({ place, window }, stays, {
    radiusMeters: options.radius,
    minimumDwellMinutes: options.minDwell,
  });

  const output = rootCommand(command).configureOutput();
  if (options.json === true) {
    output.writeOut?.(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const staysById = new Map(stays.map((stay) => [stay.id, stay]));
  output.writeOut?.(
    exposureCsv(result, (id) => sourcesOfStay(staysById.get(id))),
  );
  output.writeErr?.(looserSummary(result));
}

async function runOnStoreOptions(
  files: readonly string[],
  options: ExposureCommandOptions,
  query: { place: ExposurePlace; window: TimeInterval[] },
  command: Command,
): Promise<void> {
  const inputFiles =
    options.stays === undefined ? files : [...files, options.stays];
  if (inputFiles.length > 0) {
    throw new InvalidArgumentError(
      `--store reads the stays from the store: leave out the files (${inputFiles.join(", ")}).`,
    );
  }
  const output = rootCommand(command).configureOutput();
  await runExposureOnStore(
    {
      place: query.place,
      windows: query.window,
      minimumDwellMinutes: options.minDwell,
      reason: options.reason,
      json: options.json,
    },
    command,
    {
      writeOut: (text) => output.writeOut?.(text),
      writeErr: (text) => output.writeErr?.(text),
    },
  );
}

/**
 * Returns the stays to query: those of `--stays` or of a single stays CSV
 * argument, or else the fused route stays of each person in the provider
 * files.
 */
async function staysOf(
  files: readonly string[],
  options: ExposureCommandOptions,
  warn: (text: string) => void,
): Promise<Stay[]> {
  if (options.stays !== undefined) {
    if (files.length > 0) {
      throw new InvalidArgumentError(
        `Give either provider files (${files.join(", ")}) or --stays ${options.stays}, not both.`,
      );
    }
    return readStaysCsv(options.stays);
  }
  if (files.length === 0) {
    throw new InvalidArgumentError(
      "Missing input: give provider files, one file per person, or a stays CSV with --stays.",
    );
  }
  const isStaysCsv =
    files.length === 1 &&
    options.kind === undefined &&
    (await hasCsvHeader(files[0]!, STAYS_CSV_COLUMNS));
  if (isStaysCsv) {
    return readStaysCsv(files[0]!);
  }

  const persons = await readPersonRecords(files, readOptionsOf(options), warn);
  return persons.flatMap((person) =>
    staysOfRoute(buildPersonRoute(person, warn).route),
  );
}

/** Returns the exposure windows of `--from` and `--to` and of each `--window`. */
function windowsOf(options: ExposureCommandOptions): TimeInterval[] {
  if ((options.from === undefined) !== (options.to === undefined)) {
    throw new InvalidArgumentError(
      "--from and --to go together: give both, or give --window.",
    );
  }
  const windows = [...options.window];
  if (options.from !== undefined && options.to !== undefined) {
    if (!(options.from < options.to)) {
      throw new InvalidArgumentError(
        "Invalid window: --from must come before --to. Give an earlier --from or a later --to.",
      );
    }
    windows.push({ startsAt: options.from, endsAt: options.to });
  }
  if (windows.length === 0) {
    throw new InvalidArgumentError(
      "Missing exposure window: give --from and --to, or --window FROM/UNTIL.",
    );
  }
  return windows;
}

async function placeOf(
  options: ExposureCommandOptions,
): Promise<ExposurePlace> {
  const hasCoordinates =
    options.latitude !== undefined || options.longitude !== undefined;
  const placeCount = [
    options.place !== undefined,
    hasCoordinates,
    options.polygon !== undefined,
  ].filter(Boolean).length;
  if (placeCount !== 1) {
    throw new InvalidArgumentError(
      "Give the place once: as --place LAT,LON, as --latitude and --longitude, or as --polygon.",
    );
  }
  if (options.polygon !== undefined) {
    return readPolygon(options.polygon);
  }
  if (options.place !== undefined) {
    return { ...options.place, radiusMeters: options.radius };
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

/** Returns every source behind a fused route stay, or undefined for a stay of a stays CSV. */
function sourcesOfStay(stay: Stay | undefined): readonly string[] | undefined {
  return stay !== undefined && "sources" in stay
    ? (stay.sources as readonly string[])
    : undefined;
}

/**
 * Formats the result as CSV. `sourcesOfStay` returns every source behind a
 * fused stay; where it returns nothing, the stay's `source` alone counts.
 */
function exposureCsv(
  result: ExposureResult,
  sourcesOfStay: (stayId: string) => readonly string[] | undefined,
): string {
  const lines = [EXPOSURE_CSV_HEADER];
  for (const person of result.persons) {
    const fields = [
      person.personId,
      String(person.minutes),
      String(person.possibleMinutes),
      formatInstant(person.firstSeenAt),
      formatInstant(person.lastSeenAt),
      person.stays.map((stay) => stay.stayId).join(" "),
      [
        ...new Set(
          person.stays.flatMap(
            (stay) => sourcesOfStay(stay.stayId) ?? [stay.source],
          ),
        ),
      ]
        .sort()
        .join(" "),
    ];
    lines.push(fields.map(quoteCsvField).join(","));
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

function parsePlace(value: string): { latitude: number; longitude: number } {
  const parts = value.split(",");
  if (parts.length !== 2) {
    throw new InvalidArgumentError(
      `Invalid place ${JSON.stringify(value)}: expected LAT,LON in decimal degrees, such as 37.5340,126.9940.`,
    );
  }
  return {
    latitude: parseLatitude(parts[0]!),
    longitude: parseLongitude(parts[1]!),
  };
}

/**
 * Parses `--from` or `--to`: an ISO 8601 instant with a zone, or a Seoul
 * date, which means the start of that day (`--from`) or its end (`--to`).
 */
function parseBoundary(value: string, side: "start" | "end"): number {
  if (isCalendarDate(value)) {
    return side === "start" ? seoulDayStart(value) : seoulDayEnd(value);
  }
  return parseInstant(value);
}
