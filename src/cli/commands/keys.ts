import type { Command } from "commander";

import { appendAuditEvent, commandLineActor } from "../../audit/index.js";
import { readSettings } from "../../config/settings.js";
import { loadMasterKeyRing } from "../../crypto/index.js";
import {
  rotateMasterKey,
  type RotationOptions,
} from "../../crypto/rotation.js";
import { openStore } from "../../store/index.js";

/** Registers `epitrace keys rotate`. */
export function registerKeysCommand(program: Command): void {
  const keys = program
    .command("keys")
    .description("manage the master key that wraps the cases' data keys");

  keys
    .command("rotate")
    .description(
      "replace the master key while the server keeps running: rewrap every data key, re-encrypt every TOTP secret and recompute every lookup hash in one transaction. With EPITRACE_MASTER_KEY set, the new key is read from EPITRACE_NEW_MASTER_KEY and every server must be restarted with it",
    )
    .action(async () => {
      const settings = readSettings();
      // Migrations run first, so that the rotation finds every table.
      const store = await openStore({ dataDir: settings.dataDir });
      try {
        const result = rotateMasterKey(
          settings.dataDir,
          newKeyFromEnvironment(),
        );
        await appendAuditEvent(store.db, {
          actor: commandLineActor("keys rotate"),
          action: "keys.rotate",
          result: "succeeded",
          detail: { ...result },
        });
        process.stdout.write(
          `Master key ${result.previousMasterKeyId} replaced by ${result.masterKeyId}: ${result.dataKeys} data keys rewrapped, ${result.totpSecrets} TOTP secrets re-encrypted, ${result.lookupHashes} lookup hashes recomputed.\n`,
        );
        if (result.totpSecretsUnreadable > 0) {
          process.stdout.write(
            `${result.totpSecretsUnreadable} TOTP secrets were under a master key no longer known and are left as they were: reset those users' second factor.\n`,
          );
        }
        if (!result.keyFileWritten) {
          process.stdout.write(
            "Set EPITRACE_MASTER_KEY to the value of EPITRACE_NEW_MASTER_KEY in the secret store and restart every server now.\n",
          );
        }
      } finally {
        await store.close();
      }
    });
}

/** Reads the new master key from EPITRACE_NEW_MASTER_KEY when the current one comes from the environment. */
function newKeyFromEnvironment(): RotationOptions {
  if (process.env.EPITRACE_MASTER_KEY === undefined) {
    return {};
  }
  const base64 = process.env.EPITRACE_NEW_MASTER_KEY;
  if (base64 === undefined || base64.trim() === "") {
    throw new Error(
      "Missing EPITRACE_NEW_MASTER_KEY: the master key comes from EPITRACE_MASTER_KEY, so the rotation cannot write a key file. Generate a key with `openssl rand -base64 32`, set it as EPITRACE_NEW_MASTER_KEY and run the command again.",
    );
  }
  return { next: loadMasterKeyRing({ base64, file: "" }).current };
}
