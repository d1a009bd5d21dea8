/** Days since the Unix epoch of a date written `YYYY/M/D` or `YYYY-MM-DD`. */
export function epochDayOf(date: string): number {
  const match = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(date.trim());
  if (match === null) {
    throw new RangeError(
      `Invalid date ${JSON.stringify(date)}: expected YYYY-MM-DD or YYYY/M/D.`,
    );
  }
  const [, year, month, day] = match.map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const value = Date.UTC(year, month - 1, day);
  const check = new Date(value);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(
      `Invalid date ${JSON.stringify(date)}: no such calendar day.`,
    );
  }
  return Math.round(value / 86_400_000);
}

/** Returns the `YYYY-MM-DD` date of a day since the Unix epoch. */
export function dateOfEpochDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
