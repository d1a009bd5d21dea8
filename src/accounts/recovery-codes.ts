import { createHash, randomInt } from "node:crypto";

import type { Kysely, Transaction } from "kysely";

import type { Database } from "../store/index.js";

/** Recovery codes a user receives at enrolment. */
export const RECOVERY_CODE_COUNT = 10;

/** Upper-case letters and digits without 0/O and 1/I, so a printed code is not misread. */
const RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** 16 characters of a 32-letter alphabet carry 80 random bits, so neither guessing a code nor brute-forcing its SHA-256 hash is practical. */
const RECOVERY_CODE_LENGTH = 16;

type Executor = Kysely<Database> | Transaction<Database>;

/** Generates one recovery code, shown in groups of four such as `ABCD-EFGH-JKLM-NPQR`. */
export function generateRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) {
    code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  }
  return code.match(/.{4}/g)?.join("-") ?? code;
}

/** Hashes a recovery code as typed: case, spaces and dashes do not matter. */
export function hashRecoveryCode(code: string): string {
  const normalised = code.toUpperCase().replace(/[^A-Z0-9]/g, "");
  return createHash("sha256").update(normalised).digest("hex");
}

/**
 * Replaces every recovery code of a user with new ones and returns them.
 * Only their hashes are stored, so they can be shown this once.
 */
export async function replaceRecoveryCodes(
  db: Executor,
  userId: string,
  now: number,
): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    generateRecoveryCode(),
  );
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await db
    .insertInto("recovery_codes")
    .values(
      codes.map((code) => ({
        user_id: userId,
        code_hash: hashRecoveryCode(code),
        created_at: now,
        used_at: null,
      })),
    )
    .execute();
  return codes;
}

export type RecoveryCodeOutcome = "used" | "unknown" | "used_before";

/** Marks a recovery code of a user as used, if it is one of theirs and still unused. */
export async function useRecoveryCode(
  db: Executor,
  userId: string,
  code: string,
  now: number,
): Promise<RecoveryCodeOutcome> {
  const codeHash = hashRecoveryCode(code);
  const updated = await db
    .updateTable("recovery_codes")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("code_hash", "=", codeHash)
    .where("used_at", "is", null)
    .executeTakeFirst();
  if (updated.numUpdatedRows > 0n) {
    return "used";
  }

  const existing = await db
    .selectFrom("recovery_codes")
    .select("used_at")
    .where("user_id", "=", userId)
    .where("code_hash", "=", codeHash)
    .executeTakeFirst();
  return existing === undefined ? "unknown" : "used_before";
}

/** Counts the recovery codes of a user that are still unused. */
export async function countUnusedRecoveryCodes(
  db: Executor,
  userId: string,
): Promise<number> {
  const row = await db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
