import type { Migration, MigrationProvider } from "kysely";

import * as initial from "./0001-initial.js";
import * as auditCheckpointsAndLockout from "./0003-audit-checkpoints-and-lockout.js";

/**
 * Every migration in the order it applies. Migrations are listed here
 * instead of read from a folder so that the compiled server and the tests
 * see the same set.
 */
const migrations: Record<string, Migration> = {
  "0001-initial": initial,
  "0003-audit-checkpoints-and-lockout": auditCheckpointsAndLockout,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
