import { Command } from "commander";

import { registerAuditReviewCommand } from "./commands/audit-review.js";
import { registerAuditCommand } from "./commands/audit.js";
import { registerBackupCommand } from "./commands/backup.js";
import { registerContactsCommand } from "./commands/contacts.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerExposureCommand } from "./commands/exposure.js";
import { registerGenerateCommand } from "./commands/generate.js";
import { registerHotspotsCommand } from "./commands/hotspots.js";
import { registerProviderImportCommands } from "./commands/import-provider.js";
import { registerImportCommand } from "./commands/import.js";
import { registerKeysCommand } from "./commands/keys.js";
import { registerProviderCommand } from "./commands/provider.js";
import { registerPurgeCommand } from "./commands/purge.js";
import { registerRouteCommand } from "./commands/route.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerStaypointsCommand } from "./commands/staypoints.js";

/** Builds the `epitrace` command line with every command registered. */
export function buildProgram(): Command {
  const program = new Command("epitrace")
    .description("Epidemic investigation support: routes, contacts, hotspots")
    .showHelpAfterError();

  registerServeCommand(program);
  registerImportCommand(program);
  registerProviderImportCommands(program);
  registerAuditCommand(program);
  registerAuditReviewCommand(program);
  registerDemoCommand(program);
  registerPurgeCommand(program);
  registerBackupCommand(program);
  registerKeysCommand(program);
  registerStaypointsCommand(program);
  registerRouteCommand(program);
  registerContactsCommand(program);
  registerExposureCommand(program);
  registerHotspotsCommand(program);
  registerProviderCommand(program);
  registerGenerateCommand(program);

  return program;
}

/** Parses `argv` (as `process.argv` gives it) and runs the chosen command. */
export async function main(argv: readonly string[]): Promise<void> {
  process.stdout.on("error", endOnClosedPipe);
  await buildProgram().parseAsync([...argv]);
}

/**
 * Ends the process quietly when the reader of standard output has gone,
 * as `epitrace route FILE | head` does once it has its lines. Any other
 * write error is raised.
 */
function endOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== "EPIPE") {
    throw error;
  }
  process.exit(0);
}
