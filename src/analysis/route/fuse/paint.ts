import { haversineMeters } from "../../geo/index.js";
import type { RouteSource, TimedSourceStay } from "../types.js";
import { DraftIndex } from "./draft-index.js";
import {
  comparePrecision,
  draftFromPiece,
  extendDraft,
  spanOf,
  supportDraft,
  type Draft,
} from "./draft.js";
import {
  placesAgree,
  spansMeet,
  spansOverlap,
  subtractSpans,
  type Span,
} from "./spans.js";

/**
 * Lays the timed stays on one timeline, the most precise first. A stay
 * that overlaps an earlier draft at an agreeing place supports it: it adds
 * its source, and the draft keeps its own finer place. The parts of the stay
 * outside those drafts become drafts of their own, except for two kinds:
 *
 * - a part shorter than `absorbMilliseconds` next to an agreeing draft
 *   joins that draft, so a card payment in a base-station stay does not
 *   leave slivers of the coarse stay around it;
 * - a part without an observed instant (an estimated or possible part)
 *   joins the agreeing draft before it as a possible end when that draft's
 *   own times are estimated, as for a card payment. Otherwise it is
 *   dropped, because a finer observation already bounds its time.
 *
 * Last, a draft that starts before its first observation at its own place
 * starts at that observation when it is an arrival (see `ARRIVAL_SOURCES`),
 * such as a check-in at the restaurant where the card payment came later.
 *
 * Drafts at places that disagree may overlap; `resolveOverlaps` settles them.
 */
export function paintStays(
  stays: readonly TimedSourceStay[],
  absorbMilliseconds: number,
): Draft[] {
  const drafts: Draft[] = [];
  const index = new DraftIndex();
  for (const stay of [...stays].sort(comparePrecision)) {
    const span = spanOf(stay);
    const agreeing = index
      .near(span)
      .filter(
        (draft) =>
          spansMeet(spanOf(draft), span) && placesAgree(draft.anchor, stay),
      );
    for (const draft of agreeing) {
      if (spansOverlap(spanOf(draft), span)) {
        supportDraft(draft, stay);
      }
    }

    const covered = agreeing.filter((draft) =>
      spansOverlap(spanOf(draft), span),
    );
    for (const piece of subtractSpans(span, covered.map(spanOf))) {
      const placed = placePiece(stay, piece, agreeing, absorbMilliseconds);
      if (placed.type === "new") {
        drafts.push(placed.draft);
        index.add(placed.draft);
      } else if (placed.type === "extended") {
        index.update(placed.draft);
      }
    }
  }
  drafts.forEach(startAtArrival);
  return drafts;
}

/**
 * Sources whose observed start is an arrival at the place: the first GPS
 * fix there, a check-in, an arrival stated in an interview or a disclosure.
 * A base-station stay starts at the first record in the cell, which a phone
 * may make long after it arrived.
 */
const ARRIVAL_SOURCES: ReadonlySet<RouteSource> = new Set([
  "gps",
  "checkin",
  "interview",
  "disclosed_visit",
]);

/**
 * Moves the start of a draft to its first fine observation when that comes
 * after the start and is an arrival. Fine observations are those of
 * members at the draft's place at the finer of the two precisions, so a
 * coarse cell that covers the place does not count.
 */
function startAtArrival(draft: Draft): void {
  const fine = [...draft.members].filter(
    (member): member is TimedSourceStay =>
      member.startedAt !== undefined &&
      haversineMeters(member, draft.anchor) <=
        Math.min(member.radiusMeters, draft.anchor.radiusMeters),
  );
  const firstFine = Math.min(
    ...fine.map((member) => Math.max(member.observedFrom, draft.startedAt)),
  );
  if (!(draft.startedAt < firstFine && firstFine <= draft.lastFixAt)) {
    return;
  }
  const hasArrival = fine.some(
    (member) =>
      member.startedAt === firstFine &&
      member.observedFrom === member.startedAt &&
      ARRIVAL_SOURCES.has(member.source),
  );
  if (hasArrival) {
    draft.startedAt = firstFine;
    draft.observedFrom = Math.max(draft.observedFrom, firstFine);
  }
}

/** Outcome of placing a piece: a new draft, an extended draft, or nothing. */
type PlacedPiece =
  | { readonly type: "new" | "extended"; readonly draft: Draft }
  | { readonly type: "dropped" };

/** Joins a piece of a stay to a neighbouring draft, makes it a new draft, or drops it. */
function placePiece(
  stay: TimedSourceStay,
  piece: Span,
  agreeing: readonly Draft[],
  absorbMilliseconds: number,
): PlacedPiece {
  const before = agreeing.find((draft) => draft.finishedAt === piece.start);
  const after = agreeing.find((draft) => draft.startedAt === piece.end);
  const isObserved =
    stay.observedFrom <= piece.end && stay.observedTo >= piece.start;

  if (!isObserved) {
    if (before !== undefined && before.anchor.timing === "estimated") {
      extendDraft(before, stay, piece);
      return { type: "extended", draft: before };
    }
    return { type: "dropped" };
  }
  if (piece.end - piece.start < absorbMilliseconds) {
    const neighbour = before ?? after;
    if (neighbour !== undefined) {
      extendDraft(neighbour, stay, piece);
      return { type: "extended", draft: neighbour };
    }
  }
  return { type: "new", draft: draftFromPiece(stay, piece) };
}
