import path from "node:path";

/** Settings of one epitrace process, read from the environment. */
export interface Settings {
  /** Folder of the embedded store and of files epitrace keeps (`EPITRACE_DATA_DIR`, default `./var`). */
  dataDir: string;
  /** Address the server listens on (`HOST`, default 127.0.0.1). */
  host: string;
  /** Port the server listens on (`PORT`, default 8080). */
  port: number;
  /** pino level (`EPITRACE_LOG_LEVEL`, default info). */
  logLevel: string;
  /** Idle time after which a session ends (`EPITRACE_SESSION_IDLE_MINUTES`, default 30). */
  sessionIdleMinutes: number;
  /** Time after login at which a session ends regardless (`EPITRACE_SESSION_MAX_HOURS`, default 12). */
  sessionMaxHours: number;
  /** Style URL of a self-hosted tile server for the map (`EPITRACE_MAP_STYLE_URL`); unset means the offline base layers only. */
  mapStyleUrl: string | null;
  /** Failed logins in a row that lock an account (`EPITRACE_LOGIN_MAX_FAILURES`, default 5). */
  loginMaxFailures: number;
  /** Login attempts allowed per source address and minute (`EPITRACE_LOGIN_RATE_PER_MINUTE`, default 20). */
  loginAttemptsPerMinute: number;
  /** Provider API requests allowed per API key and minute (`EPITRACE_PROVIDER_RATE_PER_MINUTE`, default 120). */
  providerRequestsPerMinute: number;
  /** Minutes between signed audit checkpoints (`EPITRACE_AUDIT_CHECKPOINT_MINUTES`, default 10). */
  auditCheckpointMinutes: number;
  /** Mark cookies Secure (`EPITRACE_SECURE_COOKIES`, default false, set it behind TLS). */
  secureCookies: boolean;
}

type Environment = Record<string, string | undefined>;

/** Reads settings from `env`, rejecting values that are set but invalid. */
export function readSettings(env: Environment = process.env): Settings {
  return {
    dataDir: path.resolve(env.EPITRACE_DATA_DIR ?? "var"),
    host: env.HOST ?? "127.0.0.1",
    port: readInteger(env, "PORT", 8080, { min: 0, max: 65_535 }),
    logLevel: env.EPITRACE_LOG_LEVEL ?? "info",
    sessionIdleMinutes: readInteger(env, "EPITRACE_SESSION_IDLE_MINUTES", 30),
    sessionMaxHours: readInteger(env, "EPITRACE_SESSION_MAX_HOURS", 12),
    mapStyleUrl: env.EPITRACE_MAP_STYLE_URL || null,
    secureCookies: env.EPITRACE_SECURE_COOKIES === "true",
    loginMaxFailures: readInteger(env, "EPITRACE_LOGIN_MAX_FAILURES", 5),
    loginAttemptsPerMinute: readInteger(
      env,
      "EPITRACE_LOGIN_RATE_PER_MINUTE",
      20,
    ),
    providerRequestsPerMinute: readInteger(
      env,
      "EPITRACE_PROVIDER_RATE_PER_MINUTE",
      120,
    ),
    auditCheckpointMinutes: readInteger(
      env,
      "EPITRACE_AUDIT_CHECKPOINT_MINUTES",
      10,
    ),
  };
}

function readInteger(
  env: Environment,
  name: string,
  fallback: number,
  bounds: { min: number; max: number } = { min: 1, max: 1_000_000 },
): number {
  const raw = env[name];
  if (raw === undefined || raw === "") {
    return fallback;
  }

  const value = Number(raw);
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new Error(
      `Invalid setting ${name}=${JSON.stringify(raw)}: expected a whole number from ${bounds.min} to ${bounds.max}.`,
    );
  }
  return value;
}
