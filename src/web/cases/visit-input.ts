import type { NewVisit } from "../api/types.js";
import { seoulLocalToInstant } from "../i18n/format.js";
import type { MessageKey } from "../i18n/ko.js";

export type TimeMode = "date" | "interval";

/** The visit form's fields as typed. */
export interface VisitDraft {
  placeName: string;
  latitude: string;
  longitude: string;
  address: string;
  mode: TimeMode;
  visitDate: string;
  arrival: string;
  departure: string;
  note: string;
}

export const EMPTY_VISIT_DRAFT: VisitDraft = {
  placeName: "",
  latitude: "",
  longitude: "",
  address: "",
  mode: "date",
  visitDate: "",
  arrival: "",
  departure: "",
  note: "",
};

export type VisitValidation = { visit: NewVisit } | { error: MessageKey };

/** Checks the form and builds the request body, reading the times as Seoul time. */
export function buildVisit(draft: VisitDraft): VisitValidation {
  const placeName = draft.placeName.trim();
  if (placeName === "") return { error: "visit.error.placeName" };

  const visit: NewVisit = { placeName };
  const hasLatitude = draft.latitude.trim() !== "";
  const hasLongitude = draft.longitude.trim() !== "";
  const address = draft.address.trim();
  if (hasLatitude !== hasLongitude || (!hasLatitude && address === "")) {
    return { error: "visit.error.position" };
  }
  if (hasLatitude) {
    const latitude = Number(draft.latitude);
    const longitude = Number(draft.longitude);
    if (!Number.isFinite(latitude) || Math.abs(latitude) > 90) {
      return { error: "visit.error.latitude" };
    }
    if (!Number.isFinite(longitude) || Math.abs(longitude) > 180) {
      return { error: "visit.error.longitude" };
    }
    visit.latitude = latitude;
    visit.longitude = longitude;
  }
  if (address !== "") visit.address = address;

  if (draft.mode === "date") {
    if (draft.visitDate === "") return { error: "visit.error.date" };
    visit.visitDate = draft.visitDate;
  } else {
    const startedAt = seoulLocalToInstant(draft.arrival);
    const endedAt = seoulLocalToInstant(draft.departure);
    if (startedAt === null || endedAt === null)
      return { error: "visit.error.interval" };
    if (Date.parse(endedAt) <= Date.parse(startedAt))
      return { error: "visit.error.order" };
    visit.startedAt = startedAt;
    visit.endedAt = endedAt;
  }

  const note = draft.note.trim();
  if (note !== "") visit.note = note;
  return { visit };
}
