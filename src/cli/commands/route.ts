import { InvalidArgumentError, type Command } from "commander";

import {
  buildRoute,
  routeInputFromRecords,
  routeTimeSlots,
  type Route,
  type RouteDateOnlyStay,
  type RouteMove,
  type RouteStay,
  type TimeSlot,
} from "../../analysis/route/index.js";
import {
  isCalendarDate,
  seoulDateOf,
  seoulDayEnd,
  seoulDayStart,
} from "../../domain/seoul-time.js";
import { loadCaseRoute, type SlotPeriod } from "../../investigation/index.js";
import { presentCaseRoute } from "../../server/routes/analysis/case-route.js";
import {
  type ProviderKind,
  type ProviderRecord,
  type ProviderValidation,
} from "../../ingest/provider/index.js";
import {
  ProviderFilesError,
  readProviderFile,
  recordsOfSubject,
  subjectsOf,
} from "./person-files.js";
import { REASON_HELP, runOnStore } from "./store-analysis.js";
import {
  addProviderReadOptions,
  outputWriter,
  toReadOptions,
  type ProviderCommandOptions,
} from "./validate.js";

interface RouteCommandOptions extends Omit<ProviderCommandOptions, "kind"> {
  kind?: ProviderKind;
  person?: string;
  case?: string;
  reason?: string;
  from?: number;
  to?: number;
  slots?: true;
  json?: true;
}

/** Subjects named in an error about a file with several persons. */
const LISTED_SUBJECTS = 5;

const HOUR_MS = 3_600_000;

/** Registers `epitrace route`. */
export function registerRouteCommand(program: Command): void {
  const command = program
    .command("route")
    .description(
      "Fuse the records of one person from provider files of any kind into a route of stays and moves, " +
        "without a store. Prints one line per stay or move in time order, with Seoul times (UTC+09:00); " +
        "--json prints one JSON object per line with UTC times in ISO 8601. With --case, builds the route " +
        "of a stored case from the store in EPITRACE_DATA_DIR instead, and --json prints the object of " +
        "GET /api/cases/:id/route.",
    )
    .argument(
      "[files...]",
      "provider files (CSV, gzip CSV, GeoJSON, GPX, KML or Google Takeout JSON) of one person",
    )
    .option(
      "--case <id>",
      "number or id (a UUID) of a stored case whose route to build from the store, in place of files",
    )
    .option("--reason <text>", REASON_HELP)
    .option(
      "--person <id>",
      "subject whose records to take from files that hold several subjects; also the route's person id",
    )
    .option(
      "--from <time>",
      "print only what overlaps this instant or later: ISO 8601 with a zone, or a Seoul date YYYY-MM-DD (its start)",
      (value) => parseBoundary(value, "start"),
    )
    .option(
      "--to <time>",
      "print only what overlaps the time before this instant: ISO 8601 with a zone, or a Seoul date YYYY-MM-DD (its end)",
      (value) => parseBoundary(value, "end"),
    )
    .option(
      "--slots",
      "print for each Seoul hour where the person most likely was, and from which source, instead of the stays",
    )
    .option("--json", "print one JSON object per line");
  addProviderReadOptions(command, { kindRequired: false }).action(runRoute);
}

async function runRoute(
  files: string[],
  options: RouteCommandOptions,
  command: Command,
): Promise<void> {
  if (
    options.from !== undefined &&
    options.to !== undefined &&
    options.from >= options.to
  ) {
    command.error(
      "Invalid window: --from must come before --to. Give an earlier --from or a later --to.",
      { exitCode: 1, code: "epitrace.route.window" },
    );
  }
  if (options.case !== undefined) {
    await runRouteOnStore(files, options.case, options, command);
    return;
  }
  if (files.length === 0) {
    command.error(
      "Missing input: give the provider files of one person, or --case with the id of a stored case.",
      { exitCode: 1, code: "epitrace.route.input" },
    );
  }
  const warn = errorWriter(command);
  const records = await readPersonRecords(files, options, command, warn);
  const personId =
    options.person ??
    options.subject ??
    records.find((record) => record.subject !== null)?.subject ??
    "person";

  const { input, unplaced } = routeInputFromRecords(personId, records);
  if (unplaced.length > 0) {
    warn(
      `${unplaced.length} record(s) without a position were left out, such as ${unplaced[0]!.recordId}: geocode their addresses to place them.\n`,
    );
  }
  const route = buildRoute(input);
  if (route.excluded.length > 0) {
    const reasons = [...new Set(route.excluded.map((record) => record.reason))];
    warn(
      `${route.excluded.length} record(s) were left out of the stays (${reasons.join(", ")}).\n`,
    );
  }

  const write = outputWriter(command);
  const lines =
    options.slots === true
      ? slotLines(route, options)
      : routeLines(route, options);
  if (lines.length > 0) {
    write(`${lines.join("\n")}\n`);
  }
}

