import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { Kysely } from "kysely";

import {
  DEFAULT_STAYPOINT_OPTIONS,
  generateStaypoints,
  type PositionFix,
  type StaypointOptions,
} from "../../analysis/staypoints/index.js";
import {
  areaCodeColumns,
  loadAreaLabeller,
  type AreaLabeller,
} from "../../areas/index.js";
import type {
  Database,
  NewLocationRecord,
  NewStay,
  Store,
} from "../../store/index.js";
import type { ProgressReporter } from "../progress.js";
import { RejectionCollector, type ImportReport } from "../report.js";
import {
  beginImport,
  chunk,
  commitImport,
  failOnRejectedRows,
  hashInputFiles,
  INSERT_BATCH_ROWS,
  progressOf,
  skipIfAlreadyImported,
  type CommonImportOptions,
  type InputFile,
} from "../run-import.js";
import { resolvePltFiles } from "./files.js";
import { GeolifeFormatError, parsePlt, type PltFix } from "./plt.js";

export const GEOLIFE_SOURCE = "geolife";

export interface GeolifeImportOptions extends CommonImportOptions {
  /**
   * Id of the organisation at which to register a case per person (case
   * number `GL-<user id>`, status open, no dates), so that the tracks can
   * be opened on a case page. Default: no cases.
   */
  registerCasesAt?: string;
  /** Store the readable files and report the unreadable ones, in place of failing the import. Default false. */
  skipInvalid?: boolean;
}

/** GeoLife writes this altitude when it is unknown. */
const UNKNOWN_ALTITUDE_FEET = -777;
const METERS_PER_FOOT = 0.3048;

/** Stay detection of GeoLife imports: the staypoint defaults, keeping the stay still open at the end of a track. */
export const GEOLIFE_STAYPOINT_OPTIONS: Required<StaypointOptions> = {
  ...DEFAULT_STAYPOINT_OPTIONS,
  includeLast: true,
};

/** A PLT file read whole, with the user it belongs to. */
interface PltInput extends InputFile {
  userId: string;
}

/** The fixes of one user in this import. */
interface UserTrack {
  userId: string;
  fixes: PltFix[];
}

/**
 * Imports GeoLife PLT files (one file, a user's folder, or a folder of user
 * folders, with times in UTC) in one transaction. It stores a person per
 * user and a `gps` location record per position fix. The user's stays are
 * then detected again over all of the person's stored fixes. A fix identical
 * to a stored fix of the same person (same instant and position) is not
 * stored twice.
 *
 * A PLT line that cannot be read rejects its whole file. Throws an
 * ImportValidationError, storing nothing, when a file is rejected and
 * `skipInvalid` is not set.
 */
export async function importGeolife(
  store: Store,
  inputPath: string,
  options: GeolifeImportOptions = {},
): Promise<ImportReport> {
  const inputs = await readPltInputs(inputPath);
  const pending = beginImport(
    GEOLIFE_SOURCE,
    inputPath,
    hashInputFiles(inputs),
  );
  const skipped = await skipIfAlreadyImported(store, pending, options);
  if (skipped !== undefined) {
    return skipped;
  }
  if (options.registerCasesAt !== undefined) {
    await assertOrganisationExists(store.db, options.registerCasesAt);
  }

  const rejections = new RejectionCollector();
  const tracks = parseTracks(inputs, pending.report, rejections);
  failOnRejectedRows(pending, rejections, options.skipInvalid ?? false);

  return commitImport(store, pending, options, async (trx, importId) => {
    const counts = await writeTracks({
      db: trx,
      importId,
      tracks,
      labeller: await loadAreaLabeller(trx),
      progress: progressOf(options),
      organisationId: options.registerCasesAt ?? null,
      now: Date.now(),
    });
    pending.report.rowsImported =
      counts.fixesCreated + counts.fixesAlreadyStored;
    if (counts.fixesAlreadyStored > 0) {
      pending.report.merged.push({
        reason: "already_stored",
        description: "same person, instant and position as a stored fix",
        count: counts.fixesAlreadyStored,
      });
    }
    Object.assign(pending.report.records, counts);
  });
}

/** Reads every PLT file under the path, naming each `<user id>/<file name>` within the import. */
async function readPltInputs(inputPath: string): Promise<PltInput[]> {
  const inputs: PltInput[] = [];
  for (const entry of await resolvePltFiles(inputPath)) {
    inputs.push({
      userId: entry.userId,
      name: `${entry.userId}/${path.basename(entry.file)}`,
      content: await readFile(entry.file),
    });
  }
  return inputs;
}

async function assertOrganisationExists(
  db: Kysely<Database>,
  organisationId: string,
): Promise<void> {
  const found = await db
    .selectFrom("organisations")
    .select("id")
    .where("id", "=", organisationId)
    .executeTakeFirst();
  if (found === undefined) {
    throw new Error(
      `Organisation ${organisationId} not found. Give the id of an existing organisation in registerCasesAt.`,
    );
  }
}

