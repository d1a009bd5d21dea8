import { readFileSync } from "node:fs";

import { epochDayOf } from "./days.js";
import type { ScanCaseCount, ScanLocation, ScanPopulation } from "./types.js";

// Readers of the SaTScan sample CSVs for tests; analysis code does no I/O.

/** Reads the rows of a small CSV file without quoted fields, header dropped. */
function readRows(file: string): string[][] {
  return readFileSync(file, "utf8")
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(","));
}

/** Reads a SaTScan-style coordinates CSV `id,latitude,longitude` (or `id,y,x`). */
export function readSampleLocations(file: string): ScanLocation[] {
  return readRows(file).map(([id, y, x]) => ({
    id: id!,
    x: Number(x),
    y: Number(y),
  }));
}

/** Reads the NYC fever cases `zip,cases,date` as counts per epoch day. */
export function readSampleDailyCases(file: string): ScanCaseCount[] {
  return readRows(file).map(([id, count, date]) => ({
    locationId: id!,
    count: Number(count),
    time: epochDayOf(date!),
  }));
}

/** Reads the New Mexico cases `county,cases,year,agegroup,sex`, strata by age group and sex. */
export function readSampleYearlyCases(file: string): ScanCaseCount[] {
  return readRows(file).map(([id, count, year, ageGroup, sex]) => ({
    locationId: id!,
    count: Number(count),
    time: Number(year),
    stratum: `${ageGroup}-${sex}`,
  }));
}

/** Reads the New Mexico populations `county,year(2 digits),population,agegroup,sex`. */
export function readSamplePopulations(file: string): ScanPopulation[] {
  return readRows(file).map(([id, year, population, ageGroup, sex]) => ({
    locationId: id!,
    time: 1900 + Number(year),
    population: Number(population),
    stratum: `${ageGroup}-${sex}`,
  }));
}
