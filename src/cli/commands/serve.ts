import type { Command } from "commander";

import { readSettings } from "../../config/settings.js";
import type { RunningSystem } from "../../server/index.js";

/** Registers `epitrace serve`. */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description(
      "start the server on HOST:PORT (default 127.0.0.1:8080) with the store in EPITRACE_DATA_DIR",
    )
    .action(async () => {
      // Loaded here, so that the other commands start without the server.
      const { startSystem } = await import("../../server/index.js");
      const system = await startSystem({ settings: readSettings() });
      printWelcome(system);
      stopOnSignal(system);
    });
}

/**
 * Prints where the server listens and, on the first start, the one-time
 * password of the administrator. The password goes to the terminal only,
 * never to the log.
 */
export function printWelcome(system: RunningSystem): void {
  const lines = [`epitrace is running at ${system.url}`];
  if (system.bootstrap !== null) {
    lines.push(
      "",
      "An administrator account was created for this new store:",
      `  username: ${system.bootstrap.username}`,
      `  one-time password: ${system.bootstrap.oneTimePassword}`,
      "This password is shown once. Sign in and choose a new one.",
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Closes the server and the store on SIGINT or SIGTERM. */
export function stopOnSignal(system: RunningSystem): void {
  const stop = () => {
    system.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("Stopping failed:", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
