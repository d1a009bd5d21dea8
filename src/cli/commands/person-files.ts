import { open } from "node:fs/promises";
import path from "node:path";

import {
  findContacts,
  type ContactOptions,
  type ContactsResult,
  type IndexCase,
} from "../../analysis/contacts/index.js";
import {
  buildRoute,
  routeInputFromRecords,
  type Route,
  type RouteDateOnlyStay,
  type RouteStay,
} from "../../analysis/route/index.js";
import {
  comparableSubject,
  PROVIDER_KINDS,
  validateProviderFiles,
  type ProviderKind,
  type ProviderReadOptions,
  type ProviderRecord,
  type ProviderValidation,
} from "../../ingest/provider/index.js";

/** A provider file that cannot be read, or a set of files that names no usable person. */
export class ProviderFilesError extends Error {
  override readonly name = "ProviderFilesError";
}

/** Options for reading provider files: those of `validate`, with the kind optional. */
export type PersonFileReadOptions = Omit<ProviderReadOptions, "kind"> & {
  /** Kind of every file; without it, each file's kind comes from its format or CSV header. */
  readonly kind?: ProviderKind | undefined;
};

/** Receives a warning about records left out, one line ending in a line break. */
export type WarningWriter = (text: string) => void;

/** The records of one person, gathered from one or more provider files. */
export interface PersonRecords {
  readonly personId: string;
  readonly files: readonly string[];
  readonly records: readonly ProviderRecord[];
}

/** The fused route of one person and the files it was built from. */
export interface PersonRoute {
  readonly personId: string;
  readonly files: readonly string[];
  readonly route: Route;
}

/**
 * Maps the key of a person (a subject in its comparable form, or a file
 * name without its extensions) to the person id. Default: the key itself.
 */
export type PersonIdFunction = (key: string) => string;

/** Extensions of the formats that hold GPS data only. */
const GPS_ONLY_EXTENSION = /\.(gpx|kml|geojson|json)(\.gz)?$/i;

/** Subjects named in an error about a file with several persons. */
const LISTED_SUBJECTS = 5;

/**
 * Reads one provider file as `kind`, or else as the kind that its format
 * implies or whose columns fit its CSV header with the fewest ignored
 * columns. This is the rule of `epitrace route`. Throws a
 * ProviderFilesError when no kind reads the file.
 */
export async function readProviderFile(
  file: string,
  options: PersonFileReadOptions,
): Promise<ProviderValidation> {
  const kinds = kindsToTry(file, options);
  const readable: ProviderValidation[] = [];
  const unreadable: ProviderValidation[] = [];
  for (const kind of kinds) {
    const validation = await validateProviderFiles([file], {
      ...options,
      kind,
    });
    if (validation.fileErrors.length === 0) {
      readable.push(validation);
    } else {
      unreadable.push(validation);
    }
  }

  const best = readable.sort(compareFit)[0];
  if (best !== undefined) {
    return best;
  }
  const isHeaderMismatch = unreadable.every(
    (validation) => validation.fileErrors[0]?.rule === "missing_column",
  );
  if (kinds.length > 1 && isHeaderMismatch) {
    throw new ProviderFilesError(
      `${file} could not be read as any kind of provider data (${PROVIDER_KINDS.join(", ")}): its header lacks the required columns of each. Give --kind to see what the kind needs, or check the file with epitrace validate.`,
    );
  }
  const error = unreadable[0]!.fileErrors[0]!;
  throw new ProviderFilesError(
    `${error.file} could not be read: ${error.message}`,
    { cause: error },
  );
}

function kindsToTry(
  file: string,
  options: PersonFileReadOptions,
): readonly ProviderKind[] {
  if (options.kind !== undefined) {
    return [options.kind];
  }
  const isGpsFormat =
    (options.format !== undefined && options.format !== "csv") ||
    (options.format === undefined && GPS_ONLY_EXTENSION.test(file));
  return isGpsFormat ? ["gps"] : PROVIDER_KINDS;
}

/** Orders readings of one file from the best fit: fewest ignored columns, then most records. */
function compareFit(a: ProviderValidation, b: ProviderValidation): number {
  const ignored = (validation: ProviderValidation) =>
    validation.files[0]?.ignoredColumns.length ?? 0;
  return (
    ignored(a) - ignored(b) ||
    b.records.length - a.records.length ||
    a.rowsRejected - b.rowsRejected
  );
}

