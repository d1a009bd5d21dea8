import { describe, expect, it } from "vitest";

import {
  decodeBase32,
  encodeBase32,
  generateTotpSecret,
  matchTotpCode,
  totpCode,
  totpStepAt,
  totpUri,
} from "./totp.js";

/** The SHA-1 test key of RFC 4226 and RFC 6238: the ASCII digits 1234567890 twice. */
const RFC_SECRET = encodeBase32(Buffer.from("12345678901234567890", "ascii"));

describe("TOTP", () => {
  it("encodes the RFC test key in base32", () => {
    expect(RFC_SECRET).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(decodeBase32(RFC_SECRET).toString("ascii")).toBe(
      "12345678901234567890",
    );
  });

  it("matches the HOTP values of RFC 4226", () => {
    const expected = [
      "755224",
      "287082",
      "359152",
      "969429",
      "338314",
      "254676",
      "287922",
      "162583",
      "399871",
      "520489",
    ];
    expect(expected.map((_, counter) => totpCode(RFC_SECRET, counter))).toEqual(
      expected,
    );
  });

  it("matches the SHA-1 values of RFC 6238", () => {
    // The RFC lists 8 digits; a 6-digit code is their last six.
    const cases: [number, string][] = [
      [59, "94287082"],
      [1_111_111_109, "07081804"],
      [1_111_111_111, "14050471"],
      [1_234_567_890, "89005924"],
      [2_000_000_000, "69279037"],
      [20_000_000_000, "65353130"],
    ];
    for (const [seconds, eightDigits] of cases) {
      const step = totpStepAt(seconds * 1000);
      expect(totpCode(RFC_SECRET, step), `T=${seconds}`).toBe(
        eightDigits.slice(2),
      );
    }
  });

  it("accepts one step either side", () => {
    const now = 1_234_567_890_000;
    const step = totpStepAt(now);
    for (const offset of [-1, 0, 1]) {
      const code = totpCode(RFC_SECRET, step + offset);
      expect(matchTotpCode(RFC_SECRET, code, now, null), `${offset}`).toEqual({
        step: step + offset,
        reused: false,
      });
    }
    for (const offset of [-2, 2]) {
      const code = totpCode(RFC_SECRET, step + offset);
      expect(
        matchTotpCode(RFC_SECRET, code, now, null),
        `${offset}`,
      ).toBeNull();
    }
  });

  it("marks a code of a used step as reused", () => {
    const now = 1_234_567_890_000;
    const step = totpStepAt(now);
    const code = totpCode(RFC_SECRET, step);

    expect(matchTotpCode(RFC_SECRET, code, now, step)?.reused).toBe(true);
    expect(matchTotpCode(RFC_SECRET, code, now, step + 1)?.reused).toBe(true);
    expect(matchTotpCode(RFC_SECRET, code, now, step - 1)?.reused).toBe(false);
  });

  it("rejects malformed codes", () => {
    const now = 1_234_567_890_000;
    for (const code of ["", "12345", "1234567", "12345a", " 123456"]) {
      expect(matchTotpCode(RFC_SECRET, code, now, null), code).toBeNull();
    }
  });

  it("generates 160-bit base32 secrets", () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(decodeBase32(secret)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(secret);
  });

  it("rejects a secret with a character outside base32", () => {
    expect(() => decodeBase32("ABC1")).toThrow(/Invalid base32 character "1"/);
  });

  it("builds an otpauth URI", () => {
    const text = totpUri({
      secret: RFC_SECRET,
      accountName: "kim.lee",
      issuer: "epitrace",
    });
    const uri = new URL(text);
    expect(text.startsWith("otpauth://totp/epitrace:kim.lee?")).toBe(true);
    expect(uri.searchParams.get("secret")).toBe(RFC_SECRET);
    expect(uri.searchParams.get("issuer")).toBe("epitrace");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
    expect(uri.searchParams.get("algorithm")).toBe("SHA1");
  });
});
