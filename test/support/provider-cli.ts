import fs from "node:fs";

import { Command } from "commander";

import { registerProviderCommand } from "../../src/cli/commands/provider.js";
import type { RunningSystem } from "../../src/server/index.js";
import { createKey } from "../requests/fixtures.js";
import { captureStdout } from "./stdout.js";
import type { ApiClient } from "./system.js";

/**
 * Runs `epitrace provider ...` in this process and returns what it wrote to
 * standard output. Commander's exits become thrown errors. With
 * `silenceErrors`, Commander's own error messages are not printed.
 */
export async function runProviderCommand(
  args: string[],
  { silenceErrors = false }: { silenceErrors?: boolean } = {},
): Promise<string> {
  const program = new Command("epitrace").exitOverride();
  if (silenceErrors) {
    program.configureOutput({ writeErr: () => undefined });
  }
  registerProviderCommand(program);
  return captureStdout(async () => {
    await program.parseAsync(args, { from: "user" });
  });
}

/**
 * Creates an API key of the organisation and writes its secret to `file`,
 * readable by the owner only, as `epitrace provider --key-file` expects.
 */
export async function writeProviderKeyFile(
  admin: ApiClient,
  organisationId: string,
  file: string,
): Promise<void> {
  const key = await createKey(admin, organisationId);
  fs.writeFileSync(file, `${key.secret}\n`, { mode: 0o600 });
}

/** Returns the id of the person a case is about. */
export async function personIdOfCase(
  system: RunningSystem,
  caseId: string,
): Promise<string> {
  const kase = await system.store.db
    .selectFrom("cases")
    .select("person_id")
    .where("id", "=", caseId)
    .executeTakeFirstOrThrow();
  return kase.person_id;
}
