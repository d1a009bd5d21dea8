import { areaIdOf, areaOf, type Area, type City } from "./city.js";
import type { Outbreak, ScenarioCase } from "./outbreak.js";
import type { Period } from "./routine.js";
import { seoulDateOfDay } from "./time.js";

/** Texts of the hotspot files, by file name. */
export interface HotspotFiles {
  /** Scan case file: location,cases,time. */
  readonly "cases.csv": string;
  /** Scan coordinates file: id,latitude,longitude. */
  readonly "coordinates.csv": string;
  /** Scan population file: location,time,population. */
  readonly "population.csv": string;
  /** Gi* input: id,x,y,value with longitude, latitude and the cases of the period. */
  readonly "areas.csv": string;
}

/**
 * Returns the area where a case is counted: the place of the cluster it
 * belongs to, which is where a secondary case was infected and the venue
 * that an index case seeded. A sporadic case, whose infection the scenario
 * does not place, is counted at home.
 */
export function caseAreaId(item: ScenarioCase): string {
  return areaIdOf(item.exposurePlace ?? item.seededVenue ?? item.person.home);
}

/**
 * Builds the hotspot files: cases by area and date of symptom onset, for the
 * onsets inside the period, laid out as the files that `epitrace hotspots
 * scan` and `gi-star` read.
 */
export function writeHotspotFiles(
  city: City,
  outbreak: Outbreak,
  period: Period,
): HotspotFiles {
  const counts = new Map<string, number>();
  const totals = new Map<string, number>();
  for (const item of outbreak.cases) {
    if (item.onsetDay < 0 || item.onsetDay >= period.days) {
      continue;
    }
    const area = caseAreaId(item);
    const key = `${area},${seoulDateOfDay(period.startsAt, item.onsetDay)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    totals.set(area, (totals.get(area) ?? 0) + 1);
  }

  const caseLines = [...counts]
    .sort((a, b) => compareText(a[0], b[0]))
    .map(([key, count]) => {
      const [area, date] = key.split(",") as [string, string];
      return `${area},${count},${date}`;
    });
  const startDate = seoulDateOfDay(period.startsAt, 0);
  const areas = withCaseAreas(city.areas, outbreak.cases);
  return {
    "cases.csv": lines(["location,cases,time", ...caseLines]),
    "coordinates.csv": lines([
      "id,latitude,longitude",
      ...areas.map(
        (area) =>
          `${area.id},${area.latitude.toFixed(6)},${area.longitude.toFixed(6)}`,
      ),
    ]),
    "population.csv": lines([
      "location,time,population",
      ...areas.map((area) => `${area.id},${startDate},${area.population}`),
    ]),
    "areas.csv": lines([
      "id,x,y,value",
      ...areas.map(
        (area) =>
          `${area.id},${area.longitude.toFixed(6)},${area.latitude.toFixed(6)},${totals.get(area.id) ?? 0}`,
      ),
    ]),
  };
}

/** Adds the areas of cases that lie on the city's edge outside the areas of the city, in id order. */
function withCaseAreas(
  areas: readonly Area[],
  cases: Outbreak["cases"],
): Area[] {
  const byId = new Map(areas.map((area) => [area.id, area]));
  for (const item of cases) {
    const area = areaOf(
      item.exposurePlace ?? item.seededVenue ?? item.person.home,
    );
    byId.set(area.id, area);
  }
  return [...byId.values()].sort((a, b) => compareText(a.id, b.id));
}

/** Compares two strings by UTF-16 code units, the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}

function lines(items: readonly string[]): string {
  return `${items.join("\n")}\n`;
}
