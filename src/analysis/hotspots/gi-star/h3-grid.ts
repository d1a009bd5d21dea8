import { cellToLatLng, gridDisk, isValidCell, latLngToCell } from "h3-js";

import type { GiStarResult } from "./types.js";
import { giStarFromNeighbors } from "./gi-star.js";

/** A point counted on the grid, such as the centre of a case stay. */
export interface GridPoint {
  readonly latitude: number;
  readonly longitude: number;
  /** Count that the point adds to its cell. Default 1. */
  readonly weight?: number;
}

/** Settings of Gi* on an H3 grid. */
export interface H3GiStarOptions {
  /** H3 resolution, 0 to 15. Default 8: cells of about 0.74 km² (H3 documentation). */
  readonly resolution?: number;
  /** Rings of cells around a cell that are its neighbours. Default 1 (the 6 adjacent cells). */
  readonly ringSize?: number;
}

/** The Gi* statistic of one H3 cell, with the cell's centre. */
export interface H3GiStarResult extends GiStarResult {
  readonly latitude: number;
  readonly longitude: number;
}

/** Defaults of the H3 Gi* options. */
export const DEFAULT_H3_GI_STAR_OPTIONS = {
  resolution: 8,
  ringSize: 1,
} as const satisfies Required<H3GiStarOptions>;

/**
 * Counts points on an H3 grid and computes Gi* per cell. The study area is
 * every cell holding a point plus every cell within `ringSize` rings of one,
 * those with a count of 0, so that a lone busy cell is compared with its
 * empty surroundings. A cell's neighbours are the study cells within
 * `ringSize` rings, the cell itself included. Results are sorted by cell id.
 */
export function computeH3GiStar(
  points: readonly GridPoint[],
  options: H3GiStarOptions = {},
): H3GiStarResult[] {
  const { resolution, ringSize } = {
    ...DEFAULT_H3_GI_STAR_OPTIONS,
    ...options,
  };
  if (!Number.isInteger(resolution) || resolution < 0 || resolution > 15) {
    throw new RangeError(
      `Invalid H3 resolution ${resolution}: expected an integer from 0 to 15.`,
    );
  }
  if (!Number.isInteger(ringSize) || ringSize < 1) {
    throw new RangeError(
      `Invalid ring size ${ringSize}: expected an integer >= 1.`,
    );
  }

  const counts = new Map<string, number>();
  for (const point of points) {
    const cell = latLngToCell(point.latitude, point.longitude, resolution);
    counts.set(cell, (counts.get(cell) ?? 0) + (point.weight ?? 1));
  }
  const cells = studyCells(counts, ringSize);
  const indexOfCell = new Map(cells.map((cell, i) => [cell, i]));

  const neighbors = cells.map((cell) =>
    gridDisk(cell, ringSize)
      .map((other) => indexOfCell.get(other))
      .filter((index): index is number => index !== undefined)
      .sort((a, b) => a - b),
  );
  const values = Float64Array.from(cells, (cell) => counts.get(cell) ?? 0);
  const results = giStarFromNeighbors(
    cells.map((id) => ({ id })),
    values,
    neighbors,
  );

  return results.map((result) => {
    const [latitude, longitude] = cellToLatLng(result.id);
    return { ...result, latitude, longitude };
  });
}

function studyCells(
  counts: ReadonlyMap<string, number>,
  ringSize: number,
): string[] {
  const cells = new Set<string>();
  for (const cell of counts.keys()) {
    for (const other of gridDisk(cell, ringSize)) {
      if (isValidCell(other)) {
        cells.add(other);
      }
    }
  }
  return [...cells].sort();
}
