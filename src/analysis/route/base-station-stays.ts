import { haversineMeters, meanPosition } from "../geo/index.js";
import {
  cleanCellRecords,
  type CellRecord,
  type IndexedCellRecord,
} from "./base-station-clean.js";
import {
  checkNonNegativeOption,
  checkRecord,
  invalidField,
  minutesToMilliseconds,
  recordIdOf,
  sortedIndexes,
} from "./checks.js";
import type { SourceStays, TimedSourceStay } from "./types.js";

export type { CellRecord } from "./base-station-clean.js";

/** Settings of the base-station stay detection. Every field is optional. */
export interface BaseStationStayOptions {
  /**
   * Speed in km/h above which the moves to a record from both its
   * neighbours mark it as an outlier. Default 200.
   *
   * NOTE: Korean high-speed trains run at up to 305 km/h, so a passenger's
   * records can be taken for outliers where cells are small. Distances are
   * taken less both cells' radii, which lowers the speeds between large cells.
   */
  readonly maxSpeedKilometersPerHour?: number;
  /** Minimum interval in seconds that a speed is computed over, above 0. Default 1. */
  readonly timeResolutionSeconds?: number;
  /** Distance in metres within which all cells of one stay lie of each other. Default 500. */
  readonly mergeDistanceMeters?: number;
  /**
   * Maximum time in minutes that a phone may spend on other cells between
   * two runs at one place for the run between to count as a handover, when
   * the coverage of those cells overlaps the place's cells. Default 10.
   */
  readonly handoverMaxMinutes?: number;
  /**
   * Minimum minutes from the first record of a stay to the first record
   * elsewhere (to its own last record for the last stay). Shorter runs are
   * cells passed on the way. Default 5.
   */
  readonly minimumDwellMinutes?: number;
}

/** Default settings: estimates chosen for this system, not operator figures. */
export const DEFAULT_BASE_STATION_STAY_OPTIONS: Required<BaseStationStayOptions> =
  {
    maxSpeedKilometersPerHour: 200,
    timeResolutionSeconds: 1,
    mergeDistanceMeters: 500,
    handoverMaxMinutes: 10,
    minimumDwellMinutes: 5,
  };

/** A stay detected from base-station records. */
export interface BaseStationStay extends TimedSourceStay {
  readonly source: "base_station";
  /** Records inside the stay, handover records included. */
  readonly recordCount: number;
  /** Cells of the stay, by cell id, or by position where the id is unknown. */
  readonly cellIds: readonly string[];
  /** Cells seen only during handovers, which the radius does not cover. */
  readonly handoverCellIds: readonly string[];
}

interface Settings {
  readonly maxSpeedMetersPerSecond: number;
  readonly timeResolutionSeconds: number;
  readonly mergeDistanceMeters: number;
  readonly handoverMaxMilliseconds: number;
  readonly minimumDwellMilliseconds: number;
}

/** A cell of a group: its position and the largest radius among its records. */
interface Cell {
  readonly key: string;
  readonly latitude: number;
  readonly longitude: number;
  radiusMeters: number;
}

/** Consecutive records at one place, and the cells of handovers inside the run. */
interface CellGroup {
  readonly records: IndexedCellRecord[];
  readonly cells: Map<string, Cell>;
  readonly handoverRecords: IndexedCellRecord[];
  readonly handoverCells: Map<string, Cell>;
}

/**
 * Detects the stays in the base-station records of one person. First the
 * records that imply an impossible speed from both neighbours are left out
 * (see `cleanCellRecords`). Then consecutive records whose cells all lie
 * within `mergeDistanceMeters` of each other form a run. A short run on
 * other cells between two runs at one place is a handover when its cells'
 * coverage overlaps the place's cells, and the three runs are one stay.
 *
 * A stay is certain from its first record to its last, and possible until
 * the first record elsewhere. Its centre is the mean of its records'
 * antenna positions, and its radius reaches the far edge of every cell:
 * the largest distance from the centre to an antenna plus that cell's radius.
 * The input is not modified. Throws a RangeError for an invalid option or record.
 */
