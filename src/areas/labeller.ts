import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import Flatbush from "flatbush";
import type { MultiPolygon, Polygon } from "geojson";

import type { AreaLevel } from "../store/index.js";
import { AREA_LEVELS } from "./levels.js";

/** The KOSTAT codes of the areas that contain a point, one per level, each null where no stored area contains the point. */
export interface AreaCodes {
  provinceCode: string | null;
  municipalityCode: string | null;
  submunicipalityCode: string | null;
}

/** An administrative area with its parsed boundary, as the labeller takes it. */
export interface AreaShape {
  code: string;
  level: AreaLevel;
  baseYear: string | null;
  minLongitude: number;
  minLatitude: number;
  maxLongitude: number;
  maxLatitude: number;
  geometry: Polygon | MultiPolygon;
}

export const NO_AREA_CODES: Readonly<AreaCodes> = {
  provinceCode: null,
  municipalityCode: null,
  submunicipalityCode: null,
};

/** Finds the areas of one level that contain a point: a bbox index, then point in polygon. */
class LevelIndex {
  readonly #shapes: AreaShape[];
  readonly #index: Flatbush;

  constructor(shapes: AreaShape[]) {
    // Newest boundaries first, then by code, so that where two stored areas
    // of a level overlap (boundaries of different years) the result is the
    // same on every run.
    this.#shapes = [...shapes].sort(
      (a, b) =>
        (b.baseYear ?? "").localeCompare(a.baseYear ?? "") ||
        a.code.localeCompare(b.code),
    );
    this.#index = new Flatbush(this.#shapes.length);
    for (const shape of this.#shapes) {
      this.#index.add(
        shape.minLongitude,
        shape.minLatitude,
        shape.maxLongitude,
        shape.maxLatitude,
      );
    }
    this.#index.finish();
  }

  find(latitude: number, longitude: number): string | null {
    const candidates = this.#index
      .search(longitude, latitude, longitude, latitude)
      .sort((a, b) => a - b);
    for (const position of candidates) {
      const shape = this.#shapes[position]!;
      if (booleanPointInPolygon([longitude, latitude], shape.geometry)) {
        return shape.code;
      }
    }
    return null;
  }
}

/**
 * Gives a point the codes of the province, si/gun/gu and eup/myeon/dong
 * that contain it. Each level is looked up on its own, so with only
 * provinces stored only the province code is set. A point on a shared
 * border gets the area that sorts first (newest base year, then lowest code).
 */
export class AreaLabeller {
  readonly #levels = new Map<AreaLevel, LevelIndex>();
  readonly areaCount: number;

  constructor(shapes: readonly AreaShape[]) {
    this.areaCount = shapes.length;
    for (const level of AREA_LEVELS) {
      const ofLevel = shapes.filter((shape) => shape.level === level);
      if (ofLevel.length > 0) {
        this.#levels.set(level, new LevelIndex(ofLevel));
      }
    }
  }

  /** True when no area is stored, so every label would be empty. */
  get isEmpty(): boolean {
    return this.areaCount === 0;
  }

  label(latitude: number, longitude: number): AreaCodes {
    return {
      provinceCode: this.#find("province", latitude, longitude),
      municipalityCode: this.#find("municipality", latitude, longitude),
      submunicipalityCode: this.#find("submunicipality", latitude, longitude),
    };
  }

  #find(level: AreaLevel, latitude: number, longitude: number): string | null {
    return this.#levels.get(level)?.find(latitude, longitude) ?? null;
  }
}

/** Returns the labels as the columns of `location_records` and `stays` name them. */
export function areaCodeColumns(codes: AreaCodes): {
  province_code: string | null;
  municipality_code: string | null;
  submunicipality_code: string | null;
} {
  return {
    province_code: codes.provinceCode,
    municipality_code: codes.municipalityCode,
    submunicipality_code: codes.submunicipalityCode,
  };
}
