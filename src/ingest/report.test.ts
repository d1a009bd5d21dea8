import { describe, expect, it } from "vitest";

import {
  emptyReport,
  formatImportReport,
  ImportValidationError,
  RejectionCollector,
  REJECTION_EXAMPLES_PER_RULE,
  type RejectedRow,
} from "./report.js";

function rejectedRow(row: number, overrides: Partial<RejectedRow> = {}) {
  return {
    file: "PatientRoute.csv",
    row,
    field: "latitude",
    value: "95.5",
    rule: "latitude_range",
    hint: "Give a decimal number from -90 to 90.",
    ...overrides,
  };
}

describe("RejectionCollector", () => {
  it("counts every break and keeps the first few", () => {
    const rejections = new RejectionCollector();
    for (let row = 1; row <= 8; row++) {
      rejections.add(rejectedRow(row));
    }

    const [summary] = rejections.summaries();
    expect(summary?.count).toBe(8);
    expect(summary?.examples).toHaveLength(REJECTION_EXAMPLES_PER_RULE);
    expect(summary?.examples.map((example) => example.row)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(rejections.count).toBe(8);
  });

  it("counts a row with two breaks once", () => {
    const rejections = new RejectionCollector();
    rejections.add(rejectedRow(3));
    rejections.add(rejectedRow(3, { field: "date", rule: "date_format" }));
    rejections.add(rejectedRow(3, { file: "PatientInfo.csv" }));

    expect(rejections.count).toBe(2);
    expect(rejections.summaries().map((s) => [s.rule, s.count])).toEqual([
      ["latitude_range", 2],
      ["date_format", 1],
    ]);
    expect(rejections.first()?.row).toBe(3);
  });
});

describe("formatImportReport", () => {
  it("prints counts, merges, flags and rejections", () => {
    const report = {
      ...emptyReport("ds4c", "/data/ds4c"),
      importId: "import-1",
      rowsReadBySource: { "PatientRoute.csv": 8092 },
      rowsRead: 8092,
      rowsImported: 8091,
      rowsRejected: 1,
      records: { visitsCreated: 7330 },
      merged: [
        { reason: "exact_duplicate", description: "same row", count: 645 },
      ],
      flagged: [
        {
          flag: "after_confirmation",
          description: "after confirmation",
          records: 96,
          rows: 99,
        },
      ],
      rejected: [
        { rule: "latitude_range", count: 1, examples: [rejectedRow(12)] },
      ],
      durationMs: 1250,
    };

    const text = formatImportReport(report);
    expect(text).toContain("Import ds4c: /data/ds4c");
    expect(text).toContain("read 8,092 rows from PatientRoute.csv");
    expect(text).toContain("rows read 8,092, imported 8,091, rejected 1");
    expect(text).toContain("visitsCreated: 7,330");
    expect(text).toContain("merged 645 rows into earlier ones:");
    expect(text).toContain("exact_duplicate: 645 (same row)");
    expect(text).toContain("after_confirmation: 96 records from 99 rows");
    expect(text).toContain(
      'PatientRoute.csv row 12, field latitude: value "95.5" breaks rule latitude_range. Give a decimal number from -90 to 90.',
    );
    expect(text).toContain("took 1.3 s");
  });

  it("says when an import was skipped", () => {
    const report = {
      ...emptyReport("boundaries", "a.json"),
      importId: "import-0",
      skippedAsAlreadyImported: true,
    };

    expect(formatImportReport(report)).toBe(
      "Import boundaries: a.json\n" +
        "  skipped: the same content was imported before (import import-0); nothing was added",
    );
  });
});

describe("ImportValidationError", () => {
  it("names the first rejected row", () => {
    const report = { ...emptyReport("ds4c", "dir"), rowsRejected: 2 };
    const error = new ImportValidationError(report, rejectedRow(7));

    expect(error.message).toBe(
      "Import ds4c of dir failed: 2 invalid row(s), nothing was stored. " +
        'First: PatientRoute.csv row 7, field latitude: value "95.5" breaks rule latitude_range. Give a decimal number from -90 to 90.',
    );
    expect(error.report).toBe(report);
  });
});
