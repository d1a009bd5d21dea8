import { describe, expect, it } from "vitest";

import {
  compileDateFormat,
  parseClock,
  parseTime,
  type TimeOptions,
  type TimeResult,
} from "./time.js";
import { zonedDateOf, zonedToInstant, zoneOffsetMinutes } from "./zone.js";

const SEOUL: TimeOptions = { zone: "Asia/Seoul" };

/** Returns the instant of a parse as UTC ISO 8601, or fails the test. */
function instantOf(result: TimeResult): { iso: string; assumedZone: boolean } {
  if (!result.ok || result.time.type !== "instant") {
    throw new Error(`expected an instant, got ${JSON.stringify(result)}`);
  }
  return {
    iso: new Date(result.time.epochMillis).toISOString(),
    assumedZone: result.time.assumedZone,
  };
}

function ruleOf(result: TimeResult): string | undefined {
  return result.ok ? undefined : result.problem.rule;
}

describe("parseTime ISO 8601 offsets", () => {
  const cases: [string, string][] = [
    ["2024-03-05T14:30:00+09:00", "2024-03-05T05:30:00.000Z"],
    ["2024-03-05T14:30:00+0900", "2024-03-05T05:30:00.000Z"],
    ["2024-03-05T14:30:00+09", "2024-03-05T05:30:00.000Z"],
    ["2024-03-05T05:30:00Z", "2024-03-05T05:30:00.000Z"],
    ["2024-03-05 05:30:00z", "2024-03-05T05:30:00.000Z"],
    ["2024-03-05T05:30:00.5Z", "2024-03-05T05:30:00.500Z"],
    ["2024-03-05T05:30:00.123456Z", "2024-03-05T05:30:00.123Z"],
    ["2024-03-05T05:30:00,25-03:30", "2024-03-05T09:00:00.250Z"],
    ["2024-03-05T14:30+09:00", "2024-03-05T05:30:00.000Z"],
    ["2008-12-11 04:42:14+00", "2008-12-11T04:42:14.000Z"],
    ["20240305T143000+0900", "2024-03-05T05:30:00.000Z"],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${text}`, () => {
      expect(instantOf(parseTime(text, SEOUL))).toEqual({
        iso: expected,
        assumedZone: false,
      });
    });
  }
});

describe("parseTime without offset", () => {
  it("uses Asia/Seoul and flags it", () => {
    expect(instantOf(parseTime("2024-03-05 14:30:00", SEOUL))).toEqual({
      iso: "2024-03-05T05:30:00.000Z",
      assumedZone: true,
    });
  });

  it("uses a declared zone", () => {
    const result = parseTime("2024-07-01 12:00", { zone: "Europe/Berlin" });
    expect(instantOf(result).iso).toBe("2024-07-01T10:00:00.000Z");
  });

  it("reads compact operator timestamps", () => {
    expect(instantOf(parseTime("20240305143000", SEOUL)).iso).toBe(
      "2024-03-05T05:30:00.000Z",
    );
    expect(instantOf(parseTime("202403051430", SEOUL)).iso).toBe(
      "2024-03-05T05:30:00.000Z",
    );
  });
});

describe("parseTime Korean forms", () => {
  it("reads a dotted date as a date", () => {
    expect(parseTime("2024.03.05.", SEOUL)).toEqual({
      ok: true,
      time: { type: "date", date: { year: 2024, month: 3, day: 5 } },
    });
  });

  it("reads a spaced dotted date with 오후", () => {
    expect(instantOf(parseTime("2024. 3. 5. 오후 2:30:00", SEOUL))).toEqual({
      iso: "2024-03-05T05:30:00.000Z",
      assumedZone: true,
    });
  });

  it("reads 년 월 일 시 분", () => {
    expect(instantOf(parseTime("2024년 3월 5일 14시 30분", SEOUL)).iso).toBe(
      "2024-03-05T05:30:00.000Z",
    );
  });

  it("reads a weekday after the date", () => {
    expect(
      instantOf(parseTime("2024년 3월 5일 (화) 오전 9시", SEOUL)).iso,
    ).toBe("2024-03-05T00:00:00.000Z");
  });

  it("reads 오전 12시 as midnight", () => {
    expect(instantOf(parseTime("2024. 3. 5. 오전 12:00", SEOUL)).iso).toBe(
      "2024-03-04T15:00:00.000Z",
    );
    expect(instantOf(parseTime("2024년 3월 5일 오전 12시", SEOUL)).iso).toBe(
      "2024-03-04T15:00:00.000Z",
    );
  });

  it("reads 오후 12시 as noon", () => {
    expect(instantOf(parseTime("2024. 3. 5. 오후 12:00", SEOUL)).iso).toBe(
      "2024-03-05T03:00:00.000Z",
    );
    expect(
      instantOf(parseTime("2024년 3월 5일 오후 12시 30분", SEOUL)).iso,
    ).toBe("2024-03-05T03:30:00.000Z");
  });

  it("reads English AM and PM", () => {
    expect(instantOf(parseTime("2024-03-05 12:15 AM", SEOUL)).iso).toBe(
      "2024-03-04T15:15:00.000Z",
    );
    expect(instantOf(parseTime("2024-03-05 1:15 pm", SEOUL)).iso).toBe(
      "2024-03-05T04:15:00.000Z",
    );
  });

  it("rejects 오후 13시", () => {
    expect(ruleOf(parseTime("2024. 3. 5. 오후 13:00", SEOUL))).toBe(
      "time_format",
    );
  });
});

describe("parseTime ambiguous and partial dates", () => {
  it("names the only order of 13/05/2024", () => {
    expect(parseTime("13/05/2024", SEOUL)).toEqual({
      ok: false,
      problem: {
        rule: "ambiguous_date",
        hint: '"13/05/2024" can only be day/month, because 13 is not a month, but the order of the file\'s dates is not declared. Write the date as ISO 8601 (YYYY-MM-DD, such as 2024-03-05) or declare the order with --date-format, such as --date-format DD/MM/YYYY.',
      },
    });
  });

  it("names the only order of 2/18/20", () => {
    expect(parseTime("2/18/20", SEOUL)).toEqual({
      ok: false,
      problem: {
        rule: "ambiguous_date",
        hint: '"2/18/20" can only be month/day, because 18 is not a month, but the order of the file\'s dates is not declared. Write the date as ISO 8601 (YYYY-MM-DD, such as 2024-03-05) or declare the order with --date-format, such as --date-format MM/DD/YYYY.',
      },
    });
  });

  it("rejects 13/14/2024 in either order", () => {
    expect(parseTime("13/14/2024", SEOUL)).toEqual({
      ok: false,
      problem: {
        rule: "ambiguous_date",
        hint: '"13/14/2024" is not a date in either order, because neither 13 nor 14 is a month. Write the date as ISO 8601 (YYYY-MM-DD, such as 2024-03-05).',
      },
    });
  });

  it("names the declared format on a mismatch", () => {
    const options = { ...SEOUL, dateFormat: compileDateFormat("DD.MM.YYYY") };
    expect(parseTime("05/03/2024", options)).toEqual({
      ok: false,
      problem: {
        rule: "date_format_mismatch",
        hint: '"05/03/2024" does not match the declared --date-format DD.MM.YYYY. Write the date as DD.MM.YYYY or as ISO 8601 (YYYY-MM-DD, such as 2024-03-05), or declare the format the file uses.',
      },
    });
  });

  it("rejects 03/05/2024 with a hint", () => {
    const result = parseTime("03/05/2024", SEOUL);
    expect(result).toEqual({
      ok: false,
      problem: {
        rule: "ambiguous_date",
        hint:
          '"03/05/2024" could be day/month or month/day. Write the date as ISO 8601 (YYYY-MM-DD, such as 2024-03-05) ' +
          "or declare the order with --date-format, such as --date-format MM/DD/YYYY or --date-format DD/MM/YYYY.",
      },
    });
  });

  it("reads 03/05/2024 with a declared format", () => {
    const monthFirst = {
      ...SEOUL,
      dateFormat: compileDateFormat("MM/DD/YYYY"),
    };
    const dayFirst = { ...SEOUL, dateFormat: compileDateFormat("DD/MM/YYYY") };
    expect(parseTime("03/05/2024", monthFirst)).toEqual({
      ok: true,
      time: { type: "date", date: { year: 2024, month: 3, day: 5 } },
    });
    expect(parseTime("03/05/2024", dayFirst)).toEqual({
      ok: true,
      time: { type: "date", date: { year: 2024, month: 5, day: 3 } },
    });
  });

  it("reads a declared format with a time", () => {
    const options = {
      ...SEOUL,
      dateFormat: compileDateFormat("DD.MM.YYYY HH:mm"),
    };
    expect(instantOf(parseTime("25.12.2023 23:05", options)).iso).toBe(
      "2023-12-25T14:05:00.000Z",
    );
  });

  it("reads M/D/YY with a declared format", () => {
    const options = { ...SEOUL, dateFormat: compileDateFormat("M/D/YY") };
    expect(parseTime("1/22/20", options)).toEqual({
      ok: true,
      time: { type: "date", date: { year: 2020, month: 1, day: 22 } },
    });
  });

  it("rejects a format without a day", () => {
    expect(() => compileDateFormat("YYYY-MM")).toThrow(RangeError);
  });

  it("asks for --year when the year is missing", () => {
    expect(ruleOf(parseTime("3월 5일 14시", SEOUL))).toBe("missing_year");
    expect(ruleOf(parseTime("3. 5.", SEOUL))).toBe("missing_year");
  });

  it("uses --year for dates without a year", () => {
    const options = { ...SEOUL, year: 2020 };
    expect(instantOf(parseTime("3월 5일 14시", options)).iso).toBe(
      "2020-03-05T05:00:00.000Z",
    );
    expect(parseTime("4. 9.", options)).toEqual({
      ok: true,
      time: { type: "date", date: { year: 2020, month: 4, day: 9 } },
    });
  });

  it("rejects a date that does not exist", () => {
    expect(ruleOf(parseTime("2023-02-29", SEOUL))).toBe("invalid_date");
    expect(ruleOf(parseTime("2024-13-01", SEOUL))).toBe("invalid_date");
  });

  it("rejects text that is no time", () => {
    expect(ruleOf(parseTime("yesterday", SEOUL))).toBe("time_format");
    expect(ruleOf(parseTime("2024-03-05T25:00Z", SEOUL))).toBe("time_format");
    expect(ruleOf(parseTime("2024-03-05T10:00+25:00", SEOUL))).toBe(
      "time_format",
    );
  });
});

describe("parseClock", () => {
  it("reads clock-only times", () => {
    expect(parseClock("14:30")).toEqual({
      hour: 14,
      minute: 30,
      second: 0,
      millisecond: 0,
      offsetMinutes: null,
    });
    expect(parseClock("오후 2시 5분")).toMatchObject({ hour: 14, minute: 5 });
    expect(parseClock("오전 12:10")).toMatchObject({ hour: 0, minute: 10 });
  });

  it("does not read a bare number", () => {
    expect(parseClock("1430")).toBeUndefined();
  });

  it("returns clock type from parseTime", () => {
    expect(parseTime("09:05:30", SEOUL)).toEqual({
      ok: true,
      time: {
        type: "clock",
        clock: {
          hour: 9,
          minute: 5,
          second: 30,
          millisecond: 0,
          offsetMinutes: null,
        },
      },
    });
  });
});

describe("zone conversions", () => {
  it("gives Seoul +09:00", () => {
    expect(zoneOffsetMinutes("Asia/Seoul", Date.UTC(2024, 0, 1))).toBe(540);
  });

  it("used Seoul summer time in 1988", () => {
    // Korea kept daylight saving time in 1987 and 1988 (UTC+10:00).
    expect(zoneOffsetMinutes("Asia/Seoul", Date.UTC(1988, 6, 1))).toBe(600);
  });

  it("picks the earlier of a repeated time", () => {
    const local = {
      year: 2024,
      month: 11,
      day: 3,
      hour: 1,
      minute: 30,
      second: 0,
      millisecond: 0,
    };
    expect(
      new Date(zonedToInstant("America/New_York", local)).toISOString(),
    ).toBe("2024-11-03T05:30:00.000Z");
  });

  it("moves a skipped time forward", () => {
    const local = {
      year: 2024,
      month: 3,
      day: 10,
      hour: 2,
      minute: 30,
      second: 0,
      millisecond: 0,
    };
    expect(
      new Date(zonedToInstant("America/New_York", local)).toISOString(),
    ).toBe("2024-03-10T07:30:00.000Z");
  });

  it("gives the Seoul date of an instant", () => {
    expect(zonedDateOf("Asia/Seoul", Date.UTC(2024, 2, 4, 15, 0))).toBe(
      "2024-03-05",
    );
    expect(zonedDateOf("Asia/Seoul", Date.UTC(2024, 2, 4, 14, 59))).toBe(
      "2024-03-04",
    );
  });
});
