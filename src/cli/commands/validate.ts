import { InvalidArgumentError, Option, type Command } from "commander";

import {
  DEFAULT_MAX_LINE_LENGTH,
  DEFAULT_ZONE,
  ENCODING_CHOICES,
  formatValidation,
  PROVIDER_FORMATS,
  PROVIDER_KINDS,
  recordJson,
  rejectedJson,
  summaryJson,
  validateProviderFiles,
  type EncodingChoice,
  type ProviderFormat,
  type ProviderKind,
  type ProviderReadOptions,
  type ProviderValidateOptions,
  type ProviderValidation,
} from "../../ingest/provider/index.js";
import { failCommand } from "../fail.js";

/** The options that `validate` and the provider import share, as commander parses them. */
export interface ProviderCommandOptions {
  kind: ProviderKind;
  format?: ProviderFormat;
  encoding: EncodingChoice;
  zone: string;
  dateFormat?: string;
  year?: number;
  subject?: string;
  maxLineLength: number;
}

interface ValidateCommandOptions extends ProviderCommandOptions {
  json?: true;
}

/** JSON lines written per call, so that large files are not printed one line at a time. */
const LINES_PER_WRITE = 1_000;

/**
 * Adds the options that set how provider files are read. With `kindRequired`
 * false, commander does not require `--kind`, so that subcommands of the
 * same command still run without it. The action must then check it itself.
 */
export function addProviderReadOptions(
  command: Command,
  { kindRequired = true }: { kindRequired?: boolean } = {},
): Command {
  return command
    .addOption(
      new Option("--kind <kind>", "kind of provider data")
        .choices(PROVIDER_KINDS)
        .makeOptionMandatory(kindRequired),
    )
    .addOption(
      new Option(
        "--format <format>",
        "file format (default: from the extension, .csv .geojson .gpx .kml .json, and csv for others)",
      ).choices(PROVIDER_FORMATS),
    )
    .addOption(
      new Option(
        "--encoding <encoding>",
        "text encoding; auto takes valid UTF-8 as UTF-8 and anything else as CP949",
      )
        .choices(ENCODING_CHOICES)
        .default("auto"),
    )
    .option(
      "--zone <zone>",
      "IANA time zone of times written without a UTC offset",
      DEFAULT_ZONE,
    )
    .option(
      "--date-format <format>",
      "order of numeric dates that do not start with the year, such as DD/MM/YYYY or MM/DD/YYYY",
    )
    .option(
      "--year <year>",
      "year of dates written without one, such as 3월 5일",
      parseYear,
    )
    .option(
      "--subject <id>",
      "id of the person every record belongs to; rows whose subject column names someone else are rejected (default: each subject of the files is its own person)",
    )
    .option(
      "--max-line-length <characters>",
      "longest CSV line accepted; longer lines are rejected at their row",
      parsePositiveInteger,
      DEFAULT_MAX_LINE_LENGTH,
    );
}

/** Registers `epitrace validate`. */
export function registerValidateCommand(program: Command): void {
  const command = program
    .command("validate")
    .description(
      "Check provider files and print their normalised records, without a store. " +
        "Exits with status 1 when a row is rejected or a file cannot be read.",
    )
    .argument(
      "<files...>",
      "provider files (CSV, gzip CSV, GeoJSON, GPX, KML or Google Takeout JSON)",
    )
    .option(
      "--json",
      "print one JSON object per line: each rejected row, each record, then a summary",
    );
  addProviderReadOptions(command).action(runValidate);
}

async function runValidate(
  files: string[],
  options: ValidateCommandOptions,
  command: Command,
): Promise<void> {
  const write = outputWriter(command);
  const readOptions: ProviderValidateOptions = toReadOptions(options);
  const lines = new JsonLineBuffer(write);
  if (options.json === true) {
    readOptions.onRejected = (row) => lines.add(rejectedJson(row));
    readOptions.onRecord = (record) => lines.add(recordJson(record));
  } else {
    // The text report counts the records, so none is kept.
    readOptions.onRecord = () => undefined;
  }
  const validation = await validateProviderFiles(files, readOptions);

  if (options.json === true) {
    lines.add(summaryJson(validation));
    lines.flush();
  } else {
    write(`${formatValidation(validation)}\n`);
  }
  failOnProblems(validation, command);
}

/** Converts the parsed command options to the options of `validateProviderFiles`. */
export function toReadOptions(
  options: ProviderCommandOptions,
): ProviderReadOptions {
  return {
    kind: options.kind,
    format: options.format,
    encoding: options.encoding,
    zone: options.zone,
    dateFormat: options.dateFormat,
    year: options.year,
    subject: options.subject,
    maxLineLength: options.maxLineLength,
  };
}

/** Collects JSON lines and writes them in groups, so that large files are not printed one line at a time. */
class JsonLineBuffer {
  readonly #write: (text: string) => void;
  #lines: string[] = [];

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  add(value: Record<string, unknown>): void {
    this.#lines.push(`${JSON.stringify(value)}\n`);
    if (this.#lines.length >= LINES_PER_WRITE) {
      this.flush();
    }
  }

  flush(): void {
    if (this.#lines.length > 0) {
      this.#write(this.#lines.join(""));
      this.#lines = [];
    }
  }
}

function failOnProblems(
  validation: ProviderValidation,
  command: Command,
): void {
  const unreadable = validation.fileErrors.length;
  if (validation.rowsRejected === 0 && unreadable === 0) {
    return;
  }
  failCommand(
    command,
    `Validation failed: ${validation.rowsRejected} row(s) rejected and ${unreadable} file(s) not read. Fix the files and rows listed above and validate again.`,
    { exitCode: 1, code: "epitrace.validation" },
  );
}

/** Returns the function that writes to the program's standard output. */
export function outputWriter(command: Command): (text: string) => void {
  let root = command;
  while (root.parent !== null) {
    root = root.parent;
  }
  const output = root.configureOutput();
  return (text) => {
    if (output.writeOut === undefined) {
      process.stdout.write(text);
    } else {
      output.writeOut(text);
    }
  };
}

function parseYear(value: string): number {
  const year = Number(value);
  if (!/^\d{4}$/.test(value) || year < 1900) {
    throw new InvalidArgumentError(
      "Expected a year of four digits, such as 2020.",
    );
  }
  return year;
}

function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1) {
    throw new InvalidArgumentError("Expected a whole number of 1 or more.");
  }
  return number;
}
