import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { createUser, setPassword } from "../../src/accounts/index.js";
import { ensureProvinceHealthOffice } from "../../src/accounts/organisations.js";
import { readSettings, type Settings } from "../../src/config/settings.js";
import {
  createLogger,
  startSystem,
  type RunningSystem,
} from "../../src/server/index.js";
import type { Role } from "../../src/store/index.js";

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
 * province (KOSTAT code, such as "11" for Seoul) and returns its username.
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
  const { user } = await createUser(system.store.db, {
    username,
    displayName: username,
    role,
    organisationId: office.id,
  });
  await setPassword(system.store.db, user.id, TEST_PASSWORD);
  return username;
}

/** A signed-in API client that keeps its session cookie. */
export interface ApiClient {
  request(method: string, url: string, body?: unknown): Promise<Response>;
}

/** Signs in through the API and returns a client with the session. */
export async function signIn(
  system: RunningSystem,
  username: string,
  password: string = TEST_PASSWORD,
): Promise<ApiClient> {
  const response = await fetch(`${system.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) {
    throw new Error(
      `Sign-in of ${username} failed with ${response.status}: ${await response.text()}`,
    );
  }
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

  return {
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
