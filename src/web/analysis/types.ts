/** Shapes of the analysis endpoints under /api, as the web app reads them. Instants are ISO 8601. */

import type { MultiPolygon, Polygon } from "geojson";

export interface StayRef {
  id: string;
  source: string;
  startedAt: string | null;
  lastFixAt: string | null;
  finishedAt: string | null;
  /** Seoul date of a stay known only to the day. */
  visitDate: string | null;
  latitude: number;
  longitude: number;
  radiusMeters: number;
}

/** A person named by an analysis: a label, and a case link inside the jurisdiction. */
export interface PersonRef {
  id: string;
  label: string;
  inJurisdiction: boolean;
  case: { id: string; caseNumber: string } | null;
}

export type ContactDecisionKind = "confirmed" | "dismissed";

export interface ContactDecision {
  id: number;
  caseId: string;
  personId: string;
  decision: ContactDecisionKind;
  reason: string;
  decidedBy: { id: string; displayName: string };
  decidedAt: string;
}

export interface ContactPair {
  caseStay: StayRef;
  /** Null for a contact outside the jurisdiction. */
  contactStay: StayRef | null;
  distanceMeters: number;
  proximityWeight: number;
  certainMinutes: number;
  possibleMinutes: number;
  overlapStartsAt: string;
  overlapEndsAt: string;
}

export interface DayLevelPair {
  date: string;
  distanceMeters: number;
  caseStay: StayRef;
  contactStay: StayRef | null;
}

export type ContactGroup = "contact" | "possible" | "day_level";

export interface CaseContact {
  person: PersonRef;
  group: ContactGroup;
  certainMinutes: number | null;
  possibleMinutes: number | null;
  score: number | null;
  possibleScore: number | null;
  firstOverlapAt: string | null;
  lastOverlapAt: string | null;
  dates: string[];
  sources: string[] | null;
  pairs: ContactPair[];
  dayLevelPairs: DayLevelPair[];
  decision: ContactDecision | null;
}

export interface InfectiousPeriod {
  startsAt: string;
  endsAt: string;
  referenceDate: string;
  anchor: "symptom_onset" | "test" | "confirmation" | "set_period";
  isSetByCaller: boolean;
}

export interface CaseContacts {
  caseId: string;
  infectiousPeriod: InfectiousPeriod;
  contactDistanceMeters: number;
  minimumMinutes: number;
  defaultRadiusMeters: number;
  caseStays: StayRef[];
  searchedStayCount: number;
  contacts: CaseContact[];
  possibleContacts: CaseContact[];
  dayLevelContacts: CaseContact[];
  belowMinimumCount: number;
}

export interface ContactSearch {
  from?: string;
  to?: string;
  contactDistanceMeters?: number;
  minimumMinutes?: number;
}

export type HotspotMethod = "gi-star" | "co-location";

/** Spatial unit of Gi* and of the scan: H3 cells or stored administrative areas. */
export type HotspotUnit = "h3" | "area";

export type HotspotAreaLevel = "municipality" | "submunicipality";

/** Gi* of one administrative area. */
export interface HotspotArea {
  code: string;
  name: string;
  level: HotspotAreaLevel;
  latitude: number;
  longitude: number;
  geometry: Polygon | MultiPolygon;
  caseCount: number;
  stayCount: number;
  neighborCount: number;
  zScore: number;
  pValue: number;
  qValue: number;
}

export interface HotspotCell {
  cell: string;
  latitude: number;
  longitude: number;
  /** [longitude, latitude] positions, closed. */
  boundary: [number, number][];
  caseCount: number;
  stayCount: number;
  zScore: number;
  pValue: number;
  qValue: number;
}

export interface CoLocationPlace {
  latitude: number;
  longitude: number;
  radiusMeters: number;
  personCount: number;
  caseCount: number;
  caseStayCount: number;
  firstOverlapAt: string | null;
  lastOverlapAt: string | null;
  dayLevelDates: string[];
}

export interface Hotspots {
  method: HotspotMethod;
  from: string | null;
  to: string | null;
  dataRange: { firstDate: string; lastDate: string } | null;
  resolution: number;
  unit: HotspotUnit;
  areaLevel: HotspotAreaLevel | null;
  caseCount: number;
  stayCount: number;
  cells: HotspotCell[];
  studyCellCount: number;
  areas: HotspotArea[];
  studyAreaCount: number;
  staysOutsideAreas: number;
  places: CoLocationPlace[];
  casesWithoutPeriod: number;
  total: number;
}

