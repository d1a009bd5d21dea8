import { seoulDayEnd, seoulDayStart } from "../../../domain/seoul-time.js";
import { haversineMeters } from "../../geo/index.js";
import type { DateOnlySourceStay } from "../types.js";
import { comparePrecision, spanOf, type Draft } from "./draft.js";
import { placesAgree, spansOverlap } from "./spans.js";

/** Date-only stays at one place on one Seoul day, the most precise first. */
export interface DateOnlyGroup {
  readonly anchor: DateOnlySourceStay;
  readonly members: DateOnlySourceStay[];
}

/**
 * Adds each date-only stay to the nearest timed draft on its Seoul day at
 * an agreeing place, which it confirms. Returns the date-only stays that no
 * draft confirmed, grouped by day where their places agree with the group's
 * most precise stay.
 */
export function attachDateOnlyStays(
  stays: readonly DateOnlySourceStay[],
  drafts: readonly Draft[],
): DateOnlyGroup[] {
  const unconfirmed: DateOnlySourceStay[] = [];
  for (const stay of stays) {
    const draft = nearestConfirmingDraft(stay, drafts);
    if (draft === undefined) {
      unconfirmed.push(stay);
    } else {
      draft.members.add(stay);
    }
  }
  return groupByDayAndPlace(unconfirmed);
}

function nearestConfirmingDraft(
  stay: DateOnlySourceStay,
  drafts: readonly Draft[],
): Draft | undefined {
  const day = {
    start: seoulDayStart(stay.visitDate),
    end: seoulDayEnd(stay.visitDate),
  };
  let nearest: Draft | undefined;
  let nearestMeters = Infinity;
  for (const draft of drafts) {
    if (!spansOverlap(spanOf(draft), day) || !placesAgree(draft.anchor, stay)) {
      continue;
    }
    const meters = haversineMeters(draft.anchor, stay);
    if (meters < nearestMeters) {
      nearest = draft;
      nearestMeters = meters;
    }
  }
  return nearest;
}

function groupByDayAndPlace(
  stays: readonly DateOnlySourceStay[],
): DateOnlyGroup[] {
  const groups: DateOnlyGroup[] = [];
  for (const stay of [...stays].sort(comparePrecision)) {
    const group = groups.find(
      (candidate) =>
        candidate.anchor.visitDate === stay.visitDate &&
        placesAgree(candidate.anchor, stay),
    );
    if (group === undefined) {
      groups.push({ anchor: stay, members: [stay] });
    } else {
      group.members.push(stay);
    }
  }
  return groups.sort(
    (a, b) =>
      a.anchor.visitDate.localeCompare(b.anchor.visitDate) ||
      comparePrecision(a.anchor, b.anchor),
  );
}
