import { AppError } from "../../../errors.js";

/** Parses an ISO 8601 instant that names its offset, raising `validation_failed` otherwise. */
export function instantOf(field: string, value: string): number {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const instant = Date.parse(value);
  if (!hasOffset || Number.isNaN(instant)) {
    throw new AppError(
      "validation_failed",
      `Invalid ${field} ${JSON.stringify(value)}: expected an ISO 8601 instant with an offset, such as 2020-02-20T09:00:00+09:00.`,
    );
  }
  return instant;
}
