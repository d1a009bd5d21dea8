import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import {
  createUser,
  deriveTotpSecretKey,
  generateTotpSecret,
  sealTotpSecret,
  setPassword,
  TOTP_STEP_SECONDS,
  totpCode,
  totpStepAt,
} from "../../src/accounts/index.js";
import { ensureProvinceHealthOffice } from "../../src/accounts/organisations.js";
import { readSettings, type Settings } from "../../src/config/settings.js";
import { loadMasterKey, masterKeySource } from "../../src/crypto/index.js";
import {
  createLogger,
  startSystem,
  type RunningSystem,
} from "../../src/server/index.js";
import type { Role, User } from "../../src/store/index.js";

/** Root of the repository, for paths to the shared data beside it. */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

/** Folder of the real public data sets the tests run on. */
export const SHARED_DATA = path.resolve(REPO_ROOT, "../shared/data");

/** Password every account made by the test factories gets. */
export const TEST_PASSWORD = "Correct-horse-battery-9";

/** Starts the whole system on a fresh data folder and a free loopback port. */
export async function startTestSystem(
  overrides: Partial<Settings> = {},
): Promise<RunningSystem & { dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-test-"));
  const settings = {
    ...readSettings({}),
    dataDir,
    host: "127.0.0.1",
    port: 0,
    ...overrides,
  };
  const system = await startSystem({
    settings,
    logger: createLogger("silent"),
  });

  return {
    ...system,
    dataDir,
    close: async () => {
      await system.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Creates an account with a known password in the health office of a
 * province (KOSTAT code, such as "11" for Seoul), enrols a TOTP second
 * factor whose secret is recorded for `signIn`, and returns the username.
 */
export async function createOfficeUser(
  system: RunningSystem,
  provinceCode: string,
  username: string,
  role: Role = "investigator",
): Promise<string> {
  const office = await ensureProvinceHealthOffice(
    system.store.db,
    provinceCode,
  );
  await createAccount(system, { organisationId: office.id, username, role });
  return username;
}

export interface AccountRequest {
  organisationId: string;
  username: string;
  role: Role;
  /** Whether to enrol a TOTP second factor (default true). False leaves enrolment to the first login. */
  enrolSecondFactor?: boolean;
}

/**
 * Creates an account with TEST_PASSWORD in any organisation and, unless
 * `enrolSecondFactor` is false, enrols a TOTP secret recorded for `signIn`.
 */
export async function createAccount(
  system: RunningSystem,
  request: AccountRequest,
): Promise<User> {
  const { db } = system.store;
  const { user } = await createUser(db, {
    username: request.username,
    displayName: request.username,
    role: request.role,
    organisationId: request.organisationId,
  });
  await setPassword(db, user.id, TEST_PASSWORD);

  if (request.enrolSecondFactor !== false) {
    const secret = generateTotpSecret();
    // The server derives the same key from the master key of its data folder.
    const secretKey = deriveTotpSecretKey(
      loadMasterKey(masterKeySource(system.app.services.settings.dataDir)),
    );
    await db
      .updateTable("users")
      .set({
        totp_secret: sealTotpSecret(secretKey, user.id, secret),
        totp_enabled_at: Date.now(),
      })
      .where("id", "=", user.id)
      .execute();
    rememberTotpSecret(system, request.username, secret);
  }
  return db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", user.id)
    .executeTakeFirstOrThrow();
}

/** TOTP secrets recorded by the tests, by server URL and username. */
const totpSecrets = new Map<string, string>();

/** The last time step each secret gave a code for, because the server accepts every step once. */
const lastUsedSteps = new Map<string, number>();

/** Records the TOTP secret of an account, so that `signIn` can complete its second factor. */
export function rememberTotpSecret(
  system: RunningSystem,
  username: string,
  secret: string,
): void {
  totpSecrets.set(`${system.url} ${username}`, secret);
}

/** Returns the TOTP secret recorded for an account, or undefined. */
export function totpSecretOf(
  system: RunningSystem,
  username: string,
): string | undefined {
  return totpSecrets.get(`${system.url} ${username}`);
}

/**
 * Returns a code of the secret for a time step that no earlier call used,
 * within the one step either side that the server accepts. The previous
 * step is used only while more than 5 seconds of the current one are
 * left, so that the code is still accepted when the server checks it.
 * When the window is used up, it waits for the next step to begin, which
 * takes at most 30 seconds.
 */
export async function freshTotpCode(secret: string): Promise<string> {
  const stepMillis = TOTP_STEP_SECONDS * 1000;
  for (;;) {
    const now = Date.now();
    const current = totpStepAt(now);
    const earliest =
      stepMillis - (now % stepMillis) > 5000 ? current - 1 : current;
    const step = Math.max(earliest, (lastUsedSteps.get(secret) ?? 0) + 1);
    if (step <= current + 1) {
      lastUsedSteps.set(secret, step);
      return totpCode(secret, step);
    }
    const nextStepAt = (current + 1) * stepMillis;
    await new Promise((resolve) => setTimeout(resolve, nextStepAt - now + 50));
  }
}

/** A signed-in API client that keeps its session cookie. */
export interface ApiClient {
  request(method: string, url: string, body?: unknown): Promise<Response>;
  /** The `Cookie` header value of the session, for requests sent another way. */
  readonly cookie: string;
}

/** The response of a password login and a client holding the session it opened. */
export interface PasswordLogin {
  response: Response;
  /** Stage of the session, such as `second_factor`, or null when login failed. */
  stage: string | null;
  client: ApiClient;
}

/** Posts a username and password to the login route without completing any further step. */
export async function logInWithPassword(
  system: RunningSystem,
  username: string,
  password: string = TEST_PASSWORD,
): Promise<PasswordLogin> {
  const response = await fetch(`${system.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const body = response.ok
    ? ((await response.clone().json()) as { stage: string })
    : null;
  return {
    response,
    stage: body?.stage ?? null,
    client: clientWithCookie(system, cookie),
  };
}

/**
 * Signs in through the API and returns a client with the session. It
 * completes the second factor with the recorded TOTP secret, and enrols a
 * new secret (recording it) where the session requires enrolment. A
 * session that must change its password is returned at that stage.
 */
export async function signIn(
  system: RunningSystem,
  username: string,
  password: string = TEST_PASSWORD,
): Promise<ApiClient> {
  const login = await logInWithPassword(system, username, password);
  if (login.response.status !== 200) {
    throw new Error(
      `Sign-in of ${username} failed with ${login.response.status}: ${await login.response.text()}`,
    );
  }

  if (login.stage === "second_factor") {
    await completeSecondFactorOf(system, username, login.client);
  } else if (login.stage === "enrolment") {
    await enrolThroughApi(system, username, login.client);
  }
  return login.client;
}

/** Completes the second factor of a half-open session with the recorded secret of the account. */
async function completeSecondFactorOf(
  system: RunningSystem,
  username: string,
  client: ApiClient,
): Promise<void> {
  const secret = totpSecretOf(system, username);
  if (secret === undefined) {
    throw new Error(
      `Sign-in of ${username} needs a TOTP code, but no secret is recorded: create the account with createAccount or enrol it with enrolThroughApi.`,
    );
  }
  const response = await client.request("POST", "/api/session/second-factor", {
    code: await freshTotpCode(secret),
  });
  if (response.status !== 200) {
    throw new Error(
      `Second factor of ${username} failed with ${response.status}: ${await response.text()}`,
    );
  }
}

/** The outcome of an enrolment through the API. */
export interface Enrolment {
  secret: string;
  uri: string;
  recoveryCodes: string[];
}

/**
 * Enrols a TOTP secret for the session's account through the API,
 * records the secret for later sign-ins and returns it with the
 * recovery codes.
 */
export async function enrolThroughApi(
  system: RunningSystem,
  username: string,
  client: ApiClient,
): Promise<Enrolment> {
  const started = await client.request(
    "POST",
    "/api/session/second-factor/enrolment",
  );
  if (started.status !== 200) {
    throw new Error(
      `Enrolment of ${username} failed with ${started.status}: ${await started.text()}`,
    );
  }
  const { secret, uri } = (await started.json()) as {
    secret: string;
    uri: string;
  };

  const confirmed = await client.request(
    "POST",
    "/api/session/second-factor/enrolment/confirmation",
    { code: await freshTotpCode(secret) },
  );
  if (confirmed.status !== 200) {
    throw new Error(
      `Enrolment confirmation of ${username} failed with ${confirmed.status}: ${await confirmed.text()}`,
    );
  }
  const { recoveryCodes } = (await confirmed.json()) as {
    recoveryCodes: string[];
  };
  rememberTotpSecret(system, username, secret);
  return { secret, uri, recoveryCodes };
}

/** Returns a client that sends the session cookie with every request. */
function clientWithCookie(system: RunningSystem, cookie: string): ApiClient {
  return {
    cookie,
    request: (method, url, body) =>
      fetch(`${system.url}${url}`, {
        method,
        headers: {
          cookie,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
}

/** Counts the audit events in the store. */
export async function countAuditEvents(system: RunningSystem): Promise<number> {
  const row = await system.store.db
    .selectFrom("audit_events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
