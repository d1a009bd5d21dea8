import type { Command } from "commander";

/**
 * Ends a command that ran but failed, with its message and exit code and
 * without the help text that the program shows after usage errors.
 */
export function failCommand(
  command: Command,
  message: string,
  options: { exitCode: number; code: string },
): never {
  command.showHelpAfterError(false);
  return command.error(message, options);
}
