import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";

import { readCsvRows, type CsvItem, type CsvReadOptions } from "./csv.js";
import { ProviderFileError } from "./errors.js";
import { KIND_SPECS } from "./kinds.js";

const HEADER = "subject,tracked_at,latitude,longitude";

async function* chunksOf(text: string): AsyncGenerator<string> {
  // Pieces of a few characters, so lines also cross chunk boundaries.
  for (let start = 0; start < text.length; start += 7) {
    yield text.slice(start, start + 7);
  }
}

async function itemsOf(
  text: string,
  options: CsvReadOptions = {},
): Promise<CsvItem[]> {
  const items: CsvItem[] = [];
  for await (const item of readCsvRows(
    chunksOf(text),
    "t.csv",
    KIND_SPECS.gps,
    options,
  )) {
    items.push(item);
  }
  return items;
}

/** Rows as [row, subject, latitude], and rejections as [row, rule, hint]. */
function summaryOf(items: readonly CsvItem[]): unknown[] {
  return items.flatMap((item) => {
    if (item.type === "row") {
      return [
        [item.row.row, item.row.values.subject, item.row.values.latitude],
      ];
    }
    if (item.type === "rejected") {
      const { row, rule, hint } = item.rejection;
      return [[row, rule, hint]];
    }
    return [];
  });
}

/** Parses the text with csv-parse alone and returns its four-field records, blank ones left out. */
function parsedAlone(text: string): string[][] {
  const records = parse(text, {
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
  }) as string[][];
  return records
    .slice(1)
    .filter(
      (record) => record.length === 4 && record.some((value) => value !== ""),
    );
}

describe("CSV rows with and without quotes", () => {
  it("reads quoted values after plain lines, keeping line numbers", async () => {
    const text = [
      HEADER,
      "A,2024-03-05T08:00:00Z,37.5,127.0",
      "",
      "  B , 2024-03-05T08:01:00Z ,\u300037.6\u00a0,127.0",
      '"C, c",2024-03-05T08:02:00Z,37.7,127.0',
      '"D',
      'd",2024-03-05T08:03:00Z,37.8,127.0',
      "E,2024-03-05T08:04:00Z",
      "F,2024-03-05T08:05:00Z,37.9,127.0",
      "",
    ].join("\n");
    const items = await itemsOf(text);
    expect(summaryOf(items)).toEqual([
      [1, "A", "37.5"],
      [2, "B", "37.6"],
      [3, "C, c", "37.7"],
      [4, "D\nd", "37.8"],
      [
        5,
        "column_count",
        "Line 8 has 2 fields but the header has 4. Quote values that contain the delimiter, and give every column a value or an empty field.",
      ],
      [6, "F", "37.9"],
    ]);
  });

  it("gives the same values as the CSV parser for mixed line endings", async () => {
    // A bare line feed in a CRLF file stays inside a value, and a CRLF
    // line in a line-feed file counts as two lines, as the parser has it.
    const texts = [
      `${HEADER}\r\nA,1,37.5,127\r\nB,2,37.6,127\nC,3,37.7,127\r\n`,
      `${HEADER}\nA,1,37.5,127\r\nB,2,37.6,127\n`,
      `${HEADER}\nA,1,37.5,127\nB,2,\t37.6 ,127\n\n,,,\nC,3,37.7,127`,
    ];
    for (const text of texts) {
      const items = await itemsOf(text);
      const latitudes = items.flatMap((item) =>
        item.type === "row" ? [item.row.values.latitude] : [],
      );
      expect(latitudes).toEqual(parsedAlone(text).map((record) => record[2]));
    }
  });

  it("names the line of broken quoting after plain lines", async () => {
    const text = [
      HEADER,
      "A,2024-03-05T08:00:00Z,37.5,127.0",
      "B,2024-03-05T08:01:00Z,37.6,127.0",
      "",
      'C,2024-03-05T08:02:00Z,"37"7,127.0',
      "",
    ].join("\n");
    const error = await itemsOf(text).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderFileError);
    expect((error as ProviderFileError).rule).toBe("csv_syntax");
    expect((error as Error).message).toContain("near line 5:");
  });
});

