import { Command, InvalidArgumentError } from "commander";

import { commandLineActor } from "../../audit/index.js";
import { readSettings } from "../../config/settings.js";
import { isCalendarDate } from "../../domain/index.js";
import { openFieldKeys } from "../../privacy/index.js";
import {
  purgeCase,
  readRetentionSettings,
  runRetention,
  type DestructionCertificate,
  type PurgeContext,
} from "../../retention/index.js";
import { openStore } from "../../store/index.js";

interface PurgeCommandOptions {
  case?: string;
  dryRun?: boolean;
  epidemicEnded?: string;
  authority: string;
}

/** Registers `epitrace purge`. */
export function registerPurgeCommand(program: Command): void {
  program
    .command("purge")
    .description(
      "destroy personal data past retention, or all of one case, then its data key; prints a destruction certificate per case",
    )
    .option("--case <number>", "purge this case whole, whatever its retention")
    .option(
      "--epidemic-ended <date>",
      "Seoul day (YYYY-MM-DD) the end of the epidemic was declared; from that day every case is purged whole",
      parseDate,
    )
    .option("--dry-run", "count what would be destroyed and change nothing")
    .requiredOption(
      "--authority <text>",
      "the decision or rule the purge runs under, written into each certificate",
    )
    .action(async (options: PurgeCommandOptions) => {
      const certificates = await runPurge(options);
      process.stdout.write(`${JSON.stringify(certificates, null, 2)}\n`);
      if (certificates.length === 0) {
        process.stderr.write("Nothing to purge.\n");
      }
    });
}

async function runPurge(
  options: PurgeCommandOptions,
): Promise<DestructionCertificate[]> {
  const authority = options.authority.trim();
  if (authority === "") {
    throw new InvalidArgumentError(
      "Invalid --authority: state the decision or rule the purge runs under.",
    );
  }
  const settings = readSettings();
  const store = await openStore({ dataDir: settings.dataDir });
  const keys = openFieldKeys(settings.dataDir);
  const context: PurgeContext = {
    store,
    keys,
    dataDir: settings.dataDir,
    actor: commandLineActor("purge"),
  };
  try {
    if (options.case !== undefined) {
      const kase = await store.db
        .selectFrom("cases")
        .selectAll()
        .where("case_number", "=", options.case)
        .executeTakeFirst();
      if (kase === undefined) {
        throw new Error(`Case ${JSON.stringify(options.case)} not found.`);
      }
      return [
        await purgeCase(context, kase, {
          authority,
          dryRun: options.dryRun === true,
        }),
      ];
    }
    return await runRetention(context, {
      settings: readRetentionSettings(),
      authority,
      epidemicEndedDate: options.epidemicEnded,
      dryRun: options.dryRun === true,
    });
  } finally {
    await store.close();
    keys.close();
  }
}

function parseDate(value: string): string {
  if (!isCalendarDate(value)) {
    throw new InvalidArgumentError(
      `Invalid date ${JSON.stringify(value)}: expected YYYY-MM-DD.`,
    );
  }
  return value;
}
