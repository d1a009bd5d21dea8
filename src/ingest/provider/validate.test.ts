import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RejectedRow } from "../report.js";
import { readable, TemporaryFolder } from "./test-support.js";
import type { ProviderReadOptions } from "./validate.js";

const folder = new TemporaryFolder();
const GPS: ProviderReadOptions = { kind: "gps" };

beforeAll(() => folder.create());
afterAll(() => folder.remove());

/** Validates a file and returns the rejected rows, in the order they were found. */
async function rejectionsOf(
  name: string,
  content: string | Buffer,
  options: ProviderReadOptions,
): Promise<RejectedRow[]> {
  const rejected: RejectedRow[] = [];
  await folder.validate(name, content, {
    ...options,
    onRejected: (row) => rejected.push(row),
  });
  return rejected;
}

describe("gps CSV records", () => {
  it("normalises a fix", async () => {
    const result = await folder.validate(
      "fix.csv",
      "user_id,tracked_at,latitude,longitude,accuracy,elevation\nP1,2024-03-05T14:30:00+09:00,37.5665,126.978,12,38\n",
      GPS,
    );
    expect(result.records.map(readable)).toEqual([
      {
        kind: "gps",
        subject: "P1",
        file: "fix.csv",
        rows: [1],
        startedAt: "2024-03-05T05:30:00.000Z",
        endedAt: "2024-03-05T05:30:00.000Z",
        visitDate: null,
        latitude: 37.5665,
        longitude: 126.978,
        radiusMeters: 12,
        altitudeMeters: 38,
        placeName: null,
        address: null,
        placeTypes: [],
        note: null,
        details: {},
        flags: [],
      },
    ]);
    expect(result.rowsRead).toBe(1);
    expect(result.rowsRejected).toBe(0);
  });

  it("flags a time without offset", async () => {
    const result = await folder.validate(
      "local.csv",
      "lat,lng,datetime\n37.5,127.0,2024-03-05 14:30:00\n",
      GPS,
    );
    const [record] = result.records.map(readable);
    expect(record?.startedAt).toBe("2024-03-05T05:30:00.000Z");
    expect(record?.flags).toEqual(["assumed_zone"]);
    expect(result.flags).toEqual([
      {
        flag: "assumed_zone",
        description:
          "a time had no UTC offset, so it was read in the declared zone",
        records: 1,
        rows: 1,
      },
    ]);
  });

  it("sets --subject on blank and equal subjects", async () => {
    const result = await folder.validate(
      "subject.csv",
      "uid,lat,lng,t\n,37.5,127.0,2024-03-05T00:00:00Z\ncase-7,37.5,127.0,2024-03-05T00:01:00Z\n",
      { ...GPS, subject: "case-7" },
    );
    expect(result.records.map((record) => record.subject)).toEqual([
      "case-7",
      "case-7",
    ]);
  });

  it("rejects another subject than --subject", async () => {
    const result = await folder.validate(
      "other-subject.csv",
      "uid,lat,lng,t\n001,37.5,127.0,2024-03-05T00:00:00Z\n",
      { ...GPS, subject: "case-7" },
    );
    expect(result.records).toEqual([]);
    expect(result.rejections.first()).toEqual({
      file: "other-subject.csv",
      row: 1,
      field: "uid",
      value: "001",
      rule: "subject_mismatch",
      hint: "uid names another subject than the one given (--subject). Remove the rows of other subjects, leave uid empty, or import without --subject to give each subject its own person.",
    });
  });

  it("maps X and Y and semicolons", async () => {
    const result = await folder.validate(
      "xy.csv",
      "X;Y;tracker;t\n116.391305;39.898573;19;2008-12-11 04:42:14+00\n",
      GPS,
    );
    expect(result.files[0]?.delimiter).toBe(";");
    expect(result.records.map(readable)[0]).toMatchObject({
      subject: "19",
      latitude: 39.898573,
      longitude: 116.391305,
      startedAt: "2008-12-11T04:42:14.000Z",
      flags: [],
    });
  });

  it("drops a BOM from the first header name", async () => {
    const result = await folder.validate(
      "bom.csv",
      "\uFEFFlatitude,longitude,tracked_at\n37.5,127.0,2024-03-05T00:00:00Z\n",
      GPS,
    );
    expect(result.fileErrors).toEqual([]);
    expect(result.files[0]?.ignoredColumns).toEqual([]);
    expect(result.records).toHaveLength(1);
  });

  it("sorts by instant, ties by row", async () => {
    const result = await folder.validate(
      "order.csv",
      [
        "subject,tracked_at,latitude,longitude",
        "A,2024-03-05T10:00:00Z,37.1,127.0",
        "A,2024-03-05T09:00:00Z,37.2,127.0",
        "A,2024-03-05T09:00:00Z,37.3,127.0",
        "A,2024-03-05T08:00:00Z,37.4,127.0",
      ].join("\n"),
      GPS,
    );
    expect(result.records.map((record) => record.rows[0])).toEqual([
      4, 2, 3, 1,
    ]);
  });

  it("accepts identical timestamps", async () => {
    const result = await folder.validate(
      "same-instant.csv",
      [
        "subject,tracked_at,latitude,longitude,accuracy",
        "A,2024-03-05T09:00:00Z,37.50000,127.00000,10",
        "A,2024-03-05T09:00:00Z,37.50005,127.00000,10",
      ].join("\n"),
      GPS,
    );
    expect(result.rowsRejected).toBe(0);
    expect(result.records.map((record) => record.flags)).toEqual([[], []]);
  });

  it("flags a jump at the same instant", async () => {
    const result = await folder.validate(
      "jump.csv",
      [
        "subject,tracked_at,latitude,longitude",
        "A,2024-03-05T09:00:00Z,37.5,127.0",
        "A,2024-03-05T09:00:00Z,35.1,129.0",
      ].join("\n"),
      GPS,
    );
    expect(result.records.map((record) => record.flags)).toEqual([
      [],
      ["implausible_speed"],
    ]);
  });

  it("accepts jitter at the same instant", async () => {
    const result = await folder.validate(
      "jitter.csv",
      [
        "subject,tracked_at,latitude,longitude,accuracy_meters",
        "A,2024-03-05T14:30:00+09:00,37.5100,127.00,5",
        "A,2024-03-05T14:30:00+09:00,37.5102,127.00,5",
        "A,2024-03-05T14:30:00+09:00,37.5102,127.00,",
        "A,2024-03-05T14:30:00.001+09:00,37.5200,127.00,5",
      ].join("\n"),
      GPS,
    );
    expect(
      result.records.map((record) => [
        record.rows,
        new Date(record.startedAt!).toISOString(),
        record.latitude,
        record.radiusMeters,
        record.flags,
      ]),
    ).toEqual([
      [[1], "2024-03-05T05:30:00.000Z", 37.51, 5, []],
      [[2], "2024-03-05T05:30:00.000Z", 37.5102, 5, []],
      [[3], "2024-03-05T05:30:00.000Z", 37.5102, null, []],
      [[4], "2024-03-05T05:30:00.001Z", 37.52, 5, ["implausible_speed"]],
    ]);
  });

  it("flags a speed above the maximum", async () => {
    // Seoul to Busan, about 325 km, in 30 minutes is 650 km/h.
    const result = await folder.validate(
      "fast.csv",
      [
        "subject,tracked_at,latitude,longitude",
        "A,2024-03-05T09:00:00Z,37.5665,126.9780",
        "A,2024-03-05T09:30:00Z,35.1796,129.0756",
        "A,2024-03-05T12:30:00Z,35.1796,129.0756",
        "B,2024-03-05T09:10:00Z,35.1796,129.0756",
      ].join("\n"),
      GPS,
    );
    expect(
      result.records.map((record) => [record.subject, record.flags]),
    ).toEqual([
      ["A", []],
      ["B", []],
      ["A", ["implausible_speed"]],
      ["A", []],
    ]);
  });

  it("merges exact duplicates", async () => {
    const result = await folder.validate(
      "duplicates.csv",
      [
        "subject,tracked_at,latitude,longitude",
        "A,2024-03-05T09:00:00Z,37.5,127.0",
        "A,2024-03-05T09:01:00Z,37.6,127.0",
        "A,2024-03-05T09:00:00Z,37.5,127.0",
        "A,2024-03-05T09:00:00Z,37.50,127.000",
      ].join("\n"),
      GPS,
    );
    expect(result.records.map((record) => record.rows)).toEqual([
      [1, 3, 4],
      [2],
    ]);
    expect(result.duplicateRowsMerged).toBe(2);
    expect(result.rowsRead).toBe(4);
  });

  it("reads a date-only visit", async () => {
    const result = await folder.validate(
      "date-only.csv",
      "date,latitude,longitude\n2020-04-09,36.65,128.45\n",
      GPS,
    );
    expect(result.records.map(readable)[0]).toMatchObject({
      startedAt: null,
      endedAt: null,
      visitDate: "2020-04-09",
      flags: ["date_only"],
    });
  });
});

