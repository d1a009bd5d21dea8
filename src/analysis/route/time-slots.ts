import { seoulDateOf, seoulDayStart } from "../../domain/seoul-time.js";
import type { TimeInterval } from "../contacts/index.js";
import {
  checkNonNegativeOption,
  checkShareOption,
  minutesToMilliseconds,
} from "./checks.js";
import type { Route, RouteStay } from "./fuse/types.js";
import type { RouteSource } from "./types.js";

/** Settings of the time-slot view. Every field is optional. */
export interface TimeSlotOptions {
  /** Length of a slot in minutes, a divisor of a day such as 30 or 60. Default 60. */
  readonly slotMinutes?: number;
  /** Weight in [0, 1] of a stay's possible part against its certain part. Default 0.5. */
  readonly possibleWeight?: number;
  /** Most slots a call may return, to catch a period given in the wrong unit. Default 100,000. */
  readonly maxSlots?: number;
}

/**
 * Kind of place where the person most likely was in a slot: a stay, a move
 * between stays, a day that a date-only stay names, or unknown.
 */
export type TimeSlotStatus = "stay" | "move" | "date_only" | "unknown";

/** One slot of the time-slot view. */
export interface TimeSlot {
  /** Start of the slot in epoch milliseconds, on a Seoul slot boundary. */
  readonly startsAt: number;
  /** End of the slot (exclusive) in epoch milliseconds. */
  readonly endsAt: number;
  readonly status: TimeSlotStatus;
  /** Id of the stay or date-only stay, or null. */
  readonly stayId: string | null;
  /** Id of the move for status `move`, or null. */
  readonly moveId: string | null;
  /** Source of the stay's place, or null. */
  readonly source: RouteSource | null;
  readonly sources: readonly RouteSource[];
  readonly placeLabel: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly radiusMeters: number | null;
  /** Confidence of the stay, or null. */
  readonly confidence: number | null;
  /** Minutes of the slot inside the stay's certain part. */
  readonly certainMinutes: number;
  /** Further minutes of the slot inside the stay's possible end. */
  readonly possibleMinutes: number;
  /** Number of stays that overlap the slot, the chosen one included. */
  readonly candidateCount: number;
}

const DAY_MINUTES = 24 * 60;
const DEFAULT_MAX_SLOTS = 100_000;

/**
 * Divides a period into slots on Seoul clock boundaries (hours by
 * default) and picks for each the stay where the person most likely was.
 * That is the stay with the highest confidence times minutes in the slot,
 * where minutes of the possible end count `possibleWeight`, and ties go to
 * the earlier stay. A slot without a stay is on a move when one spans it,
 * else `date_only` when a date-only stay names its Seoul day, else
 * unknown. The period is widened to whole slots. Throws a RangeError for
 * an invalid period or option.
 */
export function routeTimeSlots(
  route: Route,
  period: TimeInterval,
  options: TimeSlotOptions = {},
): TimeSlot[] {
  const slotMilliseconds = minutesToMilliseconds(
    checkSlotMinutes(options.slotMinutes ?? 60),
  );
  const possibleWeight = checkShareOption(
    "possibleWeight",
    options.possibleWeight ?? 0.5,
  );
  const maxSlots = checkNonNegativeOption(
    "maxSlots",
    options.maxSlots ?? DEFAULT_MAX_SLOTS,
  );
  const { first, end } = slotRange(period, slotMilliseconds, maxSlots);

  const slots: TimeSlot[] = [];
  for (let startsAt = first; startsAt < end; startsAt += slotMilliseconds) {
    const slot = { startsAt, endsAt: startsAt + slotMilliseconds };
    slots.push(describeSlot(route, slot, possibleWeight));
  }
  return slots;
}

function checkSlotMinutes(value: number): number {
  if (!(Number.isInteger(value) && value > 0 && DAY_MINUTES % value === 0)) {
    throw new RangeError(
      `Invalid option slotMinutes ${value}: expected a whole number of minutes that divides a day, such as 30 or 60`,
    );
  }
  return value;
}

