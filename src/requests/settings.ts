import type { PendingRequestState } from "./states.js";

/** States whose deadline can be set: the pending request states and a part sent to its provider. */
export type DeadlineState = PendingRequestState | "part_sent";

/** Limits of data requests, read from the environment. */
export interface RequestSettings {
  /**
   * Days before symptom onset (or before confirmation when onset is
   * unknown) at which a request's window may start at the earliest
   * (`EPITRACE_REQUEST_WINDOW_DAYS_BEFORE_ONSET`, default 14). The window
   * ends today at the latest.
   */
  windowDaysBeforeOnset: number;
  /**
   * Hours after entering a state at which the request or part is overdue
   * (`EPITRACE_REQUEST_DEADLINE_HOURS_<STATE>`, such as
   * `EPITRACE_REQUEST_DEADLINE_HOURS_AWAITING_POLICE_APPROVAL`).
   */
  deadlineHours: Record<DeadlineState, number>;
  /** Hours a request may await police approval before it expires (`EPITRACE_REQUEST_APPROVAL_EXPIRY_HOURS`, default 72). */
  approvalExpiryHours: number;
  /** Hours a provider has to answer its part before the part expires (`EPITRACE_REQUEST_ANSWER_EXPIRY_HOURS`, default 168). */
  answerExpiryHours: number;
  /** Largest uploaded file accepted, in bytes (`EPITRACE_PROVIDER_UPLOAD_MAX_MIB`, in MiB, default 64). */
  uploadMaxBytes: number;
  /** Radius of an exposure request's place when the request names none, in metres (`EPITRACE_EXPOSURE_DEFAULT_RADIUS_METERS`, default 100). */
  exposureDefaultRadiusMeters: number;
  /** Minimum presence at the place that an exposure request lists when it names none, in minutes (`EPITRACE_EXPOSURE_MIN_DWELL_MINUTES`, default 30). */
  exposureMinDwellMinutes: number;
  /** Days an answered subscriber list stays readable before it is destroyed (`EPITRACE_EXPOSURE_LIST_RETENTION_DAYS`, default 14). */
  exposureListRetentionDays: number;
}

const DEFAULT_DEADLINE_HOURS: Record<DeadlineState, number> = {
  draft: 72,
  submitted: 1,
  awaiting_police_approval: 8,
  approved: 1,
  sent_to_providers: 48,
  partly_answered: 48,
  part_sent: 48,
};

type Environment = Record<string, string | undefined>;

/** Reads the request settings from `env`, rejecting values that are set but invalid. */
export function readRequestSettings(
  env: Environment = process.env,
): RequestSettings {
  const deadlineHours = { ...DEFAULT_DEADLINE_HOURS };
  for (const state of Object.keys(deadlineHours) as DeadlineState[]) {
    const name = `EPITRACE_REQUEST_DEADLINE_HOURS_${state.toUpperCase()}`;
    deadlineHours[state] = readPositiveInteger(env, name, deadlineHours[state]);
  }

  return {
    windowDaysBeforeOnset: readPositiveInteger(
      env,
      "EPITRACE_REQUEST_WINDOW_DAYS_BEFORE_ONSET",
      14,
    ),
    deadlineHours,
    approvalExpiryHours: readPositiveInteger(
      env,
      "EPITRACE_REQUEST_APPROVAL_EXPIRY_HOURS",
      72,
    ),
    answerExpiryHours: readPositiveInteger(
      env,
      "EPITRACE_REQUEST_ANSWER_EXPIRY_HOURS",
      168,
    ),
    uploadMaxBytes:
      readPositiveInteger(env, "EPITRACE_PROVIDER_UPLOAD_MAX_MIB", 64) *
      1_048_576,
    exposureDefaultRadiusMeters: readPositiveInteger(
      env,
      "EPITRACE_EXPOSURE_DEFAULT_RADIUS_METERS",
      100,
    ),
    exposureMinDwellMinutes: readPositiveInteger(
      env,
      "EPITRACE_EXPOSURE_MIN_DWELL_MINUTES",
      30,
    ),
    exposureListRetentionDays: readPositiveInteger(
      env,
      "EPITRACE_EXPOSURE_LIST_RETENTION_DAYS",
      14,
    ),
  };
}

function readPositiveInteger(
  env: Environment,
  name: string,
  fallback: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === "") {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100_000) {
    throw new Error(
      `Invalid setting ${name}=${JSON.stringify(raw)}: expected a whole number from 1 to 100000.`,
    );
  }
  return value;
}
