import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createOfficeUser,
  signIn,
  startTestSystem,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

describe("HTTP security", () => {
  let system: System;
  let client: ApiClient;

  beforeAll(async () => {
    system = await startTestSystem({ loginAttemptsPerMinute: 8 });
    await createOfficeUser(system, "11", "secure.investigator");
    client = await signIn(system, "secure.investigator");
  });

  afterAll(async () => {
    await system.close();
  });

  it("sends security headers", async () => {
    const response = await fetch(`${system.url}/api/config`);
    const policy = response.headers.get("content-security-policy") ?? "";

    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("worker-src 'self' blob:");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("sets an HTTP-only same-site cookie", async () => {
    const response = await fetch(`${system.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        username: "secure.investigator",
        password: "Correct-horse-battery-9",
      }),
    });
    const cookie = response.headers.get("set-cookie") ?? "";

    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
  });

  it("rejects a cross-origin change", async () => {
    const response = await fetch(`${system.url}/api/cases`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: "http://attacker.invalid",
      },
      body: JSON.stringify({ caseNumber: "X-1", person: {} }),
    });
    const count = await system.store.db
      .selectFrom("cases")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();

    expect(response.status).toBe(403);
    expect(Number(count.n)).toBe(0);
  });

  it("accepts a same-origin change", async () => {
    const response = await client.request("POST", "/api/cases", {
      caseNumber: "S-1",
      person: {},
    });
    expect(response.status).toBe(201);
  });

  it("rejects unknown fields in a body", async () => {
    const response = await client.request("POST", "/api/cases", {
      caseNumber: "S-2",
      person: {},
      organisationId: "someone-else",
    });
    expect(response.status).toBe(400);
  });

  it("rate-limits login attempts", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${system.url}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "nobody", password: "x" }),
      });
      statuses.push(response.status);
    }
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(
      0,
    );
    expect(statuses.slice(0, 6).every((status) => status === 401)).toBe(true);
  });
});