describe("coordinate rules", () => {
  const header = "subject,tracked_at,latitude,longitude\n";

  it("rejects swapped coordinates", async () => {
    const rejected = await rejectionsOf(
      "swapped.csv",
      `${header}A,2024-03-05T09:00:00Z,126.9780,37.5665\n`,
      GPS,
    );
    expect(rejected).toEqual([
      {
        file: "swapped.csv",
        row: 1,
        field: "latitude",
        value: "126.9780",
        rule: "coordinates_swapped",
        hint:
          "Latitude 126.9780 is outside -90 to 90, but longitude 37.5665 would be a valid latitude: the values look swapped. " +
          "Swap the latitude and longitude columns.",
      },
    ]);
  });

  it("rejects a latitude out of range", async () => {
    const rejected = await rejectionsOf(
      "latitude.csv",
      `${header}A,2024-03-05T09:00:00Z,91,127\n`,
      GPS,
    );
    expect(rejected).toEqual([
      {
        file: "latitude.csv",
        row: 1,
        field: "latitude",
        value: "91",
        rule: "latitude_range",
        hint: "Give a latitude in decimal degrees from -90 to 90.",
      },
    ]);
  });

  it("rejects latitude and longitude out of range", async () => {
    const rejected = await rejectionsOf(
      "ranges.csv",
      `${header}A,2024-03-05T09:00:00Z,-95,181\n`,
      GPS,
    );
    expect(
      rejected.map((row) => [row.field, row.value, row.rule, row.hint]),
    ).toEqual([
      [
        "latitude",
        "-95",
        "latitude_range",
        "Give a latitude in decimal degrees from -90 to 90.",
      ],
      [
        "longitude",
        "181",
        "longitude_range",
        "Give a longitude in decimal degrees from -180 to 180.",
      ],
    ]);
  });

  it("rejects values that are not finite numbers", async () => {
    const rejected = await rejectionsOf(
      "numbers.csv",
      `${header}A,2024-03-05T09:00:00Z,NaN,127\nA,2024-03-05T09:00:00Z,37.5,Infinity\nA,2024-03-05T09:00:00Z,"37,5",127\n`,
      GPS,
    );
    expect(
      rejected.map((row) => [row.row, row.field, row.value, row.rule]),
    ).toEqual([
      [1, "latitude", "NaN", "number_format"],
      [2, "longitude", "Infinity", "number_format"],
      [3, "latitude", "37,5", "number_format"],
    ]);
    expect(rejected[0]?.hint).toBe(
      "Write latitude as a decimal number with a dot, such as 37.5665.",
    );
  });

  it("rejects one missing coordinate", async () => {
    const rejected = await rejectionsOf(
      "half.csv",
      `${header}A,2024-03-05T09:00:00Z,37.5,\n`,
      GPS,
    );
    expect(rejected).toEqual([
      {
        file: "half.csv",
        row: 1,
        field: "longitude",
        value: "",
        rule: "required",
        hint: "Fill in longitude: every row needs both latitude and longitude.",
      },
    ]);
  });

  it("allows neither coordinate where optional", async () => {
    const rejected = await rejectionsOf(
      "half-visit.csv",
      "place_name,latitude,longitude,visit_date\n약국,37.5,,2024-03-05\n",
      { kind: "interview" },
    );
    expect(rejected).toEqual([
      {
        file: "half-visit.csv",
        row: 1,
        field: "longitude",
        value: "",
        rule: "required",
        hint: "Give both latitude and longitude, or neither.",
      },
    ]);
  });

  it("names the file's own column", async () => {
    const rejected = await rejectionsOf(
      "korean.csv",
      "일시,위도,경도\n2024-03-05T09:00:00Z,abc,127\n",
      GPS,
    );
    expect(rejected[0]?.field).toBe("위도");
  });
});

