/** Shapes of the audit API under /api/audit, as the auditors' pages read them. */

export type AuditResult = "allowed" | "denied" | "succeeded" | "failed";

export const AUDIT_RESULTS: readonly AuditResult[] = [
  "allowed",
  "denied",
  "succeeded",
  "failed",
];

/** The account that acted, as the audit event recorded it. */
export interface AuditAccount {
  userId: string | null;
  username: string | null;
  role: string | null;
  organisation: { id: string; name: string | null; kind: string | null } | null;
}

/** A person by id and by the label that names no one. */
export interface AuditPerson {
  id: string;
  label: string | null;
}

export interface AuditEvent {
  id: number;
  /** ISO 8601 instant. */
  occurredAt: string;
  account: AuditAccount;
  sourceAddress: string | null;
  action: string;
  result: AuditResult;
  person: AuditPerson | null;
  case: { id: string; caseNumber: string | null } | null;
  purpose: string | null;
  detail: Record<string, unknown>;
}

export interface AuditEventPage {
  items: AuditEvent[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PersonHistory extends AuditEventPage {
  person: AuditPerson;
}

export interface AuditSearch {
  actor?: string;
  action?: string;
  personId?: string;
  caseId?: string;
  result?: AuditResult;
  /** Seoul calendar days, `YYYY-MM-DD`, both included. */
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

/** A group of events of one account between two instants (ISO 8601). */
interface EventSpan {
  account: AuditAccount;
  events: number;
  firstAt: string;
  lastAt: string;
}

export interface BulkView extends EventSpan {
  date: string;
  distinctPersons: number;
}

export interface OutsideHoursAccess extends EventSpan {
  date: string;
  weekend: boolean;
  distinctPersons: number;
}

export interface ForeignCaseAccess extends EventSpan {
  result: "allowed" | "denied";
  case: {
    id: string;
    caseNumber: string;
    organisation: { id: string; name: string | null };
  };
  person: AuditPerson;
}

export interface ExportEvent extends AuditEvent {
  reasonMissing: boolean;
}

export interface FailedLogins extends EventSpan {
  failures: number;
  reasons: Record<string, number>;
  locks: number;
  sourceAddresses: string[];
}

export interface MonthlyReview {
  month: string;
  timeZone: string;
  startsAt: string;
  endsAt: string;
  settings: {
    bulkPersonsPerDay: number;
    workdayStart: string;
    workdayEnd: string;
    weekendDays: string[];
  };
  eventCount: number;
  bulkViews: BulkView[];
  outsideHours: { events: number; items: OutsideHoursAccess[] };
  foreignCases: { denied: number; allowed: number; items: ForeignCaseAccess[] };
  exports: { missingReason: number; items: ExportEvent[] };
  failedLogins: { failures: number; locks: number; items: FailedLogins[] };
}
