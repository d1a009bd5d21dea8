import { describe, expect, it } from "vitest";

import { datesBetween } from "./format.js";

describe("datesBetween", () => {
  it("lists both ends and the days between", () => {
    expect(datesBetween("2020-02-28", "2020-03-01")).toEqual([
      "2020-02-28",
      "2020-02-29",
      "2020-03-01",
    ]);
  });

  it("keeps every day of data years apart", () => {
    const days = datesBetween("2008-10-23", "2020-06-01");
    expect(days).toHaveLength(4_240);
    expect(days[0]).toBe("2008-10-23");
    expect(days.at(-1)).toBe("2020-06-01");
  });

  it("is empty when the last day comes first", () => {
    expect(datesBetween("2020-03-02", "2020-03-01")).toEqual([]);
  });
});
