import fs from "node:fs";
import path from "node:path";

import type { Kysely } from "kysely";

import { loadAreaLabeller, relabelStoredLocations } from "../../areas/index.js";
import type { AreaLevel, Database, Store } from "../../store/index.js";
import type { ProgressReporter } from "../progress.js";
import {
  RejectionCollector,
  type FlagCount,
  type ImportReport,
} from "../report.js";
import {
  beginImport,
  chunk,
  commitImport,
  failOnRejectedRows,
  hashInputFiles,
  progressOf,
  skipIfAlreadyImported,
  type CommonImportOptions,
  type InputFile,
} from "../run-import.js";
import {
  parseBoundaryFeatures,
  readBoundaryFeatures,
  type ParsedArea,
} from "./parse.js";

export interface BoundariesImportOptions extends CommonImportOptions {
  /** Store the valid areas and report the invalid features, in place of failing the import. Default false. */
  skipInvalid?: boolean;
}

/** Areas per upsert statement: each row carries a whole boundary as text. */
const AREAS_PER_STATEMENT = 200;

const RECORD_NAME_BY_LEVEL: Readonly<Record<AreaLevel, string>> = {
  province: "provinces",
  municipality: "municipalities",
  submunicipality: "submunicipalities",
};

/**
 * Imports KOSTAT administrative boundaries from GeoJSON or TopoJSON files
 * in one transaction. Areas are upserted by code, so importing a file again
 * replaces its areas. Every location record and stay in the store is then
 * labelled again, in the same transaction. Throws an ImportValidationError,
 * storing nothing, when a feature is invalid and `skipInvalid` is not set.
 */
export async function importBoundaries(
  store: Store,
  files: readonly string[],
  options: BoundariesImportOptions = {},
): Promise<ImportReport> {
  if (files.length === 0) {
    throw new Error(
      "No boundary file given. Give at least one GeoJSON or TopoJSON file.",
    );
  }
  const inputs = files.map(readInputFile);
  const pending = beginImport(
    "boundaries",
    files.join(", "),
    hashInputFiles(inputs),
  );
  const skipped = await skipIfAlreadyImported(store, pending, options);
  if (skipped !== undefined) {
    return skipped;
  }

  const rejections = new RejectionCollector();
  const areas = parseInputs(inputs, pending.report, rejections);
  failOnRejectedRows(pending, rejections, options.skipInvalid ?? false);

  return commitImport(store, pending, options, async (trx) => {
    const report = pending.report;
    const progress = progressOf(options);
    const existing = await findStoredCodes(trx, areas);
    await upsertAreas(trx, areas, progress);
    report.rowsImported = areas.length;
    Object.assign(report.records, countAreaRecords(areas, existing));
    const kept = await countAreasNotInFiles(trx, areas);
    if (kept.records > 0) {
      report.flagged.push(kept);
    }

    const labeller = await loadAreaLabeller(trx);
    const relabelled = await relabelStoredLocations(trx, labeller, progress);
    report.records.locationRecordsRelabelled = relabelled.locationRecords;
    report.records.staysRelabelled = relabelled.stays;
    report.records.recordSitesRelabelled = relabelled.recordSites;
  });
}

function readInputFile(file: string): InputFile {
  try {
    return { name: path.basename(file), content: fs.readFileSync(file) };
  } catch (error) {
    throw new Error(
      `Cannot read boundary file ${file}: ${(error as Error).message}. Check the path.`,
      { cause: error },
    );
  }
}

/** Parses every file and rejects a code that an earlier feature already had. */
function parseInputs(
  inputs: readonly InputFile[],
  report: ImportReport,
  rejections: RejectionCollector,
): ParsedArea[] {
  const byCode = new Map<string, ParsedArea>();
  for (const input of inputs) {
    const features = readBoundaryFeatures(
      input.name,
      input.content.toString("utf8"),
    );
    report.rowsReadBySource[input.name] = features.length;
    report.rowsRead += features.length;

    const parsed = parseBoundaryFeatures(input.name, features, rejections);
    parsed.forEach(({ featureNumber, area }) => {
      if (byCode.has(area.code)) {
        rejections.add({
          file: input.name,
          row: featureNumber,
          field: "properties.code",
          value: area.code,
          rule: "duplicate_area_code",
          hint: "Each area code may appear once per import. Remove the repeated feature or import the files separately.",
        });
        return;
      }
      byCode.set(area.code, area);
    });
  }
  return [...byCode.values()];
}

async function findStoredCodes(
  db: Kysely<Database>,
  areas: readonly ParsedArea[],
): Promise<Set<string>> {
  const stored = new Set<string>();
  for (const batch of chunk(
    areas.map((area) => area.code),
    500,
  )) {
    const rows = await db
      .selectFrom("administrative_areas")
      .select("code")
      .where("code", "in", batch)
      .execute();
    rows.forEach((row) => stored.add(row.code));
  }
  return stored;
}

async function upsertAreas(
  db: Kysely<Database>,
  areas: readonly ParsedArea[],
  progress: ProgressReporter,
): Promise<void> {
  progress.start(areas.length, "areas");
  for (const batch of chunk(areas, AREAS_PER_STATEMENT)) {
    await db
      .insertInto("administrative_areas")
      .values(batch)
      .onConflict((conflict) =>
        conflict.column("code").doUpdateSet((eb) => ({
          level: eb.ref("excluded.level"),
          name: eb.ref("excluded.name"),
          name_eng: eb.ref("excluded.name_eng"),
          parent_code: eb.ref("excluded.parent_code"),
          base_year: eb.ref("excluded.base_year"),
          min_longitude: eb.ref("excluded.min_longitude"),
          min_latitude: eb.ref("excluded.min_latitude"),
          max_longitude: eb.ref("excluded.max_longitude"),
          max_latitude: eb.ref("excluded.max_latitude"),
          geometry: eb.ref("excluded.geometry"),
        })),
      )
      .execute();
    progress.increment(batch.length);
  }
  progress.stop();
}

function countAreaRecords(
  areas: readonly ParsedArea[],
  existing: ReadonlySet<string>,
): Record<string, number> {
  const counts: Record<string, number> = {
    areasCreated: 0,
    areasReplaced: 0,
  };
  for (const area of areas) {
    const name = RECORD_NAME_BY_LEVEL[area.level];
    counts[name] = (counts[name] ?? 0) + 1;
    if (existing.has(area.code)) {
      counts.areasReplaced! += 1;
    } else {
      counts.areasCreated! += 1;
    }
  }
  return counts;
}

/**
 * Counts the stored areas of the imported levels that the files do not
 * contain. They are kept, so boundaries of another year may remain beside
 * the new ones. Where they overlap, the labeller prefers the newest base year.
 */
async function countAreasNotInFiles(
  db: Kysely<Database>,
  areas: readonly ParsedArea[],
): Promise<FlagCount> {
  const levels = [...new Set(areas.map((area) => area.level))];
  const imported = new Set(areas.map((area) => area.code));
  const stored =
    levels.length === 0
      ? []
      : await db
          .selectFrom("administrative_areas")
          .select("code")
          .where("level", "in", levels)
          .execute();
  const kept = stored.filter((row) => !imported.has(row.code)).length;
  return {
    flag: "kept_areas_not_in_files",
    description:
      "stored areas of the imported levels that these files do not contain, kept as they were",
    records: kept,
    rows: 0,
  };
}
