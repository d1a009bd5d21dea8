import { describe, expect, it } from "vitest";

import { en } from "./en.js";
import { ko } from "./ko.js";

const placeholders = (text: string) =>
  [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);

describe("message catalogues", () => {
  it("have the same keys", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ko).sort());
  });

  it("use the same placeholders", () => {
    for (const key of Object.keys(ko) as (keyof typeof ko)[]) {
      expect(placeholders(en[key]).sort(), key).toEqual(
        placeholders(ko[key]).sort(),
      );
    }
  });

  it("have no empty message", () => {
    for (const [key, text] of [...Object.entries(ko), ...Object.entries(en)]) {
      expect(text.trim(), key).not.toBe("");
    }
  });
});
