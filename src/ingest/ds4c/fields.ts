import { isCalendarDate } from "../../domain/index.js";
import type { RejectionCollector } from "../report.js";
import type { CsvRow } from "./csv.js";

/** Values that DS4C writes for an unknown value. Surrounding spaces are ignored. */
const UNKNOWN_VALUES = new Set(["", "-"]);

/**
 * Reads the fields of one CSV row, turning DS4C's unknown markers into null
 * and adding a rejection for each invalid value. `isValid` turns false at
 * the first rejection.
 */
export class FieldReader {
  readonly #fileName: string;
  readonly #row: CsvRow;
  readonly #rejections: RejectionCollector;
  #isValid = true;

  constructor(fileName: string, row: CsvRow, rejections: RejectionCollector) {
    this.#fileName = fileName;
    this.#row = row;
    this.#rejections = rejections;
  }

  get isValid(): boolean {
    return this.#isValid;
  }

  /** Adds a rejection of the field's raw value. */
  reject(field: string, rule: string, hint: string): void {
    this.#isValid = false;
    this.#rejections.add({
      file: this.#fileName,
      row: this.#row.rowNumber,
      field,
      value: this.#row.values[field] ?? "",
      rule,
      hint,
    });
  }

  /** Returns the trimmed value, or null for an unknown one. */
  text(field: string): string | null {
    const value = (this.#row.values[field] ?? "").trim();
    return UNKNOWN_VALUES.has(value) ? null : value;
  }

  requiredText(field: string, hint: string): string | null {
    const value = this.text(field);
    if (value === null) {
      this.reject(field, "missing_value", hint);
    }
    return value;
  }

  /** Reads a `YYYY-MM-DD` calendar date, or null when unknown. */
  date(field: string): string | null {
    const value = this.text(field);
    if (value !== null && !isCalendarDate(value)) {
      this.reject(
        field,
        "date_format",
        "Write the date as YYYY-MM-DD (a real calendar day), or leave it empty if unknown.",
      );
      return null;
    }
    return value;
  }

  requiredDate(field: string): string | null {
    if (this.text(field) === null) {
      this.reject(field, "missing_value", "Give the date as YYYY-MM-DD.");
      return null;
    }
    return this.date(field);
  }

  /** Reads a whole number of digits only, or null when unknown. */
  wholeNumber(field: string): number | null {
    const value = this.text(field);
    if (value === null) {
      return null;
    }
    if (!/^\d+$/.test(value)) {
      this.reject(
        field,
        "whole_number_format",
        'Give a whole number of digits only, or leave it empty (or "-") if unknown.',
      );
      return null;
    }
    return Number(value);
  }

  /** Reads a required decimal number from `min` to `max`, such as a latitude. */
  decimal(
    field: string,
    min: number,
    max: number,
    rule: string,
  ): number | null {
    const value = this.text(field);
    if (value === null) {
      this.reject(
        field,
        "missing_value",
        `Give a decimal number from ${min} to ${max}.`,
      );
      return null;
    }
    const number = /^[-+]?(\d+\.?\d*|\.\d+)$/.test(value)
      ? Number(value)
      : Number.NaN;
    if (!(number >= min && number <= max)) {
      this.reject(
        field,
        rule,
        `Give a decimal number from ${min} to ${max} (WGS 84 degrees).`,
      );
      return null;
    }
    return number;
  }
}