describe("time rules in rows", () => {
  it("rejects an ambiguous date", async () => {
    const rejected = await rejectionsOf(
      "ambiguous.csv",
      "tracked_at,latitude,longitude\n03/05/2024 14:30,37.5,127\n",
      GPS,
    );
    expect(rejected).toEqual([
      {
        file: "ambiguous.csv",
        row: 1,
        field: "tracked_at",
        value: "03/05/2024 14:30",
        rule: "ambiguous_date",
        hint:
          '"03/05/2024 14:30" could be day/month or month/day. Write the date as ISO 8601 (YYYY-MM-DD, such as 2024-03-05) ' +
          "or declare the order with --date-format, such as --date-format MM/DD/YYYY or --date-format DD/MM/YYYY.",
      },
    ]);
  });

  it("reads the ambiguous date with --date-format", async () => {
    const result = await folder.validate(
      "declared.csv",
      "tracked_at,latitude,longitude\n03/05/2024 14:30,37.5,127\n",
      { ...GPS, dateFormat: "DD/MM/YYYY" },
    );
    expect(result.records.map(readable)[0]?.startedAt).toBe(
      "2024-05-03T05:30:00.000Z",
    );
  });

  it("reads Korean dates with --year", async () => {
    const result = await folder.validate(
      "year.csv",
      "tracked_at,latitude,longitude\n4월 9일 오후 12시 30분,36.6,128.4\n",
      { ...GPS, year: 2020 },
    );
    expect(result.records.map(readable)[0]?.startedAt).toBe(
      "2020-04-09T03:30:00.000Z",
    );
  });

  it("rejects a missing year", async () => {
    const rejected = await rejectionsOf(
      "no-year.csv",
      "tracked_at,latitude,longitude\n4월 9일 14시,36.6,128.4\n",
      GPS,
    );
    expect(rejected.map((row) => [row.rule, row.hint])).toEqual([
      [
        "missing_year",
        '"4월 9일 14시" has no year. Write the full date, such as 2024-03-05, or give the year with --year.',
      ],
    ]);
  });

  it("reads times in a declared zone", async () => {
    const result = await folder.validate(
      "zone.csv",
      "tracked_at,latitude,longitude\n2008-10-23 05:53:05,39.98,116.31\n",
      { ...GPS, zone: "Asia/Shanghai" },
    );
    expect(result.records.map(readable)[0]?.startedAt).toBe(
      "2008-10-22T21:53:05.000Z",
    );
  });

  it("rejects an unknown zone", async () => {
    await expect(
      folder.validate("zone.csv", "a\n", { ...GPS, zone: "Mars/Olympus" }),
    ).rejects.toThrow('Unknown time zone "Mars/Olympus"');
  });
});

