import type { Command } from "commander";

import { readSettings } from "../../config/settings.js";
import { importBoundaries } from "../../ingest/boundaries/index.js";
import { importDs4c } from "../../ingest/ds4c/index.js";
import { importGeolife } from "../../ingest/geolife/index.js";
import { createTerminalProgress } from "../../ingest/progress.js";
import { formatImportReport, type ImportReport } from "../../ingest/report.js";
import { openStore, type Store } from "../../store/index.js";
import { failImport } from "./import-failure.js";

interface SkipInvalidOption {
  skipInvalid?: true;
}

interface GeolifeCommandOptions extends SkipInvalidOption {
  registerCasesAt?: string;
}

const SKIP_INVALID_HELP =
  "store the valid rows and list the invalid ones, in place of failing the whole import";

/** Registers `epitrace import ds4c|geolife|boundaries`. */
export function registerImportCommand(program: Command): void {
  const command = program
    .command("import")
    .description(
      "Import source data into the store in EPITRACE_DATA_DIR, one transaction per import. " +
        "Content imported before is skipped.",
    );

  command
    .command("ds4c")
    .description("import the patients and visited places of a DS4C release")
    .argument(
      "<dir>",
      "folder that contains PatientInfo.csv and PatientRoute.csv",
    )
    .option("--skip-invalid", SKIP_INVALID_HELP)
    .action((dir: string, options: SkipInvalidOption, self: Command) =>
      runImport(self, (store, progress) =>
        importDs4c(store, dir, {
          progress,
          skipInvalid: options.skipInvalid === true,
        }),
      ),
    );

  command
    .command("geolife")
    .description(
      "import GeoLife GPS trajectories (times in UTC) as position fixes, and detect their stays",
    )
    .argument(
      "<path>",
      "a .plt file, a user folder containing Trajectory/*.plt, or a folder of user folders named by user id",
    )
    .option(
      "--register-cases-at <organisation>",
      "name of the organisation at which to register an open case GL-<user id> per user",
    )
    .option("--skip-invalid", SKIP_INVALID_HELP)
    .action(
      (inputPath: string, options: GeolifeCommandOptions, self: Command) =>
        runImport(self, async (store, progress) => {
          const organisationId =
            options.registerCasesAt === undefined
              ? undefined
              : await findOrganisationId(store, options.registerCasesAt);
          return importGeolife(store, inputPath, {
            progress,
            skipInvalid: options.skipInvalid === true,
            ...(organisationId === undefined
              ? {}
              : { registerCasesAt: organisationId }),
          });
        }),
    );

  command
    .command("boundaries")
    .description(
      "import KOSTAT administrative boundaries (GeoJSON or TopoJSON) and label every stored location again",
    )
    .argument(
      "<files...>",
      "boundary files, such as the province, si/gun/gu and eup/myeon/dong levels",
    )
    .option("--skip-invalid", SKIP_INVALID_HELP)
    .action((files: string[], options: SkipInvalidOption, self: Command) =>
      runImport(self, (store, progress) =>
        importBoundaries(store, files, {
          progress,
          skipInvalid: options.skipInvalid === true,
        }),
      ),
    );
}

type ImportRun = (
  store: Store,
  progress: ReturnType<typeof createTerminalProgress>,
) => Promise<ImportReport>;

/**
 * Opens the store, runs one import with a progress bar on a terminal, and
 * prints its report. On failure it prints the reason (and the report of
 * the rejected rows) and exits with status 1 through commander.
 */
async function runImport(command: Command, run: ImportRun): Promise<void> {
  const output = command.configureOutput();
  const progress = createTerminalProgress(process.stderr);
  let failure: unknown;
  const store = await openStore({ dataDir: readSettings().dataDir });
  try {
    const report = await run(store, progress);
    output.writeOut?.(`${formatImportReport(report)}\n`);
  } catch (error) {
    failure = error;
  } finally {
    progress.stop();
    await store.close();
  }

  if (failure !== undefined) {
    failImport(command, `epitrace import ${command.name()}`, failure);
  }
}

async function findOrganisationId(store: Store, name: string): Promise<string> {
  const found = await store.db
    .selectFrom("organisations")
    .select("id")
    .where("name", "=", name)
    .executeTakeFirst();
  if (found !== undefined) {
    return found.id;
  }

  const known = await store.db
    .selectFrom("organisations")
    .select("name")
    .orderBy("name")
    .limit(20)
    .execute();
  const list =
    known.length === 0 ? "none yet" : known.map((row) => row.name).join(", ");
  throw new Error(
    `Organisation ${JSON.stringify(name)} not found. Give the exact name of an existing organisation (known: ${list}).`,
  );
}
