import {
  type Cell,
  type CellIndex,
  type City,
  type OperatorName,
} from "./city.js";
import { distanceMeters, type Position } from "./geo.js";
import type { Person } from "./people.js";
import { Random } from "./random.js";
import { MINUTE_MS, type Period, type Segment } from "./routine.js";
import { formatSeoulInstant } from "./time.js";

/** Header of the base-station files, the template's. */
export const BASE_STATION_HEADER =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator,address";

/** Settings of the base-station records of a phone. */
export interface BaseStationRecordOptions {
  /** Mean records per phone and day; each phone's rate varies around it. Default 228 (3.9 million for 1,316 phones over 13 days). */
  readonly recordsPerPhonePerDay: number;
  /** Share of records followed by a glitch record at a cell at least 15 km away. Default 1/2,000. */
  readonly glitchRate: number;
}

export const DEFAULT_BASE_STATION_RECORD_OPTIONS: BaseStationRecordOptions = {
  recordsPerPhonePerDay: 228,
  glitchRate: 1 / 2_000,
};

/** Operators that send the accuracy radius with each record; the others leave it to the cell type. */
const OPERATORS_WITH_ACCURACY: ReadonlySet<OperatorName> = new Set([
  "SKT",
  "LGU+",
]);

/** Distance of a glitch cell from the phone's true position, at least. */
const GLITCH_DISTANCE_METERS = 15_000;

/** The base-station lines of one phone and how many of them are glitches. */
export interface PhoneRecords {
  readonly lines: string[];
  readonly glitches: number;
  /** Instants of the records that are not glitches, in order. */
  readonly instants: number[];
}

/**
 * Returns the base-station records of one phone along its timeline, as CSV
 * lines in time order. Records come every few minutes, at a rate set by the
 * phone's activity. At a place the phone uses its best serving cell most of
 * the time and hands over to the next best now and then. Rarely a record
 * names a cell 15 km or more away, 20 to 60 seconds after and before true
 * records, a jump that no phone can make, for cleaning to remove.
 */
export function baseStationRecordsOf(
  person: Person,
  timeline: readonly Segment[],
  period: Period,
  city: City,
  seed: number,
  options: BaseStationRecordOptions,
): PhoneRecords {
  const random = new Random(seed, `base-station:${person.index}`);
  const cells = city.cellsByOperator.get(person.operator)!;
  const withAccuracy = OPERATORS_WITH_ACCURACY.has(person.operator);
  const prefix = `${person.phone},`;
  const operatorSuffix = `,${person.operator},`;
  const meanGapMs =
    (24 * 60 * MINUTE_MS) / (options.recordsPerPhonePerDay * person.activity);
  const endsAt = period.startsAt + period.days * 24 * 60 * MINUTE_MS;
  const placeCells = new Map<string, Cell[]>();
  const lines: string[] = [];
  const instants: number[] = [];
  let glitches = 0;

  const line = (instant: number, cell: Cell): string =>
    `${prefix}${formatSeoulInstant(instant)},${cell.csvFields},${withAccuracy ? cell.radiusMeters : ""}${operatorSuffix}${cell.address ?? ""}`;

  let segmentIndex = 0;
  let instant = period.startsAt + Math.round(random.uniform(0, meanGapMs));
  while (instant < endsAt) {
    while (
      segmentIndex < timeline.length - 1 &&
      timeline[segmentIndex]!.endsAt <= instant
    ) {
      segmentIndex++;
    }
    const segment = timeline[segmentIndex]!;
    const candidates = servingCellsAt(segment, instant, cells, placeCells);
    const cell = pickServingCell(candidates, random);
    lines.push(line(instant, cell));
    instants.push(instant);

    if (random.chance(options.glitchRate)) {
      const glitchAt = instant + random.integer(20, 60) * 1_000;
      lines.push(line(glitchAt, farCell(cell, cells, random)));
      glitches++;
      instant = glitchAt + random.integer(20, 60) * 1_000;
      continue;
    }
    instant += Math.max(
      1_000,
      Math.round((meanGapMs * random.uniform(0.3, 1.7)) / 1_000) * 1_000,
    );
  }
  return { lines, glitches, instants };
}

function servingCellsAt(
  segment: Segment,
  instant: number,
  cells: CellIndex,
  placeCells: Map<string, Cell[]>,
): Cell[] {
  if (segment.place !== null) {
    let list = placeCells.get(segment.place.id);
    if (list === undefined) {
      list = cells.servingCells(segment.place).slice(0, 3);
      placeCells.set(segment.place.id, list);
    }
    return list;
  }
  return cells.servingCells(positionOnMove(segment, instant)).slice(0, 3);
}

/** Returns the position of a move at an instant, on the straight line between its ends. */
export function positionOnMove(segment: Segment, instant: number): Position {
  const duration = segment.endsAt - segment.startsAt;
  const share =
    duration <= 0
      ? 1
      : Math.min(1, Math.max(0, (instant - segment.startsAt) / duration));
  return {
    latitude:
      segment.from.latitude +
      (segment.to.latitude - segment.from.latitude) * share,
    longitude:
      segment.from.longitude +
      (segment.to.longitude - segment.from.longitude) * share,
  };
}

/** Picks the best serving cell 80% of the time, the second 15% and the third 5%. */
function pickServingCell(candidates: readonly Cell[], random: Random): Cell {
  const draw = random.next();
  let rank = 2;
  if (draw < 0.8) {
    rank = 0;
  } else if (draw < 0.95) {
    rank = 1;
  }
  return candidates[Math.min(rank, candidates.length - 1)]!;
}

function farCell(from: Cell, cells: CellIndex, random: Random): Cell {
  let best = from;
  let bestDistance = 0;
  for (let attempt = 0; attempt < 40; attempt++) {
    const candidate = random.pick(cells.cells);
    const distance = distanceMeters(from, candidate);
    if (distance >= GLITCH_DISTANCE_METERS) {
      return candidate;
    }
    if (distance > bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