/** Parses the files into one track per user, in user id order. */
function parseTracks(
  inputs: readonly PltInput[],
  report: ImportReport,
  rejections: RejectionCollector,
): UserTrack[] {
  const byUser = new Map<string, UserTrack>();
  for (const input of inputs) {
    const fixes = parsePltOrReject(input, rejections);
    const track = byUser.get(input.userId) ?? {
      userId: input.userId,
      fixes: [],
    };
    byUser.set(input.userId, track);
    for (const fix of fixes) {
      track.fixes.push(fix);
    }
    report.rowsReadBySource[input.userId] =
      (report.rowsReadBySource[input.userId] ?? 0) + fixes.length;
    report.rowsRead += fixes.length;
  }
  return [...byUser.values()];
}

function parsePltOrReject(
  input: PltInput,
  rejections: RejectionCollector,
): PltFix[] {
  try {
    return parsePlt(input.content.toString("utf8"), input.name);
  } catch (error) {
    if (!(error instanceof GeolifeFormatError)) {
      throw error;
    }
    rejections.add({
      file: input.name,
      row: error.line,
      field: error.field,
      value: error.value,
      rule: "plt_format",
      hint: `${error.message} The whole file was left out.`,
    });
    return [];
  }
}

/** Everything the track writer needs, inside the import's transaction. */
interface TrackWrite {
  db: Kysely<Database>;
  importId: string;
  tracks: readonly UserTrack[];
  labeller: AreaLabeller;
  progress: ProgressReporter;
  organisationId: string | null;
  now: number;
}

interface TrackCounts {
  personsCreated: number;
  casesCreated: number;
  fixesCreated: number;
  fixesAlreadyStored: number;
  staysDeleted: number;
  staysCreated: number;
}

async function writeTracks(write: TrackWrite): Promise<TrackCounts> {
  const counts: TrackCounts = {
    personsCreated: 0,
    casesCreated: 0,
    fixesCreated: 0,
    fixesAlreadyStored: 0,
    staysDeleted: 0,
    staysCreated: 0,
  };
  const totalFixes = write.tracks.reduce(
    (sum, track) => sum + track.fixes.length,
    0,
  );

  write.progress.start(totalFixes, "position fixes");
  for (const track of write.tracks) {
    const person = await ensurePerson(write, track.userId, counts);
    const stored = await readStoredFixes(write.db, person.personId);
    const fresh = dropStoredFixes(track.fixes, stored);
    counts.fixesAlreadyStored += track.fixes.length - fresh.length;
    counts.fixesCreated += await insertFixes(write, person, fresh);
    if (fresh.length > 0) {
      const allFixes = [...stored, ...fresh.map(toStoredFix)];
      await replaceStays(write, person.personId, allFixes, counts);
    }
  }
  write.progress.stop();
  return counts;
}

interface TrackOwner {
  personId: string;
  caseId: string | null;
}

/** Returns the person of a GeoLife user, creating the person (and the case, if requested) on first import. */
async function ensurePerson(
  write: TrackWrite,
  userId: string,
  counts: TrackCounts,
): Promise<TrackOwner> {
  const existing = await write.db
    .selectFrom("persons")
    .select("id")
    .where("source", "=", GEOLIFE_SOURCE)
    .where("source_ref", "=", userId)
    .executeTakeFirst();
  let personId = existing?.id;
  if (personId === undefined) {
    personId = randomUUID();
    await write.db
      .insertInto("persons")
      .values({
        id: personId,
        label: `GeoLife ${userId}`,
        source: GEOLIFE_SOURCE,
        source_ref: userId,
        created_at: write.now,
      })
      .execute();
    counts.personsCreated++;
  }

  const caseId =
    write.organisationId === null
      ? null
      : await ensureCase(write, userId, personId, counts);
  return { personId, caseId };
}

/** Returns the case `GL-<user id>`, creating it open and without dates when missing. */
async function ensureCase(
  write: TrackWrite,
  userId: string,
  personId: string,
  counts: TrackCounts,
): Promise<string> {
  const caseNumber = `GL-${userId}`;
  const existing = await write.db
    .selectFrom("cases")
    .select(["id", "person_id"])
    .where("case_number", "=", caseNumber)
    .executeTakeFirst();
  if (existing !== undefined) {
    if (existing.person_id !== personId) {
      throw new Error(
        `Case number ${caseNumber} is already used by a case of another person. Rename that case before importing GeoLife user ${userId}.`,
      );
    }
    return existing.id;
  }

  const id = randomUUID();
  await write.db
    .insertInto("cases")
    .values({
      id,
      case_number: caseNumber,
      person_id: personId,
      organisation_id: write.organisationId!,
      status: "open",
      created_at: write.now,
      updated_at: write.now,
    })
    .execute();
  counts.casesCreated++;
  return id;
}

