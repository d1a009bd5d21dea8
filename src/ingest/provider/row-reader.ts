import type { RejectedRow } from "../report.js";
import { parseIsoInstant } from "./iso-time.js";
import { parseTime, type ParsedTime, type TimeOptions } from "./time.js";

/** One input row, with its values under the template's column names. */
export interface SourceRow {
  /** Input file name, without its folder. */
  file: string;
  /** 1-based data row (header excluded), or point number in a GeoJSON, GPX, KML or Takeout file. */
  row: number;
  /** Values by template column name; a column the file lacks is absent. */
  values: Readonly<Record<string, string>>;
  /** The file's own name of each column, for rejection messages, by template column name. */
  columnNames?: Readonly<Record<string, string>>;
}

export interface Position {
  latitude: number;
  longitude: number;
}

function isInRange(value: number, limit: number): boolean {
  return Math.abs(value) <= limit;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads the values of one row, checking each and collecting a rejection for
 * every value that breaks a rule. Readers return undefined for a missing or
 * invalid value, so a caller can read every field and report all problems
 * of a row at once.
 */
export class RowReader {
  readonly rejections: RejectedRow[] = [];

  constructor(
    readonly source: SourceRow,
    readonly timeOptions: TimeOptions,
  ) {}

  /** Returns the trimmed value, or undefined when it is missing or empty. */
  text(field: string): string | undefined {
    const value = this.source.values[field]?.trim();
    return value === "" ? undefined : value;
  }

  /** Returns the value, rejecting the row when it is missing. */
  required(field: string): string | undefined {
    const value = this.text(field);
    if (value === undefined) {
      this.reject(
        field,
        "",
        "required",
        `Fill in ${this.columnName(field)}: every row needs it.`,
      );
    }
    return value;
  }

  reject(field: string, value: string, rule: string, hint: string): void {
    this.rejections.push({
      file: this.source.file,
      row: this.source.row,
      field: this.columnName(field),
      value,
      rule,
      hint,
    });
  }

  columnName(field: string): string {
    return this.source.columnNames?.[field] ?? field;
  }

  /**
   * Returns the position of the latitude and longitude columns: null when
   * both are empty (a rejection when `required`), undefined when invalid.
   * A latitude beyond ±90 whose longitude would be a valid latitude, such as
   * 126.97 and 37.56 for Seoul, is rejected with a hint to swap the columns.
   */
  position(required: boolean): Position | null | undefined {
    const latitudeText = this.text("latitude");
    const longitudeText = this.text("longitude");
    if (latitudeText === undefined && longitudeText === undefined) {
      if (required) {
        this.required("latitude");
        this.required("longitude");
        return undefined;
      }
      return null;
    }
    if (latitudeText === undefined || longitudeText === undefined) {
      const missing = latitudeText === undefined ? "latitude" : "longitude";
      const both = `${this.columnName("latitude")} and ${this.columnName("longitude")}`;
      this.reject(
        missing,
        "",
        "required",
        required
          ? `Fill in ${this.columnName(missing)}: every row needs both ${both}.`
          : `Give both ${both}, or neither.`,
      );
      return undefined;
    }

    const latitude = this.decimal("latitude", latitudeText);
    const longitude = this.decimal("longitude", longitudeText);
    if (latitude === undefined || longitude === undefined) {
      return undefined;
    }
    return this.#checkRanges(latitude, longitude, latitudeText, longitudeText);
  }

  #checkRanges(
    latitude: number,
    longitude: number,
    latitudeText: string,
    longitudeText: string,
  ): Position | undefined {
    if (!isInRange(latitude, 90) && isInRange(longitude, 90)) {
      this.reject(
        "latitude",
        latitudeText,
        "coordinates_swapped",
        `Latitude ${latitudeText} is outside -90 to 90, but longitude ${longitudeText} would be a valid latitude: ` +
          `the values look swapped. Swap the ${this.columnName("latitude")} and ${this.columnName("longitude")} columns.`,
      );
      return undefined;
    }
    let isValid = true;
    if (!isInRange(latitude, 90)) {
      this.reject(
        "latitude",
        latitudeText,
        "latitude_range",
        "Give a latitude in decimal degrees from -90 to 90.",
      );
      isValid = false;
    }
    if (!isInRange(longitude, 180)) {
      this.reject(
        "longitude",
        longitudeText,
        "longitude_range",
        "Give a longitude in decimal degrees from -180 to 180.",
      );
      isValid = false;
    }
    return isValid ? { latitude, longitude } : undefined;
  }

  /** Parses a decimal number such as -12.5 or 1e3; rejects anything else, NaN and Infinity included. */
  decimal(field: string, text: string): number | undefined {
    const value = Number(text);
    if (!DECIMAL.test(text) || !Number.isFinite(value)) {
      this.reject(
        field,
        text,
        "number_format",
        `Write ${this.columnName(field)} as a decimal number with a dot, such as 37.5665.`,
      );
      return undefined;
    }
    return value;
  }

  /** Returns a decimal number, or undefined when it is missing or invalid. */
  optionalDecimal(field: string): number | undefined {
    const text = this.text(field);
    return text === undefined ? undefined : this.decimal(field, text);
  }

  /** Returns a length in metres, 0 or more, or undefined when it is missing or invalid. */
  meters(field: string): number | undefined {
    const text = this.text(field);
    if (text === undefined) {
      return undefined;
    }
    const value = this.decimal(field, text);
    if (value !== undefined && value < 0) {
      this.reject(
        field,
        text,
        "meters_range",
        `${this.columnName(field)} is a length in metres and cannot be negative.`,
      );
      return undefined;
    }
    return value;
  }

  /** Parses a time value; rejects the row when the value cannot be read. */
  time(field: string): ParsedTime | undefined {
    const text = this.text(field);
    if (text === undefined) {
      return undefined;
    }
    const fast = parseIsoInstant(text);
    if (fast !== undefined) {
      return fast;
    }
    const result = parseTime(text, this.timeOptions);
    if (!result.ok) {
      this.reject(field, text, result.problem.rule, result.problem.hint);
      return undefined;
    }
    return result.time;
  }
}

/** Item of a format reader: a row to normalise, or a row it could not read at all. */
export type ReadItem =
  | { type: "row"; row: SourceRow }
  | { type: "rejected"; rejection: RejectedRow };
