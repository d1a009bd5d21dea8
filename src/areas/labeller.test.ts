import type { Polygon } from "geojson";
import { describe, expect, it } from "vitest";

import {
  AreaLabeller,
  areaLevelOfCode,
  formatAreaPath,
  parentAreaCode,
  type AreaShape,
} from "./index.js";

/** Builds a square area from its south-west corner and side in degrees, optionally with a square hole. */
function squareArea(
  code: string,
  minLongitude: number,
  minLatitude: number,
  size: number,
  options: { baseYear?: string; hole?: [number, number, number] } = {},
): AreaShape {
  const rings: Polygon["coordinates"] = [ring(minLongitude, minLatitude, size)];
  if (options.hole !== undefined) {
    rings.push(ring(...options.hole));
  }
  return {
    code,
    level: areaLevelOfCode(code)!,
    baseYear: options.baseYear ?? "2018",
    minLongitude,
    minLatitude,
    maxLongitude: minLongitude + size,
    maxLatitude: minLatitude + size,
    geometry: { type: "Polygon", coordinates: rings },
  };
}

function ring(x: number, y: number, size: number): number[][] {
  return [
    [x, y],
    [x + size, y],
    [x + size, y + size],
    [x, y + size],
    [x, y],
  ];
}

describe("AreaLabeller", () => {
  const labeller = new AreaLabeller([
    squareArea("11", 126, 37, 1),
    squareArea("11010", 126, 37, 0.5),
    squareArea("11020", 126.5, 37, 0.5, { hole: [126.6, 37.1, 0.1] }),
    squareArea("1101053", 126, 37, 0.25),
  ]);

  it("labels each level", () => {
    expect(labeller.label(37.1, 126.1)).toEqual({
      provinceCode: "11",
      municipalityCode: "11010",
      submunicipalityCode: "1101053",
    });
  });

  it("leaves levels without an area empty", () => {
    expect(labeller.label(37.4, 126.4)).toEqual({
      provinceCode: "11",
      municipalityCode: "11010",
      submunicipalityCode: null,
    });
  });

  it("leaves a point outside every area empty", () => {
    expect(labeller.label(35, 129)).toEqual({
      provinceCode: null,
      municipalityCode: null,
      submunicipalityCode: null,
    });
  });

  it("respects holes in polygons", () => {
    expect(labeller.label(37.15, 126.65).municipalityCode).toBeNull();
    expect(labeller.label(37.3, 126.65).municipalityCode).toBe("11020");
  });

  it("prefers the newest base year on overlap", () => {
    const mixed = new AreaLabeller([
      squareArea("31050", 126, 37, 1, { baseYear: "2013" }),
      squareArea("31051", 126, 37, 1, { baseYear: "2018" }),
    ]);
    expect(mixed.label(37.5, 126.5).municipalityCode).toBe("31051");
  });

  it("is empty without areas", () => {
    const empty = new AreaLabeller([]);
    expect(empty.isEmpty).toBe(true);
    expect(empty.label(37.5, 126.5).provinceCode).toBeNull();
  });
});

describe("area codes", () => {
  it("gives the level from the length", () => {
    expect(areaLevelOfCode("11")).toBe("province");
    expect(areaLevelOfCode("11010")).toBe("municipality");
    expect(areaLevelOfCode("1101053")).toBe("submunicipality");
    expect(areaLevelOfCode("110")).toBeUndefined();
    expect(areaLevelOfCode("1101053000")).toBeUndefined();
    expect(areaLevelOfCode("ab")).toBeUndefined();
  });

  it("gives the parent from the prefix", () => {
    expect(parentAreaCode("11")).toBeNull();
    expect(parentAreaCode("31014")).toBe("31");
    expect(parentAreaCode("1101053")).toBe("11010");
  });
});

describe("formatAreaPath", () => {
  const names = new Map([
    ["11", "서울특별시"],
    ["11010", "종로구"],
    ["1101053", "사직동"],
  ]);

  it("joins names from the province down", () => {
    const path = formatAreaPath(
      {
        provinceCode: "11",
        municipalityCode: "11010",
        submunicipalityCode: "1101053",
      },
      names,
    );
    expect(path).toBe("서울특별시 종로구 사직동");
  });

  it("skips unknown codes", () => {
    const path = formatAreaPath(
      {
        provinceCode: "11",
        municipalityCode: "99999",
        submunicipalityCode: null,
      },
      names,
    );
    expect(path).toBe("서울특별시");
  });

  it("returns null without names", () => {
    const path = formatAreaPath(
      { provinceCode: null, municipalityCode: null, submunicipalityCode: null },
      names,
    );
    expect(path).toBeNull();
  });
});
