import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  ensureProvinceHealthOffice,
  setPassword,
} from "../../src/accounts/index.js";
import {
  createOfficeUser,
  signIn,
  startTestSystem,
  TEST_PASSWORD,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

describe("organisation network allow-list", () => {
  let system: System;
  let admin: ApiClient;
  let investigator: ApiClient;
  let seoulOfficeId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    seoulOfficeId = (await ensureProvinceHealthOffice(system.store.db, "11"))
      .id;
    await createOfficeUser(system, "11", "net.investigator");
    await createOfficeUser(system, "21", "busan.net.investigator");
    investigator = await signIn(system, "net.investigator");
    admin = await signInAdministrator(system);
  });

  afterAll(async () => {
    await system.close();
  });

  async function signInAdministrator(target: System): Promise<ApiClient> {
    const row = await target.store.db
      .selectFrom("users")
      .select("id")
      .where("username", "=", "admin")
      .executeTakeFirstOrThrow();
    await setPassword(target.store.db, row.id, TEST_PASSWORD);
    return signIn(target, "admin");
  }

  async function attemptLogin(username: string) {
    return fetch(`${system.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password: TEST_PASSWORD }),
    });
  }

  it("rejects an invalid network", async () => {
    const response = await admin.request(
      "PUT",
      `/api/organisations/${seoulOfficeId}/networks`,
      { allowedNetworks: ["10.0.0.0/33"] },
    );
    expect(response.status).toBe(400);
  });

  it("blocks sign-in from outside the list", async () => {
    const set = await admin.request(
      "PUT",
      `/api/organisations/${seoulOfficeId}/networks`,
      { allowedNetworks: ["10.20.0.0/16"] },
    );
    const login = await attemptLogin("net.investigator");
    const body = (await login.json()) as { error: { code: string } };

    expect(set.status).toBe(200);
    expect(login.status).toBe(403);
    expect(body.error.code).toBe("address_not_allowed");
  });

  it("ends the use of an open session from outside", async () => {
    const response = await investigator.request("GET", "/api/cases");
    expect(response.status).toBe(403);
  });

  it("leaves other organisations open", async () => {
    const login = await attemptLogin("busan.net.investigator");
    expect(login.status).toBe(200);
  });

  it("allows sign-in from inside the list", async () => {
    await admin.request("PUT", `/api/organisations/${seoulOfficeId}/networks`, {
      allowedNetworks: ["10.20.0.0/16", "127.0.0.1"],
    });
    const response = await investigator.request("GET", "/api/cases");
    expect(response.status).toBe(200);
  });

  it("audits the change", async () => {
    const events = await system.store.db
      .selectFrom("audit_events")
      .select(["action", "result"])
      .where("action", "=", "organisation.networks_change")
      .execute();
    const refused = await system.store.db
      .selectFrom("audit_events")
      .select("detail")
      .where("action", "=", "session.login")
      .where("result", "=", "failed")
      .execute();

    expect(events).toHaveLength(2);
    expect(refused.map((e) => JSON.parse(e.detail).reason)).toContain(
      "address_not_allowed",
    );
  });
});
