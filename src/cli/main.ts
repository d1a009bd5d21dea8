import { Command } from "commander";

type Register = (program: Command) => void;

/**
 * The top-level commands that each module registers, in the order in
 * which they must register: the provider import adds its action to the
 * `import` command that registers `import ds4c` and its siblings.
 */
const COMMAND_MODULES: readonly {
  names: readonly string[];
  load: () => Promise<Register>;
}[] = [
  {
    names: ["serve"],
    load: async () =>
      (await import("./commands/serve.js")).registerServeCommand,
  },
  {
    names: ["import"],
    load: async () =>
      (await import("./commands/import.js")).registerImportCommand,
  },
  {
    names: ["import", "validate"],
    load: async () =>
      (await import("./commands/import-provider.js"))
        .registerProviderImportCommands,
  },
  {
    names: ["audit"],
    load: async () =>
      (await import("./commands/audit.js")).registerAuditCommand,
  },
  {
    names: ["audit"],
    load: async () =>
      (await import("./commands/audit-review.js")).registerAuditReviewCommand,
  },
  {
    names: ["demo"],
    load: async () => (await import("./commands/demo.js")).registerDemoCommand,
  },
  {
    names: ["purge"],
    load: async () =>
      (await import("./commands/purge.js")).registerPurgeCommand,
  },
  {
    names: ["backup"],
    load: async () =>
      (await import("./commands/backup.js")).registerBackupCommand,
  },
  {
    names: ["keys"],
    load: async () => (await import("./commands/keys.js")).registerKeysCommand,
  },
  {
    names: ["staypoints"],
    load: async () =>
      (await import("./commands/staypoints.js")).registerStaypointsCommand,
  },
  {
    names: ["route"],
    load: async () =>
      (await import("./commands/route.js")).registerRouteCommand,
  },
  {
    names: ["contacts"],
    load: async () =>
      (await import("./commands/contacts.js")).registerContactsCommand,
  },
  {
    names: ["exposure"],
    load: async () =>
      (await import("./commands/exposure.js")).registerExposureCommand,
  },
  {
    names: ["hotspots"],
    load: async () =>
      (await import("./commands/hotspots.js")).registerHotspotsCommand,
  },
  {
    names: ["provider"],
    load: async () =>
      (await import("./commands/provider.js")).registerProviderCommand,
  },
  {
    names: ["generate"],
    load: async () =>
      (await import("./commands/generate.js")).registerGenerateCommand,
  },
];

/**
 * Builds the `epitrace` command line. Given the name of the command to
 * run, it loads only the modules of that command, because loading those
 * of every command took about half a second. Given none, or a name that
 * no command has, it registers every command, for help and suggestions.
 */
export async function buildProgram(commandName?: string): Promise<Command> {
  const program = new Command("epitrace")
    .description("Epidemic investigation support: routes, contacts, hotspots")
    .showHelpAfterError();

  const named = COMMAND_MODULES.filter(
    (module) => commandName !== undefined && module.names.includes(commandName),
  );
  const modules = named.length > 0 ? named : COMMAND_MODULES;
  const registers = await Promise.all(modules.map((module) => module.load()));
  for (const register of registers) {
    register(program);
  }
  return program;
}

/** Parses `argv` (as `process.argv` gives it) and runs the chosen command. */
export async function main(argv: readonly string[]): Promise<void> {
  process.stdout.on("error", endOnClosedPipe);
  const program = await buildProgram(argv[2]);
  await program.parseAsync([...argv]);
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
