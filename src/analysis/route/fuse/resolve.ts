import { haversineMeters } from "../../geo/index.js";
import { mergeDrafts, spanOf, type Draft } from "./draft.js";
import { placesAgree, spansMeet, spansOverlap, type Span } from "./spans.js";

/**
 * Settles the overlaps between drafts. Drafts that overlap at agreeing
 * places merge. Drafts at disagreeing places that overlap only in estimated
 * or possible time are cut apart (see `trimPair`). Drafts at disagreeing
 * places whose observed times overlap are left as they are: they are in
 * conflict. Last, consecutive drafts at one place less than
 * `joinMilliseconds` apart are joined (see `joinRepeatedPlaces`). Returns
 * the drafts sorted by start.
 *
 * Merging can only grow spans and cutting can only shrink them, so merging
 * to the end first and cutting once after it leaves no overlap but conflicts.
 */
export function resolveOverlaps(
  drafts: readonly Draft[],
  joinMilliseconds: number,
): Draft[] {
  const merged = mergeAgreeingOverlaps(drafts);
  // Cutting only moves starts later and ends earlier, so once a draft's
  // start as sorted here reaches the end of `a`, no later draft overlaps `a`.
  const sortedStarts = merged.map((draft) => draft.startedAt);
  for (let i = 0; i < merged.length; i++) {
    const a = merged[i]!;
    for (let j = i + 1; j < merged.length; j++) {
      if (sortedStarts[j]! >= a.finishedAt) {
        break;
      }
      const b = merged[j]!;
      if (spansOverlap(spanOf(a), spanOf(b)) && !areInConflict(a, b)) {
        trimPair(a, b);
      }
    }
  }
  return joinRepeatedPlaces(sortDrafts(merged), joinMilliseconds);
}

/**
 * Joins each draft with the next when both lie at one place even at the
 * finer precision: their centres lie within the smaller radius of each
 * other. They must also be at most `joinMilliseconds` apart, with no other
 * draft reaching into the time from the start of the first to the end of
 * the second. Two card payments at one shop, or an interview instant and a
 * payment at the same pharmacy, become one stay, while a coarse cell and a
 * shop inside it stay apart.
 */
function joinRepeatedPlaces(
  sorted: readonly Draft[],
  joinMilliseconds: number,
): Draft[] {
  const latestEnds = runningMaximumOfEnds(sorted);
  const joined: Draft[] = [];
  let groupStart = 0;
  sorted.forEach((draft, k) => {
    const previous = joined.at(-1);
    const next = sorted[k + 1];
    const isReachedFromBefore =
      previous !== undefined &&
      groupStart > 0 &&
      latestEnds[groupStart - 1]! > previous.startedAt;
    const isReachedFromAfter =
      next !== undefined && next.startedAt < draft.finishedAt;
    if (
      previous !== undefined &&
      isRepeatedPlace(previous, draft, joinMilliseconds) &&
      !isReachedFromBefore &&
      !isReachedFromAfter
    ) {
      mergeDrafts(previous, draft);
      return;
    }
    joined.push(draft);
    groupStart = k;
  });
  return joined;
}

/** Returns for each index the latest end among the drafts up to it. */
function runningMaximumOfEnds(sorted: readonly Draft[]): number[] {
  let latest = Number.NEGATIVE_INFINITY;
  return sorted.map((draft) => {
    latest = Math.max(latest, draft.finishedAt);
    return latest;
  });
}

function isRepeatedPlace(
  a: Draft,
  b: Draft,
  joinMilliseconds: number,
): boolean {
  const gap = b.startedAt - a.finishedAt;
  const smallerRadius = Math.min(a.anchor.radiusMeters, b.anchor.radiusMeters);
  return (
    gap >= 0 &&
    gap <= joinMilliseconds &&
    haversineMeters(a.anchor, b.anchor) <= smallerRadius
  );
}

/**
 * Tells whether two drafts overlap in observed time at places that
 * disagree. Observed time runs from the first observation to the end of
 * the certain part, so a card payment counts but its estimated dwell
 * before the payment does not.
 */
export function areInConflict(a: Draft, b: Draft): boolean {
  return (
    spansOverlap(spanOf(a), spanOf(b)) &&
    spansMeet(observedSpanOf(a), observedSpanOf(b)) &&
    !placesAgree(a.anchor, b.anchor)
  );
}

function observedSpanOf(draft: Draft): Span {
  return { start: draft.observedFrom, end: draft.lastFixAt };
}

/** Merges overlapping drafts at agreeing places, in passes until none is left. Returns them sorted by start. */
function mergeAgreeingOverlaps(drafts: readonly Draft[]): Draft[] {
  let remaining = sortDrafts(drafts);
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < remaining.length; i++) {
      const a = remaining[i]!;
      for (let j = i + 1; j < remaining.length; j++) {
        const b = remaining[j]!;
        if (b.startedAt > a.finishedAt) {
          break;
        }
        if (
          spansOverlap(spanOf(a), spanOf(b)) &&
          placesAgree(a.anchor, b.anchor)
        ) {
          mergeDrafts(a, b);
          remaining.splice(j, 1);
          changed = true;
          // `a` may have grown, so the drafts after it are checked again.
          j = i;
        }
      }
    }
    remaining = sortDrafts(remaining);
  }
  return remaining;
}

/**
 * Cuts two overlapping drafts at disagreeing places apart. The draft
 * observed first ends, and the other starts, at one boundary between the
 * end of the certain part of the first and the first observation of the
 * second: the middle of the time both claim, within those limits, on a
 * whole minute where the limits allow. Only estimated or possible time is
 * given up, never observed time.
 */
function trimPair(a: Draft, b: Draft): void {
  // Without a conflict, one draft's certain part ends before the other's
  // first observation, so low <= high and the cut gives up no observed time.
  const [first, second] = a.lastFixAt < b.observedFrom ? [a, b] : [b, a];
  const low = Math.max(second.startedAt, first.lastFixAt);
  const high = Math.min(first.finishedAt, second.observedFrom);
  const boundary = clamp(roundToMinute((low + high) / 2), low, high);

  first.finishedAt = Math.min(first.finishedAt, boundary);
  second.startedAt = Math.max(second.startedAt, boundary);
}

function roundToMinute(instant: number): number {
  return Math.round(instant / 60_000) * 60_000;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

function sortDrafts(drafts: readonly Draft[]): Draft[] {
  return [...drafts].sort(
    (a, b) => a.startedAt - b.startedAt || a.finishedAt - b.finishedAt,
  );
}
