import { withCaseAccess, type AccessContext } from "../access/index.js";
import { areaCodeColumns, labelPoint, NO_AREA_CODES } from "../areas/index.js";
import { AppError } from "../errors.js";
import { loadMovements, type Movement } from "./movements.js";
import { checkDate, checkPosition, parseInstant } from "./validation.js";

/** A place the person named in the interview, known to the day or to the minute. */
export interface InterviewVisit {
  placeName: string;
  latitude?: number;
  longitude?: number;
  address?: string;
  /** Seoul calendar date, for a visit known only to the day. */
  visitDate?: string;
  /** ISO 8601 instants with an offset, for a visit known to the minute. */
  startedAt?: string;
  endedAt?: string;
  note?: string;
}

/** Records an interview visit for a case of the caller's jurisdiction. */
export function addInterviewVisit(
  context: AccessContext,
  caseId: string,
  visit: InterviewVisit,
  now: number = Date.now(),
): Promise<Movement> {
  const interval = checkVisit(visit);

  return withCaseAccess(
    context,
    { action: "visit.create", caseId },
    async (kase) => {
      const areaCodes =
        visit.latitude === undefined || visit.longitude === undefined
          ? NO_AREA_CODES
          : await labelPoint(context.db, visit.latitude, visit.longitude);
      const inserted = await context.db
        .insertInto("location_records")
        .values({
          person_id: kase.person_id,
          case_id: kase.id,
          source_kind: "interview",
          import_id: null,
          started_at: interval?.startedAt ?? null,
          ended_at: interval?.endedAt ?? null,
          visit_date: visit.visitDate ?? null,
          latitude: visit.latitude ?? null,
          longitude: visit.longitude ?? null,
          radius_meters: null,
          altitude_meters: null,
          place_name: visit.placeName.trim(),
          place_types: "[]",
          address: visit.address ?? null,
          province: null,
          city: null,
          ...areaCodeColumns(areaCodes),
          flags: "[]",
          source_rows: "[]",
          note: visit.note ?? null,
          created_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();

      const movements = await loadMovements(context.db, kase.person_id);
      const movement = movements.find((m) => m.id === `record-${inserted.id}`);
      if (movement === undefined) {
        throw new AppError(
          "internal",
          "The saved visit could not be read back.",
        );
      }
      return movement;
    },
  );
}

function checkVisit(
  visit: InterviewVisit,
): { startedAt: number; endedAt: number } | null {
  if (visit.placeName.trim() === "") {
    throw new AppError("validation_failed", "A place name is required.");
  }

  const hasLatitude = visit.latitude !== undefined;
  if (hasLatitude !== (visit.longitude !== undefined)) {
    throw new AppError(
      "validation_failed",
      "Give both latitude and longitude, or neither and an address.",
    );
  }
  if (visit.latitude !== undefined && visit.longitude !== undefined) {
    checkPosition(visit.latitude, visit.longitude);
  } else if ((visit.address ?? "").trim() === "") {
    throw new AppError(
      "validation_failed",
      "A visit needs a position (latitude and longitude) or an address.",
    );
  }

  return checkWhen(visit);
}

function checkWhen(
  visit: InterviewVisit,
): { startedAt: number; endedAt: number } | null {
  const hasInterval =
    visit.startedAt !== undefined || visit.endedAt !== undefined;
  if (visit.visitDate !== undefined && hasInterval) {
    throw new AppError(
      "validation_failed",
      "Give either a visit date or an arrival and departure time, not both.",
    );
  }
  if (visit.visitDate !== undefined) {
    checkDate("visitDate", visit.visitDate);
    return null;
  }
  if (visit.startedAt === undefined || visit.endedAt === undefined) {
    throw new AppError(
      "validation_failed",
      "A visit needs a visit date, or both an arrival (startedAt) and a departure (endedAt).",
    );
  }

  const startedAt = parseInstant("startedAt", visit.startedAt);
  const endedAt = parseInstant("endedAt", visit.endedAt);
  if (endedAt < startedAt) {
    throw new AppError(
      "validation_failed",
      `Invalid endedAt ${visit.endedAt}: the departure is before the arrival ${visit.startedAt}.`,
    );
  }
  return { startedAt, endedAt };
}