export interface HotspotSearch {
  method: HotspotMethod;
  from?: string;
  to?: string;
  resolution?: number;
  unit?: HotspotUnit;
  areaLevel?: HotspotAreaLevel;
}

/** A location of a scan cluster: an H3 cell, or an area with its name. */
export interface ScanClusterLocation {
  id: string;
  name: string | null;
  latitude: number;
  longitude: number;
}

export interface ScanCluster {
  /** 1 for the most likely cluster. */
  rank: number;
  center: ScanClusterLocation;
  locations: ScanClusterLocation[];
  radiusKm: number;
  from: string;
  to: string;
  observed: number;
  expected: number;
  relativeRisk: number | null;
  logLikelihoodRatio: number;
  pValue: number;
}

/** Result of the space-time scan on the store. */
export interface SpaceTimeClusters {
  from: string | null;
  to: string | null;
  dataRange: { firstDate: string; lastDate: string } | null;
  unit: HotspotUnit;
  resolution: number;
  areaLevel: HotspotAreaLevel | null;
  analysis: "retrospective" | "prospective";
  maxRadiusKm: number;
  maxDays: number;
  replications: number;
  caseCount: number;
  totalCases: number;
  locationCount: number;
  clusters: ScanCluster[];
  total: number;
}

export interface ScanSearch {
  from?: string;
  to?: string;
  unit?: HotspotUnit;
  resolution?: number;
  areaLevel?: HotspotAreaLevel;
  analysis?: "retrospective" | "prospective";
}

export interface ExposureQuery {
  /** Centre of a circular place, with `longitude`; left out for a polygon. */
  latitude?: number;
  longitude?: number;
  radiusMeters?: number;
  /** A GeoJSON Polygon place, in place of the circle. */
  polygon?: Polygon;
  /** ISO 8601 instants with offset, for one window. */
  from?: string;
  to?: string;
  /** Several windows, in place of `from` and `to`. */
  windows?: { from: string; to: string }[];
  minDwellMinutes?: number;
}

export interface LooserSetting {
  radiusMeters: number | null;
  minimumDwellMinutes: number;
  personCount: number;
  addedCount: number;
}

export interface ExposureResult {
  /** Centre and radius of a circle; null for a polygon. */
  latitude: number | null;
  longitude: number | null;
  radiusMeters: number | null;
  polygon: Polygon | null;
  /** First start and last end of the windows. */
  from: string;
  to: string;
  windows: { from: string; to: string }[];
  minimumDwellMinutes: number;
  persons: {
    person: PersonRef;
    minutes: number;
    possibleMinutes: number;
    firstSeenAt: string;
    lastSeenAt: string;
    stayCount: number;
  }[];
  dayLevelPersons: { person: PersonRef; dates: string[] }[];
  looserSettings: LooserSetting[];
  total: number;
}

export interface LinkCase {
  caseId: string;
  caseNumber: string;
  province: string | null;
  symptomOnsetDate: string | null;
  confirmedDate: string | null;
  hasStays: boolean;
}

export interface KnownLink {
  infecteeCaseId: string;
  reportedInfector: string;
  infectorCaseId: string | null;
  bothHaveStays: boolean;
  found: boolean;
  foundReversed: boolean;
}

export interface CandidateLink {
  infectorCaseId: string;
  infecteeCaseId: string;
  group: ContactGroup;
  score: number | null;
  certainMinutes: number | null;
  dates: string[];
  known: boolean;
}

export interface LinkSummary {
  caseCount: number;
  casesWithStays: number;
  casesWithoutPeriod: number;
  knownLinkCount: number;
  knownLinksWithStays: number;
  knownLinksFound: number;
  knownLinksFoundEitherDirection: number;
  candidateLinkCount: number;
  candidatePairCount: number;
  candidatePairsNotKnown: number;
}

export interface TransmissionLinks {
  province: string | null;
  cases: LinkCase[];
  knownLinks: KnownLink[];
  candidateLinks: CandidateLink[];
  summary: LinkSummary;
  total: number;
}