export function detectBaseStationStays(
  personId: string,
  records: readonly CellRecord[],
  options: BaseStationStayOptions = {},
): SourceStays<BaseStationStay> {
  const settings = resolveSettings(options);
  const { kept, excluded } = cleanCellRecords(
    prepareRecords(records),
    settings,
  );
  const groups = joinHandovers(groupRecords(kept, settings), settings);
  const stays = buildStays(personId, groups, settings);
  return { stays, excluded };
}

function resolveSettings(options: BaseStationStayOptions): Settings {
  const defaults = DEFAULT_BASE_STATION_STAY_OPTIONS;
  const option = <Key extends keyof BaseStationStayOptions>(key: Key): number =>
    checkNonNegativeOption(key, options[key] ?? defaults[key]);
  const timeResolutionSeconds = option("timeResolutionSeconds");
  if (timeResolutionSeconds === 0) {
    throw new RangeError(
      "Invalid option timeResolutionSeconds 0: expected a number > 0",
    );
  }
  return {
    maxSpeedMetersPerSecond: option("maxSpeedKilometersPerHour") / 3.6,
    timeResolutionSeconds,
    mergeDistanceMeters: option("mergeDistanceMeters"),
    handoverMaxMilliseconds: minutesToMilliseconds(
      option("handoverMaxMinutes"),
    ),
    minimumDwellMilliseconds: minutesToMilliseconds(
      option("minimumDwellMinutes"),
    ),
  };
}

function prepareRecords(records: readonly CellRecord[]): IndexedCellRecord[] {
  records.forEach((record, index) => {
    checkRecord("base-station record", record, index, {
      observedAt: record.observedAt,
    });
    if (!(record.radiusMeters >= 0 && Number.isFinite(record.radiusMeters))) {
      throw invalidField(
        "base-station record",
        index,
        "radiusMeters",
        record.radiusMeters,
        "a finite number of metres >= 0",
      );
    }
  });
  return sortedIndexes(records, (record) => record.observedAt).map((index) => ({
    record: records[index]!,
    id: recordIdOf(records[index]!, index),
    index,
  }));
}

function groupRecords(
  sorted: readonly IndexedCellRecord[],
  settings: Settings,
): CellGroup[] {
  const groups: CellGroup[] = [];
  for (const item of sorted) {
    const cell = cellOf(item.record);
    const group = groups.at(-1);
    if (
      group !== undefined &&
      liesWithin(group.cells, [cell], settings.mergeDistanceMeters)
    ) {
      group.records.push(item);
      addCell(group.cells, cell);
      continue;
    }
    groups.push({
      records: [item],
      cells: new Map([[cell.key, cell]]),
      handoverRecords: [],
      handoverCells: new Map(),
    });
  }
  return groups;
}

/** Joins each run that is a handover with the runs at one place on both sides of it. */
function joinHandovers(
  groups: readonly CellGroup[],
  settings: Settings,
): CellGroup[] {
  const joined: CellGroup[] = [];
  for (const group of groups) {
    joined.push(group);
    while (joined.length >= 3) {
      const [before, between, after] = joined.slice(-3) as [
        CellGroup,
        CellGroup,
        CellGroup,
      ];
      if (!isHandover(before, between, after, settings)) {
        break;
      }
      joined.splice(-3, 3, mergeHandover(before, between, after));
    }
  }
  return joined;
}

function isHandover(
  before: CellGroup,
  between: CellGroup,
  after: CellGroup,
  settings: Settings,
): boolean {
  const span = lastAt(between) - firstAt(between);
  if (span > settings.handoverMaxMilliseconds) {
    return false;
  }
  if (
    !liesWithin(
      before.cells,
      [...after.cells.values()],
      settings.mergeDistanceMeters,
    )
  ) {
    return false;
  }
  const placeCells = [...before.cells.values(), ...after.cells.values()];
  return [...between.cells.values()].every((cell) =>
    placeCells.some(
      (placeCell) =>
        haversineMeters(cell, placeCell) <=
        cell.radiusMeters + placeCell.radiusMeters,
    ),
  );
}

