import path from "node:path";

import type { Command } from "commander";

import { appendAuditEvent, commandLineActor } from "../../audit/index.js";
import { readSettings } from "../../config/settings.js";
import { backupStore } from "../../retention/index.js";
import { openStore } from "../../store/index.js";

/** Registers `epitrace backup DEST`. */
export function registerBackupCommand(program: Command): void {
  program
    .command("backup")
    .description(
      "copy the store consistently to a new file, with the provider upload files encrypted under their cases' data keys and without the keys folder, so that a destroyed case key also locks the case in every backup",
    )
    .argument("<dest>", "file to write the copy to; must not exist yet")
    .action(async (dest: string) => {
      const settings = readSettings();
      const result = await backupStore(settings.dataDir, dest);

      const store = await openStore({ dataDir: settings.dataDir });
      try {
        await appendAuditEvent(store.db, {
          actor: commandLineActor("backup"),
          action: "store.backup",
          result: "succeeded",
          detail: {
            file: path.basename(result.file),
            pages: result.pages,
            uploadFiles: result.uploadFiles,
            uploadFilesSkipped: result.uploadFilesSkipped,
          },
        });
      } finally {
        await store.close();
      }
      process.stdout.write(
        `Backup written to ${result.file} (${result.sizeBytes} bytes, ${result.uploadFiles} provider upload files encrypted under their cases' data keys, ${result.uploadFilesSkipped} left out). The keys folder is not in it: keep the master key apart.\n`,
      );
    });
}