describe("CSV rows with a quote never closed", () => {
  it("rejects the row and reads the rows after it", async () => {
    const text = [
      HEADER,
      "A,2024-03-05T08:00:00Z,37.5,127.0",
      'B,2024-03-05T08:01:00Z,"37.6,127.0',
      "C,2024-03-05T08:02:00Z,37.7,127.0",
      '"D, d",2024-03-05T08:03:00Z,37.8,127.0',
      "",
    ].join("\n");
    const items = await itemsOf(text);
    expect(summaryOf(items)).toEqual([
      [1, "A", "37.5"],
      [
        2,
        "unclosed_quote",
        'The quote opened in field latitude on line 3 is not closed by the end of the file. Close the quoted value where it ends, or remove the quote. A quote inside a quoted value is written twice ("").',
      ],
      [3, "C", "37.7"],
      [4, "D, d", "37.8"],
    ]);
    const rejected = items.find((item) => item.type === "rejected");
    expect(rejected?.rejection.file).toBe("t.csv");
    expect(rejected?.rejection.field).toBe("latitude");
    expect(rejected?.rejection.value).toBe('"37.6,127.0');
  });

  it("keeps a value spanning lines next to one", async () => {
    const text = [
      HEADER,
      '"A',
      'a",2024-03-05T08:00:00Z,37.5,127.0',
      '"B,2024-03-05T08:01:00Z,37.6,127.0',
      "C,2024-03-05T08:02:00Z,37.7,127.0",
    ].join("\r\n");
    expect(summaryOf(await itemsOf(text))).toEqual([
      [1, "A\r\na", "37.5"],
      [
        2,
        "unclosed_quote",
        'The quote opened in field subject on line 4 is not closed by the end of the file. Close the quoted value where it ends, or remove the quote. A quote inside a quoted value is written twice ("").',
      ],
      [3, "C", "37.7"],
    ]);
  });

  it("gives up on the quote after the line limit", async () => {
    const rows = Array.from(
      { length: 150 },
      (_, index) => `R${index},2024-03-05T08:00:00Z,37.5,127.0`,
    );
    const text = [HEADER, '"A,2024-03-05T07:00:00Z,37.5,127.0', ...rows].join(
      "\n",
    );
    const items = await itemsOf(text);
    const rejected = items.flatMap((item) =>
      item.type === "rejected" ? [item.rejection] : [],
    );
    expect(rejected.map(({ row, field, rule }) => [row, field, rule])).toEqual([
      [1, "subject", "unclosed_quote"],
    ]);
    expect(rejected[0]?.hint).toContain(
      "on line 2 is not closed by line 102, 100 lines later.",
    );
    const subjects = items.flatMap((item) =>
      item.type === "row" ? [item.row.values.subject] : [],
    );
    expect(subjects).toEqual(rows.map((line) => line.split(",")[0]));
  });

  it("cuts a long value", async () => {
    const place = "x".repeat(300);
    const text = `${HEADER},place_name\nA,2024-03-05T08:00:00Z,37.5,127.0,"${place}\n`;
    const [rejected] = (await itemsOf(text)).flatMap((item) =>
      item.type === "rejected" ? [item.rejection] : [],
    );
    expect(rejected?.field).toBe("place_name");
    expect(rejected?.value).toBe(`"${"x".repeat(99)}…`);
  });

  it("rejects an over-long line as too long only", async () => {
    const long = `"A,2024-03-05T08:00:00Z,37.5,127.${"0".repeat(80)}`;
    const text = [HEADER, long, "B,2024-03-05T08:01:00Z,37.6,127.0"].join("\n");
    const items = await itemsOf(text, { maxLineLength: 60 });
    expect(
      summaryOf(items).map((item) => (item as unknown[]).slice(0, 2)),
    ).toEqual([
      [1, "line_too_long"],
      [2, "B"],
    ]);
  });

  it("rejects a header whose quote is never closed", async () => {
    const text = `"subject,tracked_at,latitude,longitude\nA,2024-03-05T08:00:00Z,37.5,127.0\n`;
    const error = await itemsOf(text).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderFileError);
    expect((error as ProviderFileError).rule).toBe("unclosed_quote");
  });

  it("reads on without reading to the end of the file", async () => {
    const totalLines = 1_000_000;
    let linesRead = 0;
    async function* endless(): AsyncGenerator<string> {
      yield `${HEADER}\n"A,2024-03-05T07:00:00Z,37.5,127.0\n`;
      for (; linesRead < totalLines; linesRead++) {
        yield `R${linesRead},2024-03-05T08:00:00Z,37.5,127.0\n`;
      }
    }
    const rules: string[] = [];
    let rowsAfter = 0;
    for await (const item of readCsvRows(endless(), "t.csv", KIND_SPECS.gps)) {
      if (item.type === "rejected") {
        rules.push(item.rejection.rule);
      }
      if (item.type === "row" && ++rowsAfter === 1_000) {
        break;
      }
    }
    expect(rules).toEqual(["unclosed_quote"]);
    expect(rowsAfter).toBe(1_000);
    expect(linesRead).toBeLessThan(totalLines / 10);
  });
});
