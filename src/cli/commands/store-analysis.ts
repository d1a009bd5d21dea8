import type { Command } from "commander";

import { commandLineAccess, type AccessContext } from "../../access/index.js";
import { readSettings } from "../../config/settings.js";
import { AppError } from "../../errors.js";
import { openStore } from "../../store/index.js";
import { failCommand } from "../fail.js";

/** Help text of `--reason`, the same for every analysis on the store. */
export const REASON_HELP =
  "why the store's personal data is read, such as an investigation number; required with the store, and written to the audit log";

/**
 * Opens the store in EPITRACE_DATA_DIR, runs `work` as the command line on
 * the server host with `reason` as the purpose of its one audit event, and
 * closes the store. Exits with a message that names the option to fix for a
 * missing reason, a case that is not in the store (`caseId`) or invalid
 * input.
 */
export async function runOnStore<T>(
  command: Command,
  commandName: string,
  options: { reason?: string | undefined; caseId?: string | undefined },
  work: (context: AccessContext) => Promise<T>,
): Promise<T> {
  const reason = options.reason?.trim() ?? "";
  if (reason === "") {
    return command.error(
      `Missing --reason: epitrace ${commandName} reads personal data from the store, so give the reason, such as --reason "investigation 2020-031", for the audit log.`,
      { exitCode: 1, code: "epitrace.store.reason" },
    );
  }

  const { dataDir } = readSettings();
  const store = await openStore({ dataDir });
  try {
    return await work(commandLineAccess(store.db, commandName, reason));
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") {
      return failCommand(
        command,
        `Case ${JSON.stringify(options.caseId)} not found in the store at ${dataDir}. Give the case id, the UUID after /cases/ in the address of the case page or the id field of GET /api/cases, not the case number, and check EPITRACE_DATA_DIR.`,
        { exitCode: 1, code: "epitrace.store.not_found" },
      );
    }
    if (error instanceof AppError && error.code === "validation_failed") {
      return command.error(error.message, {
        exitCode: 1,
        code: "epitrace.store.invalid",
      });
    }
    throw error;
  } finally {
    await store.close();
  }
}