describe("file rules", () => {
  const errorOf = async (name: string, content: string | Buffer) => {
    const result = await folder.validate(name, content, GPS);
    return result.fileErrors.map((error) => [error.rule, error.message]);
  };

  it("rejects an empty file", async () => {
    expect(await errorOf("empty.csv", "")).toEqual([
      [
        "empty_file",
        "empty.csv is empty. Export the data again with a header line and at least one row.",
      ],
    ]);
  });

  it("rejects a file of a BOM alone", async () => {
    expect((await errorOf("bom-only.csv", "\uFEFF"))[0]?.[0]).toBe(
      "empty_file",
    );
  });

  it("rejects a header without rows", async () => {
    expect(
      await errorOf("header-only.csv", "tracked_at,latitude,longitude\r\n"),
    ).toEqual([
      [
        "no_data_rows",
        "header-only.csv has a header but no data rows. Export the data again with its rows.",
      ],
    ]);
  });

  it("rejects a blank first line", async () => {
    expect(
      await errorOf(
        "blank-first.csv",
        "\ntracked_at,latitude,longitude\n2024-03-05T00:00:00Z,37,127\n",
      ),
    ).toEqual([
      [
        "blank_first_line",
        "Line 1 of blank-first.csv is blank or holds only delimiters, but the header must be on line 1. Delete the 1 line(s) before the header.",
      ],
    ]);
  });

  it("rejects a first line of delimiters", async () => {
    expect(
      await errorOf(
        "commas-first.csv",
        ",,,\ntracked_at,latitude,longitude\n2024-03-05T00:00:00Z,37,127\n",
      ),
    ).toEqual([
      [
        "blank_first_line",
        "Line 1 of commas-first.csv is blank or holds only delimiters, but the header must be on line 1. Delete the 1 line(s) before the header.",
      ],
    ]);
  });

  it("rejects a missing required column", async () => {
    expect(
      await errorOf(
        "no-longitude.csv",
        "tracked_at,latitude\n2024-03-05T00:00:00Z,37\n",
      ),
    ).toEqual([
      [
        "missing_column",
        'no-longitude.csv has no column longitude (or lng, lon, long, x, 경도), which gps files need. The header is "tracked_at,latitude". ' +
          "Add the column or rename one to its template name.",
      ],
    ]);
  });

  it("rejects a missing time column", async () => {
    const [error] = await errorOf(
      "no-time.csv",
      "latitude,longitude\n37,127\n",
    );
    expect(error?.[0]).toBe("missing_column");
    expect(error?.[1]).toContain(
      "no column tracked_at (or datetime, timestamp, time, t, recorded_at, 일시, 시각) or visit_date (or date, 날짜)",
    );
  });

  it("rejects two columns for one field", async () => {
    expect(
      await errorOf(
        "two.csv",
        "lat,latitude,lng,t\n1,1,1,2024-03-05T00:00:00Z\n",
      ),
    ).toEqual([
      [
        "duplicate_column",
        'two.csv has two columns for latitude: "lat" and "latitude". Delete or rename one of them.',
      ],
    ]);
  });

  it("rejects broken quoting", async () => {
    const [error] = await errorOf(
      "quotes.csv",
      'latitude,longitude,t\n"37"5,127,x\n',
    );
    expect(error?.[0]).toBe("csv_syntax");
  });

  it("keeps reading other files", async () => {
    const good = await folder.write(
      "good.csv",
      "latitude,longitude,t\n37,127,2024-03-05T00:00:00Z\n",
    );
    const bad = await folder.write("bad.csv", "");
    const { validateProviderFiles } = await import("./validate.js");
    const result = await validateProviderFiles([bad, good], GPS);
    expect(result.fileErrors.map((error) => error.file)).toEqual(["bad.csv"]);
    expect(result.records).toHaveLength(1);
  });
});