/** A stored GPS fix, as the stay detection takes it. */
interface StoredFix extends PositionFix {
  altitudeMeters: number | null;
}

async function readStoredFixes(
  db: Kysely<Database>,
  personId: string,
): Promise<StoredFix[]> {
  const rows = await db
    .selectFrom("location_records")
    .select(["started_at", "latitude", "longitude", "altitude_meters"])
    .where("person_id", "=", personId)
    .where("source_kind", "=", "gps")
    .orderBy("started_at")
    .orderBy("id")
    .execute();
  return rows
    .filter(
      (row) =>
        row.started_at !== null &&
        row.latitude !== null &&
        row.longitude !== null,
    )
    .map((row) => ({
      trackedAt: row.started_at!,
      latitude: row.latitude!,
      longitude: row.longitude!,
      altitudeMeters: row.altitude_meters,
    }));
}

function fixKey(fix: PositionFix): string {
  return `${fix.trackedAt}|${fix.latitude}|${fix.longitude}`;
}

function dropStoredFixes(
  fixes: readonly PltFix[],
  stored: readonly StoredFix[],
): PltFix[] {
  if (stored.length === 0) {
    return [...fixes];
  }
  const storedKeys = new Set(stored.map(fixKey));
  return fixes.filter((fix) => !storedKeys.has(fixKey(fix)));
}

function altitudeMetersOf(fix: PltFix): number | null {
  return fix.altitudeFeet === UNKNOWN_ALTITUDE_FEET
    ? null
    : fix.altitudeFeet * METERS_PER_FOOT;
}

function toStoredFix(fix: PltFix): StoredFix {
  return {
    trackedAt: fix.trackedAt,
    latitude: fix.latitude,
    longitude: fix.longitude,
    altitudeMeters: altitudeMetersOf(fix),
  };
}

async function insertFixes(
  write: TrackWrite,
  owner: TrackOwner,
  fixes: readonly PltFix[],
): Promise<number> {
  for (const batch of chunk(fixes, INSERT_BATCH_ROWS)) {
    await write.db
      .insertInto("location_records")
      .values(batch.map((fix) => fixRecord(write, owner, fix)))
      .execute();
    write.progress.increment(batch.length);
  }
  return fixes.length;
}

/** Builds the record of a position fix: started_at and ended_at are both the fix instant. */
function fixRecord(
  write: TrackWrite,
  owner: TrackOwner,
  fix: PltFix,
): NewLocationRecord {
  return {
    person_id: owner.personId,
    case_id: owner.caseId,
    source_kind: "gps",
    import_id: write.importId,
    started_at: fix.trackedAt,
    ended_at: fix.trackedAt,
    visit_date: null,
    latitude: fix.latitude,
    longitude: fix.longitude,
    radius_meters: null,
    altitude_meters: altitudeMetersOf(fix),
    place_name: null,
    place_types: "[]",
    address: null,
    province: null,
    city: null,
    ...areaCodeColumns(write.labeller.label(fix.latitude, fix.longitude)),
    flags: "[]",
    // Line number in the PLT file, its 6 header lines included.
    source_rows: JSON.stringify([fix.lineNumber]),
    note: null,
    created_at: write.now,
  };
}

/** Deletes the person's GPS stays and detects them again over all the given fixes. */
async function replaceStays(
  write: TrackWrite,
  personId: string,
  fixes: readonly StoredFix[],
  counts: TrackCounts,
): Promise<void> {
  const deleted = await write.db
    .deleteFrom("stays")
    .where("person_id", "=", personId)
    .where("source_kind", "=", "gps")
    .executeTakeFirst();
  counts.staysDeleted += Number(deleted.numDeletedRows);

  const method = JSON.stringify({
    method: "sliding",
    ...GEOLIFE_STAYPOINT_OPTIONS,
  });
  const stays = generateStaypoints(fixes, GEOLIFE_STAYPOINT_OPTIONS).map(
    (stay): NewStay => ({
      person_id: personId,
      source_kind: "gps",
      method,
      started_at: stay.startedAt,
      finished_at: stay.finishedAt,
      last_fix_at: stay.lastFixAt,
      latitude: stay.latitude,
      longitude: stay.longitude,
      radius_meters: stay.radiusMeters,
      fix_count: stay.fixCount,
      ...areaCodeColumns(write.labeller.label(stay.latitude, stay.longitude)),
      created_at: write.now,
    }),
  );
  for (const batch of chunk(stays, INSERT_BATCH_ROWS)) {
    await write.db.insertInto("stays").values(batch).execute();
  }
  counts.staysCreated += stays.length;
}