function mergeHandover(
  before: CellGroup,
  between: CellGroup,
  after: CellGroup,
): CellGroup {
  const cells = new Map(before.cells);
  for (const cell of after.cells.values()) {
    addCell(cells, cell);
  }
  const handoverCells = new Map(before.handoverCells);
  for (const cell of [
    ...between.cells.values(),
    ...between.handoverCells.values(),
    ...after.handoverCells.values(),
  ]) {
    addCell(handoverCells, cell);
  }
  return {
    records: [...before.records, ...after.records],
    cells,
    handoverRecords: [
      ...before.handoverRecords,
      ...between.records,
      ...between.handoverRecords,
      ...after.handoverRecords,
    ],
    handoverCells,
  };
}

function buildStays(
  personId: string,
  groups: readonly CellGroup[],
  settings: Settings,
): BaseStationStay[] {
  const stays: BaseStationStay[] = [];
  groups.forEach((group, index) => {
    const next = groups[index + 1];
    const startedAt = firstAt(group);
    const lastFixAt = lastAt(group);
    const finishedAt = next === undefined ? lastFixAt : firstAt(next);
    if (finishedAt - startedAt >= settings.minimumDwellMilliseconds) {
      stays.push(
        buildStay(personId, stays.length, group, {
          startedAt,
          lastFixAt,
          finishedAt,
        }),
      );
    }
  });
  return stays;
}

function buildStay(
  personId: string,
  index: number,
  group: CellGroup,
  times: { startedAt: number; lastFixAt: number; finishedAt: number },
): BaseStationStay {
  const centre = meanPosition(group.records.map((item) => item.record));
  let radiusMeters = 0;
  for (const cell of group.cells.values()) {
    radiusMeters = Math.max(
      radiusMeters,
      haversineMeters(centre, cell) + cell.radiusMeters,
    );
  }
  const recordIds = [...group.records, ...group.handoverRecords]
    .sort(
      (a, b) => a.record.observedAt - b.record.observedAt || a.index - b.index,
    )
    .map((item) => item.id);

  return {
    id: `base_station-${index + 1}`,
    personId,
    source: "base_station",
    latitude: centre.latitude,
    longitude: centre.longitude,
    radiusMeters,
    ...times,
    observedFrom: times.startedAt,
    observedTo: times.lastFixAt,
    timing: "observed",
    placeName: null,
    address: null,
    recordIds,
    recordCount: recordIds.length,
    cellIds: [...group.cells.keys()],
    handoverCellIds: [...group.handoverCells.keys()].filter(
      (key) => !group.cells.has(key),
    ),
  };
}

/** Tells whether every cell of `cells` lies within the distance of every cell of `group`. */
function liesWithin(
  group: ReadonlyMap<string, Cell>,
  cells: readonly Cell[],
  distanceMeters: number,
): boolean {
  for (const cell of cells) {
    for (const member of group.values()) {
      if (haversineMeters(member, cell) > distanceMeters) {
        return false;
      }
    }
  }
  return true;
}

function cellOf(record: CellRecord): Cell {
  return {
    key: record.cellId ?? `${record.latitude},${record.longitude}`,
    latitude: record.latitude,
    longitude: record.longitude,
    radiusMeters: record.radiusMeters,
  };
}

function addCell(cells: Map<string, Cell>, cell: Cell): void {
  const known = cells.get(cell.key);
  if (known === undefined) {
    cells.set(cell.key, { ...cell });
  } else {
    known.radiusMeters = Math.max(known.radiusMeters, cell.radiusMeters);
  }
}

/** Returns the first instant of a group. Handover records always lie between its own records. */
function firstAt(group: CellGroup): number {
  return group.records[0]!.record.observedAt;
}

function lastAt(group: CellGroup): number {
  return group.records.at(-1)!.record.observedAt;
}
