import type { Command } from "commander";

import {
  loadSigningKey,
  signingKeySource,
  verifyAuditLog,
  writeCheckpoint,
} from "../../audit/index.js";
import { readSettings } from "../../config/settings.js";
import { openStore } from "../../store/index.js";

/** Registers `epitrace audit verify` and `epitrace audit checkpoint`. */
export function registerAuditCommand(program: Command): void {
  const audit = program
    .command("audit")
    .description("check and sign the tamper-evident audit log");

  audit
    .command("verify")
    .description(
      "check every audit event's hash chain and every signed checkpoint; exits 1 and names the first bad event if any",
    )
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean }) => {
      const settings = readSettings();
      const key = loadSigningKey(signingKeySource(settings.dataDir));
      const store = await openStore({ dataDir: settings.dataDir });
      try {
        const result = await verifyAuditLog(store.db, key.publicKeyBase64);
        if (options.json === true) {
          process.stdout.write(`${JSON.stringify(result)}\n`);
        } else if (result.problem === null) {
          process.stdout.write(
            `Audit log intact: ${result.eventsChecked} events and ${result.checkpointsChecked} checkpoints verified.\n`,
          );
        } else {
          process.stdout.write(
            `Audit log tampered with: ${result.problem.message}\n`,
          );
        }
        if (result.problem !== null) {
          process.exitCode = 1;
        }
      } finally {
        await store.close();
      }
    });

  audit
    .command("checkpoint")
    .description("sign the current end of the audit log now")
    .action(async () => {
      const settings = readSettings();
      const key = loadSigningKey(signingKeySource(settings.dataDir));
      const store = await openStore({ dataDir: settings.dataDir });
      try {
        const written = await writeCheckpoint(store.db, key);
        process.stdout.write(
          written
            ? "Checkpoint written.\n"
            : "No new audit events since the last checkpoint.\n",
        );
      } finally {
        await store.close();
      }
    });
}
