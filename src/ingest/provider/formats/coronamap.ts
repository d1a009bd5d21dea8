/** Parsed JSON of unknown shape. */
export type Json = unknown;

export function asObject(value: Json): Record<string, Json> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, Json>)
    : undefined;
}

/** Drops empty values, so that a missing JSON property reads as a missing column. */
export function presentValues(
  values: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== ""),
  );
}
