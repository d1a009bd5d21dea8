import { isDateOnlyStay, validateStay } from "../../stays/index.js";
import {
  checkNonNegativeOption,
  checkShareOption,
  minutesToMilliseconds,
} from "../checks.js";
import {
  ROUTE_SOURCES,
  type DateOnlySourceStay,
  type SourceStay,
  type TimedSourceStay,
} from "../types.js";
import {
  checkSourceConfidence,
  DEFAULT_SOURCE_CONFIDENCE,
} from "./confidence.js";
import { attachDateOnlyStays } from "./date-only.js";
import { buildMoves, finishDateOnlyStays, finishTimedStays } from "./finish.js";
import { paintStays } from "./paint.js";
import { resolveOverlaps } from "./resolve.js";
import type { FuseOptions, Route } from "./types.js";

/** Default settings of the fusion; `labelArea` has no default. */
export const DEFAULT_FUSE_OPTIONS = {
  absorbPieceMinutes: 15,
  sourceConfidence: DEFAULT_SOURCE_CONFIDENCE,
  conflictFactor: 0.5,
} as const;

/**
 * Fuses the stays of one person from all sources into one route of stays
 * and moves.
 *
 * Stays agree when they overlap in time and their places can be one (the
 * centres at most the sum of the radii apart). Agreeing stays merge into
 * one route stay with the place of the most precise member, so a card
 * payment inside a base-station stay gives it the merchant's position and
 * name. A long coarse stay is split around the finer stays inside it, and
 * its remaining parts stay at the coarse place. Stays that overlap in
 * observed time but disagree in place are both kept and flagged in
 * `conflictsWith`. Otherwise overlapping stays give up estimated and
 * possible time at a boundary between their observations.
 *
 * A date-only stay joins the nearest timed stay of its Seoul day at an
 * agreeing place; the others are listed in `dateOnlyStays`. Moves connect
 * consecutive stays not in conflict. The confidence of a stay combines its
 * sources (see `combineConfidence`). The input is not modified. Throws a
 * RangeError for an invalid option or stay, or for two stays with one id.
 */
export function fuseStays(
  personId: string,
  stays: readonly SourceStay[],
  options: FuseOptions = {},
): Route {
  const absorbMilliseconds = minutesToMilliseconds(
    checkNonNegativeOption(
      "absorbPieceMinutes",
      options.absorbPieceMinutes ?? DEFAULT_FUSE_OPTIONS.absorbPieceMinutes,
    ),
  );
  const settings = {
    personId,
    sourceConfidence: checkSourceConfidence(
      options.sourceConfidence ?? DEFAULT_FUSE_OPTIONS.sourceConfidence,
    ),
    conflictFactor: checkShareOption(
      "conflictFactor",
      options.conflictFactor ?? DEFAULT_FUSE_OPTIONS.conflictFactor,
    ),
    labelArea: options.labelArea,
  };
  checkStays(stays);

  const timed = stays.filter(
    (stay): stay is TimedSourceStay => !isDateOnlyStay(stay),
  );
  const dateOnly = stays.filter((stay): stay is DateOnlySourceStay =>
    isDateOnlyStay(stay),
  );
  const drafts = resolveOverlaps(
    paintStays(timed, absorbMilliseconds),
    absorbMilliseconds,
  );
  const dateOnlyGroups = attachDateOnlyStays(dateOnly, drafts);

  const routeStays = finishTimedStays(drafts, settings);
  return {
    personId,
    stays: routeStays,
    dateOnlyStays: finishDateOnlyStays(dateOnlyGroups, settings),
    moves: buildMoves(routeStays, options.recordTimes),
    excluded: [],
  };
}

function checkStays(stays: readonly SourceStay[]): void {
  const ids = new Set<string>();
  for (const stay of stays) {
    validateStay(stay);
    if (!(ROUTE_SOURCES as readonly string[]).includes(stay.source)) {
      throw new RangeError(
        `Invalid stay ${JSON.stringify(stay.id)}: source is ${stay.source}, expected one of ${ROUTE_SOURCES.join(", ")}.`,
      );
    }
    if (ids.has(stay.id)) {
      throw new RangeError(
        `Invalid stays: the id ${JSON.stringify(stay.id)} occurs twice; give each stay its own id.`,
      );
    }
    ids.add(stay.id);
    if (!isDateOnlyStay(stay)) {
      checkObservedSpan(stay);
    }
  }
}

function checkObservedSpan(stay: TimedSourceStay): void {
  const isOrdered =
    stay.startedAt <= stay.observedFrom &&
    stay.observedFrom <= stay.observedTo &&
    stay.observedTo <= stay.lastFixAt;
  if (!isOrdered) {
    throw new RangeError(
      `Invalid stay ${JSON.stringify(stay.id)}: expected startedAt <= observedFrom <= observedTo <= lastFixAt, got ${stay.startedAt}, ${stay.observedFrom}, ${stay.observedTo}, ${stay.lastFixAt}.`,
    );
  }
}
