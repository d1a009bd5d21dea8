import { Command } from "commander";

import { registerAuditCommand } from "./commands/audit.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerImportCommand } from "./commands/import.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerStaypointsCommand } from "./commands/staypoints.js";

/** Builds the `epitrace` command line with every command registered. */
export function buildProgram(): Command {
  const program = new Command("epitrace")
    .description("Epidemic investigation support: routes, contacts, hotspots")
    .showHelpAfterError();

  registerServeCommand(program);
  registerImportCommand(program);
  registerAuditCommand(program);
  registerDemoCommand(program);
  registerStaypointsCommand(program);

  return program;
}

/** Parses `argv` (as `process.argv` gives it) and runs the chosen command. */
export async function main(argv: readonly string[]): Promise<void> {
  await buildProgram().parseAsync([...argv]);
}
