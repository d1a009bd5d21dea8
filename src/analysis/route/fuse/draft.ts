import { ROUTE_SOURCES } from "../types.js";
import type { SourceStay, TimedSourceStay } from "../types.js";
import type { Span } from "./spans.js";

/**
 * A fused stay being built. Its place is that of its anchor, the most
 * precise member. Times keep the order of a timed source stay:
 * `startedAt <= observedFrom <= observedTo <= lastFixAt <= finishedAt`.
 */
export interface Draft {
  anchor: TimedSourceStay;
  readonly members: Set<SourceStay>;
  startedAt: number;
  lastFixAt: number;
  finishedAt: number;
  observedFrom: number;
  observedTo: number;
}

/** Returns the span of a draft or stay, from its start to its possible end. */
export function spanOf(item: {
  readonly startedAt: number;
  readonly finishedAt: number;
}): Span {
  return { start: item.startedAt, end: item.finishedAt };
}

/**
 * Orders stays from the most precise: smaller radius first, then observed
 * before estimated timing, then by the order of `ROUTE_SOURCES`, then by
 * start and id, so that the order is the same on every run.
 */
export function comparePrecision(a: SourceStay, b: SourceStay): number {
  return (
    a.radiusMeters - b.radiusMeters ||
    timingRank(a) - timingRank(b) ||
    ROUTE_SOURCES.indexOf(a.source) - ROUTE_SOURCES.indexOf(b.source) ||
    (a.startedAt ?? 0) - (b.startedAt ?? 0) ||
    compareText(a.id, b.id)
  );
}

function timingRank(stay: SourceStay): number {
  return stay.startedAt !== undefined && stay.timing === "estimated" ? 1 : 0;
}

function compareText(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}

/** Builds a draft from the part of a stay inside `piece`, which must hold an observed instant. */
export function draftFromPiece(stay: TimedSourceStay, piece: Span): Draft {
  return {
    anchor: stay,
    members: new Set([stay]),
    startedAt: piece.start,
    lastFixAt: Math.min(Math.max(stay.lastFixAt, piece.start), piece.end),
    finishedAt: piece.end,
    observedFrom: Math.max(stay.observedFrom, piece.start),
    observedTo: Math.min(stay.observedTo, piece.end),
  };
}

/**
 * Adds a stay that agrees with a draft as a member, and widens the draft's
 * certain and observed parts by the stay's inside the draft's span.
 */
export function supportDraft(draft: Draft, stay: TimedSourceStay): void {
  draft.members.add(stay);
  const lastFixAt = Math.min(stay.lastFixAt, draft.finishedAt);
  if (lastFixAt >= draft.startedAt) {
    draft.lastFixAt = Math.max(draft.lastFixAt, lastFixAt);
  }

  const observedFrom = Math.max(stay.observedFrom, draft.startedAt);
  const observedTo = Math.min(stay.observedTo, draft.finishedAt);
  if (observedFrom <= observedTo) {
    draft.observedFrom = Math.min(draft.observedFrom, observedFrom);
    draft.observedTo = Math.max(draft.observedTo, observedTo);
  }
}

/** Stretches a draft over a piece of a stay next to it, and adds the stay as a member. */
export function extendDraft(
  draft: Draft,
  stay: TimedSourceStay,
  piece: Span,
): void {
  draft.startedAt = Math.min(draft.startedAt, piece.start);
  draft.finishedAt = Math.max(draft.finishedAt, piece.end);
  supportDraft(draft, stay);
}

/** Merges draft `b` into draft `a`, keeping the more precise anchor. */
export function mergeDrafts(a: Draft, b: Draft): void {
  if (comparePrecision(b.anchor, a.anchor) < 0) {
    a.anchor = b.anchor;
  }
  for (const member of b.members) {
    a.members.add(member);
  }
  a.startedAt = Math.min(a.startedAt, b.startedAt);
  a.lastFixAt = Math.max(a.lastFixAt, b.lastFixAt);
  a.finishedAt = Math.max(a.finishedAt, b.finishedAt);
  a.observedFrom = Math.min(a.observedFrom, b.observedFrom);
  a.observedTo = Math.max(a.observedTo, b.observedTo);
}