describe("row shape rules", () => {
  it("rejects a long line at its row", async () => {
    const long = `A,2024-03-05T09:00:00Z,37.5,127.${"0".repeat(80)}`;
    const result = await folder.validate(
      "long.csv",
      [
        "subject,tracked_at,latitude,longitude",
        "A,2024-03-05T08:00:00Z,37.5,127.0",
        long,
        "A,2024-03-05T10:00:00Z,37.5,127.0",
      ].join("\r\n"),
      { ...GPS, maxLineLength: 60 },
    );
    expect(result.rejections.summaries()).toEqual([
      {
        rule: "line_too_long",
        count: 1,
        examples: [
          {
            file: "long.csv",
            row: 2,
            field: "(line)",
            value: "",
            rule: "line_too_long",
            hint: `Line 3 has ${long.length} characters, more than the maximum of 60. Check it for a missing line break or closing quote, or raise --max-line-length.`,
          },
        ],
      },
    ]);
    expect(result.records.map((record) => record.rows[0])).toEqual([1, 3]);
  });

  it("rejects the row of a quote never closed", async () => {
    const result = await folder.validate(
      "open-quote.csv",
      `subject,tracked_at,latitude,longitude\n"A,2024-03-05T07:00:00Z,37.5,127.0\n${fixLines(50)}`,
      { ...GPS, maxLineLength: 60 },
    );
    expect(result.fileErrors).toEqual([]);
    expect(result.rejections.summaries()).toEqual([
      {
        rule: "unclosed_quote",
        count: 1,
        examples: [
          {
            file: "open-quote.csv",
            row: 1,
            field: "subject",
            value: '"A,2024-03-05T07:00:00Z,37.5,127.0',
            rule: "unclosed_quote",
            hint: 'The quote opened in field subject on line 2 is not closed by the end of the file. Close the quoted value where it ends, or remove the quote. A quote inside a quoted value is written twice ("").',
          },
        ],
      },
    ]);
    expect(result.rowsValid).toBe(50);
  });

  it("gives up on a quote open for too many lines", async () => {
    const result = await folder.validate(
      "open-quote.csv",
      `subject,tracked_at,latitude,longitude\n"A,2024-03-05T07:00:00Z,37.5,127.0\n${fixLines(150)}`,
      { ...GPS, maxLineLength: 60 },
    );
    // The quote opened on line 2 is still open at line 102, so the lines
    // held for it are read as rows instead of buffering to line 152.
    const [summary] = result.rejections.summaries();
    expect(summary?.examples[0]?.hint).toBe(
      'The quote opened in field subject on line 2 is not closed by line 102, 100 lines later. Close the quoted value where it ends, or remove the quote. A quote inside a quoted value is written twice ("").',
    );
    expect(result.fileErrors).toEqual([]);
    expect(result.rowsValid).toBe(150);
  });

  it("names the line of a quote inside a value", async () => {
    const result = await folder.validate(
      "stray.csv",
      'subject,tracked_at,latitude,longitude\nA,2024-03-05T08:00:00Z,37.5,127\nA,2024-03-05T08:01:00Z,3"7".5,127\n',
      GPS,
    );
    const [error] = result.fileErrors;
    expect([error?.rule, error?.message]).toEqual([
      "csv_syntax",
      'stray.csv is not valid CSV near line 3: Invalid Opening Quote: a quote is found on field 2 at line 3, value is "3". Check the quotes on that line: a value with a quote in it is quoted as a whole, and a quote inside a quoted value is written twice ("").',
    ]);
  });

  it("rejects a long line inside a quoted value at its row", async () => {
    const long = `A,2024-03-05T09:00:00Z,37.5,127.0,"${"y".repeat(80)}`;
    const result = await folder.validate(
      "long-quoted.csv",
      [
        "subject,tracked_at,latitude,longitude,place_name",
        "A,2024-03-05T08:00:00Z,37.5,127.0,ok",
        long,
        'second line"',
        "A,2024-03-05T10:00:00Z,37.5,127.0,ok",
        "",
      ].join("\n"),
      { ...GPS, maxLineLength: 60 },
    );
    expect(result.fileErrors).toEqual([]);
    expect(result.rejections.summaries()).toEqual([
      {
        rule: "line_too_long",
        count: 1,
        examples: [
          {
            file: "long-quoted.csv",
            row: 2,
            field: "(line)",
            value: "",
            rule: "line_too_long",
            hint: `Line 3 has ${long.length} characters, more than the maximum of 60. Check it for a missing line break or closing quote, or raise --max-line-length.`,
          },
        ],
      },
    ]);
    expect(result.records.map((record) => record.rows[0])).toEqual([1, 3]);
  });

  it("reads a quoted value of many lines", async () => {
    const value = Array.from({ length: 12 }, () => "y".repeat(20)).join("\n");
    const result = await folder.validate(
      "many-lines.csv",
      [
        "subject,tracked_at,latitude,longitude,place_name",
        `A,2024-03-05T08:00:00Z,37.5,127.0,"${value}"`,
        "A,2024-03-05T10:00:00Z,37.5,127.0,ok",
        "",
      ].join("\n"),
      { ...GPS, maxLineLength: 60 },
    );
    expect(result.fileErrors).toEqual([]);
    expect(result.rowsRejected).toBe(0);
    expect(result.records.map((record) => record.placeName)).toEqual([
      value,
      "ok",
    ]);
  });

  it("accepts a line of exactly the maximum", async () => {
    const line = "A,2024-03-05T08:00:00Z,37.5,127.0";
    const result = await folder.validate(
      "exact.csv",
      `subject,tracked_at,latitude,longitude\r\n${line}\r\n`,
      { ...GPS, maxLineLength: line.length },
    );
    expect(result.rowsRejected).toBe(0);
  });

  it("rejects a row with too few fields", async () => {
    const rejected = await rejectionsOf(
      "fields.csv",
      "subject,tracked_at,latitude,longitude\nA,2024-03-05T08:00:00Z,37.5\n",
      GPS,
    );
    expect(rejected).toEqual([
      {
        file: "fields.csv",
        row: 1,
        field: "(row)",
        value: "A,2024-03-05T08:00:00Z,37.5",
        rule: "column_count",
        hint: "Line 2 has 3 fields but the header has 4. Quote values that contain the delimiter, and give every column a value or an empty field.",
      },
    ]);
  });

  it("skips blank lines without counting them", async () => {
    const result = await folder.validate(
      "blank-lines.csv",
      "latitude,longitude,t\n\n37,127,2024-03-05T00:00:00Z\n\n38,127,2024-03-05T01:00:00Z\n",
      GPS,
    );
    expect(result.rowsRead).toBe(2);
    expect(result.records.map((record) => record.rows[0])).toEqual([1, 2]);
  });
});

