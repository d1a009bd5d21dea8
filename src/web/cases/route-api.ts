import { request } from "../api/client.js";

/** A source of a fused stay, as the API names it. */
export type RouteSource =
  "gps" | "base_station" | "card" | "checkin" | "interview" | "disclosed_visit";

/** A timed stay of a case's fused route; instants are ISO 8601 in UTC. */
export interface RouteStay {
  id: string;
  source: RouteSource;
  sources: RouteSource[];
  startedAt: string;
  lastFixAt: string;
  finishedAt: string;
  observedFrom: string;
  observedTo: string;
  timing: "observed" | "estimated";
  latitude: number;
  longitude: number;
  radiusMeters: number;
  placeName: string | null;
  placeLabel: string;
  address: string | null;
  area: string | null;
  confidence: number;
  confidenceLevel: "high" | "medium" | "low";
  conflictsWith: string[];
  memberCount: number;
}

/** A stay of the fused route known only to its Seoul day. */
export interface RouteDateOnlyStay {
  id: string;
  source: RouteSource;
  sources: RouteSource[];
  visitDate: string;
  latitude: number;
  longitude: number;
  radiusMeters: number;
  placeName: string | null;
  placeLabel: string;
  address: string | null;
  area: string | null;
  confidence: number;
  confidenceLevel: "high" | "medium" | "low";
}

/** A move between two consecutive stays. */
export interface RouteMove {
  id: string;
  fromStayId: string;
  toStayId: string;
  startedAt: string;
  endedAt: string;
  distanceMeters: number;
  minimumDistanceMeters: number;
  /** True for a long interval with no record at all: no evidence of travel. */
  noData: boolean;
}

/** One hour of the time-slot view. */
export interface RouteTimeSlot {
  startsAt: string;
  endsAt: string;
  status: "stay" | "move" | "date_only" | "unknown";
  stayId: string | null;
  moveId: string | null;
  sources: RouteSource[];
  placeLabel: string | null;
  confidence: number | null;
  certainMinutes: number;
  possibleMinutes: number;
  candidateCount: number;
}

/** The fused route of a case, as GET /api/cases/:id/route returns it. */
export interface CaseRoute {
  caseId: string;
  stays: RouteStay[];
  dateOnlyStays: RouteDateOnlyStay[];
  moves: RouteMove[];
  excluded: {
    source: RouteSource;
    reason: string;
    recordedAt: string;
    detail: string;
  }[];
  timeSlots: RouteTimeSlot[];
}

/** Fetches the fused route of a case. */
export function fetchCaseRoute(
  caseId: string,
  signal?: AbortSignal,
): Promise<CaseRoute> {
  return request<CaseRoute>(
    "GET",
    `/api/cases/${encodeURIComponent(caseId)}/route`,
    signal === undefined ? {} : { signal },
  );
}

const clockFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Seoul",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** Returns the Seoul wall-clock time `HH:MM` of an ISO instant. */
export function seoulClock(instant: string): string {
  return clockFormat.format(new Date(instant));
}

/**
 * Returns the name of a stay's place: its place name, else its address,
 * else the message that describes its source, in place of the English
 * description that `placeLabel` carries then.
 */
export function placeTitleOf(
  stay: Pick<RouteStay, "placeName" | "address" | "source">,
  label: (prefix: string, value: string) => string,
): string {
  return stay.placeName ?? stay.address ?? label("route.place", stay.source);
}
