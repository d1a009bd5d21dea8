import type { FeatureCollection, MultiPolygon, Polygon } from "geojson";

/** Shapes of the epitrace HTTP API under /api, as the web app reads them. */

export type Role =
  "administrator" | "investigator" | "police_approver" | "provider" | "auditor";

export const ROLES: readonly Role[] = [
  "administrator",
  "investigator",
  "police_approver",
  "provider",
  "auditor",
];

export type OrganisationKind =
  | "national_agency"
  | "health_office"
  | "police"
  | "telecom_operator"
  | "card_association"
  | "card_company"
  | "audit_office"
  | "system_operator";

export const ORGANISATION_KINDS: readonly OrganisationKind[] = [
  "national_agency",
  "health_office",
  "police",
  "telecom_operator",
  "card_association",
  "card_company",
  "audit_office",
  "system_operator",
];

export interface Organisation {
  id: string;
  name: string;
  kind: OrganisationKind;
  jurisdictionCode: string | null;
}

/** The signed-in user as `GET /api/session` returns it. */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  organisation: Organisation;
  passwordMustChange: boolean;
  /** True when the role works with personal data, so login needs a second factor. */
  secondFactorRequired: boolean;
  secondFactorEnrolled: boolean;
  permissions: string[];
}

/**
 * How far a session got through login. `second_factor` and `enrolment`
 * are half-open: the session may only complete the second factor, enrol,
 * or log out.
 */
export type SessionStage =
  "second_factor" | "password_change" | "enrolment" | "complete";

/** The reply of login and of the second-factor steps; `user` is missing while the session is half-open. */
export interface SessionReply {
  stage: SessionStage;
  user?: Me;
}

export interface SecondFactorStatus {
  stage: SessionStage;
  required: boolean;
  enrolled: boolean;
  recoveryCodesLeft: number;
}

/** A TOTP secret to add to an authenticator app. */
export interface EnrolmentStart {
  /** Base32 secret for typing in. */
  secret: string;
  /** otpauth:// URI of the same secret. */
  uri: string;
}

export interface EnrolmentConfirmation extends SessionReply {
  /** One-time recovery codes, shown this once. */
  recoveryCodes: string[];
}

/** Proof that completes the second factor: a TOTP code or a recovery code. */
export type SecondFactorProof = { code: string } | { recoveryCode: string };

export interface AppConfig {
  /** Style document to use in place of the built-in offline style. */
  mapStyleUrl: string | null;
  version: string;
}

export type CaseStatus = "open" | "closed";

export interface CaseSummary {
  id: string;
  caseNumber: string;
  province: string | null;
  city: string | null;
  status: CaseStatus;
  state: string | null;
  symptomOnsetDate: string | null;
  confirmedDate: string | null;
  visitCount: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Person {
  id: string;
  label: string;
  name: string | null;
  sex: string | null;
  birthYear: number | null;
  country: string | null;
  homeProvince: string | null;
  homeCity: string | null;
}

/** The calendar dates of a case, each `YYYY-MM-DD` in Asia/Seoul or null. */
export interface CaseDates {
  symptomOnsetDate: string | null;
  testDate: string | null;
  confirmedDate: string | null;
  isolationDate: string | null;
  releasedDate: string | null;
  deceasedDate: string | null;
  closedDate: string | null;
}

export const CASE_DATE_FIELDS = [
  "symptomOnsetDate",
  "testDate",
  "confirmedDate",
  "isolationDate",
  "releasedDate",
  "deceasedDate",
  "closedDate",
] as const satisfies readonly (keyof CaseDates)[];

export interface CaseDetail extends CaseDates {
  id: string;
  caseNumber: string;
  person: Person;
  organisation: { id: string; name: string };
  province: string | null;
  city: string | null;
  status: CaseStatus;
  state: string | null;
  infectionCase: string | null;
  infectedBy: string | null;
  contactCount: number | null;
  /** Investigators assigned to the case. */
  investigators?: { id: string; displayName: string }[];
}

export interface CaseSearch {
  q?: string;
  province?: string;
  confirmedFrom?: string;
  confirmedTo?: string;
  status?: CaseStatus;
  sort?: "confirmedDate" | "caseNumber";
  order?: "asc" | "desc";
  page?: number;
  pageSize?: number;
}

export interface NewCase {
  caseNumber: string;
  person: {
    label?: string;
    name?: string;
    sex?: string;
    birthYear?: number;
    country?: string;
    homeProvince?: string;
    homeCity?: string;
  };
  province?: string;
  city?: string;
  symptomOnsetDate?: string;
  testDate?: string;
  confirmedDate?: string;
  isolationDate?: string;
}

export type CaseUpdate = Partial<Omit<CaseDates, "closedDate">> & {
  state?: string | null;
  status?: CaseStatus;
};

export interface MovementArea {
  provinceCode: string | null;
  provinceName: string | null;
  municipalityCode: string | null;
  municipalityName: string | null;
  submunicipalityCode: string | null;
  submunicipalityName: string | null;
}

/** A visit (known to the day or to the minute) or a detected stay. */
export interface Movement {
  id: string;
  type: "visit" | "stay";
  sourceKind: string;
  /** Seoul calendar date of a visit known only to the day. */
  visitDate: string | null;
  /** ISO 8601 instant. */
  startedAt: string | null;
  endedAt: string | null;
  dwellMinutes: number | null;
  latitude: number | null;
  longitude: number | null;
  radiusMeters: number | null;
  placeName: string | null;
  placeTypes: string[];
  address: string | null;
  area: MovementArea | null;
  flags: string[];
}

export interface NewVisit {
  placeName: string;
  latitude?: number;
  longitude?: number;
  address?: string;
  visitDate?: string;
  /** ISO 8601 instant with an explicit offset, such as 2020-02-05T09:10:00+09:00. */
  startedAt?: string;
  endedAt?: string;
  note?: string;
}

export type AreaLevel = "province" | "municipality" | "submunicipality";

export interface AreaProperties {
  code: string;
  name: string;
  nameEng: string | null;
  level: AreaLevel;
}

export type AreaCollection = FeatureCollection<
  Polygon | MultiPolygon,
  AreaProperties
>;

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  organisation: { id: string; name: string };
  disabled: boolean;
  /** Set after too many failed logins, until an administrator unlocks the account. */
  locked?: boolean;
  secondFactorEnrolled?: boolean;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  organisationId: string;
}

export interface NewOrganisation {
  name: string;
  kind: OrganisationKind;
  jurisdictionCode?: string;
}
