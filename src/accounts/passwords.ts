import { randomInt } from "node:crypto";

import argon2 from "argon2";

import { isCommonPassword } from "./common-passwords.js";

/**
 * argon2id with the parameters of OWASP's password storage guidance
 * (19 MiB memory, 2 passes, 1 lane) as its minimum configuration.
 */
const HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Hashes a password with argon2id, returning the PHC string. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

/** Checks a password against a stored argon2id hash. */
export async function verifyPassword(
  hash: string,
  password: string,
): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * Checks the rule for passwords of personal-data systems in Korea: at least
 * 10 characters of two kinds, or 8 of three kinds, among upper-case
 * letters, lower-case letters, digits and symbols. A common password
 * fails too. Returns the reason it fails, or null.
 */
export function checkPasswordRule(password: string): string | null {
  if (isCommonPassword(password)) {
    return "This password is among the most common ones and is guessed first; choose another.";
  }

  const kinds = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) =>
    pattern.test(password),
  ).length;

  if (password.length >= 10 && kinds >= 2) {
    return null;
  }
  if (password.length >= 8 && kinds >= 3) {
    return null;
  }
  return "A password needs at least 10 characters of two kinds, or 8 of three kinds (upper-case, lower-case, digits, symbols).";
}

/** Alphabet of one-time passwords: no 0/O or 1/l/I to misread. */
const ONE_TIME_ALPHABET =
  "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** Generates a random one-time password of 20 characters (about 116 bits). */
export function generateOneTimePassword(): string {
  let password = "";
  for (let i = 0; i < 20; i++) {
    password += ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)];
  }
  return password;
}
