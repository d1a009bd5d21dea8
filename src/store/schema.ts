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
  person_card_numbers: PersonCardNumberTable;
  cases: CaseTable;
  case_investigators: CaseInvestigatorTable;
  imports: ImportTable;
  location_records: LocationRecordTable;
  /** View: the rows of `location_records` and the records of every series, read-only. */
  location_records_all: AllLocationRecordView;
  record_series: RecordSeriesTable;
  record_sites: RecordSiteTable;
  /** View: the records of every series, one row per record of `series_blocks`, read-only. */
  series_records: SeriesRecordTable;
  series_blocks: SeriesBlockTable;
  stays: StayTable;
  administrative_areas: AdministrativeAreaTable;
  audit_events: AuditEventTable;
  audit_checkpoints: AuditCheckpointTable;
  data_requests: DataRequestTable;
  data_request_parts: DataRequestPartTable;
  data_request_transitions: DataRequestTransitionTable;
  data_request_uploads: DataRequestUploadTable;
  provider_api_keys: ProviderApiKeyTable;
  recovery_codes: RecoveryCodeTable;
  contact_decisions: ContactDecisionTable;
  notifications: NotificationTable;
  exposure_subscribers: ExposureSubscriberTable;
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
  /**
   * JSON array of the networks (CIDR blocks or addresses) its users may
   * work from; empty means any address.
   */
  allowed_networks: Generated<string>;
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
  /**
   * RFC 6238 TOTP secret, set from the start of enrolment on: the base32
   * secret encrypted with AES-256-GCM under a key derived from the master
   * key, as `<master key id>:<base64>` (see `sealTotpSecret`).
   */
  totp_secret: string | null;
  /** When the user confirmed the TOTP secret with a code, or null while enrolment is pending or never began. */
  totp_enabled_at: EpochMillis | null;
  /** The last TOTP time step a code was accepted for; codes of this step and earlier are rejected. */
  totp_last_used_step: number | null;
}

export interface SessionTable {
  /** SHA-256 of the session token, hex; the token itself is never stored. */
  id: string;
  user_id: string;
  created_at: EpochMillis;
  last_seen_at: EpochMillis;
  expires_at: EpochMillis;
  /** When the session completed the second factor, or null for a session signed in with the password only. */
  second_factor_at: EpochMillis | null;
}