/**
 * Builds the route of a stored case as `GET /api/cases/:id/route` does,
 * through the case's access check, which writes one audit event. The
 * hourly slots cover the Seoul days of `--from` to `--to` when both are
 * given.
 */
async function runRouteOnStore(
  files: readonly string[],
  caseId: string,
  options: RouteCommandOptions,
  command: Command,
): Promise<void> {
  if (files.length > 0 || options.person !== undefined) {
    command.error(
      `--case reads the route from the store: leave out the files (${files.join(", ") || "none"}) and --person.`,
      { exitCode: 1, code: "epitrace.route.input" },
    );
  }
  const period = storeSlotPeriodOf(options, command);
  const route = await runOnStore(
    command,
    "route",
    { reason: options.reason, caseId },
    (context, storeCaseId) => loadCaseRoute(context, storeCaseId!, period),
  );

  const write = outputWriter(command);
  if (options.json === true) {
    write(`${JSON.stringify(presentCaseRoute(route))}\n`);
    return;
  }
  const lines =
    options.slots === true
      ? route.timeSlots.map(formatSlot)
      : routeLines(route, options);
  if (lines.length > 0) {
    write(`${lines.join("\n")}\n`);
  }
}

/** Returns the Seoul days of the slots from `--from` and `--to`, or undefined for the default. */
function storeSlotPeriodOf(
  options: RouteCommandOptions,
  command: Command,
): SlotPeriod | undefined {
  if (options.slots !== true) {
    return undefined;
  }
  if ((options.from === undefined) !== (options.to === undefined)) {
    command.error(
      "--from and --to go together with --case and --slots: give both Seoul days, or neither for the last days of the route.",
      { exitCode: 1, code: "epitrace.route.window" },
    );
  }
  if (options.from === undefined || options.to === undefined) {
    return undefined;
  }
  return { from: seoulDateOf(options.from), to: seoulDateOf(options.to - 1) };
}

/** Reads every file with its kind and returns the records of the chosen person. */
async function readPersonRecords(
  files: readonly string[],
  options: RouteCommandOptions,
  command: Command,
  warn: (text: string) => void,
): Promise<ProviderRecord[]> {
  const records: ProviderRecord[] = [];
  for (const file of files) {
    const validation = await readFile(file, options, command);
    if (validation.rowsRejected > 0) {
      warn(
        `${validation.rowsRejected} row(s) of ${file} were rejected and left out; run epitrace validate --kind ${validation.kind} on it to list them.\n`,
      );
    }
    records.push(...recordsOfPerson(validation, file, options.person, command));
  }
  if (records.length === 0) {
    command.error(
      "No records to build a route from: the files hold no valid records of the person. Check the files with epitrace validate, or --person.",
      { exitCode: 1, code: "epitrace.route.empty" },
    );
  }
  return records;
}

/**
 * Reads one file as its `--kind`, or else as the kind that its format
 * implies or that reads its header with the fewest ignored columns.
 */
async function readFile(
  file: string,
  options: RouteCommandOptions,
  command: Command,
): Promise<ProviderValidation> {
  const base = toReadOptions({ ...options, kind: options.kind ?? "gps" });
  try {
    return await readProviderFile(file, { ...base, kind: options.kind });
  } catch (error) {
    if (error instanceof ProviderFilesError) {
      return command.error(error.message, {
        exitCode: 1,
        code: "epitrace.route.file",
      });
    }
    throw error;
  }
}

/**
 * Returns the records of the person in one file. A file with one subject,
 * or none, belongs to the person. Of a file with several, only the records
 * of `--person` are taken, and without `--person` the command fails.
 */
function recordsOfPerson(
  validation: ProviderValidation,
  file: string,
  person: string | undefined,
  command: Command,
): ProviderRecord[] {
  const subjects = subjectsOf(validation.records);
  if (subjects.length <= 1) {
    return validation.records;
  }
  if (person === undefined) {
    const listed = subjects.slice(0, LISTED_SUBJECTS).join(", ");
    return command.error(
      `${file} holds the records of ${subjects.length} subjects (${listed}${subjects.length > LISTED_SUBJECTS ? ", ..." : ""}). Give --person with the subject whose route to build.`,
      { exitCode: 1, code: "epitrace.route.subjects" },
    );
  }
  return recordsOfSubject(validation.records, person);
}

