import { describe, expect, it } from "vitest";

import { parseIsoInstant } from "./iso-time.js";
import { parseTime } from "./time.js";

const OPTIONS = { zone: "Asia/Seoul", dateFormat: undefined, year: undefined };

describe("parseIsoInstant", () => {
  it.each([
    "2024-03-05T14:30:00+09:00",
    "2024-03-05 14:30:00+0900",
    "2024-03-05T05:30:00Z",
    "2024-03-05T05:30:00.5Z",
    "2024-03-05T05:30:00.123-05:30",
    "2024-02-29T23:59:59+09:00",
    "1999-12-31T23:59:59+14:00",
  ])("matches parseTime for %s", (text) => {
    const slow = parseTime(text, OPTIONS);
    expect(slow.ok).toBe(true);
    expect(parseIsoInstant(text)).toEqual(slow.ok ? slow.time : undefined);
  });

  it.each([
    "2024-03-05 14:30:00",
    "2023-02-29T10:00:00+09:00",
    "2024-03-05T24:00:00+09:00",
    "2024-03-05T14:30+09:00",
    "2024-03-05T14:30:00+19:00",
    "0099-03-05T14:30:00Z",
  ])("leaves %s to parseTime", (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });
});