/** Returns a file's name without its folder and its extensions (`a/P-1.gps.csv.gz` gives `P-1`). */
export function personKeyOfFile(file: string): string {
  const name = path.basename(file);
  const dot = name.indexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * Reads provider files of many persons and gathers their records by
 * person. A file whose records name one subject, or none, is one person:
 * the subject, or else the file name without its extensions. A file with
 * several subjects contains one person per subject. Subjects compare in the
 * form of `comparableSubject`, so `010-1234-5678` and `01012345678` are one
 * person. Files of the same person, say a GPX track and a card file, are
 * joined. Records without a subject in a file of several subjects belong
 * to no one and are left out with a warning.
 */
export async function readPersonRecords(
  files: readonly string[],
  options: PersonFileReadOptions,
  warn: WarningWriter,
  personIdOf: PersonIdFunction = (key) => key,
): Promise<PersonRecords[]> {
  const byPerson = new Map<
    string,
    { files: string[]; records: ProviderRecord[] }
  >();
  for (const file of files) {
    const validation = await readFileWarning(file, options, warn);
    const subjects = subjectsOf(validation.records);
    let withoutSubject = 0;
    for (const record of validation.records) {
      const key =
        subjects.length <= 1
          ? (subjects[0] ?? personKeyOfFile(file))
          : subjectKeyOf(record);
      if (key === null) {
        withoutSubject++;
        continue;
      }
      const personId = personIdOf(key);
      let person = byPerson.get(personId);
      if (person === undefined) {
        person = { files: [], records: [] };
        byPerson.set(personId, person);
      }
      if (!person.files.includes(file)) {
        person.files.push(file);
      }
      person.records.push(record);
    }
    if (withoutSubject > 0) {
      warn(
        `${withoutSubject} record(s) of ${file} name no subject while the file holds several subjects, so they were left out. Fill in their subject column.\n`,
      );
    }
  }
  return [...byPerson].map(([personId, person]) => ({ personId, ...person }));
}

/**
 * Reads the provider files of one person, the index case. From a file of
 * several subjects only the records of `subject` are taken, and without
 * `subject` such a file is an error. Files without subjects, or whose one
 * subject is `subject`, belong to the person whole. A file whose subjects
 * do not include `subject` contributes nothing.
 */
export async function readOnePersonRecords(
  files: readonly string[],
  subject: string | undefined,
  options: PersonFileReadOptions,
  warn: WarningWriter,
): Promise<ProviderRecord[]> {
  const caseKey =
    subject === undefined ? undefined : comparableSubject(subject);
  const records: ProviderRecord[] = [];
  for (const file of files) {
    const validation = await readFileWarning(file, options, warn);
    const subjects = subjectsOf(validation.records);
    if (subjects.length === 0) {
      records.push(...validation.records);
      continue;
    }
    if (caseKey === undefined && subjects.length > 1) {
      const listed = subjects.slice(0, LISTED_SUBJECTS).join(", ");
      throw new ProviderFilesError(
        `${file} contains the records of ${subjects.length} subjects (${listed}${subjects.length > LISTED_SUBJECTS ? ", ..." : ""}). Give --person with the subject of the index case.`,
      );
    }
    records.push(
      ...(caseKey === undefined
        ? validation.records
        : recordsOfSubject(validation.records, caseKey)),
    );
  }
  return records;
}

async function readFileWarning(
  file: string,
  options: PersonFileReadOptions,
  warn: WarningWriter,
): Promise<ProviderValidation> {
  const validation = await readProviderFile(file, options);
  if (validation.rowsRejected > 0) {
    warn(
      `${validation.rowsRejected} row(s) of ${file} were rejected and left out; run epitrace validate --kind ${validation.kind} on it to list them.\n`,
    );
  }
  return validation;
}

/** Returns the records whose subject compares equal to `subject`. */
export function recordsOfSubject(
  records: readonly ProviderRecord[],
  subject: string,
): ProviderRecord[] {
  const key = comparableSubject(subject);
  return records.filter((record) => subjectKeyOf(record) === key);
}

function subjectKeyOf(record: ProviderRecord): string | null {
  return record.subject === null ? null : comparableSubject(record.subject);
}

/**
 * Returns the distinct comparable subjects of the records, in order of
 * appearance. A phone number written with hyphens in one file and as
 * digits in another is one subject.
 */
export function subjectsOf(records: readonly ProviderRecord[]): string[] {
  const subjects = new Set<string>();
  for (const record of records) {
    const key = subjectKeyOf(record);
    if (key !== null) {
      subjects.add(key);
    }
  }
  return [...subjects];
}

/**
 * Builds the fused route of one person with `routeInputFromRecords` and
 * `buildRoute`, the path of `epitrace route`, and warns of the records
 * that no stay uses.
 */
export function buildPersonRoute(
  person: PersonRecords,
  warn: WarningWriter,
): PersonRoute {
  const { input, unplaced } = routeInputFromRecords(
    person.personId,
    person.records,
  );
  if (unplaced.length > 0) {
    warn(
      `${unplaced.length} record(s) of ${person.personId} without a position or time were left out, such as ${unplaced[0]!.recordId}: geocode their addresses to place them.\n`,
    );
  }
  return {
    personId: person.personId,
    files: person.files,
    route: buildRoute(input),
  };
}

/** Separator between the person id and the route's own stay id in the ids of `staysOfRoute`. */
export const STAY_ID_SEPARATOR = "/";

/** A stay of a fused route, timed or date-only, which the analyses take as a `Stay`. */
export type PersonStay = RouteStay | RouteDateOnlyStay;

/**
 * Returns the timed and date-only stays of a fused route for the analyses.
 * Stay ids become `PERSON/stay-N`, because a route numbers its stays from 1
 * and the analyses need ids that are unique across persons. The `source`
 * of each stay is that of its most precise member, and `sources` lists
 * every member's source.
 */
export function staysOfRoute(route: Route): PersonStay[] {
  const prefix = `${route.personId}${STAY_ID_SEPARATOR}`;
  return [
    ...route.stays.map((stay) => ({ ...stay, id: `${prefix}${stay.id}` })),
    ...route.dateOnlyStays.map((stay) => ({
      ...stay,
      id: `${prefix}${stay.id}`,
    })),
  ];
}

/** The request of a contact search on provider files. */
export interface FileContactsRequest {
  /** Dates of the case; its `personId` is replaced by the case's person id. */
  readonly indexCase: Omit<IndexCase, "personId">;
  /** Provider files of the index case. */
  readonly caseFiles: readonly string[];
  /** Subject of the case in case files of several subjects, such as its phone number. */
  readonly caseSubject?: string | undefined;
  /** Provider files of the other persons: one person per file, or per subject. */
  readonly otherFiles: readonly string[];
  readonly readOptions: PersonFileReadOptions;
  readonly contactOptions?: ContactOptions;
  /** Person id of each subject or file name; default the key itself. Applies to the case too. */
  readonly personIdOf?: PersonIdFunction;
  /** Receives warnings about records left out; default silent. */
  readonly warn?: WarningWriter;
}

/** Result of a contact search on provider files. */
export interface FileContactsResult {
  readonly result: ContactsResult;
  readonly caseRoute: PersonRoute;
  /** Routes of the other persons, without the case's own. */
  readonly otherRoutes: readonly PersonRoute[];
  /** Every stay of the search by id, case stays included. */
  readonly staysById: ReadonlyMap<string, PersonStay>;
}

/**
 * Finds the contacts of an index case in provider files of any kind. The
 * case's files and each other person's files are fused into routes, and
 * the contacts search runs over the fused stays, so one encounter seen
 * through several sources gives one contact. Records of the case in the
 * other files are left out, because the case's files alone describe it.
 * Throws a ProviderFilesError for an unreadable file or a case without
 * records, and a RangeError as `findContacts` does.
 */
export async function findContactsInFiles(
  request: FileContactsRequest,
): Promise<FileContactsResult> {
  const warn = request.warn ?? (() => undefined);
  const personIdOf = request.personIdOf ?? ((key: string) => key);
  // A search without stays checks the options and the case's dates, so
  // that they fail before any file is read.
  findContacts(
    { ...request.indexCase, personId: "case" },
    [],
    request.contactOptions,
  );

  const caseRecords = await readOnePersonRecords(
    request.caseFiles,
    request.caseSubject,
    request.readOptions,
    warn,
  );
  if (caseRecords.length === 0) {
    throw new ProviderFilesError(
      `The case files ${request.caseFiles.join(", ")} hold no valid records of the index case. Check them with epitrace validate, or check --person.`,
    );
  }
  const casePersonId = personIdOf(casePersonKey(request, caseRecords));
  const caseRoute = buildPersonRoute(
    { personId: casePersonId, files: request.caseFiles, records: caseRecords },
    warn,
  );

  const others = await readPersonRecords(
    request.otherFiles,
    request.readOptions,
    warn,
    personIdOf,
  );
  const otherRoutes = others
    .filter((person) => person.personId !== casePersonId)
    .map((person) => buildPersonRoute(person, warn));

  const stays = [caseRoute, ...otherRoutes].flatMap((person) =>
    staysOfRoute(person.route),
  );
  const result = findContacts(
    { ...request.indexCase, personId: casePersonId },
    stays,
    request.contactOptions,
  );
  return {
    result,
    caseRoute,
    otherRoutes,
    staysById: new Map(stays.map((stay) => [stay.id, stay])),
  };
}

/** Returns the key of the case: its subject, the records' one subject, or the first file's name. */
function casePersonKey(
  request: FileContactsRequest,
  records: readonly ProviderRecord[],
): string {
  if (request.caseSubject !== undefined) {
    return comparableSubject(request.caseSubject);
  }
  return subjectsOf(records)[0] ?? personKeyOfFile(request.caseFiles[0]!);
}

/** Bytes read from the start of a file to tell a stays CSV by its header. */
const HEADER_BYTES = 4_096;

/**
 * Tells whether a file starts with a CSV header that has every column of
 * `columns`, as a stays CSV does. An unreadable file is not one.
 */
export async function hasCsvHeader(
  file: string,
  columns: readonly string[],
): Promise<boolean> {
  let text: string;
  try {
    const handle = await open(file, "r");
    try {
      const buffer = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
      text = buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
  const header = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const names = new Set(header.split(",").map((name) => name.trim()));
  return columns.every((column) => names.has(column));
}
