import path from "node:path";

import type { Command } from "commander";

import { readSettings } from "../../config/settings.js";
import { createTerminalProgress } from "../../ingest/progress.js";
import { importProviderFiles } from "../../ingest/provider/index.js";
import { formatImportReport } from "../../ingest/report.js";
import { openFieldKeys } from "../../privacy/index.js";
import { openStore } from "../../store/index.js";
import {
  addProviderReadOptions,
  outputWriter,
  registerValidateCommand,
  toReadOptions,
  type ProviderCommandOptions,
} from "./validate.js";
import { failImport } from "./import-failure.js";

interface ProviderImportCommandOptions extends Partial<ProviderCommandOptions> {
  skipInvalid?: true;
  rejectedFile?: string;
}

/**
 * Registers `epitrace validate FILE...` and `epitrace import FILE... --kind
 * KIND`. The import becomes the default action of an `import` command that
 * is already registered, so `import ds4c DIR` and its siblings keep working;
 * register those first.
 */
export function registerProviderImportCommands(program: Command): void {
  registerValidateCommand(program);
  const existing = program.commands.find(
    (command) => command.name() === "import",
  );
  const importCommand =
    existing ??
    program
      .command("import")
      .description(
        "Import source data into the store in EPITRACE_DATA_DIR, one transaction per import.",
      );
  addProviderImportAction(program, importCommand);
}

/**
 * Gives `import` the action that imports provider files. Options are read
 * by position, so the options of `import ds4c` after its name stay its own,
 * although both commands have `--skip-invalid`.
 */
export function addProviderImportAction(
  program: Command,
  importCommand: Command,
): void {
  program.enablePositionalOptions();
  importCommand.enablePositionalOptions();
  const command = importCommand
    .argument(
      "[files...]",
      "provider files to import as location records, one person per subject (or all of the --subject person)",
    )
    .option(
      "--skip-invalid",
      "store the valid rows and write the rejected ones to a CSV file",
    )
    .option(
      "--rejected-file <path>",
      "CSV file for the rejected rows with --skip-invalid (default: a new file under EPITRACE_DATA_DIR/rejected)",
    );
  addProviderReadOptions(command, { kindRequired: false }).action(
    runProviderImport,
  );
}

async function runProviderImport(
  files: string[],
  options: ProviderImportCommandOptions,
  command: Command,
): Promise<void> {
  if (files.length === 0) {
    command.help({ error: true });
  }
  if (options.kind === undefined) {
    command.error(
      "Missing --kind: epitrace import FILE... needs the kind of provider data: base-station, card, gps, checkin or interview. Add --subject ID too when the files have no subject column.",
      { exitCode: 1, code: "epitrace.import.options" },
    );
  }

  const write = outputWriter(command);
  const settings = readSettings();
  const readOptions = toReadOptions(options as ProviderCommandOptions);
  const rejectedFile =
    options.skipInvalid === true
      ? (options.rejectedFile ??
        defaultRejectedFile(settings.dataDir, files[0]!))
      : undefined;
  const progress = createTerminalProgress(process.stderr);
  const keys = openFieldKeys(settings.dataDir);
  const store = await openStore({ dataDir: settings.dataDir });
  let failure: unknown;
  try {
    const result = await importProviderFiles(store, files, {
      ...readOptions,
      keys,
      skipInvalid: options.skipInvalid === true,
      rejectedFile,
      progress,
    });
    write(`${formatImportReport(result.report)}\n`);
    if (result.rejectedFile !== null) {
      write(`  rejected rows written to ${result.rejectedFile}\n`);
    }
  } catch (error) {
    failure = error;
  } finally {
    progress.stop();
    await store.close();
    keys.close();
  }
  reportFailure(command, failure);
}

function reportFailure(command: Command, failure: unknown): void {
  if (failure !== undefined) {
    failImport(command, "epitrace import", failure);
  }
}

function defaultRejectedFile(dataDir: string, firstFile: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return path.join(
    dataDir,
    "rejected",
    `${path.basename(firstFile)}.${stamp}.rejected.csv`,
  );
}
