import fs from "node:fs";
import path from "node:path";

import { loadAreaLabeller } from "../../areas/index.js";
import type { Store } from "../../store/index.js";
import { RejectionCollector, type ImportReport } from "../report.js";
import {
  beginImport,
  commitImport,
  failOnRejectedRows,
  hashInputFiles,
  progressOf,
  skipIfAlreadyImported,
  type CommonImportOptions,
  type InputFile,
} from "../run-import.js";
import { parseCsvRows } from "./csv.js";
import {
  flagPatients,
  parsePatients,
  PATIENT_INFO_COLUMNS,
  PATIENT_INFO_FILE,
} from "./patient-info.js";
import {
  parseRouteVisits,
  PATIENT_ROUTE_COLUMNS,
  PATIENT_ROUTE_FILE,
} from "./patient-route.js";
import { DS4C_SOURCE, writeDs4c } from "./write.js";

export interface Ds4cImportOptions extends CommonImportOptions {
  /** Store the valid rows and report the invalid ones, in place of failing the import. Default false. */
  skipInvalid?: boolean;
}

/**
 * Imports the PatientInfo.csv and PatientRoute.csv of a DS4C release folder
 * in one transaction: a person and a case per patient, and a location
 * record per visit (the route rows with the same patient, date and
 * position). Throws an ImportValidationError, storing nothing, when a row
 * is invalid and `skipInvalid` is not set.
 */
export async function importDs4c(
  store: Store,
  dir: string,
  options: Ds4cImportOptions = {},
): Promise<ImportReport> {
  const infoFile = readInputFile(dir, PATIENT_INFO_FILE);
  const routeFile = readInputFile(dir, PATIENT_ROUTE_FILE);
  const pending = beginImport(
    DS4C_SOURCE,
    dir,
    hashInputFiles([infoFile, routeFile]),
  );
  const skipped = await skipIfAlreadyImported(store, pending, options);
  if (skipped !== undefined) {
    return skipped;
  }

  const report = pending.report;
  const rejections = new RejectionCollector();
  const info = parseCsvRows(
    PATIENT_INFO_FILE,
    infoFile.content,
    PATIENT_INFO_COLUMNS,
    rejections,
  );
  const routes = parseCsvRows(
    PATIENT_ROUTE_FILE,
    routeFile.content,
    PATIENT_ROUTE_COLUMNS,
    rejections,
  );
  report.rowsReadBySource[PATIENT_INFO_FILE] = info.rowsRead;
  report.rowsReadBySource[PATIENT_ROUTE_FILE] = routes.rowsRead;
  report.rowsRead = info.rowsRead + routes.rowsRead;

  const patients = parsePatients(info.rows, rejections);
  const route = parseRouteVisits(routes.rows, patients, rejections);
  report.rowsImported = patients.size + route.rowsImported;
  report.merged = route.merged;
  report.flagged = [...route.flagged, ...flagPatients(patients)];
  failOnRejectedRows(pending, rejections, options.skipInvalid ?? false);

  return commitImport(store, pending, options, async (trx, importId) => {
    const counts = await writeDs4c({
      db: trx,
      importId,
      patients,
      visits: route.visits,
      labeller: await loadAreaLabeller(trx),
      progress: progressOf(options),
      now: Date.now(),
    });
    Object.assign(report.records, counts);
  });
}

function readInputFile(dir: string, name: string): InputFile {
  const file = path.join(dir, name);
  try {
    return { name, content: fs.readFileSync(file) };
  } catch (error) {
    throw new Error(
      `Cannot read ${file}: ${(error as Error).message}. Give the folder of a DS4C release that contains ${PATIENT_INFO_FILE} and ${PATIENT_ROUTE_FILE}.`,
      { cause: error },
    );
  }
}
