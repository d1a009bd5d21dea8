import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Time-based one-time passwords as RFC 6238 defines them, with HMAC-SHA-1,
 * 6 digits and the RFC's default time step of 30 seconds counted from the
 * Unix epoch.
 */
export const TOTP_DIGITS = 6;
export const TOTP_STEP_SECONDS = 30;

/** Steps before and after the current one whose codes are accepted, for clock drift. */
export const TOTP_WINDOW_STEPS = 1;

/** Secret length in bytes: RFC 4226 recommends 160 bits, the length of an SHA-1 output. */
const SECRET_BYTES = 20;

const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Generates a random TOTP secret and returns it in base32, as authenticator apps take it. */
export function generateTotpSecret(): string {
  return encodeBase32(randomBytes(SECRET_BYTES));
}

/** Returns the time step of an instant in milliseconds since the Unix epoch. */
export function totpStepAt(nowMillis: number): number {
  return Math.floor(nowMillis / 1000 / TOTP_STEP_SECONDS);
}

/** Computes the code of a base32 secret for one time step (RFC 4226 HOTP with the step as counter). */
export function totpCode(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", decodeBase32(secret)).update(counter).digest();

  // Dynamic truncation: the low 4 bits of the last byte pick 4 bytes of the MAC.
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, "0");
}

/** Result of checking a code: the step it matched, and whether that step was used already. */
export interface TotpMatch {
  step: number;
  reused: boolean;
}

/**
 * Finds the step within the window around `nowMillis` whose code equals
 * `code`, or returns null when none does. A match at or before
 * `lastUsedStep` is returned with `reused` set, so that the caller rejects
 * a replayed code and can still tell it apart from a wrong one.
 */
export function matchTotpCode(
  secret: string,
  code: string,
  nowMillis: number,
  lastUsedStep: number | null,
): TotpMatch | null {
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code)) {
    return null;
  }

  const current = totpStepAt(nowMillis);
  let match: TotpMatch | null = null;
  // Every step of the window is compared, in constant time each, so the
  // response time does not tell which step matched.
  for (
    let step = current - TOTP_WINDOW_STEPS;
    step <= current + TOTP_WINDOW_STEPS;
    step++
  ) {
    const expected = Buffer.from(totpCode(secret, step));
    if (timingSafeEqual(expected, Buffer.from(code)) && match === null) {
      match = { step, reused: lastUsedStep !== null && step <= lastUsedStep };
    }
  }
  return match;
}

export interface TotpUriOptions {
  secret: string;
  /** Name the authenticator app lists the entry under, such as the username. */
  accountName: string;
  issuer: string;
}

/** Builds the otpauth://totp URI that authenticator apps import a secret from. */
export function totpUri(options: TotpUriOptions): string {
  const label = `${encodeURIComponent(options.issuer)}:${encodeURIComponent(options.accountName)}`;
  const query = new URLSearchParams({
    secret: options.secret,
    issuer: options.issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}

/** Encodes bytes in RFC 4648 base32 without padding. */
export function encodeBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let output = "";
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) {
    output += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  }
  return output;
}

/** Decodes RFC 4648 base32, ignoring case, spaces and padding. */
export function decodeBase32(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, "").toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const character of clean) {
    const index = BASE32_ALPHABET.indexOf(character);
    if (index === -1) {
      throw new Error(
        `Invalid base32 character ${JSON.stringify(character)} in a TOTP secret: only A-Z and 2-7 are allowed.`,
      );
    }
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}
