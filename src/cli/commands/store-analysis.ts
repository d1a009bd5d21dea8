import type { Command } from "commander";
import type { Kysely } from "kysely";

import { commandLineAccess, type AccessContext } from "../../access/index.js";
import { readSettings } from "../../config/settings.js";
import { AppError } from "../../errors.js";
import { openStore, type Database } from "../../store/index.js";
import { failCommand } from "../fail.js";

/** Help text of `--reason`, the same for every analysis on the store. */
export const REASON_HELP =
  "why the store's personal data is read, such as an investigation number; required with the store, and written to the audit log";

/**
 * Opens the store in EPITRACE_DATA_DIR, runs `work` as the command line on
 * the server host with `reason` as the purpose of its one audit event, and
 * closes the store. A `caseId` that is not a UUID is taken as a case
 * number, and `work` gets the id of that case. Exits with a message that
 * names the option to fix for a missing reason, a case that is not in the
 * store or invalid input.
 */
export async function runOnStore<T>(
  command: Command,
  commandName: string,
  options: { reason?: string | undefined; caseId?: string | undefined },
  work: (context: AccessContext, caseId: string | undefined) => Promise<T>,
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
    const caseId =
      options.caseId === undefined || UUID.test(options.caseId)
        ? options.caseId
        : await caseIdOfNumber(store.db, options.caseId);
    return await work(commandLineAccess(store.db, commandName, reason), caseId);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") {
      return failCommand(
        command,
        `Case ${JSON.stringify(options.caseId)} not found in the store at ${dataDir}. Give the case number, as the case list shows it, or the case id, the UUID after /cases/ in the address of the case page, and check EPITRACE_DATA_DIR.`,
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns the id of the case with a case number, which is unique, or raises `not_found`. */
async function caseIdOfNumber(
  db: Kysely<Database>,
  caseNumber: string,
): Promise<string> {
  const found = await db
    .selectFrom("cases")
    .select("id")
    .where("case_number", "=", caseNumber)
    .executeTakeFirst();
  if (found === undefined) {
    throw new AppError("not_found", `Case ${caseNumber} not found.`);
  }
  return found.id;
}