describe("base-station records", () => {
  const header =
    "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n";
  const options: ProviderReadOptions = { kind: "base-station" };

  it("uses the default radius of the cell type", async () => {
    const result = await folder.validate(
      "cells.csv",
      `${header}010-1234-5678,20240305143000,C1,micro,37.5665,126.978,,SKT\n+82 10 1234 5678,2024-03-05T15:00:00+09:00,C2,,37.57,126.98,250,SKT\n`,
      options,
    );
    expect(result.records.map(readable)).toEqual([
      expect.objectContaining({
        kind: "base-station",
        subject: "01012345678",
        startedAt: "2024-03-05T05:30:00.000Z",
        radiusMeters: 300,
        details: {
          cellId: "C1",
          cellType: "micro",
          operator: "SKT",
          phoneLast4: "5678",
        },
        flags: ["assumed_zone", "default_radius"],
      }),
      expect.objectContaining({
        subject: "01012345678",
        startedAt: "2024-03-05T06:00:00.000Z",
        radiusMeters: 250,
        details: {
          cellId: "C2",
          cellType: "macro",
          operator: "SKT",
          phoneLast4: "5678",
        },
        flags: [],
      }),
    ]);
  });

  it("uses 1000 m for an unknown cell type", async () => {
    const result = await folder.validate(
      "macro.csv",
      `${header}01012345678,2024-03-05T15:00:00+09:00,C2,,37.57,126.98,,\n`,
      options,
    );
    expect(result.records[0]?.radiusMeters).toBe(1000);
  });

  it("rejects invalid phone, cell type and time", async () => {
    const rejected = await rejectionsOf(
      "bad-cells.csv",
      `${header}02-123-4567,14:30,C1,tower,37.5,127,,\n`,
      options,
    );
    expect(rejected.map((row) => [row.field, row.value, row.rule])).toEqual([
      ["phone_number", "02-123-4567", "phone_format"],
      ["observed_at", "14:30", "time_format"],
      ["cell_type", "tower", "cell_type"],
    ]);
  });

  it("rejects a negative accuracy", async () => {
    const rejected = await rejectionsOf(
      "negative.csv",
      `${header}01012345678,2024-03-05T15:00:00+09:00,C2,,37.57,126.98,-5,\n`,
      options,
    );
    expect(rejected.map((row) => [row.field, row.rule, row.hint])).toEqual([
      [
        "accuracy_meters",
        "meters_range",
        "accuracy_meters is a length in metres and cannot be negative.",
      ],
    ]);
  });
});

describe("card records", () => {
  const header =
    "card_number,paid_at,merchant_name,address,business_category,latitude,longitude,amount_krw,card_company\n";
  const options: ProviderReadOptions = { kind: "card", subject: "case-1" };

  it("keeps only the last 4 digits", async () => {
    const result = await folder.validate(
      "cards.csv",
      `${header}9430-1234-5678-9012,2024-03-05T12:10:00+09:00,명동칼국수,서울특별시 중구 명동10길 29,한식,37.5625,126.9856,"9,000원",신한카드\n`,
      options,
    );
    expect(result.records.map(readable)).toEqual([
      {
        kind: "card",
        subject: "case-1",
        file: "cards.csv",
        rows: [1],
        startedAt: "2024-03-05T03:10:00.000Z",
        endedAt: "2024-03-05T03:10:00.000Z",
        visitDate: null,
        latitude: 37.5625,
        longitude: 126.9856,
        radiusMeters: null,
        altitudeMeters: null,
        placeName: "명동칼국수",
        address: "서울특별시 중구 명동10길 29",
        placeTypes: ["한식"],
        note: null,
        details: {
          cardLast4: "9012",
          amountKrw: 9000,
          cardCompany: "신한카드",
        },
        flags: [],
      },
    ]);
  });

  it("rejects a row without address or position", async () => {
    const rejected = await rejectionsOf(
      "no-place.csv",
      `${header}9430-12**-****-5678,2024-03-05T12:10:00+09:00,가게,,,,,1000,\n`,
      options,
    );
    expect(rejected).toEqual([
      {
        file: "no-place.csv",
        row: 1,
        field: "address",
        value: "",
        rule: "missing_location",
        hint: "Fill in address, or latitude and longitude: every row needs a place.",
      },
    ]);
  });

  it("rejects a bad card number and amount", async () => {
    const rejected = await rejectionsOf(
      "bad-card.csv",
      `${header}1234,2024-03-05T12:10:00+09:00,가게,서울,,,,lots,\n`,
      options,
    );
    expect(rejected.map((row) => [row.field, row.rule])).toEqual([
      ["card_number", "card_number_format"],
      ["amount_krw", "amount_format"],
    ]);
  });
});

