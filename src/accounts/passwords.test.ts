import { describe, expect, it } from "vitest";

import { checkPasswordRule } from "./passwords.js";

describe("password rule", () => {
  it("accepts 10 characters of two kinds", () => {
    expect(checkPasswordRule("harbourlight42")).toBeNull();
  });

  it("accepts 8 characters of three kinds", () => {
    expect(checkPasswordRule("Tide7Rok")).toBeNull();
  });

  it("rejects 9 characters of two kinds", () => {
    expect(checkPasswordRule("harbour42")).toMatch(/at least 10 characters/);
  });

  it("rejects 8 characters of two kinds", () => {
    expect(checkPasswordRule("tiderok7")).toMatch(/at least 10 characters/);
  });

  it("rejects common passwords that pass the length rule", () => {
    for (const password of [
      "Qwer1234!",
      "1q2w3e4r5t",
      "P@ssw0rd1",
      "Password12",
    ]) {
      expect(checkPasswordRule(password), password).toMatch(/most common/);
    }
  });
});