export interface PersonTable {
  id: string;
  /** Reference that names no one, such as "DS4C 1000000013". */
  label: string;
  /** The person's name, encrypted: see `sealField` in src/privacy. */
  name: string | null;
  /** Phone number (digits only), encrypted like `name`. */
  phone_number: string | null;
  /** Keyed hash of the phone number, by which the person is found. */
  phone_number_hash: string | null;
  /** Card number, encrypted like `name`. */
  card_number: string | null;
  /** Keyed hash of the card number, by which the person is found. */
  card_number_hash: string | null;
  /**
   * The case whose data key encrypts the fields above: the person's own
   * case, or the case whose data request brought a subscriber in. Null
   * while the person has no encrypted field.
   */
  key_case_id: string | null;
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

/** A person's full card number beyond the one in `persons.card_number`. */
export interface PersonCardNumberTable {
  id: string;
  person_id: string;
  /** Card number, encrypted like `persons.card_number`, with this row's id as its place. */
  card_number: string;
  /** Keyed hash of the card number, by which the person is found. */
  card_number_hash: string | null;
  /** The case whose data key encrypts `card_number`. */
  key_case_id: string | null;
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
  /** When `epitrace purge` destroyed the case's personal data and data key, or null. */
  purged_at: EpochMillis | null;
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
  /**
   * JSON object of the source fields without a column of their own, such
   * as the cell id, operator, amount or the last digits of a card number.
   */
  details: Generated<string>;
  created_at: EpochMillis;
}

/**
 * A row of the view of all location records. Records of a series have a
 * negative id; see `SERIES_ID_FACTOR`.
 */
export type AllLocationRecordView = Selectable<LocationRecordTable> &
  BlockBounds;

/**
 * The first instant and latest end of the block of a series record, null
 * for other records. A query by time that also bounds these skips whole
 * blocks before it reads their records.
 */
export interface BlockBounds {
  block_started_at: EpochMillis | null;
  block_ended_at: EpochMillis | null;
}

/** The records of one person from one import, kept as narrow rows of `series_records`. */
export interface RecordSeriesTable {
  id: number;
  person_id: string;
  case_id: string | null;
  import_id: string | null;
  source_kind: SourceKind;
  /** Instant of the first record. */
  started_at: EpochMillis;
  /** Latest instant of any record. */
  ended_at: EpochMillis;
  record_count: number;
  /** JSON object of details every record of the series has, added after those of its site, or null. */
  details: string | null;
  /** Id of the first of the series' entries in the `series_space_time` R*Tree. */
  first_segment_id: number | null;
  segment_count: Generated<number>;
  created_at: EpochMillis;
}

/** A place that records of an import name, such as a cell, with every column the records share. */
export interface RecordSiteTable {
  id: number;
  import_id: string | null;
  latitude: number;
  longitude: number;
  radius_meters: number | null;
  altitude_meters: number | null;
  place_name: string | null;
  place_types: string;
  address: string | null;
  province_code: string | null;
  municipality_code: string | null;
  submunicipality_code: string | null;
  note: string | null;
  details: string;
}

/**
 * Up to 1,024 consecutive records of a series as a JSON array, which the
 * view `series_records` shows one row per record.
 */
export interface SeriesBlockTable {
  series_id: number;
  /** `seq` of the first record of the block. */
  first_seq: number;
  record_count: number;
  /** Instant of the first record; the records' instants and ends are milliseconds after it. */
  first_instant: EpochMillis;
  /** Latest end of any record of the block. */
  last_instant: EpochMillis;
  /** JSON array of records, each `[instant offset, site, source row, flag list index, end offset, source rows]` without the trailing members that do not apply. */
  records: string;
  /** JSON array of the distinct flag lists that records name by index, or null. */
  flag_lists: string | null;
}

/** One record of a series. */
export interface SeriesRecordTable extends BlockBounds {
  series_id: number;
  /** Position of the record in its series, from 0. */
  seq: number;
  instant: EpochMillis;
  /** End of the record, or null when it equals the instant. */
  ended_at: EpochMillis | null;
  site_id: number;
  /** First source row. */
  source_row: number;
  /** JSON array of the source rows when several rows were merged, else null. */
  source_rows: string | null;
  /** JSON array of flags, or null for none. */
  flags: string | null;
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

/** Kinds of data a request can ask a provider for, each also a SourceKind. */
export type DataKind = "base_station" | "card" | "checkin" | "gps";

export type DataRequestState =
  | "draft"
  | "submitted"
  | "awaiting_police_approval"
  | "approved"
  | "rejected"
  | "sent_to_providers"
  | "partly_answered"
  | "answered"
  | "failed"
  | "expired"
  | "withdrawn";

export type DataRequestPartState =
  "sent" | "forwarded" | "answered" | "failed" | "expired" | "withdrawn";

export type DataRequestUploadState =
  "received" | "accepted" | "withdrawn" | "rejected";

/**
 * A request of an investigator for one person's data over a time window,
 * under one legal basis. Parts per provider organisation exist once the
 * request is sent to providers.
 *
 * phone_number and card_holder are encrypted under the data key of the
 * case (see `sealField` in src/privacy) and found by their keyed hashes.
 */
export interface DataRequestTable {
  id: string;
  case_id: string;
  /** The case's person, whose data is requested. */
  person_id: string;
  /** The requesting organisation: the investigator's health office or the national agency. */
  organisation_id: string;
  requested_by_user_id: string;
  /** Digits only before encryption, such as 01012345678, for base-station, GPS and check-in data. */
  phone_number: string | null;
  /** The card association's reference for the card holder, for card data, encrypted. */
  card_holder: string | null;
  /** Keyed hash of the phone number. */
  phone_number_hash: string | null;
  /** Keyed hash of the card holder reference. */
  card_holder_hash: string | null;
  /** JSON array of DataKind. */
  data_kinds: string;
  /** JSON array of the ids of the organisations the request goes to. */
  provider_organisation_ids: string;
  /** First Seoul day of the window, inclusive. */
  window_start_date: string;
  /** Last Seoul day of the window, inclusive. */
  window_end_date: string;
  purpose: string;
  /** Article of the Infectious Disease Control and Prevention Act, such as `76-2(2)`. */
  legal_basis: string;
  state: DataRequestState;
  state_entered_at: EpochMillis;
  /** When the current state is overdue, or null while nothing is pending. */
  deadline_at: EpochMillis | null;
  /** When a request awaiting police approval expires, or null in other states. */
  expires_at: EpochMillis | null;
  submitted_at: EpochMillis | null;
  /** When the records of the first upload were stored in the person's route, or null. */
  first_answer_at: EpochMillis | null;
  /** When the request last became `answered` with every answer in the route, or null while it is not answered. */
  answered_at: EpochMillis | null;
  /**
   * For an exposure request, JSON object of the place: `latitude`,
   * `longitude` (WGS 84), `radiusMeters` and `minDwellMinutes`. Null for a
   * request about the case's own person.
   */
  exposure_place: string | null;
  created_at: EpochMillis;
  updated_at: EpochMillis;
}

/** The share of a request addressed to one provider organisation. */
export interface DataRequestPartTable {
  id: string;
  request_id: string;
  provider_organisation_id: string;
  /** The card association's part this card company part was forwarded from. */
  forwarded_from_part_id: string | null;
  /** JSON array of the DataKind values this provider is asked for. */
  data_kinds: string;
  state: DataRequestPartState;
  state_entered_at: EpochMillis;
  deadline_at: EpochMillis | null;
  /** When a part still in `sent` expires, after which its provider can no longer answer. */
  expires_at: EpochMillis | null;
  first_pulled_at: EpochMillis | null;
  created_at: EpochMillis;
  updated_at: EpochMillis;
}

/** One change of state of a request (part_id null) or of one of its parts. */
export interface DataRequestTransitionTable {
  id: Generated<number>;
  request_id: string;
  part_id: string | null;
  /** Null for the creation of the request or part. */
  from_state: string | null;
  to_state: string;
  actor_user_id: string | null;
  /** Username, `provider-key:<id>` or `system`. */
  actor_name: string;
  actor_organisation_id: string | null;
  reason: string | null;
  occurred_at: EpochMillis;
}

/** A file a provider uploaded as its answer to one data kind of a part. */
export interface DataRequestUploadTable {
  id: string;
  request_id: string;
  part_id: string;
  provider_organisation_id: string;
  data_kind: DataKind;
  /** SHA-256 of the file as uploaded, hex. */
  sha256: string;
  size_bytes: number;
  record_count: number;
  /** File name of the stored upload inside the uploads folder of the data folder. */
  stored_file: string;
  /** The import that stored its location records, or null when none were stored. */
  import_id: string | null;
  state: DataRequestUploadState;
  received_at: EpochMillis;
  /** The API key the file was sent with, or null for a file uploaded by hand in the web inbox. */
  received_with_key_id: string | null;
  /** The user who uploaded the file by hand, or null for a file sent with an API key. */
  received_by_user_id: string | null;
  decided_at: EpochMillis | null;
  /** User id of the investigator, or `provider-key:<id>` for a withdrawal. */
  decided_by: string | null;
  decision_reason: string | null;
}

/** An API key of a provider organisation; the key itself is never stored. */
export interface ProviderApiKeyTable {
  id: string;
  organisation_id: string;
  name: string;
  /** First characters of the key, so that people can tell keys apart. */
  key_prefix: string;
  /** SHA-256 of the key, hex. */
  key_hash: string;
  created_by_user_id: string;
  created_at: EpochMillis;
  expires_at: EpochMillis;
  revoked_at: EpochMillis | null;
  revoked_by_user_id: string | null;
  last_used_at: EpochMillis | null;
  /** SHA-256 of the client certificate the key must come with, lowercase hex, or null for none. */
  client_cert_sha256: string | null;
}

/** A one-time recovery code of the second factor; only its hash is stored. */
export interface RecoveryCodeTable {
  user_id: string;
  /** SHA-256 of the normalised code, hex. */
  code_hash: string;
  created_at: EpochMillis;
  used_at: EpochMillis | null;
}

export type ContactDecisionKind = "confirmed" | "dismissed";

/**
 * An investigator's decision on one person found as a contact of a case.
 * Rows are only added: the latest row of a case and person is the current
 * decision, and the earlier ones are its history.
 */
export interface ContactDecisionTable {
  id: Generated<number>;
  case_id: string;
  /** The contact's person. */
  person_id: string;
  decision: ContactDecisionKind;
  /** The investigator's reason for the decision, as entered. */
  reason: string;
  decided_by_user_id: string;
  decided_at: EpochMillis;
}

/**
 * A subscriber that a telecom operator listed as present at the place of
 * an exposure request. Unlinked rows are deleted at `expires_at`; linked
 * rows lose their phone number then, which their person keeps.
 */
export interface ExposureSubscriberTable {
  id: string;
  request_id: string;
  part_id: string;
  upload_id: string;
  /** Digits only, encrypted under the data key of the request's case; null once the list expired. */
  phone_number: string | null;
  first_seen_at: EpochMillis;
  last_seen_at: EpochMillis;
  expires_at: EpochMillis;
  /** The person the investigator linked the subscriber to, or null. */
  linked_person_id: string | null;
  linked_at: EpochMillis | null;
  created_at: EpochMillis;
}

/** Kinds of notification shown in the web app. */
export type NotificationKind =
  "request.answer_received" | "request.part_declined" | "request.answered";

/** A message in the web app to one user, such as an answer that reached a case. */
export interface NotificationTable {
  id: string;
  recipient_user_id: string;
  /** The recipient's organisation when the notification was written. */
  organisation_id: string;
  kind: NotificationKind;
  /** The data request it is about, or null. */
  request_id: string | null;
  /** JSON object of ids and counts, never personal data. */
  detail: string;
  created_at: EpochMillis;
  read_at: EpochMillis | null;
}

export type Organisation = Selectable<OrganisationTable>;
export type User = Selectable<UserTable>;
export type Person = Selectable<PersonTable>;
export type PersonCardNumber = Selectable<PersonCardNumberTable>;
export type Case = Selectable<CaseTable>;
export type LocationRecord = Selectable<LocationRecordTable>;
export type NewLocationRecord = Insertable<LocationRecordTable>;
export type Stay = Selectable<StayTable>;
export type NewStay = Insertable<StayTable>;
export type AdministrativeArea = Selectable<AdministrativeAreaTable>;
export type AuditEvent = Selectable<AuditEventTable>;
export type DataRequest = Selectable<DataRequestTable>;
export type DataRequestPart = Selectable<DataRequestPartTable>;
export type DataRequestTransition = Selectable<DataRequestTransitionTable>;
export type DataRequestUpload = Selectable<DataRequestUploadTable>;
export type ProviderApiKey = Selectable<ProviderApiKeyTable>;
export type ContactDecision = Selectable<ContactDecisionTable>;
export type Notification = Selectable<NotificationTable>;
export type ExposureSubscriber = Selectable<ExposureSubscriberTable>;