/** Returns the first slot start and the end of the last slot that cover the period. */
function slotRange(
  period: TimeInterval,
  slotMilliseconds: number,
  maxSlots: number,
): { first: number; end: number } {
  if (!(
    Number.isFinite(period.startsAt) &&
    Number.isFinite(period.endsAt) &&
    period.startsAt < period.endsAt
  )) {
    throw new RangeError(
      `Invalid period ${period.startsAt} to ${period.endsAt}: expected finite epoch milliseconds with the start before the end`,
    );
  }
  // Slots count from a Seoul midnight, so that hours fall on the Seoul clock.
  const origin = seoulDayStart(seoulDateOf(period.startsAt));
  const first =
    origin +
    Math.floor((period.startsAt - origin) / slotMilliseconds) *
      slotMilliseconds;
  const end =
    origin +
    Math.ceil((period.endsAt - origin) / slotMilliseconds) * slotMilliseconds;
  const count = (end - first) / slotMilliseconds;
  if (count > maxSlots) {
    throw new RangeError(
      `Invalid period: it contains ${count} slots, more than maxSlots ${maxSlots}. Check that the period is in epoch milliseconds.`,
    );
  }
  return { first, end };
}

interface Slot {
  readonly startsAt: number;
  readonly endsAt: number;
}

interface Candidate {
  readonly stay: RouteStay;
  readonly certainMinutes: number;
  readonly possibleMinutes: number;
  readonly score: number;
}

function describeSlot(
  route: Route,
  slot: Slot,
  possibleWeight: number,
): TimeSlot {
  const candidates = route.stays
    .map((stay) => scoreStay(stay, slot, possibleWeight))
    .filter((candidate) => candidate !== null);
  const best = candidates.reduce<Candidate | null>(
    (chosen, candidate) =>
      chosen === null || candidate.score > chosen.score ? candidate : chosen,
    null,
  );
  if (best !== null) {
    return {
      ...slot,
      status: "stay",
      stayId: best.stay.id,
      moveId: null,
      source: best.stay.source,
      sources: best.stay.sources,
      placeLabel: best.stay.placeLabel,
      latitude: best.stay.latitude,
      longitude: best.stay.longitude,
      radiusMeters: best.stay.radiusMeters,
      confidence: best.stay.confidence,
      certainMinutes: best.certainMinutes,
      possibleMinutes: best.possibleMinutes,
      candidateCount: candidates.length,
    };
  }
  return describeEmptySlot(route, slot);
}

/** Scores a stay for a slot, or returns null when the stay does not reach into it. */
function scoreStay(
  stay: RouteStay,
  slot: Slot,
  possibleWeight: number,
): Candidate | null {
  const certain = overlapMilliseconds(stay.startedAt, stay.lastFixAt, slot);
  const possible = overlapMilliseconds(stay.lastFixAt, stay.finishedAt, slot);
  const isInstantInside =
    stay.startedAt === stay.finishedAt &&
    stay.startedAt >= slot.startsAt &&
    stay.startedAt < slot.endsAt;
  if (certain === 0 && possible === 0 && !isInstantInside) {
    return null;
  }
  return {
    stay,
    certainMinutes: certain / 60_000,
    possibleMinutes: possible / 60_000,
    // An instant inside the slot scores as one millisecond of certain time.
    score:
      stay.confidence *
      (Math.max(certain, isInstantInside ? 1 : 0) + possibleWeight * possible),
  };
}

function overlapMilliseconds(start: number, end: number, slot: Slot): number {
  return Math.max(
    0,
    Math.min(end, slot.endsAt) - Math.max(start, slot.startsAt),
  );
}

function describeEmptySlot(route: Route, slot: Slot): TimeSlot {
  const empty = {
    ...slot,
    stayId: null,
    moveId: null,
    source: null,
    sources: [],
    placeLabel: null,
    latitude: null,
    longitude: null,
    radiusMeters: null,
    confidence: null,
    certainMinutes: 0,
    possibleMinutes: 0,
    candidateCount: 0,
  };
  // A gap with no data leaves its slots unknown rather than on a move.
  const move = route.moves.find(
    (candidate) =>
      !candidate.noData &&
      candidate.startedAt < slot.endsAt &&
      candidate.endedAt > slot.startsAt,
  );
  if (move !== undefined) {
    return { ...empty, status: "move", moveId: move.id };
  }

  const date = seoulDateOf(slot.startsAt);
  const dateOnly = route.dateOnlyStays.find((stay) => stay.visitDate === date);
  if (dateOnly === undefined) {
    return { ...empty, status: "unknown" };
  }
  return {
    ...empty,
    status: "date_only",
    stayId: dateOnly.id,
    source: dateOnly.source,
    sources: dateOnly.sources,
    placeLabel: dateOnly.placeLabel,
    latitude: dateOnly.latitude,
    longitude: dateOnly.longitude,
    radiusMeters: dateOnly.radiusMeters,
    confidence: dateOnly.confidence,
  };
}