/** Returns the lines of the route's stays and moves inside the window, in time order. */
function routeLines(
  route: Pick<Route, "stays" | "dateOnlyStays" | "moves">,
  options: RouteCommandOptions,
): string[] {
  const window = windowOf(options);
  const items: { sortAt: number; line: string }[] = [];

  for (const stay of route.dateOnlyStays) {
    if (isDateInWindow(stay.visitDate, window)) {
      items.push({
        sortAt: seoulDayStart(stay.visitDate),
        line: formatDateOnlyStay(stay, options),
      });
    }
  }

  const staysById = new Map(route.stays.map((stay) => [stay.id, stay]));
  const movesByOrigin = new Map(
    route.moves.map((move) => [move.fromStayId, move]),
  );
  for (const stay of route.stays) {
    if (overlapsWindow(stay.startedAt, stay.finishedAt, window)) {
      items.push({ sortAt: stay.startedAt, line: formatStay(stay, options) });
    }
    const move = movesByOrigin.get(stay.id);
    if (
      move !== undefined &&
      overlapsWindow(move.startedAt, move.endedAt, window)
    ) {
      // A move follows its origin even when it starts at the same instant as another stay.
      items.push({
        sortAt: Math.max(stay.startedAt, move.startedAt),
        line: formatMove(move, staysById, options),
      });
    }
  }

  // Array.prototype.sort is stable, so equal instants keep the order above.
  return items.sort((a, b) => a.sortAt - b.sortAt).map((item) => item.line);
}

function slotLines(route: Route, options: RouteCommandOptions): string[] {
  const period = slotPeriod(route, options);
  if (period === null) {
    return [];
  }
  return routeTimeSlots(route, period).map((slot) =>
    options.json === true
      ? JSON.stringify({ type: "slot", ...jsonFields(slot) })
      : formatSlot(slot),
  );
}

/** Returns the period of the slots: the window, or else the hours from the route's first to its last stay. */
function slotPeriod(
  route: Route,
  options: RouteCommandOptions,
): { startsAt: number; endsAt: number } | null {
  const starts = [
    ...route.stays.map((stay) => stay.startedAt),
    ...route.dateOnlyStays.map((stay) => seoulDayStart(stay.visitDate)),
  ];
  const ends = [
    ...route.stays.map((stay) => stay.finishedAt),
    ...route.dateOnlyStays.map((stay) => seoulDayEnd(stay.visitDate)),
  ];
  const startsAt = options.from ?? Math.min(...starts);
  const endsAt = options.to ?? Math.max(...ends, startsAt + 1);
  if (!Number.isFinite(startsAt) || !Number.isFinite(endsAt)) {
    return null;
  }
  // A route of one instant still gets the hour that contains it.
  return { startsAt, endsAt: Math.max(endsAt, startsAt + 1) };
}

interface Window {
  readonly from: number;
  readonly to: number;
}

function windowOf(options: RouteCommandOptions): Window {
  return {
    from: options.from ?? Number.NEGATIVE_INFINITY,
    to: options.to ?? Number.POSITIVE_INFINITY,
  };
}

function overlapsWindow(start: number, end: number, window: Window): boolean {
  return (
    start < window.to &&
    (end > window.from || (start === end && start >= window.from))
  );
}

function isDateInWindow(date: string, window: Window): boolean {
  return seoulDayStart(date) < window.to && seoulDayEnd(date) > window.from;
}

function formatStay(stay: RouteStay, options: RouteCommandOptions): string {
  if (options.json === true) {
    return JSON.stringify({ type: "stay", ...jsonFields(stay) });
  }
  const fields = [
    "stay",
    stay.id,
    formatStaySpan(stay),
    stay.placeLabel,
    formatPlace(stay.latitude, stay.longitude, stay.radiusMeters),
    stay.sources.join("+"),
    `confidence ${stay.confidence.toFixed(2)} ${stay.confidenceLevel}`,
  ];
  if (stay.timing === "estimated") {
    fields.push("estimated times");
  }
  if (stay.area !== null) {
    fields.push(stay.area);
  }
  if (stay.conflictsWith.length > 0) {
    fields.push(`conflict with ${stay.conflictsWith.join(", ")}`);
  }
  return fields.join("  ");
}

function formatDateOnlyStay(
  stay: RouteDateOnlyStay,
  options: RouteCommandOptions,
): string {
  if (options.json === true) {
    return JSON.stringify({ type: "stay", ...jsonFields(stay) });
  }
  return [
    "stay",
    stay.id,
    `${stay.visitDate} (time unknown)`,
    stay.placeLabel,
    formatPlace(stay.latitude, stay.longitude, stay.radiusMeters),
    stay.sources.join("+"),
    `confidence ${stay.confidence.toFixed(2)} ${stay.confidenceLevel}`,
  ].join("  ");
}

