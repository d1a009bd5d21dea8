/** How long personal data of a closed case is kept, read from the environment. */
export interface RetentionSettings {
  /** Days after a case closes that its location records (all kinds but card) are kept (`EPITRACE_RETAIN_LOCATION_DAYS`, default 30). */
  locationRecordDays: number;
  /** Days after a case closes that its card transactions are kept (`EPITRACE_RETAIN_CARD_DAYS`, default 30). */
  cardRecordDays: number;
  /** Whether the server purges what is past retention once a day (`EPITRACE_SCHEDULED_PURGE`, default true; `false` turns it off). */
  scheduledPurge: boolean;
  /**
   * Years that audit events are kept at least (`EPITRACE_AUDIT_RETENTION_YEARS`,
   * default 2, never less than 2). No purge deletes an audit event, so
   * events are in fact kept for as long as the store exists.
   */
  auditRetentionYears: number;
}

/** Minimum number of years that audit events are kept, and the default. */
export const MIN_AUDIT_RETENTION_YEARS = 2;

type Environment = Record<string, string | undefined>;

/** Reads the retention settings, rejecting values that are set but invalid. */
export function readRetentionSettings(
  env: Environment = process.env,
): RetentionSettings {
  const scheduled = env.EPITRACE_SCHEDULED_PURGE;
  if (scheduled !== undefined && !["true", "false", ""].includes(scheduled)) {
    throw new Error(
      `Invalid setting EPITRACE_SCHEDULED_PURGE=${JSON.stringify(scheduled)}: expected true or false.`,
    );
  }
  return {
    locationRecordDays: readDays(env, "EPITRACE_RETAIN_LOCATION_DAYS"),
    cardRecordDays: readDays(env, "EPITRACE_RETAIN_CARD_DAYS"),
    scheduledPurge: scheduled !== "false",
    auditRetentionYears: readAuditRetentionYears(env),
  };
}

function readAuditRetentionYears(env: Environment): number {
  const name = "EPITRACE_AUDIT_RETENTION_YEARS";
  const raw = env[name];
  if (raw === undefined || raw === "") {
    return MIN_AUDIT_RETENTION_YEARS;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value > 100) {
    throw new Error(
      `Invalid setting ${name}=${JSON.stringify(raw)}: expected a whole number of years from ${MIN_AUDIT_RETENTION_YEARS} to 100.`,
    );
  }
  if (value < MIN_AUDIT_RETENTION_YEARS) {
    throw new Error(
      `Invalid setting ${name}=${JSON.stringify(raw)}: audit events must be kept at least ${MIN_AUDIT_RETENTION_YEARS} years, so that every access to personal data can still be reviewed. Set ${MIN_AUDIT_RETENTION_YEARS} or more, or leave it unset.`,
    );
  }
  return value;
}

const DEFAULT_RETENTION_DAYS = 30;

function readDays(env: Environment, name: string): number {
  const raw = env[name];
  if (raw === undefined || raw === "") {
    return DEFAULT_RETENTION_DAYS;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 3650) {
    throw new Error(
      `Invalid setting ${name}=${JSON.stringify(raw)}: expected a whole number of days from 0 to 3650.`,
    );
  }
  return value;
}