describe("checkin records", () => {
  const options: ProviderReadOptions = { kind: "checkin" };

  it("reads a visitor list with times of day", async () => {
    const result = await folder.validate(
      "visitors.csv",
      "연락처,업소명,주소,방문일자,입장시간,퇴장시간\n010-2345-6789,클럽 A,서울 용산구 이태원로 123,2020-05-02,오후 11:40,오전 2:10\n010-3456-7890,클럽 A,서울 용산구 이태원로 123,2020-05-02,21:00,\n",
      options,
    );
    expect(result.records.map(readable)).toEqual([
      expect.objectContaining({
        subject: "010-3456-7890",
        startedAt: "2020-05-02T12:00:00.000Z",
        endedAt: "2020-05-02T12:00:00.000Z",
        placeName: "클럽 A",
        flags: ["assumed_zone", "end_unknown"],
      }),
      expect.objectContaining({
        subject: "010-2345-6789",
        startedAt: "2020-05-02T14:40:00.000Z",
        endedAt: "2020-05-02T17:10:00.000Z",
        address: "서울 용산구 이태원로 123",
        flags: ["assumed_zone", "end_next_day"],
      }),
    ]);
  });

  it("rejects a time of day without a date", async () => {
    const rejected = await rejectionsOf(
      "no-date.csv",
      "venue_name,checked_in_at\n카페,14:30\n",
      options,
    );
    expect(rejected).toEqual([
      {
        file: "no-date.csv",
        row: 1,
        field: "checked_in_at",
        value: "14:30",
        rule: "missing_date",
        hint: '"14:30" is a time of day without a date. Fill in visit_date, or write the full date and time, such as 2024-03-05 14:30.',
      },
    ]);
  });

  it("rejects a check-out before the check-in", async () => {
    const rejected = await rejectionsOf(
      "backwards.csv",
      "venue_name,checked_in_at,checked_out_at\n카페,2020-05-02T14:30:00+09:00,2020-05-02T14:00:00+09:00\n",
      options,
    );
    expect(rejected.map((row) => [row.field, row.rule, row.hint])).toEqual([
      [
        "checked_out_at",
        "end_before_start",
        "checked_out_at is earlier than checked_in_at. Check both times.",
      ],
    ]);
  });

  it("rejects a check-in without a place", async () => {
    const rejected = await rejectionsOf(
      "nowhere.csv",
      "venue_name,address,checked_in_at\n,,2020-05-02T14:30:00+09:00\n",
      options,
    );
    expect(rejected.map((row) => row.rule)).toEqual(["missing_place"]);
  });
});

describe("interview records", () => {
  const options: ProviderReadOptions = { kind: "interview" };

  it("reads date-only and timed visits", async () => {
    const result = await folder.validate(
      "interview.csv",
      "장소,주소,위도,경도,날짜,도착시간,출발시간,이동수단,마스크,비고\n약국,서울 중구 명동길 20,,,2024-03-05,14:00,14:20,도보,예,\n직장,,37.57,126.982,2024-03-06,,,버스,아니오,시간 기억 못함\n",
      options,
    );
    expect(result.records.map(readable)).toEqual([
      expect.objectContaining({
        startedAt: "2024-03-05T05:00:00.000Z",
        endedAt: "2024-03-05T05:20:00.000Z",
        visitDate: null,
        placeName: "약국",
        latitude: null,
        details: { transport: "도보", maskWorn: true },
        flags: ["assumed_zone"],
      }),
      expect.objectContaining({
        startedAt: null,
        visitDate: "2024-03-06",
        latitude: 37.57,
        longitude: 126.982,
        note: "시간 기억 못함",
        details: { transport: "버스", maskWorn: false },
        flags: ["date_only"],
      }),
    ]);
  });

  it("rejects an unreadable mask answer", async () => {
    const rejected = await rejectionsOf(
      "mask.csv",
      "place_name,address,visit_date,mask_worn\n약국,서울,2024-03-05,maybe\n",
      options,
    );
    expect(rejected.map((row) => [row.field, row.value, row.rule])).toEqual([
      ["mask_worn", "maybe", "boolean_format"],
    ]);
  });

  it("rejects a visit with neither time nor date", async () => {
    const rejected = await rejectionsOf(
      "timeless.csv",
      "place_name,address,visit_date,arrived_at\n약국,서울,,\n",
      options,
    );
    expect(rejected).toEqual([
      {
        file: "timeless.csv",
        row: 1,
        field: "arrived_at",
        value: "",
        rule: "required",
        hint: "Fill in arrived_at, or visit_date for a visit known only to the day.",
      },
    ]);
  });

  it("keeps the last day of a multi-day visit", async () => {
    const result = await folder.validate(
      "days.csv",
      "address,start,end\n서울,2024-03-05,2024-03-07\n서울,2024-03-08,2024-03-08\n",
      options,
    );
    expect(result.rowsRejected).toBe(0);
    expect(result.records.map((record) => record.visitDate)).toEqual([
      "2024-03-05",
      "2024-03-08",
    ]);
    expect(result.records.map((record) => record.details)).toEqual([
      { lastVisitDate: "2024-03-07" },
      {},
    ]);
    expect(result.records[0]?.flags).toEqual(["date_only"]);
  });

  it("rejects a last day before the first", async () => {
    const rejected = await rejectionsOf(
      "backwards.csv",
      "address,visit_date,last_visit_date\n서울,2024-03-05,2024-03-04\n",
      options,
    );
    expect(rejected.map((row) => [row.field, row.value, row.rule])).toEqual([
      ["last_visit_date", "2024-03-04", "end_before_start"],
    ]);
  });

  it("rejects a last day beside an arrival time", async () => {
    const rejected = await rejectionsOf(
      "timed.csv",
      "address,arrived_at,last_visit_date\n서울,2024-03-05T14:00:00+09:00,2024-03-06\n",
      options,
    );
    expect(rejected.map((row) => [row.field, row.rule])).toEqual([
      ["last_visit_date", "last_date_without_date"],
    ]);
  });

  it("rejects a last day with a time", async () => {
    const rejected = await rejectionsOf(
      "clock.csv",
      "address,visit_date,last_visit_date\n서울,2024-03-05,2024-03-06 10:00\n",
      options,
    );
    expect(rejected.map((row) => [row.field, row.rule])).toEqual([
      ["last_visit_date", "date_format"],
    ]);
  });
});

