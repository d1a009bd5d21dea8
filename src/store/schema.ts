import type { Generated, Insertable, Selectable } from "kysely";

/**
 * Tables of the store, as Kysely sees them. Every instant is an integer
 * number of milliseconds since the Unix epoch (UTC), so both dialects store
 * and compare them the same way; calendar dates are `YYYY-MM-DD` text and
 * always mean a calendar day in Asia/Seoul.
 */
export interface Database {
  organisations: OrganisationTable;
  users: UserTable;
  sessions: SessionTable;
  persons: PersonTable;
  cases: CaseTable;
  case_investigators: CaseInvestigatorTable;
  imports: ImportTable;
  location_records: LocationRecordTable;
  stays: StayTable;
  administrative_areas: AdministrativeAreaTable;
  audit_events: AuditEventTable;
  audit_checkpoints: AuditCheckpointTable;
}

/** Instant in milliseconds since the Unix epoch. */
export type EpochMillis = number;

export type OrganisationKind =
  | "national_agency"
  | "health_office"
  | "police"
  | "telecom_operator"
  | "card_association"
  | "card_company"
  | "audit_office"
  | "system_operator";

export interface OrganisationTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  /** KOSTAT code of the province or si/gun/gu the organisation covers. */
  jurisdiction_code: string | null;
  created_at: EpochMillis;
}

export type Role =
  "administrator" | "investigator" | "police_approver" | "provider" | "auditor";

export interface UserTable {
  id: string;
  organisation_id: string;
  username: string;
  display_name: string;
  role: Role;
  /** argon2id hash in PHC string form. */
  password_hash: string;
  /** 1 while the password is a one-time password set by someone else. */
  password_must_change: number;
  disabled_at: EpochMillis | null;
  created_at: EpochMillis;
  last_login_at: EpochMillis | null;
  /** Failed logins in a row since the last successful one. */
  failed_login_count: number;
  /** Set when too many failed logins locked the account; an administrator unlocks it. */
  locked_at: EpochMillis | null;
}

export interface SessionTable {
  /** SHA-256 of the session token, hex; the token itself is never stored. */
  id: string;
  user_id: string;
  created_at: EpochMillis;
  last_seen_at: EpochMillis;
  expires_at: EpochMillis;
}

export interface PersonTable {
  id: string;
  /** Reference that names no one, such as "DS4C 1000000013". */
  label: string;
  name: string | null;
  sex: string | null;
  birth_year: number | null;
  country: string | null;
  home_province: string | null;
  home_city: string | null;
  /** Where the person came from: ds4c, geolife, manual. */
  source: string;
  /** The person's id in that source, unique per source. */
  source_ref: string;
  created_at: EpochMillis;
}

export type CaseStatus = "open" | "closed";

export interface CaseTable {
  id: string;
  case_number: string;
  person_id: string;
  /** The health office that registered the case: its jurisdiction. */
  organisation_id: string;
  province: string | null;
  city: string | null;
  symptom_onset_date: string | null;
  test_date: string | null;
  confirmed_date: string | null;
  isolation_date: string | null;
  released_date: string | null;
  deceased_date: string | null;
  closed_date: string | null;
  status: CaseStatus;
  /** Clinical state as reported: isolated, released, deceased. */
  state: string | null;
  infection_case: string | null;
  /** Case number of the infector as reported in the interview. */
  infected_by: string | null;
  contact_count: number | null;
  created_at: EpochMillis;
  updated_at: EpochMillis;
}

export interface CaseInvestigatorTable {
  case_id: string;
  user_id: string;
  assigned_at: EpochMillis;
}

export interface ImportTable {
  id: string;
  kind: string;
  source_name: string;
  /** SHA-256 of the imported files, hex, so a repeated import is found. */
  sha256: string;
  actor: string;
  started_at: EpochMillis;
  finished_at: EpochMillis;
  rows_read: number;
  rows_imported: number;
  /** The import report as JSON. */
  report: string;
}

export type SourceKind =
  "gps" | "disclosed_visit" | "interview" | "base_station" | "card" | "checkin";

/**
 * One observation of where a person was: a position fix (startedAt equals
 * endedAt), an interval, or a visit known only to the day (visit_date set,
 * both instants null).
 */
export interface LocationRecordTable {
  id: Generated<number>;
  person_id: string;
  case_id: string | null;
  source_kind: SourceKind;
  import_id: string | null;
  started_at: EpochMillis | null;
  ended_at: EpochMillis | null;
  visit_date: string | null;
  /** Null for an interview entry known only by its address. */
  latitude: number | null;
  longitude: number | null;
  radius_meters: number | null;
  altitude_meters: number | null;
  place_name: string | null;
  /** JSON array of place types, such as ["hospital","etc"]. */
  place_types: string;
  address: string | null;
  province: string | null;
  city: string | null;
  province_code: string | null;
  municipality_code: string | null;
  submunicipality_code: string | null;
  /** JSON array of flags, such as ["after_confirmation"]. */
  flags: string;
  /** JSON array of the 1-based source rows merged into this record. */
  source_rows: string;
  note: string | null;
  created_at: EpochMillis;
}

export interface StayTable {
  id: Generated<number>;
  person_id: string;
  source_kind: SourceKind;
  /** Detection method and its parameters, as JSON. */
  method: string;
  started_at: EpochMillis;
  finished_at: EpochMillis;
  last_fix_at: EpochMillis;
  latitude: number;
  longitude: number;
  radius_meters: number;
  fix_count: number;
  province_code: string | null;
  municipality_code: string | null;
  submunicipality_code: string | null;
  created_at: EpochMillis;
}

export type AreaLevel = "province" | "municipality" | "submunicipality";

export interface AdministrativeAreaTable {
  /** KOSTAT census code: 2 digits a province, 5 a si/gun/gu, 7 an eup/myeon/dong. */
  code: string;
  level: AreaLevel;
  name: string;
  name_eng: string | null;
  parent_code: string | null;
  base_year: string | null;
  min_longitude: number;
  min_latitude: number;
  max_longitude: number;
  max_latitude: number;
  /** GeoJSON Polygon or MultiPolygon, WGS 84. */
  geometry: string;
}

export type AuditResult = "allowed" | "denied" | "succeeded" | "failed";

export interface AuditEventTable {
  id: Generated<number>;
  occurred_at: EpochMillis;
  actor_user_id: string | null;
  actor_username: string | null;
  actor_role: string | null;
  organisation_id: string | null;
  source_address: string | null;
  action: string;
  case_id: string | null;
  person_id: string | null;
  purpose: string | null;
  result: AuditResult;
  /** JSON object with ids and counts; never personal data. */
  detail: string;
  previous_hash: string;
  hash: string;
}

/** A signed statement that the audit log ran up to an event with a given hash. */
export interface AuditCheckpointTable {
  id: Generated<number>;
  audit_event_id: number;
  event_hash: string;
  created_at: EpochMillis;
  /** Ed25519 public key, SPKI DER in base64, that verifies the signature. */
  public_key: string;
  /** Ed25519 signature, base64, over the checkpoint's statement. */
  signature: string;
}

export type Organisation = Selectable<OrganisationTable>;
export type User = Selectable<UserTable>;
export type Person = Selectable<PersonTable>;
export type Case = Selectable<CaseTable>;
export type LocationRecord = Selectable<LocationRecordTable>;
export type NewLocationRecord = Insertable<LocationRecordTable>;
export type Stay = Selectable<StayTable>;
export type NewStay = Insertable<StayTable>;
export type AdministrativeArea = Selectable<AdministrativeAreaTable>;
export type AuditEvent = Selectable<AuditEventTable>;
