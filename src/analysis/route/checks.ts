/** Checks shared by the stay detectors of every source. */

const MILLISECONDS_PER_MINUTE = 60_000;

/** Returns minutes in milliseconds. */
export function minutesToMilliseconds(minutes: number): number {
  return minutes * MILLISECONDS_PER_MINUTE;
}

/** Throws a RangeError naming the option unless the value is a finite number >= 0. */
export function checkNonNegativeOption(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(
      `Invalid option ${name} ${String(value)}: expected a finite number >= 0`,
    );
  }
  return value;
}

/** Throws a RangeError naming the option unless the value lies in [0, 1]. */
export function checkShareOption(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw new RangeError(
      `Invalid option ${name} ${String(value)}: expected a number from 0 to 1`,
    );
  }
  return value;
}

/** A record as the checks see it: a position and, where it has one, an id. */
interface CheckedRecord {
  readonly id?: string | undefined;
  readonly latitude: number;
  readonly longitude: number;
}

/** Returns the id of a record, or `#` and its index when it has none. */
export function recordIdOf(
  record: { readonly id?: string | undefined },
  index: number,
): string {
  return record.id ?? `#${index}`;
}

/**
 * Throws a RangeError naming the record kind, the index and the field when a
 * coordinate is out of range or a time is not finite.
 */
export function checkRecord(
  kind: string,
  record: CheckedRecord,
  index: number,
  times: Readonly<Record<string, number>>,
): void {
  if (!(record.latitude >= -90 && record.latitude <= 90)) {
    throw invalidField(
      kind,
      index,
      "latitude",
      record.latitude,
      "decimal degrees from -90 to 90",
    );
  }
  if (!(record.longitude >= -180 && record.longitude <= 180)) {
    throw invalidField(
      kind,
      index,
      "longitude",
      record.longitude,
      "decimal degrees from -180 to 180",
    );
  }
  for (const [field, value] of Object.entries(times)) {
    if (!Number.isFinite(value)) {
      throw invalidField(
        kind,
        index,
        field,
        value,
        "finite epoch milliseconds",
      );
    }
  }
}

/** Throws a RangeError naming the field when an optional radius is negative or not finite. */
export function checkOptionalRadius(
  kind: string,
  index: number,
  field: string,
  value: number | null | undefined,
): void {
  if (value === null || value === undefined) {
    return;
  }
  if (!(value >= 0 && Number.isFinite(value))) {
    throw invalidField(
      kind,
      index,
      field,
      value,
      "a finite number of metres >= 0",
    );
  }
}

/** Builds the RangeError of an invalid field of an input record. */
export function invalidField(
  kind: string,
  index: number,
  field: string,
  value: unknown,
  expected: string,
): RangeError {
  return new RangeError(
    `Invalid ${field} ${String(value)} in the ${kind} at index ${index}: expected ${expected}`,
  );
}

/** Returns the indexes of the records sorted by a time, stably. */
export function sortedIndexes<Item>(
  items: readonly Item[],
  timeOf: (item: Item) => number,
): number[] {
  const indexes = items.map((_item, index) => index);
  if (isSortedBy(items, timeOf)) {
    // Sorting would keep this order, and tracks mostly come in it.
    return indexes;
  }
  // Array.prototype.sort is stable, so records at one instant keep their order.
  return indexes.sort((a, b) => timeOf(items[a]!) - timeOf(items[b]!));
}

function isSortedBy<Item>(
  items: readonly Item[],
  timeOf: (item: Item) => number,
): boolean {
  for (let index = 1; index < items.length; index++) {
    if (timeOf(items[index - 1]!) > timeOf(items[index]!)) {
      return false;
    }
  }
  return true;
}
