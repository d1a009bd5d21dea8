import { haversineMeters } from "../../geo/index.js";

/** A time span in epoch milliseconds, both ends included. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A place: a centre and an uncertainty radius in metres. */
export interface Place {
  readonly latitude: number;
  readonly longitude: number;
  readonly radiusMeters: number;
}

/**
 * Tells whether two spans share time. Spans of positive length must share
 * a positive length, and an instant must lie strictly inside the other span
 * (or equal another instant), so spans that only touch do not overlap.
 */
export function spansOverlap(a: Span, b: Span): boolean {
  const aIsInstant = a.start === a.end;
  const bIsInstant = b.start === b.end;
  if (aIsInstant && bIsInstant) {
    return a.start === b.start;
  }
  if (aIsInstant) {
    return b.start < a.start && a.start < b.end;
  }
  if (bIsInstant) {
    return a.start < b.start && b.start < a.end;
  }
  return Math.max(a.start, b.start) < Math.min(a.end, b.end);
}

/** Tells whether two spans share at least an instant, ends included. */
export function spansMeet(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * Returns the parts of `span` outside every span of `covered`, in time
 * order. Parts of zero length are dropped unless `span` itself is an
 * instant that no covered span contains.
 */
export function subtractSpans(span: Span, covered: readonly Span[]): Span[] {
  if (span.start === span.end) {
    return covered.some((other) => spansOverlap(span, other)) ? [] : [span];
  }

  const sorted =
    covered.length > 1
      ? [...covered].sort((a, b) => a.start - b.start)
      : covered;
  const pieces: Span[] = [];
  let cursor = span.start;
  for (const other of sorted) {
    if (other.end <= cursor || other.start >= span.end) {
      continue;
    }
    if (other.start > cursor) {
      pieces.push({ start: cursor, end: other.start });
    }
    cursor = Math.max(cursor, other.end);
  }
  if (cursor < span.end) {
    pieces.push({ start: cursor, end: span.end });
  }
  return pieces;
}

/**
 * Tells whether two places can be one: their centres lie at most the sum of
 * their radii apart, so some position lies within both.
 */
export function placesAgree(a: Place, b: Place): boolean {
  return haversineMeters(a, b) <= a.radiusMeters + b.radiusMeters;
}
