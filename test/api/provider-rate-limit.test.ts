import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readSettings } from "../../src/config/settings.js";
import {
  createKey,
  createRequestWorld,
  providerClient,
  type ProviderClient,
  type RequestWorld,
  type System,
} from "../requests/fixtures.js";
import { startTestSystem } from "../support/system.js";

const LIMIT = 3;

describe("provider API rate limit", () => {
  let system: System;
  let world: RequestWorld;
  let skt: ProviderClient;
  let sktOtherKey: ProviderClient;
  let kt: ProviderClient;

  beforeAll(async () => {
    system = await startTestSystem({
      loginAttemptsPerMinute: 1000,
      providerRequestsPerMinute: LIMIT,
    });
    world = await createRequestWorld(system);
    skt = providerClient(
      system,
      (await createKey(world.admin, world.skt.id, "first")).secret,
    );
    sktOtherKey = providerClient(
      system,
      (await createKey(world.admin, world.skt.id, "second")).secret,
    );
    kt = providerClient(
      system,
      (await createKey(world.admin, world.kt.id)).secret,
    );
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  it("rejects requests over the limit of one key", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) {
      statuses.push(
        (await skt.request("GET", "/api/provider/requests")).status,
      );
    }
    const rejected = await skt.request("GET", "/api/provider/requests");
    const body = (await rejected.json()) as {
      error: { code: string; message: string };
    };

    expect(statuses).toEqual([200, 200, 200]);
    expect(rejected.status).toBe(429);
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/at most 3 per minute/);
    expect(Number(rejected.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("counts every other key apart", async () => {
    const sameOrganisation = await sktOtherKey.request(
      "GET",
      "/api/provider/requests",
    );
    const otherOrganisation = await kt.request("GET", "/api/provider/requests");

    expect(sameOrganisation.status).toBe(200);
    expect(otherOrganisation.status).toBe(200);
  });

  it("rejects an unknown key before counting", async () => {
    const unknown = providerClient(system, "not-a-key");
    const response = await unknown.request("GET", "/api/provider/requests");
    expect(response.status).toBe(401);
  });
});

describe("provider rate setting", () => {
  it("defaults to 120 per minute", () => {
    expect(readSettings({}).providerRequestsPerMinute).toBe(120);
  });

  it("rejects a value that is not a whole number", () => {
    expect(() =>
      readSettings({ EPITRACE_PROVIDER_RATE_PER_MINUTE: "fast" }),
    ).toThrow(/EPITRACE_PROVIDER_RATE_PER_MINUTE="fast"/);
  });
});
