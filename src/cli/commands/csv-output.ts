/** Formats epoch milliseconds as UTC ISO 8601. */
export function formatInstant(epochMilliseconds: number): string {
  return new Date(epochMilliseconds).toISOString();
}

/** Quotes a CSV field when it contains a comma, quote or line break. */
export function quoteCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