describe("encodings", () => {
  const visitorList =
    "방문일자,입장시간,퇴장시간,업소명,주소,연락처\n" +
    "2020-05-02,23:40,02:10,똠양꿍 하우스,서울특별시 용산구 이태원로 123,010-2345-6789\n" +
    "2020-05-03,오후 12:05,오후 1:00,뷁 분식,서울특별시 중구 명동길 14,010-3456-7890\n";

  it("reads CP949 as its UTF-8 original", async () => {
    const utf8 = await folder.validate("list-utf8.csv", visitorList, {
      kind: "checkin",
    });
    const cp949 = await folder.validate(
      "list-cp949.csv",
      iconv.encode(visitorList, "cp949"),
      { kind: "checkin" },
    );
    const withoutFile = (records: typeof utf8.records) =>
      records.map(({ file: _file, ...record }) => record);

    expect(utf8.files[0]?.encoding).toBe("utf-8");
    expect(cp949.files[0]?.encoding).toBe("cp949");
    expect(cp949.rowsRejected).toBe(0);
    expect(withoutFile(cp949.records)).toEqual(withoutFile(utf8.records));
    expect(cp949.records.map((record) => record.placeName)).toEqual([
      "똠양꿍 하우스",
      "뷁 분식",
    ]);
  });

  it("rejects UTF-8 declared as CP949", async () => {
    // This UTF-8 text decodes as CP949 without an invalid byte.
    const silent =
      "subject,venue_name,address,latitude,longitude,visit_date\n" +
      "A,명동 병원,중구 주소,37.5636,126.985,2020-05-02\n";
    const result = await folder.validate("declared-cp949.csv", silent, {
      kind: "checkin",
      encoding: "cp949",
    });
    expect(result.fileErrors.map((error) => error.rule)).toEqual([
      "invalid_encoding",
    ]);
    expect(result.fileErrors[0]?.message).toContain(
      "Import it with --encoding utf-8 or --encoding auto.",
    );
    expect(result.records).toEqual([]);
  });

  it("reads CP949 declared as CP949", async () => {
    const result = await folder.validate(
      "declared-cp949.csv",
      iconv.encode(visitorList, "cp949"),
      { kind: "checkin", encoding: "cp949" },
    );
    expect(result.fileErrors).toEqual([]);
    expect(result.records.map((record) => record.placeName)).toEqual([
      "똠양꿍 하우스",
      "뷁 분식",
    ]);
  });

  it("rejects CP949 declared as UTF-8", async () => {
    const result = await folder.validate(
      "declared.csv",
      iconv.encode(visitorList, "cp949"),
      {
        kind: "checkin",
        encoding: "utf-8",
      },
    );
    expect(result.fileErrors.map((error) => error.rule)).toEqual([
      "invalid_encoding",
    ]);
  });
});

/** Returns `count` lines of gps fixes a minute apart, each ending in a line feed. */
function fixLines(count: number): string {
  return Array.from(
    { length: count },
    (_, index) =>
      `A,2024-03-05T${String(8 + Math.floor(index / 60)).padStart(2, "0")}:${String(index % 60).padStart(2, "0")}:00Z,37.5,127.0\n`,
  ).join("");
}
