import { InvalidArgumentError, type Command } from "commander";

import type { TimeInterval } from "../../analysis/contacts/index.js";
import type {
  ExposurePlace,
  LooserSetting,
} from "../../analysis/exposure/index.js";
import {
  queryExposure,
  type ExposureQueryResult,
} from "../../investigation/index.js";
import { presentExposure } from "../../server/presenters/analysis.js";
import { formatInstant, quoteCsvField } from "./csv-output.js";
import { runOnStore } from "./store-analysis.js";

/** Header of the `exposure --store` CSV output, one person per row. */
export const STORE_EXPOSURE_CSV_HEADER =
  "person_id,label,case_number,minutes,possible_minutes,first_seen_at,last_seen_at,stay_count,dates";

/** A query of `exposure --store`, its place and windows already read from the options. */
export interface StoreExposureQuery {
  readonly place: ExposurePlace;
  readonly windows: readonly TimeInterval[];
  readonly minimumDwellMinutes: number;
  readonly reason?: string | undefined;
  readonly json?: true | undefined;
}

/**
 * Lists the persons present at a place as `POST /api/exposure` does, on
 * the store in EPITRACE_DATA_DIR, and writes one audit event. `--json`
 * prints the object of that endpoint. Otherwise one CSV row per person goes
 * to standard output (day-level persons with empty minutes and their
 * dates), and the counts of looser settings go to standard error.
 */
export async function runExposureOnStore(
  query: StoreExposureQuery,
  command: Command,
  output: { writeOut(text: string): void; writeErr(text: string): void },
): Promise<void> {
  const place = query.place;
  if ("type" in place && place.type === "MultiPolygon") {
    throw new InvalidArgumentError(
      "The store query takes a Polygon, not a MultiPolygon: query each polygon on its own.",
    );
  }
  const result = await runOnStore(
    command,
    "exposure",
    { reason: query.reason },
    (context) =>
      queryExposure(context, {
        place,
        windows: query.windows,
        minimumDwellMinutes: query.minimumDwellMinutes,
      }),
  );
  if (query.json === true) {
    output.writeOut(`${JSON.stringify(presentExposure(result), null, 2)}\n`);
    return;
  }
  output.writeOut(storeExposureCsv(result));
  output.writeErr(looserSummary(result));
}

function storeExposureCsv(result: ExposureQueryResult): string {
  const rows = [
    ...result.persons.map((entry) => [
      entry.person.personId,
      entry.person.label,
      entry.person.case?.caseNumber ?? "",
      String(entry.minutes),
      String(entry.possibleMinutes),
      formatInstant(entry.firstSeenAt),
      formatInstant(entry.lastSeenAt),
      String(entry.stayCount),
      "",
    ]),
    ...result.dayLevelPersons.map((entry) => [
      entry.person.personId,
      entry.person.label,
      entry.person.case?.caseNumber ?? "",
      "",
      "",
      "",
      "",
      "",
      entry.dates.join(" "),
    ]),
  ];
  const lines = [
    STORE_EXPOSURE_CSV_HEADER,
    ...rows.map((fields) => fields.map(quoteCsvField).join(",")),
  ];
  return `${lines.join("\n")}\n`;
}

/** Formats the number of persons found and what each looser setting adds, one line each. */
export function looserSummary(result: {
  readonly persons: readonly unknown[];
  readonly dayLevelPersons: readonly unknown[];
  readonly looserSettings: readonly LooserSetting[];
}): string {
  const lines = [
    `Found ${result.persons.length} persons; ${result.dayLevelPersons.length} more known only to the day.`,
  ];
  for (const setting of result.looserSettings) {
    const radius =
      setting.radiusMeters === null
        ? "the polygon"
        : `${setting.radiusMeters} m`;
    lines.push(
      `With ${radius} and at least ${setting.minimumDwellMinutes} min: ${setting.personCount} persons (${setting.addedCount} more).`,
    );
  }
  return `${lines.join("\n")}\n`;
}
