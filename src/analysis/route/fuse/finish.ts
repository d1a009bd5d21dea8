import { haversineMeters } from "../../geo/index.js";
import { ROUTE_SOURCES, type RouteSource, type SourceStay } from "../types.js";
import { combineConfidence, confidenceLevelOf } from "./confidence.js";
import type { DateOnlyGroup } from "./date-only.js";
import { comparePrecision, type Draft } from "./draft.js";
import { areInConflict } from "./resolve.js";
import type {
  AreaLabelFunction,
  RouteDateOnlyStay,
  RouteMove,
  RouteStay,
} from "./types.js";

/** Labels of stays whose members name no place and give no address. */
const SOURCE_LABELS: Readonly<Record<RouteSource, string>> = {
  gps: "GPS stay",
  base_station: "base-station area",
  card: "card merchant",
  checkin: "check-in venue",
  interview: "interview place",
  disclosed_visit: "disclosed visit",
};

/** Settings that the finished stays need. */
export interface FinishSettings {
  readonly personId: string;
  readonly sourceConfidence: Readonly<Record<RouteSource, number>>;
  readonly conflictFactor: number;
  readonly labelArea: AreaLabelFunction | undefined;
}

/** Turns sorted drafts into route stays with ids `stay-1`, `stay-2`, ... in that order. */
export function finishTimedStays(
  drafts: readonly Draft[],
  settings: FinishSettings,
): RouteStay[] {
  const ids = new Map(
    drafts.map((draft, index) => [draft, `stay-${index + 1}`]),
  );
  const conflicts = findConflicts(drafts);
  return drafts.map((draft) => {
    const conflictsWith = (conflicts.get(draft) ?? [])
      .map((other) => ids.get(other)!)
      .sort(compareStayIds);
    const members = [...draft.members].sort(comparePrecision);
    const timing = members.some(
      (member) =>
        member.startedAt !== undefined && member.timing === "observed",
    )
      ? "observed"
      : "estimated";

    return {
      id: ids.get(draft)!,
      personId: settings.personId,
      source: draft.anchor.source,
      latitude: draft.anchor.latitude,
      longitude: draft.anchor.longitude,
      radiusMeters: draft.anchor.radiusMeters,
      startedAt: draft.startedAt,
      lastFixAt: draft.lastFixAt,
      finishedAt: draft.finishedAt,
      observedFrom: draft.observedFrom,
      observedTo: draft.observedTo,
      timing,
      ...describeMembers(
        draft.anchor,
        members,
        conflictsWith.length > 0,
        settings,
      ),
      conflictsWith,
    };
  });
}

/** Returns the drafts in conflict with each draft; `sorted` is by start. */
function findConflicts(sorted: readonly Draft[]): Map<Draft, Draft[]> {
  const conflicts = new Map<Draft, Draft[]>();
  const add = (draft: Draft, other: Draft) => {
    const list = conflicts.get(draft);
    if (list === undefined) {
      conflicts.set(draft, [other]);
    } else {
      list.push(other);
    }
  };
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (
      let j = i + 1;
      j < sorted.length && sorted[j]!.startedAt < a.finishedAt;
      j++
    ) {
      const b = sorted[j]!;
      if (areInConflict(a, b)) {
        add(a, b);
        add(b, a);
      }
    }
  }
  return conflicts;
}

/** Orders ids `stay-N` by their number. */
function compareStayIds(a: string, b: string): number {
  return Number(a.slice(5)) - Number(b.slice(5));
}

/** Turns groups of unconfirmed date-only stays into route stays `date-stay-1`, ... */
export function finishDateOnlyStays(
  groups: readonly DateOnlyGroup[],
  settings: FinishSettings,
): RouteDateOnlyStay[] {
  return groups.map((group, index) => ({
    id: `date-stay-${index + 1}`,
    personId: settings.personId,
    source: group.anchor.source,
    latitude: group.anchor.latitude,
    longitude: group.anchor.longitude,
    radiusMeters: group.anchor.radiusMeters,
    visitDate: group.anchor.visitDate,
    ...describeMembers(group.anchor, group.members, false, settings),
  }));
}

/** Fields that timed and date-only route stays share, from their members. */
function describeMembers(
  anchor: SourceStay,
  members: readonly SourceStay[],
  isInConflict: boolean,
  settings: FinishSettings,
) {
  const sources = ROUTE_SOURCES.filter((source) =>
    members.some((member) => member.source === source),
  );
  const placeName =
    members.find((member) => member.placeName !== null)?.placeName ?? null;
  const address =
    members.find((member) => member.address !== null)?.address ?? null;
  const confidence = combineConfidence(
    sources,
    settings.sourceConfidence,
    isInConflict ? settings.conflictFactor : null,
  );
  return {
    sources,
    memberIds: members.map((member) => member.id),
    placeName,
    placeLabel: placeName ?? address ?? SOURCE_LABELS[anchor.source],
    address,
    area:
      settings.labelArea?.({
        latitude: anchor.latitude,
        longitude: anchor.longitude,
      }) ?? null,
    confidence,
    confidenceLevel: confidenceLevelOf(confidence),
  };
}

/**
 * Maximum interval between two stays with no record at all that still
 * counts as a move. Three hours is a chosen default, not a measured one. It
 * is longer than most trips within a city, so a silence that long more likely
 * means a phone switched off or out of coverage than travel.
 */
export const NO_DATA_GAP_MINUTES = 180;

const NO_DATA_GAP_MILLISECONDS = NO_DATA_GAP_MINUTES * 60_000;

/**
 * Connects each stay to the next one by start. Of two stays in conflict,
 * the one that ends later continues the route and the other gets no move,
 * because the person cannot have moved between two places seen at once.
 *
 * A move whose stays are more than `NO_DATA_GAP_MINUTES` apart, with none
 * of `recordTimes` strictly between them, is marked `noData`. Exactly
 * `NO_DATA_GAP_MINUTES` apart is still a move.
 */
export function buildMoves(
  stays: readonly RouteStay[],
  recordTimes: readonly number[] = [],
): RouteMove[] {
  const sortedTimes = Float64Array.from(recordTimes).sort();
  const moves: RouteMove[] = [];
  let from = stays[0];
  for (const to of stays.slice(1)) {
    if (from === undefined) {
      break;
    }
    if (from.conflictsWith.includes(to.id)) {
      from = to.finishedAt > from.finishedAt ? to : from;
      continue;
    }
    moves.push(moveBetween(from, to, moves.length + 1, sortedTimes));
    from = to;
  }
  return moves;
}

function moveBetween(
  from: RouteStay,
  to: RouteStay,
  number: number,
  sortedTimes: Float64Array,
): RouteMove {
  const distanceMeters = haversineMeters(from, to);
  const startedAt = from.lastFixAt;
  const endedAt = to.startedAt;
  return {
    id: `move-${number}`,
    fromStayId: from.id,
    toStayId: to.id,
    startedAt,
    endedAt,
    distanceMeters,
    minimumDistanceMeters: Math.max(
      0,
      distanceMeters - from.radiusMeters - to.radiusMeters,
    ),
    noData:
      endedAt - startedAt > NO_DATA_GAP_MILLISECONDS &&
      !hasTimeBetween(sortedTimes, startedAt, endedAt),
  };
}

/** Returns true when a sorted list has an instant strictly between `after` and `before`. */
function hasTimeBetween(
  sortedTimes: Float64Array,
  after: number,
  before: number,
): boolean {
  let low = 0;
  let high = sortedTimes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sortedTimes[middle]! <= after) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low < sortedTimes.length && sortedTimes[low]! < before;
}