function formatMove(
  move: RouteMove,
  staysById: ReadonlyMap<string, RouteStay>,
  options: RouteCommandOptions,
): string {
  if (options.json === true) {
    return JSON.stringify({ type: "move", ...jsonFields(move) });
  }
  const from = staysById.get(move.fromStayId)?.placeLabel ?? move.fromStayId;
  const to = staysById.get(move.toStayId)?.placeLabel ?? move.toStayId;
  return [
    // A gap with no data is labelled apart, so it is not read as travel.
    move.noData ? "no-data" : "move",
    move.id,
    formatSpan(move.startedAt, move.endedAt),
    `${from} -> ${to}`,
    formatDistance(move.distanceMeters),
  ].join("  ");
}

function formatSlot(slot: TimeSlot): string {
  const fields = ["slot", formatSpan(slot.startsAt, slot.endsAt), slot.status];
  if (slot.status === "move") {
    fields.push(slot.moveId ?? "");
  }
  if (slot.placeLabel !== null) {
    fields.push(slot.placeLabel, slot.sources.join("+"));
  }
  if (slot.confidence !== null) {
    fields.push(`confidence ${slot.confidence.toFixed(2)}`);
  }
  if (slot.status === "stay") {
    fields.push(`${Math.round(slot.certainMinutes)} min certain`);
  }
  return fields.join("  ");
}

/** Formats the certain part of a stay, and its possible end when that comes later. */
function formatStaySpan(stay: RouteStay): string {
  const certain = formatSpan(stay.startedAt, stay.lastFixAt);
  if (stay.finishedAt === stay.lastFixAt) {
    return certain;
  }
  const possibleEnd = formatSeoulTime(stay.finishedAt);
  const sameDay =
    possibleEnd.slice(0, 10) === formatSeoulTime(stay.lastFixAt).slice(0, 10);
  return `${certain} (possibly to ${sameDay ? possibleEnd.slice(11) : possibleEnd})`;
}

/** Formats a span in Seoul time, such as `2024-03-05 09:00-10:30`, with the end date when it differs. */
function formatSpan(start: number, end: number): string {
  const startText = formatSeoulTime(start);
  const endText = formatSeoulTime(end);
  const endShown =
    startText.slice(0, 10) === endText.slice(0, 10)
      ? endText.slice(11)
      : endText;
  return `${startText}-${endShown}`;
}

/** Formats an instant as Seoul time `YYYY-MM-DD HH:MM`. */
function formatSeoulTime(instant: number): string {
  const local = new Date(instant + 9 * HOUR_MS).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

function formatPlace(
  latitude: number,
  longitude: number,
  radiusMeters: number,
): string {
  return `${latitude.toFixed(6)},${longitude.toFixed(6)} ±${Math.round(radiusMeters)} m`;
}

function formatDistance(meters: number): string {
  return meters < 1000
    ? `${Math.round(meters)} m`
    : `${(meters / 1000).toFixed(1)} km`;
}

/** Returns the fields of a stay, move or slot with snake-case names and UTC ISO 8601 instants. */
function jsonFields(item: object): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    const name = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    const isInstant = /At$|^observed(From|To)$/.test(key);
    fields[name] =
      isInstant && typeof value === "number"
        ? new Date(value).toISOString()
        : value;
  }
  return fields;
}

/**
 * Parses `--from` or `--to`: an ISO 8601 instant with a zone, or a Seoul
 * date, which stands for the start of that day (`--from`) or its end (`--to`).
 */
function parseBoundary(value: string, side: "start" | "end"): number {
  if (isCalendarDate(value)) {
    return side === "start" ? seoulDayStart(value) : seoulDayEnd(value);
  }
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const instant = Date.parse(value);
  if (!hasZone || Number.isNaN(instant)) {
    throw new InvalidArgumentError(
      "Expected an ISO 8601 instant with a zone, such as 2024-03-05T09:00:00+09:00, or a date YYYY-MM-DD.",
    );
  }
  return instant;
}

/** Returns the function that writes to the program's standard error. */
function errorWriter(command: Command): (text: string) => void {
  let root = command;
  while (root.parent !== null) {
    root = root.parent;
  }
  const output = root.configureOutput();
  return (text) => {
    if (output.writeErr === undefined) {
      process.stderr.write(text);
    } else {
      output.writeErr(text);
    }
  };
}
