import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createOfficeUser,
  signIn,
  startTestSystem,
  TEST_PASSWORD,
} from "../support/system.js";
import { setPassword } from "../../src/accounts/index.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

async function attemptLogin(
  system: System,
  username: string,
  password: string,
) {
  return fetch(`${system.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
}

describe("login lockout", () => {
  let system: System;

  beforeAll(async () => {
    system = await startTestSystem();
    await createOfficeUser(system, "11", "target.investigator");
    await createOfficeUser(system, "11", "bystander.investigator");
    const admin = await system.store.db
      .selectFrom("users")
      .select("id")
      .where("username", "=", "admin")
      .executeTakeFirstOrThrow();
    await setPassword(system.store.db, admin.id, "Adm1n-strong-pass");
  });

  afterAll(async () => {
    await system.close();
  });

  it("locks after five failures in a row", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await attemptLogin(system, "target.investigator", "wrong-password-1"))
          .status,
      );
    }
    const withRightPassword = await attemptLogin(
      system,
      "target.investigator",
      TEST_PASSWORD,
    );
    const body = (await withRightPassword.json()) as {
      error: { code: string };
    };

    expect(statuses).toEqual([401, 401, 401, 401, 403]);
    expect(withRightPassword.status).toBe(403);
    expect(body.error.code).toBe("account_locked");
  });

  it("leaves other accounts unlocked", async () => {
    const response = await attemptLogin(
      system,
      "bystander.investigator",
      TEST_PASSWORD,
    );
    expect(response.status).toBe(200);
  });

  it("resets the count on success", async () => {
    for (let i = 0; i < 4; i++) {
      await attemptLogin(system, "bystander.investigator", "wrong-password-1");
    }
    // A login succeeds once its second factor does, which signIn completes.
    await signIn(system, "bystander.investigator");
    expect(
      (await attemptLogin(system, "bystander.investigator", "wrong-password-1"))
        .status,
    ).toBe(401);
    expect(
      (await attemptLogin(system, "bystander.investigator", TEST_PASSWORD))
        .status,
    ).toBe(200);
  });

  it("is unlocked by an administrator", async () => {
    const admin = await signIn(system, "admin", "Adm1n-strong-pass");
    const target = await system.store.db
      .selectFrom("users")
      .select("id")
      .where("username", "=", "target.investigator")
      .executeTakeFirstOrThrow();

    const unlocked = await admin.request(
      "POST",
      `/api/users/${target.id}/unlock`,
    );
    expect(unlocked.status).toBe(200);
    expect(
      (await attemptLogin(system, "target.investigator", TEST_PASSWORD)).status,
    ).toBe(200);
  });

  it("audits the lock", async () => {
    const locks = await system.store.db
      .selectFrom("audit_events")
      .select(["action", "actor_username"])
      .where("action", "in", ["account.lock", "account.unlock"])
      .orderBy("id")
      .execute();
    expect(locks.map((e) => e.action)).toEqual([
      "account.lock",
      "account.unlock",
    ]);
    expect(locks[0]?.actor_username).toBe("target.investigator");
  });
});
