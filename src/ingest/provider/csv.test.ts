import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";

import { readCsvRows, type CsvItem } from "./csv.js";
import { ProviderFileError } from "./errors.js";
import { KIND_SPECS } from "./kinds.js";

const HEADER = "subject,tracked_at,latitude,longitude";

async function* chunksOf(text: string): AsyncGenerator<string> {
  // Pieces of a few characters, so lines also cross chunk boundaries.
  for (let start = 0; start < text.length; start += 7) {
    yield text.slice(start, start + 7);
  }
}

async function itemsOf(text: string): Promise<CsvItem[]> {
  const items: CsvItem[] = [];
  for await (const item of readCsvRows(
    chunksOf(text),
    "t.csv",
    KIND_SPECS.gps,
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
