import { Command, CommanderError } from "commander";
import { registerRouteCommand } from "./src/cli/commands/route.js";
const program = new Command("epitrace").exitOverride();
registerRouteCommand(program);
program.commands.forEach((c) => c.exitOverride());
try { await program.parseAsync(process.argv.slice(2), { from: "user" }); } catch (e) { if (!(e instanceof CommanderError)) throw e; process.exitCode = e.exitCode; }
