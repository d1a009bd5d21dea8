import { describe, expect, it } from "vitest";

import {
  comparableSubject,
  identifierKindOf,
  maskLongNumber,
} from "./subjects.js";

describe("comparableSubject", () => {
  it.each([
    ["010-1234-5678", "01012345678"],
    ["+82 10 1234 5678", "01012345678"],
    ["+82 (0)10.1234.5678", "01012345678"],
    [" 01012345678 ", "01012345678"],
    ["9430-1234-5678-9012", "9430123456789012"],
    [" P-0001 ", "P-0001"],
    ["홍길동", "홍길동"],
  ])("reads %j as %j", (value, expected) => {
    expect(comparableSubject(value)).toBe(expected);
  });
});

describe("identifierKindOf", () => {
  it.each([
    ["01012345678", "phone"],
    ["0111234567", "phone"],
    ["9430123456789012", "card"],
    ["02123456", "other"],
    ["P-0001", "other"],
  ])("takes %s as %s", (subject, kind) => {
    expect(identifierKindOf(subject)).toBe(kind);
  });
});

describe("maskLongNumber", () => {
  it("keeps the last 4 digits of a phone", () => {
    expect(maskLongNumber("01012345678")).toBe("*******5678");
  });

  it("keeps a short id as it is", () => {
    expect(maskLongNumber("P-0001")).toBe("P-0001");
  });
});
